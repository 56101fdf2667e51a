"""What the workspace's dashboard shows each person, by the roles they have today.

Each function answers with a fixed number of queries however many teams a program has: role
questions are ``Exists`` filters, not per-row checks, and a stage's gate (which lives in its
workflow version's JSON) becomes a filter on ``(workflow version, stage key)`` pairs built from
the few versions in use. The filters say what ``permissions`` says (``team_roles``,
``REVIEWERS``, ``visible_teams``); the tests compare them with ``can()`` for every role.

- :func:`member_teams` and :func:`ramps`: a team's project as the improvement ramp, with what to
  do next and the open requests for changes.
- :func:`review_queue`: the submitted stages whose gate the person may pass, oldest first.
- :func:`team_progress` and :func:`program_overviews`: how far teams have come, for coaches,
  sponsors and organisation contacts, and for a program's managers and faculty by stage.

Callers pass the day (``on``/``today``) they render for, so one page asks about one day.
"""

from .overviews import (
    coached_teams,
    program_overviews,
    programs_overseen,
    readable_teams,
    team_progress,
)
from .ramps import member_teams, ramps, running_projects
from .review_queue import (
    is_reviewer,
    label_queue,
    queue_stages,
    queue_teams,
    review_queue,
    workflow_versions,
)

__all__ = [
    "coached_teams",
    "is_reviewer",
    "label_queue",
    "member_teams",
    "program_overviews",
    "programs_overseen",
    "queue_stages",
    "queue_teams",
    "ramps",
    "readable_teams",
    "review_queue",
    "running_projects",
    "team_progress",
    "workflow_versions",
]
