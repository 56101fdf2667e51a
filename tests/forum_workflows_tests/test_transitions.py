"""The workflow engine's transitions (DESIGN.md §4): every state change, gate, dependency rule,
repeating and continuing stage and due date, each with its history row and audit entry, and
every illegal transition refused with nothing changed."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forms.answers import StaleDraft
from forum_workflows import transitions
from forum_workflows.models import ImprovementProject, StageComment, StageHistory, StageState
from forum_workflows.transitions import InvalidInput, NotAllowed, WrongState
from forum_workflows.workflow_blocks import Gate

from .factories import make_session
from .people import make_cast
from .workflows import draft, filled, make_workflow, run_on, stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
State = StageState.State


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


@pytest.fixture
def people(cast):
    return cast.people


def _ramp():
    """aim (coach approval) → measure (feedback, continuing, right after aim) and
    pdsa (coach feedback, repeating) → plan (manager approval, optional)."""
    return make_workflow(
        stage("aim", due_days_after_start=30),
        stage("measure", gate=Gate.FEEDBACK, continuing=True, depends_on="aim"),
        stage("pdsa", gate=Gate.FEEDBACK, repeating=True, depends_on="aim"),
        stage("plan", gate=Gate.MANAGER, optional=True, depends_on="pdsa,measure"),
    )


@pytest.fixture
def project(cast, people):
    run_on(cast.program, _ramp())
    return transitions.start_project(cast.team, people["member"], title="Färre fall")


def _stage(project, key, cycle=1):
    return StageState.objects.get(project=project, stage_key=key, cycle=cycle)


def _states(project):
    return {(s.stage_key, s.cycle): s.state for s in StageState.objects.filter(project=project)}


def _actions(state):
    entries = ModelLogEntry.objects.for_instance(state).order_by("timestamp", "pk")
    return list(entries.values_list("action", flat=True))


def _submitted(project, people, key="aim"):
    state = _stage(project, key)
    transitions.submit_stage(
        state, people["member"], filled(state), expected_revision=state.answer_set.draft_revision
    )
    return _stage(project, key)


def _approved(project, people, key="aim"):
    state = _submitted(project, people, key)
    if state.state == State.SUBMITTED:
        transitions.approve_stage(state, people["coach"])
    return _stage(project, key)


# Starting -----------------------------------------------------------------------------------


def test_starting_a_project_opens_the_stages_that_wait_for_nothing(project, people):
    assert _states(project) == {
        ("aim", 1): State.OPEN,
        ("measure", 1): State.LOCKED,
        ("pdsa", 1): State.LOCKED,
        ("plan", 1): State.LOCKED,
    }
    aim = _stage(project, "aim")
    history = aim.history.get()
    assert (history.from_state, history.to_state, history.actor) == ("", "open", people["member"])
    assert _actions(project) == ["forum_workflows.start_project"]


def test_due_dates_come_from_the_program_start_and_its_learning_sessions(cast, people):
    first = make_session(
        cast.program, starts_at=timezone.make_aware(datetime.datetime(2026, 9, 3, 9, 0))
    )
    make_session(cast.program, starts_at=timezone.make_aware(datetime.datetime(2026, 10, 8, 9, 0)))
    run_on(
        cast.program,
        make_workflow(
            stage("aim", due_days_after_start=30),
            stage("pdsa", due_before_session=1),
            stage("plan", due_before_session=5),
        ),
    )
    project = transitions.start_project(cast.team, people["member"])
    assert _stage(project, "aim").due_on == cast.program.starts_on + datetime.timedelta(days=30)
    assert _stage(project, "pdsa").due_on == timezone.localdate(first.starts_at)
    assert _stage(project, "plan").due_on is None  # the program has no fifth session


def test_a_project_runs_on_the_version_it_started_with(cast, people, project):
    workflow = project.workflow_version.workflow
    workflow.save_revision().publish(skip_permission_checks=True)
    run_on(cast.program, workflow)
    project.refresh_from_db()
    assert project.workflow_version.number == 1
    assert cast.program.workflow_version.number == 2


def test_a_program_without_a_workflow_starts_no_project(cast, people):
    with pytest.raises(WrongState, match="no workflow"):
        transitions.start_project(cast.team, people["member"])
    assert not ImprovementProject.objects.exists()


@pytest.mark.parametrize("role", ["sponsor", "contact", "other_team_member", "former_member"])
def test_only_the_teams_members_start_its_project(cast, people, role):
    run_on(cast.program, _ramp())
    with pytest.raises(NotAllowed):
        transitions.start_project(cast.team, people[role])
    assert not ImprovementProject.objects.exists()


def test_a_team_that_left_the_program_starts_no_project_not_even_by_its_manager(cast, people):
    from forum_workflows.models import Team

    run_on(cast.program, _ramp())
    Team.objects.filter(pk=cast.team.pk).update(status=Team.Status.LEFT)
    cast.team.refresh_from_db()
    with pytest.raises(WrongState, match="no longer takes part"):
        transitions.start_project(cast.team, people["manager"])
    assert not ImprovementProject.objects.exists()


def test_a_team_runs_one_project_at_a_time(cast, people, project):
    with pytest.raises(WrongState, match="already runs"):
        transitions.start_project(cast.team, people["lead"])
    assert ImprovementProject.objects.count() == 1


# Drafts ---------------------------------------------------------------------------------------


def test_the_first_draft_moves_an_open_stage_to_draft(project, people):
    aim = _stage(project, "aim")
    answer_set = transitions.save_draft(
        aim, people["member"], draft(aim, text="Första utkast"), expected_revision=0
    )
    assert answer_set.draft["text"] == "Första utkast" and answer_set.draft_revision == 1
    aim = _stage(project, "aim")
    assert aim.state == State.DRAFT
    assert aim.history.last().to_state == State.DRAFT
    assert _actions(aim) == ["forum_workflows.save_draft"]
    assert not aim.answer_set.versions.exists()


def test_an_autosave_bumps_the_draft_only(project, people):
    aim = _stage(project, "aim")
    transitions.save_draft(aim, people["member"], draft(aim), expected_revision=0, autosave=True)
    transitions.save_draft(aim, people["lead"], draft(aim), expected_revision=1, autosave=True)
    aim = _stage(project, "aim")
    assert aim.answer_set.draft_revision == 2
    assert _actions(aim) == []
    assert not aim.answer_set.versions.exists()
    assert aim.history.count() == 2  # opened, then open → draft


def test_a_stale_draft_save_is_refused_with_the_newer_text(project, people):
    aim = _stage(project, "aim")
    transitions.save_draft(
        aim, people["member"], draft(aim, text="Anna skrev"), expected_revision=0
    )
    mine = draft(aim, text="Bo skrev")
    with pytest.raises(StaleDraft) as refused:
        transitions.save_draft(aim, people["lead"], mine, expected_revision=0)
    assert refused.value.current.draft["text"] == "Anna skrev"
    assert mine.answers["text"] == "Bo skrev"  # the caller keeps their text
    assert _stage(project, "aim").answer_set.draft["text"] == "Anna skrev"


def test_a_stale_submit_is_refused_and_writes_no_version(project, people):
    aim = _stage(project, "aim")
    transitions.save_draft(aim, people["member"], draft(aim), expected_revision=0)
    with pytest.raises(StaleDraft):
        transitions.submit_stage(aim, people["lead"], filled(aim), expected_revision=0)
    aim = _stage(project, "aim")
    assert aim.state == State.DRAFT and not aim.answer_set.versions.exists()


# Submitting and gates ----------------------------------------------------------------------


def test_submitting_a_coach_gated_stage_waits_for_the_coach(project, people):
    aim = _submitted(project, people)
    assert aim.state == State.SUBMITTED and aim.submitted_at is not None
    assert aim.answer_set.latest.data["text"] == "Minska fallen nattetid"
    assert aim.answer_set.latest.author == people["member"]
    assert [h.to_state for h in aim.history.all()] == ["open", "submitted"]
    assert _actions(aim) == ["forum_workflows.submit_stage"]
    assert _states(project)[("measure", 1)] == State.LOCKED


def test_approving_opens_every_stage_waiting_only_for_it(project, people):
    aim = _approved(project, people)
    assert aim.state == State.APPROVED and aim.approved_at is not None
    decision = aim.comments.get()
    assert (decision.decision, decision.author) == ("approve", people["coach"])
    assert decision.answer_version == aim.answer_set.latest
    assert "forum_workflows.approve_stage" in _actions(aim)
    states = _states(project)
    assert states[("measure", 1)] == states[("pdsa", 1)] == State.OPEN
    assert states[("plan", 1)] == State.LOCKED  # waits for pdsa and measure
    opened = _stage(project, "measure").history.last()
    assert (opened.from_state, opened.to_state, opened.actor) == ("locked", "open", None)


@pytest.mark.parametrize("gate", [Gate.NONE, Gate.FEEDBACK])
def test_a_stage_without_an_approving_gate_is_approved_on_submit(cast, people, gate):
    run_on(cast.program, make_workflow(stage("aim", gate=gate), stage("next")))
    project = transitions.start_project(cast.team, people["member"])
    aim = _submitted(project, people)
    assert aim.state == State.APPROVED
    assert [h.to_state for h in aim.history.all()] == ["open", "submitted", "approved"]
    assert _states(project)[("next", 1)] == State.OPEN


def test_a_programme_manager_passes_a_manager_gate_and_a_coach_does_not(cast, people):
    run_on(cast.program, make_workflow(stage("budget", gate=Gate.MANAGER)))
    project = transitions.start_project(cast.team, people["member"])
    budget = _submitted(project, people, "budget")
    with pytest.raises(NotAllowed):
        transitions.approve_stage(budget, people["coach"])
    transitions.approve_stage(budget, people["manager"])
    assert _stage(project, "budget").state == State.APPROVED


def test_changes_requested_then_resubmitted(project, people):
    aim = _submitted(project, people)
    transitions.request_changes(
        aim, people["coach"], comment="Gör målet mätbart.", field_key="text"
    )
    aim = _stage(project, "aim")
    assert aim.state == State.CHANGES_REQUESTED
    request = aim.comments.get()
    assert (request.decision, request.field_key, request.body) == (
        "changes_requested", "text", "Gör målet mätbart."
    )  # fmt: skip
    assert aim.history.last().reason == "Gör målet mätbart."
    # A draft in between keeps the request visible; the resubmit goes back to the coach.
    revision = aim.answer_set.draft_revision
    transitions.save_draft(aim, people["member"], draft(aim), expected_revision=revision)
    assert _stage(project, "aim").state == State.CHANGES_REQUESTED
    transitions.submit_stage(aim, people["member"], filled(aim), expected_revision=revision + 1)
    aim = _stage(project, "aim")
    assert aim.state == State.SUBMITTED and aim.answer_set.versions.count() == 2
    assert "forum_workflows.request_changes" in _actions(aim)


def test_a_request_for_changes_needs_a_comment(project, people):
    aim = _submitted(project, people)
    with pytest.raises(InvalidInput, match="comment"):
        transitions.request_changes(aim, people["coach"], comment="   ")
    assert _stage(project, "aim").state == State.SUBMITTED
    assert not StageComment.objects.exists()


# Illegal transitions: one test each ---------------------------------------------------------


def test_approving_a_draft_is_refused(project, people):
    aim = _stage(project, "aim")
    transitions.save_draft(aim, people["member"], draft(aim), expected_revision=0)
    with pytest.raises(WrongState, match="submitted"):
        transitions.approve_stage(aim, people["coach"])
    assert _stage(project, "aim").state == State.DRAFT and not StageComment.objects.exists()


def test_submitting_a_locked_stage_is_refused(project, people):
    measure = _stage(project, "measure")
    with pytest.raises(WrongState):
        transitions.submit_stage(measure, people["member"], filled(measure), expected_revision=0)
    measure = _stage(project, "measure")
    assert measure.state == State.LOCKED and not measure.answer_set.versions.exists()


def test_a_coach_of_another_team_cannot_approve(project, people):
    aim = _submitted(project, people)
    with pytest.raises(NotAllowed):
        transitions.approve_stage(aim, people["other_team_coach"])
    assert _stage(project, "aim").state == State.SUBMITTED


def test_a_member_cannot_approve_their_own_stage_even_as_a_coach(cast, project, people):
    from forum_workflows.models import CoachAssignment

    CoachAssignment.objects.create(team=cast.team, coach=people["member"])
    aim = _submitted(project, people)
    with pytest.raises(NotAllowed):
        transitions.approve_stage(aim, people["member"])
    assert _stage(project, "aim").state == State.SUBMITTED


def test_waiving_a_required_stage_is_refused(project, people):
    aim = _stage(project, "aim")
    with pytest.raises(WrongState, match="optional"):
        transitions.waive_stage(aim, people["manager"], reason="Hinner inte")
    assert _stage(project, "aim").state == State.OPEN


def test_reopening_a_stage_that_is_not_approved_is_refused(project, people):
    aim = _submitted(project, people)
    with pytest.raises(WrongState, match="approved"):
        transitions.reopen_stage(aim, people["manager"], reason="Fel mål")
    assert _stage(project, "aim").state == State.SUBMITTED


@pytest.mark.parametrize("role", ["coach", "member", "other_manager"])
def test_only_the_programs_managers_waive_and_reopen(project, people, role):
    plan = _stage(project, "plan")
    with pytest.raises(NotAllowed):
        transitions.waive_stage(plan, people[role], reason="Behövs inte")
    aim = _approved(project, people)
    with pytest.raises(NotAllowed):
        transitions.reopen_stage(aim, people[role], reason="Fel mål")
    assert _stage(project, "plan").state == State.LOCKED
    assert _stage(project, "aim").state == State.APPROVED


@pytest.mark.parametrize("role", ["sponsor", "contact", "coach", "former_member"])
def test_only_current_members_edit_and_submit(project, people, role):
    aim = _stage(project, "aim")
    with pytest.raises(NotAllowed):
        transitions.save_draft(aim, people[role], draft(aim), expected_revision=0)
    with pytest.raises(NotAllowed):
        transitions.submit_stage(aim, people[role], filled(aim), expected_revision=0)
    assert _stage(project, "aim").answer_set.draft_revision == 0


def test_an_archived_project_changes_no_more(project, people):
    ImprovementProject.objects.filter(pk=project.pk).update(archived_at=timezone.now())
    aim = _stage(project, "aim")
    with pytest.raises(WrongState, match="archived"):
        transitions.save_draft(aim, people["member"], draft(aim), expected_revision=0)


# The programme manager's decisions ---------------------------------------------------------


def test_waiving_an_optional_stage_opens_what_waits_for_it(cast, people):
    run_on(
        cast.program,
        make_workflow(stage("selfrating", optional=True), stage("aim", depends_on="selfrating")),
    )
    project = transitions.start_project(cast.team, people["member"])
    with pytest.raises(InvalidInput):
        transitions.waive_stage(_stage(project, "selfrating"), people["manager"], reason="")
    transitions.waive_stage(
        _stage(project, "selfrating"), people["manager"], reason="Gjord i förra omgången"
    )
    waived = _stage(project, "selfrating")
    assert waived.state == State.WAIVED
    assert waived.history.last().reason == "Gjord i förra omgången"
    assert _actions(waived) == ["forum_workflows.waive_stage"]
    assert _stage(project, "aim").state == State.OPEN


def test_reopening_keeps_later_stages_open_and_the_team_resubmits(project, people):
    aim = _approved(project, people)
    transitions.reopen_stage(aim, people["manager"], reason="Målet behöver ett datum")
    aim = _stage(project, "aim")
    assert aim.state == State.REOPENED and aim.history.last().reason == "Målet behöver ett datum"
    assert _states(project)[("measure", 1)] == State.OPEN
    assert "forum_workflows.reopen_stage" in _actions(aim)
    transitions.submit_stage(
        aim, people["member"], filled(aim), expected_revision=aim.answer_set.draft_revision
    )
    assert _stage(project, "aim").state == State.SUBMITTED


# Repeating and continuing stages --------------------------------------------------------------


def test_a_repeating_stage_runs_cycle_after_cycle(project, people):
    _approved(project, people)
    with pytest.raises(WrongState, match="open"):
        transitions.start_cycle(project, "pdsa", people["member"])  # cycle 1 is still unused
    first = _approved(project, people, "pdsa")
    assert first.state == State.APPROVED  # coach feedback: approved on submit
    second = transitions.start_cycle(project, "pdsa", people["lead"])
    assert (second.cycle, second.state) == (2, State.OPEN)
    assert second.answer_set != first.answer_set
    assert _actions(second) == ["forum_workflows.start_cycle"]
    assert second.history.get().to_state == State.OPEN


def test_a_repeating_stage_counts_as_approved_once_one_cycle_is(project, people):
    _approved(project, people)
    _approved(project, people, "measure")
    assert _states(project)[("plan", 1)] == State.LOCKED
    _approved(project, people, "pdsa")
    transitions.start_cycle(project, "pdsa", people["member"])
    assert _states(project)[("plan", 1)] == State.OPEN


def test_cycles_only_for_repeating_unlocked_stages(project, people):
    with pytest.raises(WrongState, match="repeating"):
        transitions.start_cycle(project, "aim", people["member"])
    with pytest.raises(WrongState, match="opens"):
        transitions.start_cycle(project, "pdsa", people["member"])
    with pytest.raises(NotAllowed):
        transitions.start_cycle(project, "pdsa", people["sponsor"])
    assert StageState.objects.filter(project=project, stage_key="pdsa").count() == 1


def test_a_continuing_stage_takes_new_data_after_approval_without_a_new_review(project, people):
    _approved(project, people)
    measure = _approved(project, people, "measure")
    history = measure.history.count()
    transitions.submit_stage(
        measure,
        people["member"],
        filled(measure, text="Vecka 2: 3 fall"),
        expected_revision=measure.answer_set.draft_revision,
    )
    measure = _stage(project, "measure")
    assert measure.state == State.APPROVED
    assert measure.answer_set.versions.count() == 2
    assert measure.history.count() == history
    assert "forum_workflows.add_data" in _actions(measure)


def test_an_approved_stage_that_does_not_continue_takes_no_data(project, people):
    aim = _approved(project, people)
    with pytest.raises(WrongState):
        transitions.submit_stage(
            aim, people["member"], filled(aim), expected_revision=aim.answer_set.draft_revision
        )
    assert _stage(project, "aim").answer_set.versions.count() == 1


# Comments ---------------------------------------------------------------------------------------


def test_comments_at_any_time_on_the_stage_or_a_field(project, people):
    locked = _stage(project, "measure")
    transitions.add_comment(locked, people["coach"], body="Tänk på baslinjen.")
    transitions.add_comment(locked, people["member"], body="Vilken enhet?", field_key="note")
    assert [(c.author, c.field_key, c.decision) for c in locked.comments.all()] == [
        (people["coach"], "", ""),
        (people["member"], "note", ""),
    ]
    assert _actions(locked) == ["forum_workflows.comment"] * 2
    assert _stage(project, "measure").state == State.LOCKED
    assert StageHistory.objects.filter(stage_state=locked).count() == 1


def test_a_comment_needs_text_a_real_field_and_a_person_in_the_work(project, people):
    aim = _stage(project, "aim")
    with pytest.raises(InvalidInput):
        transitions.add_comment(aim, people["coach"], body="  ")
    with pytest.raises(InvalidInput, match="field"):
        transitions.add_comment(aim, people["coach"], body="Hmm", field_key="no_such_field")
    with pytest.raises(NotAllowed):
        transitions.add_comment(aim, people["sponsor"], body="Bra jobbat")
    assert not StageComment.objects.exists()


def test_a_draft_mode_form_cannot_be_submitted(project, people):
    aim = _stage(project, "aim")
    with pytest.raises(InvalidInput):
        transitions.submit_stage(aim, people["member"], draft(aim, text=""), expected_revision=0)
    aim = _stage(project, "aim")
    assert aim.state == State.OPEN and not aim.answer_set.versions.exists()


def test_a_file_in_a_stages_answers_goes_to_those_who_see_the_stage(cast, people):
    from django.utils.datastructures import MultiValueDict

    from forms.builder import SUBMIT, AnswerForm
    from forms.models import StoredFile
    from forum_workflows.permissions.projects import may_download
    from tests.forms_tests import files
    from tests.forms_tests.factories import block, make_definition

    form = make_definition(block("file", "report", kinds=["pdf"], max_mb=1, required=True))
    run_on(cast.program, make_workflow(stage("report", form=form)))
    project = transitions.start_project(cast.team, people["member"])
    state = _stage(project, "report")
    upload = AnswerForm(
        transitions.form_version_of(state).schema,
        language="sv",
        mode=SUBMIT,
        data=MultiValueDict(),
        files=MultiValueDict(
            {"report": [files.upload("rapport.pdf", files.pdf(), "application/pdf")]}
        ),
    )
    transitions.submit_stage(state, people["lead"], upload, expected_revision=0)
    stored = StoredFile.objects.get()
    for role in ("member", "lead", "coach", "sponsor", "contact", "faculty", "manager"):
        assert may_download(people[role], stored), role
    for role in ("other_team_member", "other_team_coach", "former_member", "other_manager"):
        assert not may_download(people[role], stored), role
