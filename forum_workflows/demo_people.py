"""Demo people for the demo site: two programs, their organisations, teams, members, coaches,
sponsors, contacts and managers, and who attended the first learning session. Called by the
host's ``load_demo_data`` after it has created the demo logins (passed in by role).
Idempotent: what exists is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from forum_workflows.models import (
    Attendance,
    CoachAssignment,
    CoachNetworkMembership,
    LearningSession,
    Membership,
    Organisation,
    OrganisationContact,
    Program,
    ProgramRole,
    SignUp,
    Team,
)

STARTED = datetime.date(2026, 2, 1)

#: People without a login of their own, so the teams look like teams.
OTHER_MEMBERS = [
    ("maria.medlem@example.org", "Maria Medlem"),
    ("lars.lagledare@example.org", "Lars Lagledare"),
    ("fatima.forbattrare@example.org", "Fatima Förbättrare"),
    ("johan.jonsson@example.org", "Johan Jonsson"),
    ("aino.aalto@example.org", "Aino Aalto"),
]


def _person(email, name):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=name)
    return user


def load_people_demo(logins):
    """``logins`` maps a role ("member", "coach", "manager", "sponsor", "contact") to a user."""
    first = Program.objects.get(slug="vardeforum-2026")
    second, _created = Program.objects.get_or_create(
        slug="vardeforum-2027",
        defaults={
            "name": "Värdeforum 2027",
            "starts_on": datetime.date(2027, 2, 1),
            "ends_on": datetime.date(2028, 6, 30),
            "description": "Andra omgången, för fler idéburna vård- och omsorgsgivare.",
        },
    )
    others = [_person(email, name) for email, name in OTHER_MEMBERS]
    organisations = {
        name: Organisation.objects.get_or_create(
            name=name, defaults={"organisation_number": number}
        )[0]
        for name, number in [
            ("Stadsmissionen Stockholm", "802005-5419"),
            ("Ersta diakoni", "802002-6597"),
            ("Frälsningsarmén", "802004-2101"),
        ]
    }
    ProgramRole.objects.get_or_create(program=first, user=logins["manager"], role="manager")
    ProgramRole.objects.get_or_create(program=second, user=logins["manager"], role="manager")
    ProgramRole.objects.get_or_create(program=first, user=logins["coach"], role="faculty")
    OrganisationContact.objects.get_or_create(
        organisation=organisations["Stadsmissionen Stockholm"], user=logins["contact"]
    )
    teams = [
        # program, organisation, name, sponsor, members (user, role)
        (first, "Stadsmissionen Stockholm", "Hemtjänsten Södermalm", logins["sponsor"],
         [(logins["member"], "member"), (others[1], "lead"), (others[0], "member")]),
        (first, "Ersta diakoni", "Boendet på Ersta", None,
         [(others[2], "lead"), (others[3], "member")]),
        (second, "Frälsningsarmén", "Dagverksamheten Gävle", None, [(others[4], "lead")]),
    ]  # fmt: skip
    for program, organisation, name, sponsor, members in teams:
        team, _created = Team.objects.get_or_create(
            program=program,
            name=name,
            defaults={"organisation": organisations[organisation], "sponsor": sponsor},
        )
        for user, role in members:
            Membership.objects.get_or_create(
                team=team, user=user, defaults={"role": role, "starts_on": program.starts_on}
            )
        if program == first:
            CoachAssignment.objects.get_or_create(
                team=team, coach=logins["coach"], defaults={"starts_on": program.starts_on}
            )
    CoachNetworkMembership.objects.get_or_create(
        user=logins["coach"], defaults={"starts_on": STARTED}
    )
    _record_first_session(first, logins)


def _record_first_session(program, logins):
    """Who came to the program's first learning session, as the programme manager recorded it
    (everyone but one member), and the member's sign-up for the next one."""
    sessions = program.learning_sessions.filter(
        kind=LearningSession.Kind.TEAM_LEARNING_SESSION
    ).order_by("starts_at")
    first_session = sessions.first()
    if first_session is None:
        return
    members = Membership.objects.filter(team__program=program).select_related("user")
    for number, membership in enumerate(members.order_by("pk")):
        Attendance.objects.get_or_create(
            session=first_session,
            user=membership.user,
            defaults={"attended": number != 1, "recorded_by": logins["manager"]},
        )
    upcoming = sessions.filter(starts_at__gt=timezone.now()).first()
    if upcoming is not None:
        SignUp.objects.get_or_create(session=upcoming, user=logins["member"])
