"""Every program page type, as the demo builds it, in a real browser with axe-core."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

#: One URL per page type (and the English translation of two), from the demo data.
PAGES = {
    "/sv/program-2026/": "Värdeforum 2026",
    "/sv/program-2026/larandeseminarium-3/": "Lärandeseminarium 3: PGSA-cykler i vardagen",
    "/sv/forbattringsrampen/": "Förbättringsrampen",
    "/sv/forbattringsrampen/overgripande-mal/": "Övergripande mål",
    "/en/improvement-ramp/pdsa-cycles/": "PDSA cycles: testing on a small scale",
    "/sv/coachutbildning/": "Coachutbildning",
    "/sv/coachnatverket/": "Coachnätverket",
    "/sv/nyheter/": "Nyheter",
    "/sv/nyheter/31-team-borjade/": "31 team började i Värdeforum",
    "/sv/om/": "Om Värdeforum",
    "/sv/tillganglighet/": "Tillgänglighetsredogörelse",
    "/en/program-2026/": "Forum for Values 2026",
    "/en/accessibility/": "Accessibility statement",
    "/sv/search/?q=Värdeforum": "Sök",
}


@pytest.fixture
def demo_server(server):
    call_command("load_demo_data", stdout=io.StringIO())
    return server


def test_every_page_type_has_no_axe_violations(demo_server, page):
    problems = []
    for path, heading in PAGES.items():
        response = page.goto(f"{demo_server.url}{path}")
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px")
        problems += [f"{path}: {v['id']} {v['help']} {v['targets']}" for v in axe_violations(page)]
    assert not problems, "\n".join(problems)


def test_the_accordion_opens_and_closes_from_the_keyboard(demo_server, page):
    page.goto(f"{demo_server.url}/sv/om/")
    question = page.get_by_text("Vem kan delta?")
    answer = page.get_by_text("Team från idéburna vård- och omsorgsgivare.")
    expect(answer).to_be_hidden()
    question.focus()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    assert axe_violations(page) == []  # the open state too
    page.keyboard.press("Enter")
    expect(answer).to_be_hidden()


def test_the_main_menu_leads_to_the_program_and_the_switch_keeps_the_page(demo_server, page):
    page.goto(f"{demo_server.url}/sv/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Värdeforum 2026"
    ).click()
    expect(page).to_have_url(f"{demo_server.url}/sv/program-2026/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{demo_server.url}/en/program-2026/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forum for Values 2026")


def test_the_calendar_link_downloads_an_ics_file(demo_server, page):
    page.goto(f"{demo_server.url}/sv/program-2026/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lägg in alla träffar i min kalender").click()
    assert download.value.suggested_filename == "vardeforum-2026.ics"
