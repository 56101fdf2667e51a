"""Who someone is to a program or a team, and what that lets them do.

Roles come from dated records (DESIGN.md §5): a member whose membership has ended, or a coach
whose assignment has ended, is no longer one. Superusers may do everything; inactive or
anonymous users nothing. ``can(user, action, obj)`` is the single entry point views use; the
helpers below it answer the questions it is made of, with a query each.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from forum_workflows.models import (
    CoachAssignment,
    CoachNetworkMembership,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
    Program,
    ProgramRole,
    Team,
)

MANAGER, FACULTY = ProgramRole.Role.MANAGER, ProgramRole.Role.FACULTY
MEMBER, LEAD = Membership.Role.MEMBER, Membership.Role.LEAD
#: What someone can be to a team.
TEAM_ROLES = ("lead", "member", "coach", "sponsor", "contact", "faculty", "manager")


def is_active_person(user):
    """Signed in and not deactivated: everyone else may do nothing here."""
    return bool(user and user.is_authenticated and user.is_active)


def opens_admin(user):
    """Whether ``user`` may open the Wagtail admin (programme managers and editors do through
    their groups)."""
    return is_active_person(user) and user.has_perm("wagtailadmin.access_admin")


def managed_programs(user):
    """Programs ``user`` manages (every program for a superuser)."""
    if not is_active_person(user):
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(roles__user=user, roles__role=MANAGER).distinct()


def visible_teams(user, on=None):
    """Teams ``user`` may see, with one query however many there are."""
    if not is_active_person(user):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    on = on or timezone.localdate()
    return Team.objects.filter(
        Q(Exists(Membership.objects.current(on).filter(team=OuterRef("pk"), user=user)))
        | Q(Exists(CoachAssignment.objects.current(on).filter(team=OuterRef("pk"), coach=user)))
        | Q(sponsor=user)
        | Q(Exists(OrganisationContact.objects.filter(
            organisation=OuterRef("organisation"), user=user)))
        | Q(Exists(ProgramRole.objects.filter(program=OuterRef("program"), user=user)))
    )  # fmt: skip


def team_roles(user, team, on=None):
    """What ``user`` is to ``team`` today: a set of names from :data:`TEAM_ROLES`."""
    if not is_active_person(user):
        return set()
    on = on or timezone.localdate()
    roles = set()
    for role in (
        Membership.objects.current(on).filter(team=team, user=user).values_list("role", flat=True)
    ):
        roles.add("lead" if role == LEAD else "member")
    if CoachAssignment.objects.current(on).filter(team=team, coach=user).exists():
        roles.add("coach")
    if team.sponsor_id == user.pk:
        roles.add("sponsor")
    if OrganisationContact.objects.filter(organisation=team.organisation_id, user=user).exists():
        roles.add("contact")
    for role in ProgramRole.objects.filter(program=team.program_id, user=user).values_list(
        "role", flat=True
    ):
        roles.add("manager" if role == MANAGER else "faculty")
    return roles


def manages(user, program):
    if not is_active_person(user):
        return False
    return (
        user.is_superuser
        or ProgramRole.objects.filter(program=program, user=user, role=MANAGER).exists()
    )


def _may_view_program(user, program):
    """Its managers and faculty (and superusers)."""
    return manages(user, program) or (
        is_active_person(user) and ProgramRole.objects.filter(program=program, user=user).exists()
    )


def manages_any(user):
    """Whether ``user`` manages some program (and so may use the people admin)."""
    if not is_active_person(user):
        return False
    return user.is_superuser or ProgramRole.objects.filter(user=user, role=MANAGER).exists()


def _program_of(obj):
    if isinstance(obj, Program):
        return obj
    if isinstance(obj, (Team, ProgramRole)):
        return obj.program
    return obj.team.program  # memberships and coach assignments


def team_can(roles_needed):
    def rule(user, team):
        if not is_active_person(user):
            return False
        return user.is_superuser or bool(team_roles(user, team) & roles_needed)

    return rule


def _may_manage(user, obj):
    return manages(user, _program_of(obj))


def _may_view_organisation(user, organisation):
    if not is_active_person(user):
        return False
    return (
        user.is_superuser
        or organisation.contact_links.filter(user=user).exists()
        or Team.objects.filter(
            organisation=organisation, program__in=managed_programs(user)
        ).exists()
    )


def _may_change_organisation(user, organisation):
    """Programme managers keep the register of organisations their teams come from; one that
    has no team yet (just added) is anyone's of them to complete."""
    if not manages_any(user):
        return False
    teams = Team.objects.filter(organisation=organisation)
    return (
        user.is_superuser
        or not teams.exists()
        or teams.filter(program__in=managed_programs(user)).exists()
    )


def may_work_in(user, team):
    """Filling in the team's forms: current members, while the team and its program run."""
    if team.status != Team.Status.ACTIVE or team.archived_at or team.program.archived_at:
        return False
    return team_can({"member", "lead"})(user, team)


def _may_invite_to_program(user, program):
    """Programme managers invite people into their programs while they run (not archived)."""
    return program.archived_at is None and manages(user, program)


def _may_invite_to_team(user, team):
    """... and into their programs' teams, unless a team is archived or has left."""
    if team.archived_at or team.status == Team.Status.LEFT:
        return False
    return _may_invite_to_program(user, team.program)


def _may_handle_invitation(user, invitation):
    """The managers of the invitation's program see, send again and withdraw it."""
    return manages(user, invitation.program)


#: (model, action) -> rule(user, obj). Actions: "view", "change", "delete", "work", "coach",
#: "invite", "resend", "revoke".
RULES = {
    (Program, "view"): _may_view_program,
    (Program, "change"): _may_manage,
    (Team, "view"): team_can(set(TEAM_ROLES)),
    (Team, "work"): may_work_in,
    (Team, "coach"): team_can({"coach", "faculty", "manager"}),
    (Team, "change"): _may_manage,
    (Team, "delete"): _may_manage,
    (Membership, "view"): lambda user, item: RULES[Team, "view"](user, item.team),
    (Membership, "change"): _may_manage,
    (Membership, "delete"): _may_manage,
    (CoachAssignment, "view"): lambda user, item: RULES[Team, "view"](user, item.team),
    (CoachAssignment, "change"): _may_manage,
    (CoachAssignment, "delete"): _may_manage,
    (ProgramRole, "view"): _may_manage,
    (ProgramRole, "change"): _may_manage,
    (ProgramRole, "delete"): _may_manage,
    (CoachNetworkMembership, "view"): lambda user, item: manages_any(user) or item.user == user,
    (CoachNetworkMembership, "change"): lambda user, item: manages_any(user),
    (CoachNetworkMembership, "delete"): lambda user, item: manages_any(user),
    (Organisation, "view"): _may_view_organisation,
    (Organisation, "change"): _may_change_organisation,
    (Organisation, "delete"): _may_change_organisation,
    (Program, "invite"): _may_invite_to_program,
    (Team, "invite"): _may_invite_to_team,
    (Invitation, "view"): _may_handle_invitation,
    (Invitation, "resend"): _may_handle_invitation,
    (Invitation, "revoke"): _may_handle_invitation,
}


def can(user, action, obj):
    """May ``user`` do ``action`` to ``obj``? Unknown pairs are refused, never allowed."""
    rule = RULES.get((type(obj), action))
    return bool(rule and rule(user, obj))
