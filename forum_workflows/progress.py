"""How far improvement projects have come, read from their stage states: the stages being
worked on, the approved ones and the overdue ones. Read-only, as query expressions, so a list of
projects stays a fixed number of queries however many it shows.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import StageState

State = StageState.State

#: Stages being worked on or waiting for a review: a project's current stages.
CURRENT = (State.OPEN, State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.REOPENED)
#: Stages the team still owes: a stage is overdue when its due date has passed in one of these.
#: Not a submitted stage (it waits for its reviewer), nor a locked one (it waits for the stages
#: before it, which are then overdue themselves): the same as the overdue reminders.
OWED = StageState.TEAM_WORKS_ON


def overdue(today=None, prefix=""):
    """A ``Q`` for the overdue stage states (``prefix`` reaches them from another model, e.g.
    ``"stage_states__"``)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}due_on__lt": today, f"{prefix}state__in": OWED})


def with_progress(projects, today=None):
    """``projects`` annotated with ``stage_count``, ``approved_count`` and ``waived_count`` (in
    stages: the cycles of a repeating stage count once, approved once one cycle is) and
    ``overdue_count`` (in stage states)."""
    key = "stage_states__stage_key"
    return projects.annotate(
        stage_count=Count(key, distinct=True),
        approved_count=Count(key, distinct=True, filter=Q(stage_states__state=State.APPROVED)),
        waived_count=Count(key, distinct=True, filter=Q(stage_states__state=State.WAIVED)),
        overdue_count=Count("stage_states", filter=overdue(today, "stage_states__")),
    )


def has_stage(**lookups):
    """An ``Exists`` over the project's stage states matching ``lookups``, for filters that must
    not multiply the rows of an annotated list."""
    return Exists(StageState.objects.filter(project=OuterRef("pk"), **lookups))


def has_overdue_stage(today=None):
    return Exists(StageState.objects.filter(overdue(today), project=OuterRef("pk")))
