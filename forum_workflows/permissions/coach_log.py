"""Who may read and write a team's coach log (issue #9): the team's current coaches and the
program's faculty (utvecklingsledare), and superusers, as everywhere.

Nobody else, however close to the team: not its members or lead, its sponsor, its
organisation's contacts, the program's managers (unless they are also its faculty), nor other
teams' coaches. A coach whose assignment has ended no longer reads the log. Once the team or its
program is archived the log is read, no longer written.
"""

from forum_workflows.models import Team

from .people import RULES, team_can

#: The team roles that read and write the log.
LOG_KEEPERS = frozenset({"coach", "faculty"})

_keeps_log = team_can(LOG_KEEPERS)


def _may_write(user, team):
    if team.archived_at or team.program.archived_at:
        return False
    return _keeps_log(user, team)


RULES.update(
    {
        (Team, "read_coach_log"): _keeps_log,
        (Team, "write_coach_log"): _may_write,
    }
)
