"""The workspace's acceptance journeys in Chromium on PostgreSQL, on the improvement ramp's
first stages:

- a member fills the first stage partly, autosave keeps it across a reload, they complete it and
  submit after the confirmation step; the coach requests changes with a comment; the member sees
  it, edits and resubmits; the coach approves; the next stage opens;
- two people edit the same draft at once: the conflict is shown side by side and no text is lost.

Every page and state on the way is checked with axe-core and for sideways scrolling, at desktop
and phone widths (the ``viewport`` fixture runs each test at both).
"""

import re

import pytest
from django.utils.datastructures import MultiValueDict
from playwright.sync_api import expect

from forms.builder import SUBMIT, AnswerForm
from forms.models import FormDefinition
from forum_workflows import transitions
from forum_workflows.content_pack import install_pack
from forum_workflows.models import ProjectWorkflow, StageState
from forum_workflows.workflow_blocks import Gate
from tests.forum_workflows_tests.people import make_cast
from tests.forum_workflows_tests.workflows import make_workflow, run_on, stage

from .axe import axe_violations
from .conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)
#: The whole journey also runs at 320 px, the narrowest phone the product supports; the other
#: tests at the desktop and phone widths every browser test uses.
WIDTHS = VIEWPORTS | {"narrow": {"width": 320, "height": 640}}
ALL_WIDTHS = pytest.mark.parametrize("viewport", list(WIDTHS), indirect=True)
PASSWORD = "a-Good-passw0rd"  # make_user's
State = StageState.State


def _ramp_stage(ramp, key, **options):
    """The ramp's stage ``key`` with its form and guide."""
    spec = ramp.stage(key)
    return stage(
        key,
        form=FormDefinition.objects.get(pk=spec["form"]),
        guide=spec["guide"],
        name_sv=spec["name"]["sv"],
        name_en=spec["name"]["en"],
        **options,
    )


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return WIDTHS[request.param]


@pytest.fixture
def ramp(server, make_user):
    """The ramp's first two stages, the first needing the coach's approval (in the pack it
    takes feedback only, which approves on submit)."""
    install_pack()
    pack = ProjectWorkflow.objects.get(slug="forbattringsrampen").latest_version
    cast = make_cast(make_user)
    run_on(
        cast.program,
        make_workflow(
            _ramp_stage(pack, "lead_team", gate=Gate.COACH),
            _ramp_stage(pack, "assessment_5p", gate=Gate.COACH, depends_on="lead_team"),
        ),
    )
    cast.project = transitions.start_project(cast.team, cast.people["lead"])
    cast.first = cast.project.stage_states.get(stage_key="lead_team")
    cast.second = cast.project.stage_states.get(stage_key="assessment_5p")
    return cast


class Checked:
    """Collects axe violations and sideways scrolling on every page and state visited."""

    def __init__(self):
        self.problems = []

    def __call__(self, page, label=""):
        page.wait_for_load_state()
        for details in page.locator("details:not([open])").all():
            details.evaluate("element => element.open = true")  # menus and guides open too
        where = f"{page.url} {label}".strip()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems.append(f"{where}: scrolls sideways by {overflow}px")
        self.problems += [
            f"{where}: {v['id']} {v['help']} {v['targets']}" for v in axe_violations(page)
        ]

    def assert_none(self):
        assert not self.problems, "\n".join(self.problems)


def log_in(page, server, user):
    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def show_part(page, name):
    """On a phone a long form shows one part at a time: open the part ``name``."""
    part = page.get_by_role("navigation", name="Formulärets delar").get_by_role(
        "button", name=name
    )
    if part.count():
        part.click()


def _state(stage):
    return StageState.objects.get(pk=stage.pk).state


