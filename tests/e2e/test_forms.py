"""A programme manager builds a form in the admin, publishes it and tries it on the site,
with JavaScript on and off; every page is checked with axe-core."""

import io

import pytest
from playwright.sync_api import expect

from forms.models import FormDefinition

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Ett-bra-l0senord"


@pytest.fixture
def manager(server, make_user):
    return make_user(
        email="pm@example.org", password=PASSWORD, is_staff=True, is_superuser=True, language="en"
    )


def log_in(page, server):
    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_label("E-postadress").fill("pm@example.org")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def add_field(page, kind, index, key, label_sv, required=False):
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=kind, exact=True).click()
    page.locator(f"#fields-{index}-value-key").fill(key)
    page.locator(f"#fields-{index}-value-label-sv").fill(label_sv)
    if required:
        page.locator(f"#fields-{index}-value-required").check()


def build_and_publish(page, server):
    page.goto(f"{server.url}/admin/snippets/forum_forms/formdefinition/add/")
    page.locator("#id_name").fill("Processkarta")
    page.locator("#id_slug").fill("processkarta")
    add_field(page, "Long text", 0, "aim", "Övergripande mål", required=True)
    add_field(page, "Yes or no", 1, "done", "Är kartan klar?", required=True)
    add_field(page, "Short text", 2, "why", "Vad saknas?")
    page.locator("#fields-2-value-show_if-field").fill("done")
    page.locator("#fields-2-value-show_if-op").select_option("equals")
    page.locator("#fields-2-value-show_if-value").fill("no")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("'Processkarta' created and published")


def test_build_publish_and_fill_in_with_javascript(server, manager, page):
    log_in(page, server)
    build_and_publish(page, server)
    version = FormDefinition.objects.get(slug="processkarta").latest_version
    assert [f["key"] for f in version.schema["fields"]] == ["aim", "done", "why"]

    page.goto(f"{server.url}/sv/forms/processkarta/try/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Processkarta")
    why = page.get_by_label("Vad saknas?")
    expect(why).to_be_hidden()  # the script mirrors the condition
    assert_accessible(page)

    page.get_by_role("button", name="Kontrollera svaren").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name="Övergripande mål: Det här fältet är obligatoriskt")
    ).to_be_visible()
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Övergripande mål")).to_be_focused()
    summary.get_by_role("link").nth(1).click()  # a radio group: its fieldset takes the focus
    expect(page.get_by_role("group", name="Är kartan klar?")).to_be_focused()

    page.get_by_label("Övergripande mål").fill("Färre fall på natten")
    page.get_by_label("Nej").check()
    expect(why).to_be_visible()
    why.fill("Nattens rutiner")
    page.get_by_role("button", name="Kontrollera svaren").click()
    read_only = page.locator("#read-only")
    expect(read_only).to_contain_text("Färre fall på natten")
    expect(read_only).to_contain_text("Nattens rutiner")
    assert_accessible(page)


def test_fill_in_without_javascript(server, manager, browser, browser_context_args):
    admin_page = browser.new_page(**browser_context_args)
    log_in(admin_page, server)
    build_and_publish(admin_page, server)
    admin_page.close()

    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    log_in(page, server)
    page.goto(f"{server.url}/sv/forms/processkarta/try/")
    why = page.get_by_label("Vad saknas?")
    expect(why).to_be_visible()  # no script: every field shows; the server decides
    assert_accessible_without_script(page, context)

    page.get_by_label("Övergripande mål").fill("Färre fall")
    page.get_by_label("Ja").check()
    why.fill("skickas men ska inte sparas")
    page.get_by_role("button", name="Kontrollera svaren").click()
    read_only = page.locator("#read-only")
    expect(read_only).to_contain_text("Färre fall")
    expect(read_only).not_to_contain_text("skickas men ska inte sparas")
    context.close()


def assert_accessible_without_script(page, context):
    """axe needs script: check the same page, as served without it, in a scripted context."""
    html = page.content()
    checker = context.browser.new_page()
    checker.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
    checker.goto(page.url)
    checker.evaluate("document.querySelectorAll('script').forEach((s) => s.remove())")
    assert_accessible(checker)
    checker.close()


def test_a_long_form_shows_one_section_at_a_time_on_a_phone(server, page, viewport):
    from django.core.management import call_command

    call_command("load_demo_data", stdout=io.StringIO())
    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_label("E-postadress").fill("admin@example.org")
    page.get_by_label("Lösenord").fill("demo-lösenord-2026")
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{server.url}/sv/forms/fiskbensdiagram/try/")
    problem = page.get_by_label("Vilket problem vill ni förstå?")
    category = page.get_by_label("Kategori", exact=False).first
    if viewport["width"] >= 800:
        expect(problem).to_be_visible()
        expect(category).to_be_visible()
        return
    parts = page.get_by_role("navigation", name="Formulärets delar")
    expect(parts).to_contain_text("Del 1 av 3")
    expect(problem).to_be_visible()
    expect(category).to_be_hidden()
    assert_accessible(page)
    parts.get_by_role("button", name="Orsaker").click()
    expect(parts).to_contain_text("Del 2 av 3")
    expect(category).to_be_visible()
    expect(problem).to_be_hidden()
