"""The rules a workflow definition must keep to be saved, and to be published.

Stages are the specs ``workflow_blocks.to_stages`` makes. The dependencies form a graph, so
stages may run in parallel (measurement opens right after the global aim); a loop would leave
its stages locked for ever and is refused, naming the stages in it.
"""

from graphlib import CycleError, TopologicalSorter

from django.utils.translation import gettext

from forms.models import FormDefinition
from forms.schema import KEY_PATTERN, DefinitionError

from .workflow_blocks import Gate

GATES = {value for value, _label in Gate.choices}


def _name(stage, position):
    return stage.get("key") or gettext("stage %(number)s") % {"number": position}


def validate_stages(stages, *, publishing=False):
    """All problems of a list of stage specs; an empty list means it may be saved (or
    published: then every stage's form must have a published version)."""
    errors = []
    keys = [stage.get("key") for stage in stages]

    def error(stage, position, message):
        errors.append(DefinitionError(_name(stage, position), message))

    if publishing and not stages:
        errors.append(DefinitionError("", gettext("Add at least one stage before publishing.")))
    published = set(
        FormDefinition.objects.filter(
            pk__in=[stage.get("form") for stage in stages], versions__isnull=False
        ).values_list("pk", flat=True)
    )
    for position, stage in enumerate(stages, start=1):
        key = stage.get("key") or ""
        if not KEY_PATTERN.match(key):
            error(
                stage,
                position,
                gettext(
                    "The key must start with a lower-case letter and hold only lower-case "
                    "letters a–z, digits and underscores (at most 40)."
                ),
            )
        elif keys.index(key) != position - 1:
            error(stage, position, gettext("Another stage already uses this key."))
        if stage.get("form") is None:
            error(stage, position, gettext("Choose the stage's form."))
        elif publishing and stage["form"] not in published:
            error(stage, position, gettext("Publish the stage's form first."))
        if stage.get("gate") not in GATES:
            error(stage, position, gettext("Choose a gate."))
        for other in stage.get("depends_on", []):
            if other == key:
                error(stage, position, gettext("A stage cannot wait for itself."))
            elif other not in keys:
                error(
                    stage,
                    position,
                    gettext("It opens after “%(key)s”, but no stage has that key.")
                    % {"key": other},
                )
        due = stage.get("due", {})
        if due.get("days_after_start") is not None and due.get("before_session") is not None:
            error(
                stage,
                position,
                gettext("Give one due date rule: days after the start or a learning session."),
            )
    errors.extend(_loop_errors(stages, keys))
    return errors


def _loop_errors(stages, keys):
    graph = {
        stage["key"]: [
            other
            for other in stage.get("depends_on", [])
            if other in keys and other != stage["key"]
        ]
        for stage in stages
        if stage.get("key")
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as cycle:
        loop = " → ".join(cycle.args[1])
        return [
            DefinitionError(
                "",
                gettext("The stages wait for each other in a loop and would never open: %(loop)s")
                % {"loop": loop},
            )
        ]
    return []