@ALL_WIDTHS
def test_a_stage_from_first_draft_through_review_to_the_next_stage(
    ramp, server, browser, browser_context_args
):
    check = Checked()
    stage_url = f"{server.url}/sv/workspace/stages/{ramp.first.pk}/"
    member = browser.new_context(**browser_context_args).new_page()
    coach = browser.new_context(**browser_context_args).new_page()

    # The member: a first line, saved by autosave; still there after a reload.
    log_in(member, server, ramp.people["member"])
    assert member.url == f"{server.url}/sv/workspace/"  # signing in lands on the dashboard
    check(member, "dashboard")
    member.goto(stage_url)
    check(member)
    member.get_by_label("Teamledare").fill("Anna Lind")
    expect(member.locator("#autosave-status")).to_have_text(
        re.compile(r"Utkastet sparades kl\. \d\d:\d\d")
    )
    check(member, "saved automatically")
    member.reload()
    expect(member.get_by_label("Teamledare")).to_have_value("Anna Lind")
    assert _state(ramp.first) == State.DRAFT

    # Completes the required answers and submits after checking them.
    member.get_by_label(re.compile(r"^Namn")).first.fill("Bo Ek")
    member.get_by_label("Yrkesroll").first.fill("Undersköterska")
    show_part(member, "Mötesrutin")
    member.get_by_label("Varannan vecka").check()
    member.get_by_role("button", name="Skicka in för granskning …").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("Skicka in")
    check(member, "confirmation")
    member.get_by_role("button", name="Skicka in för granskning").click()
    expect(member.locator(".stage-meta")).to_contain_text("inskickat")
    assert _state(ramp.first) == State.SUBMITTED

    # The coach finds it in the review queue and asks for changes; a comment is required.
    log_in(coach, server, ramp.people["coach"])
    check(coach, "dashboard with a review waiting")
    coach.get_by_role("link", name=re.compile("Ledningsgrupp")).first.click()
    expect(coach.get_by_role("heading", name="Din granskning")).to_be_visible()
    coach.get_by_label("Be om ändringar").check()
    coach.get_by_role("button", name="Skicka granskningen").click()
    expect(coach.locator(".errorlist").first).to_be_visible()
    check(coach, "review without a comment")
    coach.get_by_label(re.compile("Kommentar till teamet")).fill("Lägg till fler medlemmar.")
    coach.get_by_role("button", name="Skicka granskningen").click()
    expect(coach.locator(".stage-meta")).to_contain_text("ändringar begärda")
    assert _state(ramp.first) == State.CHANGES_REQUESTED

    # The member sees the comment, adds a member and resubmits.
    member.goto(stage_url)
    expect(member.get_by_text("Lägg till fler medlemmar.")).to_be_visible()
    check(member, "changes requested")
    member.get_by_role(
        "button", name="Lägg till en rad i Medlemmar i ledningsgruppen"
    ).first.click()
    member.get_by_label(re.compile(r"^Namn")).nth(1).fill("Cecilia Ås")
    member.get_by_label("Yrkesroll").nth(1).fill("Sjuksköterska")
    member.get_by_role("button", name="Skicka in för granskning …").click()
    member.get_by_role("button", name="Skicka in för granskning").click()
    expect(member.locator(".stage-meta")).to_contain_text("inskickat")

    # The coach approves; the next stage opens.
    coach.goto(stage_url)
    coach.get_by_label("Godkänn").check()
    coach.get_by_role("button", name="Skicka granskningen").click()
    expect(coach.locator(".stage-meta")).to_contain_text("godkänt")
    assert _state(ramp.first) == State.APPROVED
    assert _state(ramp.second) == State.OPEN

    # The team sees the next stage open, and the history holds both versions.
    member.goto(f"{server.url}/sv/workspace/projects/{ramp.project.pk}/")
    expect(member.get_by_role("link", name=re.compile("5P"))).to_be_visible()
    check(member, "project page")
    member.goto(f"{stage_url}history/")
    expect(member.get_by_text("Cecilia Ås").first).to_be_visible()
    check(member, "history")
    check.assert_none()


