"""Moving a project to a newer version of its workflow: a preview of what carries over, then an
explicit move by a programme manager."""

import pytest
from wagtail.models import ModelLogEntry

from forum_workflows import transitions
from forum_workflows.models import ImprovementProject, StageState
from forum_workflows.transitions import NotAllowed, WrongState
from forum_workflows.version_moves import plan_move
from forum_workflows.workflow_blocks import Gate
from tests.forms_tests.factories import block, make_definition, republish

from .people import make_cast
from .workflows import filled, make_workflow, republish_workflow, run_on, stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
State = StageState.State


@pytest.fixture
def setup(make_user):
    cast = make_cast(make_user)
    aim_form = make_definition(
        block("short_text", "text", required=True), block("long_text", "note"), name="Mål"
    )
    measure_form = make_definition(block("short_text", "text", required=True), name="Mått")
    workflow = make_workflow(
        stage("aim", form=aim_form),
        stage("measure", form=measure_form),
        stage("spare", opens_at_start=True),
    )
    workflow.measure_form = measure_form  # for the newer versions below
    run_on(cast.program, workflow)
    project = transitions.start_project(cast.team, cast.people["member"])
    aim = project.stage_states.get(stage_key="aim")
    transitions.submit_stage(
        aim, cast.people["member"], filled(aim, note="Bakgrund"), expected_revision=0
    )
    return cast, workflow, aim_form, project


def _newer(workflow, aim_form, **aim_options):
    """aim's form loses "note"; "measure" stays; "spare" goes; "plan" is new, after aim."""
    aim_form = republish(aim_form, block("short_text", "text", required=True))
    return republish_workflow(
        workflow,
        stage("aim", form=aim_form, **aim_options),
        stage("measure", form=workflow.measure_form, due_days_after_start=14),
        stage("plan", depends_on="aim"),
    )


def test_the_preview_says_what_carries_over_and_what_does_not(setup):
    _cast, workflow, aim_form, project = setup
    plan = plan_move(project, _newer(workflow, aim_form))
    assert plan.possible
    assert [(s.key, s.dropped_fields) for s in plan.carried] == [
        ("aim", ["note"]),
        ("measure", []),
    ]
    assert [s.key for s in plan.added] == ["plan"]
    assert [s.key for s in plan.removed] == ["spare"]


def test_a_manager_moves_the_project_and_the_answers_carry_over(setup):
    cast, workflow, aim_form, project = setup
    newer = _newer(workflow, aim_form, gate=Gate.NONE)
    transitions.move_project(project, newer, cast.people["manager"])
    project = ImprovementProject.objects.get(pk=project.pk)
    assert project.workflow_version == newer
    states = {s.stage_key: s for s in project.stage_states.all()}
    assert set(states) == {"aim", "measure", "plan"}
    # aim was waiting for a coach; its new gate approves on submit, so it is approved, and
    # what waits for it opens, the added stage included.
    assert states["aim"].state == State.APPROVED
    assert states["aim"].answer_set.latest.data["note"] == "Bakgrund"  # earlier answers stay
    assert states["measure"].state == states["plan"].state == State.OPEN
    assert states["measure"].due_on is not None
    entry = ModelLogEntry.objects.for_instance(project).get(action="forum_workflows.move_project")
    assert entry.data["removed"] == ["spare"] and entry.data["added"] == ["plan"]


@pytest.mark.parametrize("role", ["coach", "member", "other_manager"])
def test_only_the_programs_managers_move_a_project(setup, role):
    cast, workflow, aim_form, project = setup
    with pytest.raises(NotAllowed):
        transitions.move_project(project, _newer(workflow, aim_form), cast.people[role])
    assert ImprovementProject.objects.get(pk=project.pk).workflow_version.number == 1


def test_a_move_that_would_drop_work_is_refused_and_changes_nothing(setup):
    cast, workflow, _aim_form, project = setup
    newer = republish_workflow(workflow, stage("measure", form=workflow.measure_form))
    with pytest.raises(WrongState, match="worked on"):
        transitions.move_project(project, newer, cast.people["manager"])
    assert ImprovementProject.objects.get(pk=project.pk).workflow_version.number == 1
    assert project.stage_states.count() == 3


def test_a_stage_cannot_change_to_another_form(setup):
    cast, workflow, _aim_form, project = setup
    newer = republish_workflow(workflow, stage("aim"), stage("measure"), stage("spare"))
    plan = plan_move(project, newer)
    assert not plan.possible and "another form" in plan.problems[0]
    with pytest.raises(WrongState):
        transitions.move_project(project, newer, cast.people["manager"])


def test_a_project_moves_only_within_its_workflow(setup):
    _cast, _workflow, _aim_form, project = setup
    other = make_workflow(stage("aim")).latest_version
    assert "own workflow" in plan_move(project, other).problems[0]
    assert "already runs" in plan_move(project, project.workflow_version).problems[0]
