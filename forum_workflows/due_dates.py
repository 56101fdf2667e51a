"""When a stage is due: days after its program starts, or by one of the program's team
learning sessions (the stage's ``due`` rule in the workflow version)."""

import datetime

from django.utils import timezone

from .models import LearningSession


def due_dates(stages, program):
    """``{stage key: date or None}`` for the stage specs of a workflow version in ``program``."""
    sessions = [
        timezone.localdate(starts_at)
        for starts_at in LearningSession.objects.filter(
            program=program, kind=LearningSession.Kind.TEAM_LEARNING_SESSION
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    ]
    dates = {}
    for stage in stages:
        rule = stage.get("due") or {}
        if rule.get("days_after_start") is not None:
            dates[stage["key"]] = program.starts_on + datetime.timedelta(
                days=rule["days_after_start"]
            )
        elif rule.get("before_session") and rule["before_session"] <= len(sessions):
            dates[stage["key"]] = sessions[rule["before_session"] - 1]
        else:
            dates[stage["key"]] = None
    return dates
