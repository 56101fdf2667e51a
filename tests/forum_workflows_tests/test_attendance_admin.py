"""Attendance under People (wagtail-modeladmin): programme managers list the attendance recorded
at their programs' sessions, and record it a register at a time."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from forum_workflows.models import Attendance, LearningSession

from .factories import make_session, session_data, stockholm
from .people import make_cast

pytestmark = pytest.mark.django_db

LIST = "/admin/forum_workflows/attendance/"
KIND = LearningSession.Kind


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


@pytest.fixture
def recorded(cast):
    """Attendance at two sessions of the cast's program and one of the other program."""
    people = cast.people
    spring = make_session(
        cast.program, title="Lärandeseminarium 1", starts_at=stockholm(2026, 3, 12)
    )
    autumn = make_session(
        cast.program,
        title="Coachdag i oktober",
        kind=KIND.COACH_TRAINING_SESSION,
        starts_at=stockholm(2026, 10, 8),
    )
    foreign = make_session(cast.other_program, title="Annat programs seminarium")
    return {
        "member_spring": Attendance.objects.create(session=spring, user=people["member"]),
        "lead_spring": Attendance.objects.create(
            session=spring, user=people["lead"], attended=False
        ),
        "coach_autumn": Attendance.objects.create(session=autumn, user=people["coach"]),
        "foreign": Attendance.objects.create(session=foreign, user=people["other_team_member"]),
    }


