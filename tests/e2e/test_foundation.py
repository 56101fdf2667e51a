"""The foundation in a real browser: home, login, password reset, language switch.

Every page visited is checked with axe-core at desktop and phone widths (see conftest).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .axe import assert_accessible, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_axe_helper_fails_on_a_known_bad_page(page):
    page.set_content(
        "<html><body><img src='photo.png'><input type='text'>"
        "<p style='color:#bbb;background:#fff'>faint text</p></body></html>"
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_home_page_and_language_switch(server, page):
    page.goto(f"{server.url}/sv/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Värdeforum")
    assert_accessible(page)

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forum for Values")
    assert_accessible(page)

    page.get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(f"{server.url}/sv/")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(server, page):
    page.goto(f"{server.url}/sv/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_page_never_scrolls_sideways_at_320_px(server, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/sv/", "/sv/accounts/login/", "/sv/accounts/password-reset/"):
        page.goto(f"{server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320 px"


def test_login_with_a_wrong_password_then_the_right_one_then_logout(server, page, make_user):
    make_user(email="tove@example.org", full_name="Tove Svensson", password="Rätt-lösen-2026")
    page.goto(f"{server.url}/sv/")
    page.get_by_role("link", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert_accessible(page)

    page.get_by_label("E-postadress").fill("tove@example.org")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "E-postadressen eller lösenordet är fel. Kontrollera båda och försök igen."
    )
    expect(page.get_by_label("E-postadress")).to_have_value("tove@example.org")
    assert_accessible(page)

    page.get_by_label("Lösenord").fill("Rätt-lösen-2026")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(f"{server.url}/sv/")
    expect(page.get_by_text("Tove Svensson")).to_be_visible()
    logout = page.get_by_role("button", name="Logga ut")
    expect(logout).to_be_visible()
    assert_accessible(page)

    logout.click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()


def test_password_reset_from_request_to_new_login(server, page, make_user):
    make_user(email="camilla@example.org", password="Gammalt-lösen-2026", language="en")
    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Byt lösenord")
    assert_accessible(page)

    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("E-post").fill("camilla@example.org")
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)  # the mail is in Camilla's language: English
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)

    page.get_by_label("New password", exact=True).fill("Nytt-lösen-2026!")
    page.get_by_label("New password confirmation").fill("Nytt-lösen-2026?")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("New password", exact=True).fill("Nytt-lösen-2026!")
    page.get_by_label("New password confirmation").fill("Nytt-lösen-2026!")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill("camilla@example.org")
    page.get_by_label("Password").fill("Nytt-lösen-2026!")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(link)  # a used link does not work twice
    expect(page.get_by_text("This link has expired or has already been used.")).to_be_visible()
    assert_accessible(page)


def test_the_not_found_page_is_accessible(server, page):
    response = page.goto(f"{server.url}/sv/finns-inte/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    assert_accessible(page)