def test_two_people_editing_one_draft_lose_no_text(ramp, server, browser, browser_context_args):
    check = Checked()
    stage_url = f"{server.url}/sv/workspace/stages/{ramp.first.pk}/"
    anna = browser.new_context(**browser_context_args).new_page()
    bo = browser.new_context(**browser_context_args).new_page()
    log_in(anna, server, ramp.people["lead"])
    log_in(bo, server, ramp.people["member"])
    anna.goto(stage_url)
    bo.goto(stage_url)

    anna.get_by_label("Teamledare").fill("Anna Lind")
    expect(anna.locator("#autosave-status")).to_contain_text("Utkastet sparades")

    # Bo's autosave finds Anna's newer draft: it stops and says what to do.
    bo.get_by_label("Förbättringscoach").fill("Bos coach")
    expect(bo.locator("#autosave-status")).to_contain_text("Någon annan sparade")
    check(bo, "autosave refused")
    bo.get_by_role("button", name="Spara utkast").click()

    # Both texts side by side: Anna's saved one, Bo's still in the form.
    conflict = bo.locator(".conflict")
    expect(conflict).to_contain_text("Anna Lind")
    expect(bo.get_by_label("Förbättringscoach")).to_have_value("Bos coach")
    check(bo, "conflict")
    draft = StageState.objects.get(pk=ramp.first.pk).answer_set.draft
    assert draft["team_lead"] == "Anna Lind" and "coach" not in draft

    # Typing on saves nothing automatically: Anna's text stays until Bo saves by hand.
    expect(bo.locator("#autosave-status")).to_contain_text("väntar")
    bo.get_by_label("Förbättringscoach").fill("Bos coach")
    bo.wait_for_timeout(4000)
    draft = StageState.objects.get(pk=ramp.first.pk).answer_set.draft
    assert draft["team_lead"] == "Anna Lind" and "coach" not in draft

    # Bo combines them and saves: both texts are kept.
    bo.get_by_label("Teamledare").fill("Anna Lind")
    bo.get_by_role("button", name="Spara utkast").click()
    expect(bo.locator(".conflict")).to_have_count(0)
    draft = StageState.objects.get(pk=ramp.first.pk).answer_set.draft
    assert (draft["team_lead"], draft["coach"]) == ("Anna Lind", "Bos coach")
    check.assert_none()


def test_autosave_retries_then_warns_when_the_connection_drops(ramp, server, browser):
    check = Checked()
    page = browser.new_context(viewport=VIEWPORTS["desktop"], bypass_csp=True).new_page()
    log_in(page, server, ramp.people["member"])
    page.goto(f"{server.url}/sv/workspace/stages/{ramp.first.pk}/")
    page.context.set_offline(True)
    page.get_by_label("Teamledare").fill("Skrivet utan nät")
    expect(page.locator("#autosave-status")).to_contain_text("försöker igen", timeout=10_000)
    check(page, "retrying")
    page.context.set_offline(False)
    expect(page.locator("#autosave-status")).to_contain_text("Utkastet sparades", timeout=15_000)
    draft = StageState.objects.get(pk=ramp.first.pk).answer_set.draft
    assert draft["team_lead"] == "Skrivet utan nät"
    check.assert_none()


def test_the_coach_and_manager_pages_and_their_error_states(ramp, server, page):
    check = Checked()
    stage_url = f"{server.url}/sv/workspace/stages/{ramp.first.pk}/"
    transitions.add_comment(ramp.first, ramp.people["member"], body="Hur många ska vi vara?")

    # The coach: an empty comment, then the private log with an empty entry and a real one.
    log_in(page, server, ramp.people["coach"])
    page.goto(stage_url)
    page.get_by_role("button", name="Lägg till kommentaren").click()
    expect(page.locator(".comments .errorlist")).to_be_visible()
    check(page, "empty comment")
    page.get_by_role("link", name=re.compile("Coachlogg")).click()
    check(page, "coach log")
    page.get_by_role("button", name="Spara anteckningen").click()
    expect(page.locator("[aria-invalid=true]")).to_have_count(1)
    check(page, "empty log entry")
    page.get_by_label(re.compile("Ny anteckning")).fill("Teamet behöver stöd med mötesrutinen.")
    page.get_by_role("button", name="Spara anteckningen").click()
    expect(page.get_by_text("Teamet behöver stöd med mötesrutinen.")).to_be_visible()
    check(page, "log entry saved")
    page.goto(f"{stage_url}history/?from=x&to=y")
    check(page, "history with a bad choice")

    # The programme manager: the dashboard, and reopening without a reason.
    transitions.submit_stage(
        ramp.first, ramp.people["member"], _complete(ramp.first), expected_revision=0
    )
    transitions.approve_stage(ramp.first, ramp.people["coach"])
    page.context.clear_cookies()
    log_in(page, server, ramp.people["manager"])
    check(page, "manager's dashboard")
    page.goto(stage_url)
    page.get_by_role("button", name="Öppna steget igen").click()
    expect(page.locator(".manager-actions .errorlist")).to_be_visible()
    check(page, "reopen without a reason")
    check.assert_none()


