"""Accepting an invitation and logging in with a link by email, in a real browser.

Every page visited, error states included, is checked with axe-core at desktop and phone widths
(see conftest). The pages are opened in English so the test reads the same before and after the
Swedish catalogue gets these texts.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from forum_workflows import invitations
from forum_workflows.models import Invitation, Membership

from ..forum_workflows_tests.people import make_cast
from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Ett-bra-lösen-2026"


@pytest.fixture
def cast(server, make_user):
    from django.contrib.auth.models import Group

    for name in ("Programme managers", "Editors"):  # a flush between tests removes them
        Group.objects.get_or_create(name=name)
    return make_cast(make_user)


def invitation_link(server, cast, **kwargs):
    kwargs.setdefault("email", "nora@example.org")
    invitations.invite(
        role=Invitation.Role.MEMBER,
        program=cast.program,
        team=cast.team,
        invited_by=cast.people["manager"],
        language="en",
        **kwargs,
    )
    path = re.search(r"https?://[^/\s]+(/en/invitation/\S+/)", mail.outbox[-1].body).group(1)
    return f"{server.url}{path}"


def test_a_new_person_accepts_an_invitation(server, page, cast):
    link = invitation_link(server, cast, full_name="Nora N")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your invitation")
    expect(page.get_by_text(cast.team.name)).to_be_visible()
    expect(page.get_by_label("Your full name")).to_have_value("Nora N")
    assert_accessible(page)

    page.get_by_label("Your full name").fill("Nora Nyberg")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD + "?")
    page.get_by_role("button", name="Create my account and accept").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account and accept").click()
    expect(page).to_have_url(f"{server.url}/en/")
    expect(page.get_by_role("status")).to_contain_text(
        f"Welcome! You are now a member of the team {cast.team.name}."
    )
    expect(page.get_by_text("Nora Nyberg")).to_be_visible()
    assert_accessible(page)
    assert Membership.objects.filter(user__email="nora@example.org", team=cast.team).exists()

    page.goto(link)  # a used link
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The invitation has already been accepted"
    )
    assert_accessible(page)


def test_someone_with_an_account_logs_in_then_accepts(server, page, cast, make_user):
    make_user(email="kim@example.org", full_name="Kim Ek", password=PASSWORD)
    link = invitation_link(server, cast, email="kim@example.org")
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("link", name="Log in to accept").click()
    page.get_by_label("Email address").fill("kim@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(link)
    assert_accessible(page)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome!")
    assert Membership.objects.filter(user__email="kim@example.org", team=cast.team).exists()


def test_logging_in_with_a_link_by_email(server, page, make_user):
    make_user(email="tove@example.org", full_name="Tove Svensson", language="en")
    page.goto(f"{server.url}/en/accounts/login/")
    page.get_by_role("link", name="Send me a link to log in instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in with a link by email")
    assert_accessible(page)

    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill("tove@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    link = re.search(r"https?://\S+/sign-in-link/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/en/workspace/")
    expect(page.get_by_text("Tove Svensson")).to_be_visible()

    page.goto(link)  # once only
    expect(page.get_by_role("heading", level=1)).to_have_text("The link has already been used")
    assert_accessible(page)


def test_the_new_pages_never_scroll_sideways_at_320_px(server, page, cast):
    page.set_viewport_size({"width": 320, "height": 640})
    link = invitation_link(server, cast)
    for url in (
        link,
        link.replace("/invitation/", "/invitation/x"),
        f"{server.url}/en/accounts/sign-in-link/",
        f"{server.url}/en/accounts/sign-in-link/sent/",
    ):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 320 px"
