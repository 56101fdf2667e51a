"""Who may do what: the one place every view asks, admin views included (DESIGN.md §5).

- ``public``: what the public site shows (sessions and programs on live, public pages).
- ``people``: who someone is to a program or a team (manager, faculty, member, coach, sponsor,
  organisation contact) and what that lets them see and do.
- ``sessions``: who may sign up for a learning session, and who records attendance.
- ``content``: who may open members-only pages and documents.
- ``projects``: who sees, fills in, reviews, comments on and manages improvement projects.
- ``coach_log``: who reads and writes a team's private coach log.
- ``filters``: the same rules as queryset filters, for long lists.
"""

from . import coach_log  # noqa: F401  (registers the coach log's rules)
from .content import (
    closed_area_of_document,
    closed_area_of_page,
    hide_closed_pages,
    programs_open_to,
)
from .filters import team_role_q
from .people import (
    can,
    is_active_person,
    managed_programs,
    manages,
    manages_any,
    opens_admin,
    team_roles,
    visible_teams,
)
from .projects import REVIEWERS, reviewable_stages
from .public import is_program_public, is_session_public
from .sessions import is_open_for_sign_up, may_take_part

__all__ = [
    "REVIEWERS",
    "can",
    "closed_area_of_document",
    "closed_area_of_page",
    "hide_closed_pages",
    "is_active_person",
    "is_open_for_sign_up",
    "is_program_public",
    "is_session_public",
    "managed_programs",
    "manages",
    "manages_any",
    "may_take_part",
    "opens_admin",
    "programs_open_to",
    "reviewable_stages",
    "team_role_q",
    "team_roles",
    "visible_teams",
]
