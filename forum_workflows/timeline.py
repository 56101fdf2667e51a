"""A project's record for the admin: every state change of its stages (``StageHistory``) merged
in time order with its audit log entries (Wagtail's, on the project and on its stage states),
its comments, and where each stage stands. Read-only; a few queries however long it has run.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from .models import ImprovementProject, StageComment, StageHistory, StageState
from .progress import OWED

#: Kinds of timeline entries; at the same moment a state change comes before its audit entry.
CHANGE, ACTION = "change", "action"
_ORDER = {CHANGE: 0, ACTION: 1}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    #: The stage's name (and cycle); empty for the project as a whole.
    stage: str
    what: str
    who: str
    reason: str = ""


def _language(language):
    return (language or translation.get_language() or "sv")[:2]


def _person(user):
    return user.get_full_name() or user.get_username()


def stage_label(project, stage_state, language=None):
    """The stage's name in ``language`` (Swedish when it has none), with its cycle if it
    repeats; its key if the project's workflow version has no such stage."""
    try:
        names = project.workflow_version.stage(stage_state.stage_key)["name"]
    except KeyError:
        name = stage_state.stage_key
    else:
        name = names.get(_language(language)) or names["sv"]
    if stage_state.cycle > 1:
        return gettext("%(stage)s, cycle %(cycle)s") % {"stage": name, "cycle": stage_state.cycle}
    return name


def _state_label(value):
    return StageState.State(value).label if value else "—"


class ProjectRecord:
    """Everything the admin shows of one project's past; build once per request."""

    def __init__(self, project, language=None):
        self.project = project
        self.language = _language(language)
        self.states = list(project.stage_states.order_by("pk"))
        self.labels = {
            state.pk: stage_label(project, state, self.language) for state in self.states
        }

    def stages(self, today=None):
        """Where each stage stands: its label, state, due date and whether it is overdue."""
        today = today or timezone.localdate()
        return [
            {
                "label": self.labels[state.pk],
                "key": state.stage_key,
                "state": state.get_state_display(),
                "due_on": state.due_on,
                "overdue": bool(state.due_on and state.due_on < today and state.state in OWED),
            }
            for state in self.states
        ]

    def timeline(self):
        """State changes and audit entries, oldest first."""
        entries = [*self._changes(), *self._actions()]
        return sorted(entries, key=lambda entry: (entry.at, _ORDER[entry.kind]))

    def _changes(self):
        rows = StageHistory.objects.filter(stage_state__project=self.project).select_related(
            "actor"
        )
        for row in rows:
            yield Entry(
                at=row.at,
                kind=CHANGE,
                stage=self.labels.get(row.stage_state_id, ""),
                what=f"{_state_label(row.from_state)} → {_state_label(row.to_state)}",
                # No actor: the program opened the stage when the ones before it were done.
                who=_person(row.actor) if row.actor else gettext("automatic"),
                reason=row.reason,
            )

    def _actions(self):
        types = ContentType.objects.get_for_models(ImprovementProject, StageState)
        entries = ModelLogEntry.objects.filter(
            Q(content_type=types[ImprovementProject], object_id=str(self.project.pk))
            | Q(
                content_type=types[StageState],
                object_id__in=[str(state.pk) for state in self.states],
            )
        ).select_related("user")
        for entry in entries:
            on_stage = entry.content_type_id == types[StageState].pk
            yield Entry(
                at=entry.timestamp,
                kind=ACTION,
                stage=self.labels.get(int(entry.object_id), "") if on_stage else "",
                what=entry.message,
                who=entry.user_display_name,
            )

    def comments(self):
        """Comments and review decisions, oldest first."""
        rows = (
            StageComment.objects.filter(stage_state__project=self.project)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        return [
            {
                "at": row.created_at,
                "stage": self.labels.get(row.stage_state_id, ""),
                "field": row.field_key,
                "decision": row.get_decision_display() if row.decision else "",
                "who": _person(row.author),
                "body": row.body,
            }
            for row in rows
        ]
