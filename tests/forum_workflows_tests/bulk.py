"""Building many teams with running projects fast, for query-count tests (DESIGN.md §8).

``transitions.start_project`` writes history and audit rows one project at a time; here every
table gets one ``bulk_create``, with the rows ``start_project`` would leave (one stage state and
one answer set per stage, due dates by the program's rules), then the states asked for.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms.models import AnswerSet
from forum_workflows.due_dates import due_dates
from forum_workflows.models import (
    CoachAssignment,
    ImprovementProject,
    Membership,
    Organisation,
    StageState,
    Team,
)

from .people import LONG_AGO

_batches = itertools.count(1)


def bulk_people(count, prefix="bulk"):
    """``count`` people who cannot log in with a password (they need none here)."""
    User = get_user_model()
    batch = next(_batches)
    people = [
        User(email=f"{prefix}{batch}-{number}@example.org", full_name=f"Person {batch}-{number}")
        for number in range(count)
    ]
    for person in people:
        person.set_unusable_password()
    return User.objects.bulk_create(people)


def bulk_teams(
    program, count, *, started_by, organisation=None, coach=None, sponsor=None, states=None
):
    """``count`` teams of ``organisation`` (a new one by default) in ``program``, each with one
    member (and ``coach`` and ``sponsor`` if given) and a project on the program's workflow
    version. ``states`` maps stage keys to the state of that stage in every project
    (``submitted`` ones get a submission time, oldest first by team); stages it leaves out are
    open when they wait for nothing, else locked, as ``start_project`` leaves them. Returns
    the teams."""
    states = states or {}
    batch = next(_batches)
    organisation = organisation or Organisation.objects.create(name=f"Organisation {batch}")
    teams = Team.objects.bulk_create(
        Team(
            program=program,
            organisation=organisation,
            name=f"Team {batch}-{n:04}",
            sponsor=sponsor,
        )
        for n in range(count)
    )
    members = bulk_people(count)
    Membership.objects.bulk_create(
        Membership(team=team, user=member, starts_on=LONG_AGO)
        for team, member in zip(teams, members, strict=True)
    )
    if coach is not None:
        CoachAssignment.objects.bulk_create(
            CoachAssignment(team=team, coach=coach, starts_on=LONG_AGO) for team in teams
        )
    version = program.workflow_version
    projects = ImprovementProject.objects.bulk_create(
        ImprovementProject(team=team, workflow_version=version, started_by=started_by)
        for team in teams
    )
    specs = version.stages
    answer_sets = AnswerSet.objects.bulk_create(
        AnswerSet(definition_id=spec["form"]) for _project in projects for spec in specs
    )
    dates = due_dates(specs, program)
    now = timezone.now()
    rows = []
    for number, project in enumerate(projects):
        for spec in specs:
            state = states.get(spec["key"]) or (
                StageState.State.LOCKED if spec["depends_on"] else StageState.State.OPEN
            )
            rows.append(
                StageState(
                    project=project,
                    stage_key=spec["key"],
                    state=state,
                    answer_set=answer_sets[len(rows)],
                    due_on=dates[spec["key"]],
                    opened_at=None if state == StageState.State.LOCKED else now,
                    submitted_at=now - datetime.timedelta(minutes=count - number)
                    if state == StageState.State.SUBMITTED
                    else None,
                    approved_at=now if state == StageState.State.APPROVED else None,
                )
            )
    StageState.objects.bulk_create(rows)
    return teams


def grow(cast, count):
    """``count`` more teams in the cast's program, coached by its coach, sponsored by its
    sponsor, of its contact's organisation, each with its ``aim`` waiting for review."""
    return bulk_teams(
        cast.program,
        count,
        started_by=cast.people["manager"],
        organisation=cast.team.organisation,
        coach=cast.people["coach"],
        sponsor=cast.people["sponsor"],
        states={"aim": StageState.State.SUBMITTED},
    )


def queries(client, url):
    """``(number of queries, content)`` of a page that must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()
