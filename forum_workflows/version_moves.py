"""What moving a project to another version of its workflow would do, before anyone does it.

A programme manager moves a project explicitly (``transitions.move_project``) after seeing this
plan: which stages carry over, which are added, which go, and which answers the new forms no
longer ask for (they stay in the earlier answer versions, readable, but the new form does not
show them). Answers carry over by key: a stage keeps its answer set when its form stays the same
form (a newer version of it), and a field keeps its value when the new version has the key with
the same type.

Some moves cannot be made, and the plan says why: to another workflow, to the version the project
is on, when a stage with work in it would be removed, or when a stage changes to another form.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from forms.models import FormVersion
from forms.schema import key_types


@dataclass
class StagePlan:
    key: str
    name: str
    #: Keys of answers the new form no longer asks for (or asks for as another type).
    dropped_fields: list = field(default_factory=list)


@dataclass
class MovePlan:
    carried: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    #: Why the move cannot be made; empty when it can.
    problems: list = field(default_factory=list)

    @property
    def possible(self):
        return not self.problems


def _has_work(states):
    return any(
        state.answer_set.draft
        or state.answer_set.versions.exists()
        or state.comments.exists()
        or state.state not in ("locked", "open")
        for state in states
    )


def _answered_keys(states):
    keys = set()
    for state in states:
        latest = state.answer_set.latest
        keys.update(state.answer_set.draft or {})
        keys.update(latest.data if latest else {})
    return keys


def plan_move(project, new_version, language="sv"):
    """The :class:`MovePlan` for moving ``project`` onto ``new_version``."""
    plan = MovePlan()
    old_version = project.workflow_version
    if new_version.workflow_id != old_version.workflow_id:
        plan.problems.append(_("A project moves only to another version of its own workflow."))
    if new_version.pk == old_version.pk:
        plan.problems.append(_("The project already runs on this version."))
    states = {}
    for state in project.stage_states.select_related("answer_set").order_by("cycle"):
        states.setdefault(state.stage_key, []).append(state)
    new_keys = {spec["key"] for spec in new_version.stages}
    schemas = dict(
        FormVersion.objects.filter(
            pk__in=[spec["form_version"] for spec in new_version.stages]
        ).values_list("pk", "schema")
    )
    for spec in new_version.stages:
        name = spec["name"].get(language) or spec["name"]["sv"]
        if spec["key"] not in states:
            plan.added.append(StagePlan(spec["key"], name))
            continue
        old_spec = old_version.stage(spec["key"])
        if old_spec["form"] != spec["form"]:
            plan.problems.append(
                _(
                    "“%(stage)s” uses another form in the new version: its answers cannot "
                    "carry over."
                )
                % {"stage": name}
            )
        old_types = key_types(FormVersion.objects.get(pk=old_spec["form_version"]).schema)
        new_types = key_types(schemas[spec["form_version"]])
        dropped = sorted(
            key
            for key in _answered_keys(states[spec["key"]])
            if key not in new_types or new_types[key] != old_types.get(key, new_types[key])
        )
        plan.carried.append(StagePlan(spec["key"], name, dropped))
    for key, key_states in states.items():
        if key in new_keys:
            continue
        names = old_version.stage(key)["name"]
        name = names.get(language) or names["sv"]
        plan.removed.append(StagePlan(key, name))
        if _has_work(key_states):
            plan.problems.append(
                _("“%(stage)s” is not in the new version, and the team has worked on it.")
                % {"stage": name}
            )
    return plan
