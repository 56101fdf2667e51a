"""The program's people: dated roles, who sees which team, and what each role may do."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from forum_workflows.models import Membership, Organisation, Team
from forum_workflows.permissions import can, managed_programs, team_roles, visible_teams

from .people import LONG_AGO, make_cast, make_team

pytestmark = pytest.mark.django_db

#: Expected: what each role is to the team, and whether it may view / work / coach / change.
EXPECTED = {
    "member": ({"member"}, True, True, False, False),
    "lead": ({"lead"}, True, True, False, False),
    "former_member": (set(), False, False, False, False),
    "other_team_member": (set(), False, False, False, False),
    "sponsor": ({"sponsor"}, True, False, False, False),
    "contact": ({"contact"}, True, False, False, False),
    "coach": ({"coach"}, True, False, True, False),
    "other_team_coach": (set(), False, False, False, False),
    "faculty": ({"faculty"}, True, False, True, False),
    "manager": ({"manager"}, True, False, True, True),
    "other_manager": (set(), False, False, False, False),
    "editor": (set(), False, False, False, False),
    "inactive": (set(), False, False, False, False),
}


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_and_does_exactly_what_it_should(cast, role):
    user = cast.people[role]
    roles, view, work, coach, change = EXPECTED[role]
    assert team_roles(user, cast.team) == roles
    assert (
        can(user, "view", cast.team),
        can(user, "work", cast.team),
        can(user, "coach", cast.team),
        can(user, "change", cast.team),
    ) == (view, work, coach, change)
    assert (cast.team in visible_teams(user)) == view


def test_anonymous_people_and_unknown_actions_are_refused(cast):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert team_roles(anonymous, cast.team) == set()
    assert not visible_teams(anonymous).exists()
    assert not managed_programs(anonymous).exists()
    assert not can(cast.people["manager"], "launch", cast.team)
    assert not can(cast.people["manager"], "view", object())


def test_a_paused_team_or_an_archived_program_takes_no_more_work(cast):
    member = cast.people["member"]
    cast.team.status = Team.Status.PAUSED
    assert not can(member, "work", cast.team)
    assert can(member, "view", cast.team)
    cast.team.status = Team.Status.ACTIVE
    cast.program.archived_at = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    assert not can(member, "work", cast.team)


def test_a_membership_counts_from_its_first_day_to_its_last(cast, make_user):
    person = make_user()
    membership = Membership.objects.create(
        team=cast.team, user=person, starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
    )  # fmt: skip
    assert team_roles(person, cast.team, on=datetime.date(2026, 2, 28)) == set()
    assert team_roles(person, cast.team, on=datetime.date(2026, 3, 1)) == {"member"}
    assert team_roles(person, cast.team, on=datetime.date(2026, 3, 31)) == {"member"}
    assert team_roles(person, cast.team, on=datetime.date(2026, 4, 1)) == set()
    assert membership.is_current(on=datetime.date(2026, 3, 15))


def test_dates_must_be_in_order(cast, make_user):
    membership = Membership(
        team=cast.team, user=make_user(), starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        membership.full_clean()
    assert "ends_on" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_references_protect_what_they_point_at(cast):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        cast.team.organisation.delete()
    with pytest.raises(ProtectedError):
        cast.team.delete()
    with pytest.raises(ProtectedError):
        cast.people["member"].delete()


def test_visible_teams_is_one_query_however_many_teams(cast, django_assert_num_queries):
    coach = cast.people["coach"]

    def count():
        with django_assert_num_queries(1):
            return len(list(visible_teams(coach)))

    few = count()
    for number in range(30):
        team = make_team(cast.program, name=f"Extra {number}")
        cast.team.coach_assignments.model.objects.create(
            team=team, coach=coach, starts_on=LONG_AGO
        )
    assert count() == few + 30


def test_managers_manage_their_own_programs_only(cast):
    assert list(managed_programs(cast.people["manager"])) == [cast.program]
    assert list(managed_programs(cast.people["other_manager"])) == [cast.other_program]
    assert not managed_programs(cast.people["faculty"]).exists()


def test_organisations_are_seen_by_their_contacts_and_the_managers_of_their_teams(cast):
    organisation = cast.team.organisation
    assert can(cast.people["contact"], "view", organisation)
    assert can(cast.people["manager"], "view", organisation)
    assert not can(cast.people["other_manager"], "view", organisation)
    assert not can(cast.people["member"], "view", organisation)
    assert isinstance(organisation, Organisation)
