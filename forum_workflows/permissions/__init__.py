"""Who may do what: the one place every view asks, admin views included (DESIGN.md §5).

- ``public``: what the public site shows (sessions and programs on live, public pages).
- ``people``: who someone is to a program or a team (manager, faculty, member, coach, sponsor,
  organisation contact) and what that lets them see and do.
- ``sessions``: who may sign up for a learning session, and who records attendance.
"""

from .people import can, managed_programs, manages, manages_any, team_roles, visible_teams
from .public import is_program_public, is_session_public
from .sessions import is_open_for_sign_up, may_take_part

__all__ = [
    "can",
    "is_open_for_sign_up",
    "is_program_public",
    "is_session_public",
    "managed_programs",
    "manages",
    "manages_any",
    "may_take_part",
    "team_roles",
    "visible_teams",
]
