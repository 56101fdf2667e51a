"""Notifications of stage events (in progress: delivery comes next)."""

SUBMITTED = "submitted"
APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"
COMMENTED = "commented"


def stage_event(event, stage_state, actor, comment=None):
    pass
