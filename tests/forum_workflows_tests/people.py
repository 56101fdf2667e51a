"""Building a program's people for tests: one call gives every role of DESIGN.md §5."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group

from forum_workflows.models import (
    CoachAssignment,
    Membership,
    Organisation,
    OrganisationContact,
    ProgramRole,
    Team,
)

from .factories import make_program

LONG_AGO = datetime.date(2020, 1, 1)
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def make_team(program, organisation=None, **kwargs):
    organisation = organisation or Organisation.objects.create(
        name=kwargs.pop("organisation_name", f"Organisation för {kwargs.get('name', 'team')}")
    )
    kwargs.setdefault("name", f"Team {Team.objects.count() + 1}")
    return Team.objects.create(program=program, organisation=organisation, **kwargs)


def make_manager(make_user, program, role=ProgramRole.Role.MANAGER, **kwargs):
    user = make_user(**kwargs)
    ProgramRole.objects.create(program=program, user=user, role=role)
    if role == ProgramRole.Role.MANAGER:
        user.groups.add(Group.objects.get_or_create(name="Programme managers")[0])
    return user


@dataclass
class Cast:
    """A program with a team and somebody in every role, and the same for a second program."""

    program: object
    team: object
    other_team: object
    other_program: object
    people: dict  # role name -> user


def make_cast(make_user):
    program = make_program(name="Värdeforum 2026", slug="vardeforum-2026")
    other_program = make_program(name="Värdeforum 2027", slug="vardeforum-2027")
    organisation = Organisation.objects.create(name="Stadsmissionen")
    people = {
        name: make_user(full_name=name.replace("_", " ").title())
        for name in [
            "member",
            "lead",
            "former_member",
            "other_team_member",
            "sponsor",
            "contact",
            "coach",
            "other_team_coach",
            "inactive",
        ]
    }
    people["manager"] = make_manager(make_user, program, full_name="Manager")
    people["faculty"] = make_manager(
        make_user, program, role=ProgramRole.Role.FACULTY, full_name="Faculty"
    )
    people["other_manager"] = make_manager(make_user, other_program, full_name="Other Manager")
    people["editor"] = make_user(full_name="Editor")
    people["editor"].groups.add(Group.objects.get_or_create(name="Editors")[0])
    team = make_team(program, organisation, name="Hemtjänsten Söder", sponsor=people["sponsor"])
    other_team = make_team(program, name="Boendet Norr")
    Membership.objects.create(team=team, user=people["member"], starts_on=LONG_AGO)
    Membership.objects.create(
        team=team, user=people["lead"], role=Membership.Role.LEAD, starts_on=LONG_AGO
    )
    Membership.objects.create(
        team=team, user=people["former_member"], starts_on=LONG_AGO, ends_on=YESTERDAY
    )
    Membership.objects.create(team=other_team, user=people["other_team_member"])
    Membership.objects.create(team=team, user=people["inactive"], starts_on=LONG_AGO)
    people["inactive"].is_active = False
    people["inactive"].save()
    OrganisationContact.objects.create(organisation=organisation, user=people["contact"])
    CoachAssignment.objects.create(team=team, coach=people["coach"], starts_on=LONG_AGO)
    CoachAssignment.objects.create(team=other_team, coach=people["other_team_coach"])
    return Cast(program, team, other_team, other_program, people)
