"""The permission rules as queryset filters, for lists that must stay a fixed number of queries
however many teams they hold (a dashboard, a review queue): the same answers as ``people`` and
``projects`` give for one object, which the tests compare row by row."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from forum_workflows.models import (
    CoachAssignment,
    Membership,
    OrganisationContact,
    ProgramRole,
)

#: Nothing: an empty ``Q`` would mean everything.
NOTHING = Q(pk__in=[])


def team_role_q(user, roles, team="", on=None):
    """A ``Q`` for the rows whose team (reached through ``team``, e.g. ``"project__team"``;
    empty for teams themselves) ``user`` is one of ``roles`` to on the day ``on``: the same
    answer as ``permissions.people.team_roles``, for a whole queryset at once. Whether the
    user is active at all is the caller's question (``is_active_person``)."""
    on = on or timezone.localdate()
    prefix = f"{team}__" if team else ""
    team_ref = OuterRef(team or "pk")

    def program_role(role):
        return Exists(
            ProgramRole.objects.filter(program=OuterRef(f"{prefix}program"), user=user, role=role)
        )

    def membership(role):
        return Exists(Membership.objects.current(on).filter(team=team_ref, user=user, role=role))

    tests = {
        "member": lambda: membership(Membership.Role.MEMBER),
        "lead": lambda: membership(Membership.Role.LEAD),
        "coach": lambda: Exists(
            CoachAssignment.objects.current(on).filter(team=team_ref, coach=user)
        ),
        "sponsor": lambda: Q(**{f"{prefix}sponsor": user}),
        "contact": lambda: Exists(
            OrganisationContact.objects.filter(
                organisation=OuterRef(f"{prefix}organisation"), user=user
            )
        ),
        "faculty": lambda: program_role(ProgramRole.Role.FACULTY),
        "manager": lambda: program_role(ProgramRole.Role.MANAGER),
    }
    condition = NOTHING
    for role in sorted(roles):
        condition |= Q(tests[role]())
    return condition
