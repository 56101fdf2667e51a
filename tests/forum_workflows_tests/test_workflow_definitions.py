"""Workflow definitions: the rules for saving and publishing, and the frozen versions that pin
exact form versions."""

import pytest

from forms.models import DefinitionInvalid
from forum_workflows.models import WorkflowVersion
from tests.forms_tests.factories import block, make_definition, republish

from .workflows import make_workflow, stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _problems(*stages):
    workflow = make_workflow(*stages, publish=False)
    with pytest.raises(DefinitionInvalid) as refused:
        workflow.save_revision().publish(skip_permission_checks=True)
    assert not WorkflowVersion.objects.filter(workflow=workflow).exists()
    return [str(error) for error in refused.value.errors]


def test_publishing_freezes_the_stages_with_each_forms_latest_version():
    form = make_definition(block("short_text", "aim", required=True))
    form = republish(form, block("short_text", "aim", required=True), block("long_text", "why"))
    workflow = make_workflow(
        stage("aim", form=form), stage("measure", opens_at_start=True), stage("pdsa")
    )
    version = workflow.latest_version
    assert version.number == 1
    aim, measure, pdsa = version.stages
    assert aim["form_version"] == form.latest_version.pk and form.latest_version.number == 2
    assert aim["depends_on"] == [] and measure["depends_on"] == []
    assert pdsa["depends_on"] == ["measure"]  # empty means the stage before
    # A later form version does not move the workflow version's pin.
    republish(form, block("short_text", "aim", required=True))
    assert (
        WorkflowVersion.objects.get(pk=version.pk).stage("aim")["form_version"]
        == (aim["form_version"])
    )


def test_republishing_makes_a_new_version_and_keeps_the_old_one():
    workflow = make_workflow(stage("aim"))
    workflow.save_revision().publish(skip_permission_checks=True)
    assert list(workflow.versions.values_list("number", flat=True)) == [1, 2]


def test_a_workflow_version_is_immutable():
    version = make_workflow(stage("aim")).latest_version
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.delete()
    with pytest.raises(ValueError):
        WorkflowVersion.objects.filter(pk=version.pk).update(stages=[])


def test_a_loop_of_dependencies_is_refused_naming_the_stages():
    (problem,) = _problems(
        stage("aim", depends_on="plan"), stage("pdsa", depends_on="aim"), stage("plan")
    )
    assert "loop" in problem
    assert "aim" in problem and "plan" in problem and "pdsa" in problem


def test_unknown_and_self_dependencies_are_refused():
    problems = _problems(stage("aim"), stage("pdsa", depends_on="pdsa, nothing"))
    assert problems == [
        "pdsa: A stage cannot wait for itself.",
        "pdsa: It opens after “nothing”, but no stage has that key.",
    ]


def test_keys_must_be_well_formed_and_unique():
    problems = _problems(stage("aim"), stage("aim", opens_at_start=True), stage("Bad Key"))
    assert problems[0] == "aim: Another stage already uses this key."
    assert problems[1].startswith("Bad Key: ") and len(problems) == 2


def test_every_form_must_be_published_first():
    draft_form = make_definition(block("short_text", "aim"), publish=False)
    assert _problems(stage("aim", form=draft_form)) == ["aim: Publish the stage's form first."]


def test_one_due_date_rule_per_stage():
    problems = _problems(stage("aim", due_days_after_start=10, due_before_session=1))
    assert problems == ["aim: Give one due date rule: days after the start or a learning session."]


def test_a_workflow_needs_a_stage_to_be_published():
    assert _problems() == ["Add at least one stage before publishing."]