def _complete(stage):
    """The first stage's required answers, as a submit-mode form."""
    data = {
        "team_lead": "Anna Lind",
        "members-0-id": "a" * 32,
        "members-0-member_name": "Bo Ek",
        "members-0-member_role": "Undersköterska",
        "meeting_frequency": "weekly",
    }
    form = AnswerForm(
        transitions.form_version_of(stage).schema,
        language="sv",
        mode=SUBMIT,
        data=MultiValueDict({key: [value] for key, value in data.items()}),
        files=MultiValueDict(),
        choice_context=stage,
    )
    assert form.is_valid(), form.errors
    return form


def test_saving_while_an_autosave_is_under_way_waits_for_it(ramp, server, browser):
    """On a slow line: "Save draft" pressed during an autosave posts the revision the autosave
    made, instead of meeting its own autosave as someone else's save."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], bypass_csp=True)
    page = context.new_page()
    log_in(page, server, ramp.people["member"])
    page.goto(f"{server.url}/sv/workspace/stages/{ramp.first.pk}/")
    slow = context.new_cdp_session(page)
    slow.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    with page.expect_request("**/autosave/"):
        page.get_by_label("Teamledare").fill("Anna Lind")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator("#autosave-status")).to_contain_text("Utkastet sparades", timeout=15_000)
    expect(page.locator(".conflict")).to_have_count(0)
    answer_set = StageState.objects.get(pk=ramp.first.pk).answer_set
    assert answer_set.draft["team_lead"] == "Anna Lind"
    assert answer_set.draft_revision == 2  # the autosave, then the save


def test_signed_out_while_writing_then_signed_in_again_saves_the_text(ramp, server, browser):
    context = browser.new_context(viewport=VIEWPORTS["desktop"], bypass_csp=True)
    page = context.new_page()
    log_in(page, server, ramp.people["member"])
    page.goto(f"{server.url}/sv/workspace/stages/{ramp.first.pk}/")
    context.clear_cookies(name="sessionid")  # the session ends (idle timeout, say)
    page.get_by_label("Teamledare").fill("Skrivet före utloggningen")
    expect(page.locator("#autosave-status")).to_contain_text("du är utloggad")
    other = context.new_page()
    log_in(other, server, ramp.people["member"])
    other.close()
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator("#autosave-status")).to_contain_text("Utkastet sparades")
    draft = StageState.objects.get(pk=ramp.first.pk).answer_set.draft
    assert draft["team_lead"] == "Skrivet före utloggningen"


def test_a_team_starts_its_project_and_its_sponsor_follows_it(server, page, make_user):
    check = Checked()
    install_pack()
    cast = make_cast(make_user)
    run_on(cast.program, ProjectWorkflow.objects.get(slug="forbattringsrampen"))
    log_in(page, server, cast.people["member"])
    check(page, "dashboard before the project starts")
    page.get_by_label("Vad vill teamet förbättra?").fill("Färre fall nattetid")
    page.get_by_role("button", name="Starta projektet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.team.name)
    check(page, "the new project")
    page.context.clear_cookies()
    log_in(page, server, cast.people["sponsor"])
    check(page, "the sponsor's dashboard")
    page.get_by_role("link", name=cast.team.name).first.click()
    expect(page.get_by_text("Färre fall nattetid")).to_be_visible()
    check(page, "the sponsor reads the project")
    check.assert_none()