def signed_in(client, user):
    """``user`` signed in, with the admin in English (the source language of its strings)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def listed(response):
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_a_manager_lists_only_the_attendance_at_their_programs_sessions(client, cast, recorded):
    rows = listed(signed_in(client, cast.people["manager"]).get(LIST))
    # Newest session first, then by name.
    assert rows == [recorded["coach_autumn"], recorded["lead_spring"], recorded["member_spring"]]
    other = listed(signed_in(client, cast.people["other_manager"]).get(LIST))
    assert other == [recorded["foreign"]]


def test_a_superuser_lists_every_programs_attendance(client, cast, recorded, make_user):
    superuser = make_user(is_superuser=True, is_staff=True)
    assert set(listed(signed_in(client, superuser).get(LIST))) == set(recorded.values())


def test_the_list_shows_person_session_date_program_and_attendance(client, cast, recorded):
    content = signed_in(client, cast.people["manager"]).get(LIST).content.decode()
    for text in [
        "Member",
        cast.people["member"].email,
        "Lärandeseminarium 1",
        "Värdeforum 2026",
        "Attended",
        "Absent",
    ]:
        assert text in content
    assert "Annat programs seminarium" not in content


@pytest.mark.parametrize(
    ("role", "sent_to"),
    [
        ("member", f"/admin/login/?next={LIST}"),  # no admin access at all
        ("coach", f"/admin/login/?next={LIST}"),
        ("faculty", f"/admin/login/?next={LIST}"),
        ("editor", "/admin/"),  # in the admin, but not a manager: Wagtail's "no permission"
    ],
)
def test_people_who_manage_no_program_may_not_open_the_attendance_list(
    client, cast, role, sent_to
):
    response = signed_in(client, cast.people[role]).get(LIST)
    assert (response.status_code, response["Location"]) == (302, sent_to)


def test_a_manager_inspects_their_own_programs_attendance_only(client, cast, recorded):
    url = f"{LIST}inspect/{recorded['member_spring'].pk}/"
    page = signed_in(client, cast.people["manager"]).get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Lärandeseminarium 1" in content and "Attended" in content
    assert f'href="/admin/attendance/{recorded["member_spring"].session_id}/"' in content
    for role in ("other_manager", "editor"):
        refused = signed_in(client, cast.people[role]).get(url)
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    refused = signed_in(client, cast.people["member"]).get(url)
    assert (refused.status_code, refused["Location"]) == (302, f"/admin/login/?next={url}")


def test_single_records_are_read_only_and_have_no_history_of_their_own(
    client, cast, recorded, make_user
):
    """Attendance is recorded a register at a time: nobody edits or deletes one row here, not
    even a superuser, and nothing changes."""
    row = recorded["member_spring"]
    superuser = make_user(is_superuser=True, is_staff=True)
    for user in (cast.people["manager"], superuser):
        for action in ("edit", "delete"):
            url = f"{LIST}{action}/{row.pk}/"
            refused = signed_in(client, user).get(url)
            assert (refused.status_code, refused["Location"]) == (302, "/admin/")
            assert client.post(url, {"attended": ""}).status_code == 302
        assert signed_in(client, user).get(f"{LIST}history/{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert row.attended is True


def test_record_attendance_leads_to_the_sessions_and_each_row_to_its_register(
    client, cast, recorded
):
    content = signed_in(client, cast.people["manager"]).get(LIST).content.decode()
    assert 'href="/admin/attendance/"' in content and "Record attendance" in content
    spring = recorded["member_spring"].session_id
    assert f'href="/admin/attendance/{spring}/"' in content
    assert f'href="/admin/attendance/{recorded["foreign"].session_id}/"' not in content
    # The create URL is the same way in; it refuses those who manage no program.
    create = client.get(f"{LIST}create/")
    assert (create.status_code, create["Location"]) == (302, "/admin/attendance/")
    refused = signed_in(client, cast.people["editor"]).get(f"{LIST}create/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    # The register pages lead back to this list.
    register = signed_in(client, cast.people["manager"]).get(f"/admin/attendance/{spring}/")
    assert f'href="{LIST}"' in register.content.decode()


def test_filters_by_program_kind_and_attendance(client, cast, recorded):
    client = signed_in(client, cast.people["manager"])
    assert len(listed(client.get(LIST, {"program": cast.program.pk}))) == 3
    # The other program's rows stay out of reach, whatever the filter asks for.
    assert listed(client.get(LIST, {"program": cast.other_program.pk})) == []
    coach_days = client.get(LIST, {"session__kind__exact": KIND.COACH_TRAINING_SESSION})
    assert listed(coach_days) == [recorded["coach_autumn"]]
    assert listed(client.get(LIST, {"attended__exact": "0"})) == [recorded["lead_spring"]]


def test_the_program_filter_offers_only_the_managers_programs(client, cast, recorded):
    content = signed_in(client, cast.people["manager"]).get(LIST).content.decode()
    assert f"?program={cast.program.pk}" in content
    assert f"?program={cast.other_program.pk}" not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda cast: "member", ["member_spring"]),  # the person's name
        (lambda cast: cast.people["lead"].email, ["lead_spring"]),  # ... or email
        (lambda cast: "coachdag", ["coach_autumn"]),  # the session's title
        (lambda cast: "annat", []),  # another program's session
    ],
    ids=["name", "email", "session", "other program"],
)
def test_search_by_person_and_session(client, cast, recorded, query, expected):
    rows = listed(signed_in(client, cast.people["manager"]).get(LIST, {"q": query(cast)}))
    assert rows == [recorded[name] for name in expected]


def test_the_list_reads_with_the_same_queries_for_few_and_many(
    client, cast, recorded, django_assert_num_queries
):
    client = signed_in(client, cast.people["manager"])
    client.get(LIST)  # warm Wagtail's per-process caches

    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200

    sessions = LearningSession.objects.bulk_create(
        LearningSession(
            **session_data(
                cast.program,
                kind=kind,
                starts_at=stockholm(2026, 4, 1) + datetime.timedelta(days=7 * number),
            )
        )
        for number, kind in enumerate([*KIND.values, KIND.TEAM_LEARNING_SESSION])
    )
    people = get_user_model().objects.bulk_create(
        get_user_model()(email=f"many{number}@example.org", full_name=f"Många {number}")
        for number in range(60)
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, user=person, attended=number % 3 != 0)
        for session in sessions
        for number, person in enumerate(people)
    )

    with django_assert_num_queries(len(few)):
        response = client.get(LIST)
    assert response.context["paginator"].count == 3 + 4 * 60  # more than one page
