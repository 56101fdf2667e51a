"""Who may do what: the one place every view asks, admin views included (DESIGN.md §5).

- ``public``: what the public site shows (sessions and programs on live, public pages).
- ``people``: who someone is to a program or a team (manager, faculty, member, coach, sponsor,
  organisation contact) and what that lets them see and do.
"""

from .people import can, managed_programs, manages, manages_any, team_roles, visible_teams
from .public import is_program_public, is_session_public

__all__ = [
    "can",
    "is_program_public",
    "is_session_public",
    "managed_programs",
    "manages",
    "manages_any",
    "team_roles",
    "visible_teams",
]
