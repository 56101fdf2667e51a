"""Building workflows and running projects for tests."""

import itertools
import json

from django.utils.datastructures import MultiValueDict

from forms.builder import DRAFT, SUBMIT, AnswerForm
from forum_workflows.models import ProjectWorkflow
from forum_workflows.transitions import form_version_of
from forum_workflows.workflow_blocks import Gate
from tests.forms_tests.factories import block, make_definition

_numbers = itertools.count(1)


def stage(key, *, form=None, gate=Gate.COACH, depends_on="", **options):
    """Raw StreamField data for one stage block; ``form`` defaults to a new published form with
    a required text field ``text`` and an optional ``note``."""
    form = form or make_definition(
        block("short_text", "text", required=True), block("long_text", "note"), name=f"Blad {key}"
    )
    value = {
        "key": key,
        "name_sv": options.pop("name_sv", key.replace("_", " ").capitalize()),
        "name_en": options.pop("name_en", ""),
        "form": form.pk,
        "gate": gate,
        "guide": options.pop("guide", None),
        "depends_on": depends_on,
        "opens_at_start": options.pop("opens_at_start", False),
        "optional": options.pop("optional", False),
        "repeating": options.pop("repeating", False),
        "continuing": options.pop("continuing", False),
        "due_days_after_start": options.pop("due_days_after_start", None),
        "due_before_session": options.pop("due_before_session", None),
    }
    assert not options, options
    return {"type": "stage", "value": value}


def make_workflow(*stages, publish=True, user=None, **kwargs):
    number = next(_numbers)
    kwargs.setdefault("name", f"Förbättringsrampen {number}")
    kwargs.setdefault("slug", f"rampen-{number}")
    workflow = ProjectWorkflow(stages=json.dumps(list(stages)), live=False, **kwargs)
    workflow.save()
    revision = workflow.save_revision(user=user)
    if publish:
        revision.publish(user=user, skip_permission_checks=True)
        workflow.refresh_from_db()
    return workflow


def run_on(program, workflow):
    """Make ``program`` run on the workflow's latest version."""
    program.workflow_version = workflow.latest_version
    program.save()
    return program.workflow_version


def filled(state, mode=SUBMIT, **values):
    """A bound, validated AnswerForm for the stage's pinned form version."""
    values.setdefault("text", "Minska fallen nattetid")
    form = AnswerForm(
        form_version_of(state).schema,
        language="sv",
        mode=mode,
        data=MultiValueDict({key: [value] for key, value in values.items()}),
        files=MultiValueDict(),
    )
    assert form.is_valid(), form.errors
    return form


def draft(state, **values):
    return filled(state, DRAFT, **values)


def republish_workflow(workflow, *stages):
    """Publish ``stages`` as the workflow's next version; returns that version."""
    workflow = ProjectWorkflow.objects.get(pk=workflow.pk)
    workflow.stages = json.dumps(list(stages))
    workflow.save_revision().publish(skip_permission_checks=True)
    return workflow.latest_version
