"""Signing up for learning sessions, notes deleted after them, and the attendance register."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum_workflows.attendance import register_of
from forum_workflows.models import Attendance, CoachNetworkMembership, LearningSession, SignUp
from forum_workflows.permissions import can, may_take_part

from .factories import make_session
from .people import make_cast

pytestmark = pytest.mark.django_db

KIND = LearningSession.Kind


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


def upcoming(program, kind=KIND.TEAM_LEARNING_SESSION, days=30):
    start = timezone.now() + datetime.timedelta(days=days)
    return make_session(
        program, kind=kind, starts_at=start, ends_at=start + datetime.timedelta(hours=6)
    )


@pytest.mark.parametrize(
    ("role", "team_session", "coach_training", "network"),
    [
        ("member", True, False, False),
        ("lead", True, False, False),
        ("former_member", False, False, False),
        ("other_team_member", True, False, False),  # the other team is in the same program
        ("coach", True, True, False),
        ("faculty", True, True, True),
        ("manager", True, True, True),
        ("other_manager", False, False, False),
        ("sponsor", False, False, False),
        ("editor", False, False, False),
        ("inactive", False, False, False),
    ],
)
def test_who_a_session_is_for(cast, role, team_session, coach_training, network):
    user = cast.people[role]
    assert may_take_part(user, upcoming(cast.program)) == team_session
    assert may_take_part(user, upcoming(cast.program, KIND.COACH_TRAINING_SESSION)) == (
        coach_training
    )
    assert may_take_part(user, upcoming(cast.program, KIND.NETWORK_MEETING)) == network


def test_the_coach_network_may_sign_up_for_its_meetings(cast, make_user):
    alumnus = make_user()
    meeting = upcoming(cast.program, KIND.NETWORK_MEETING)
    assert not may_take_part(alumnus, meeting)
    CoachNetworkMembership.objects.create(user=alumnus, starts_on=datetime.date(2024, 1, 1))
    assert may_take_part(alumnus, meeting)


def test_a_member_signs_up_with_a_note_and_gets_a_calendar_invitation(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    member = cast.people["member"]
    session = upcoming(cast.program)
    client.force_login(member)
    url = f"/sv/sessions/{session.pk}/sign-up/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "sign_up", "note": "Glutenfri kost"})
    assert response.status_code == 302
    signed = SignUp.objects.get(session=session, user=member)
    assert signed.note == "Glutenfri kost" and signed.is_active
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert session.title in mail.subject and "anmäld" in mail.subject.lower()
    (name, content, mimetype) = mail.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    entry = ModelLogEntry.objects.get(action="forum_workflows.sign_up")
    assert "Glutenfri" not in str(entry.data)
    # The session is not on a public page, but its calendar file is theirs now.
    assert client.get(f"/sv/calendar/session/{session.pk}.ics").status_code == 200
    page = client.get("/sv/my/sessions/")
    assert session.title in page.content.decode()


def test_signing_up_twice_keeps_one_sign_up_and_cancelling_drops_the_note(client, cast):
    member = cast.people["member"]
    session = upcoming(cast.program)
    client.force_login(member)
    url = f"/sv/sessions/{session.pk}/sign-up/"
    client.post(url, {"action": "sign_up", "note": "Rullstol"})
    client.post(url, {"action": "sign_up", "note": "Rullstol, och vegetariskt"})
    assert SignUp.objects.filter(session=session).count() == 1
    client.post(url, {"action": "cancel"})
    signed = SignUp.objects.get(session=session)
    assert not signed.is_active and signed.note == ""
    assert client.get(f"/sv/calendar/session/{session.pk}.ics").status_code == 404


def test_people_a_session_is_not_for_are_refused(client, cast):
    session = upcoming(cast.program)
    url = f"/sv/sessions/{session.pk}/sign-up/"
    assert client.get(url)["Location"].startswith("/sv/accounts/login/")
    client.force_login(cast.people["other_manager"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "sign_up"}).status_code == 403
    assert not SignUp.objects.exists()


def test_sign_up_closes_when_the_session_starts(client, cast):
    started = make_session(
        cast.program,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=3),
    )
    client.force_login(cast.people["member"])
    response = client.post(f"/sv/sessions/{started.pk}/sign-up/", {"action": "sign_up"})
    assert response.status_code == 400
    assert "stängd" in response.content.decode() or "closed" in response.content.decode()
    assert not SignUp.objects.exists()
    assert not can(cast.people["member"], "sign_up", started)


def test_a_note_that_is_too_long_is_a_clear_error(client, cast):
    session = upcoming(cast.program)
    client.force_login(cast.people["member"])
    response = client.post(f"/sv/sessions/{session.pk}/sign-up/", {"note": "x" * 501})
    assert response.status_code == 400
    assert not SignUp.objects.exists()


def test_notes_are_deleted_after_the_session(cast):
    ended = make_session(
        cast.program,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-6),
    )
    coming = upcoming(cast.program)
    SignUp.objects.create(session=ended, user=cast.people["member"], note="Nötallergi")
    SignUp.objects.create(session=coming, user=cast.people["member"], note="Laktosfri")
    out = io.StringIO()
    call_command("delete_session_notes", stdout=out)
    assert "1" in out.getvalue()
    assert list(SignUp.objects.order_by("session__starts_at").values_list("note", flat=True)) == [
        "",
        "Laktosfri",
    ]


def test_the_manager_records_attendance_in_one_register(client, cast):
    session = upcoming(cast.program, days=2)  # recorded ahead here; the rules do not mind
    SignUp.objects.create(session=session, user=cast.people["coach"])
    register = {person for person, _attended in register_of(session)}
    assert {cast.people["member"], cast.people["lead"], cast.people["coach"]} <= register
    assert cast.people["other_team_member"] in register  # every team of the program
    assert cast.people["former_member"] not in register  # left before the session
    assert cast.people["sponsor"] not in register and cast.people["other_manager"] not in register
    client.force_login(cast.people["manager"])
    url = f"/admin/attendance/{session.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"present": [cast.people["member"].pk, cast.people["coach"].pk, "x", "999999"]}
    )
    assert response.status_code == 302
    recorded = dict(Attendance.objects.values_list("user", "attended"))
    assert recorded[cast.people["member"].pk] is True
    assert recorded[cast.people["coach"].pk] is True
    assert recorded[cast.people["lead"].pk] is False
    assert 999999 not in recorded
    assert ModelLogEntry.objects.filter(action="forum_workflows.record_attendance").count() == 1
    # The member sees it on their own page.
    client.force_login(cast.people["member"])
    assert "deltog" in client.get("/sv/my/sessions/").content.decode()


def test_only_the_programs_managers_keep_its_register(client, cast):
    session = upcoming(cast.program)
    url = f"/admin/attendance/{session.pk}/"
    client.force_login(cast.people["other_manager"])
    refused = client.get(url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert client.post(url, {"present": [cast.people["member"].pk]}).status_code == 302
    assert not Attendance.objects.exists()
    listing = client.get("/admin/attendance/").content.decode()
    assert session.title not in listing


def test_the_register_reads_with_the_same_queries_for_few_and_many(
    cast, make_user, django_assert_num_queries
):
    from forum_workflows.models import Membership

    session = upcoming(cast.program)

    def count():
        with django_assert_num_queries(4):
            return len(register_of(session))

    few = count()
    for _ in range(30):
        Membership.objects.create(team=cast.other_team, user=make_user())
    assert count() == few + 30


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_at_once_make_one(make_user):
    """Two clicks at once: one sign-up and no error (the session's row lock orders them; the
    unique constraint would refuse a second row even without it)."""
    import threading

    from django.db import connection

    from forum_workflows import attendance

    cast = make_cast(make_user)
    session = upcoming(cast.program)
    member = cast.people["member"]
    barrier = threading.Barrier(2)
    errors = []

    def click():
        try:
            barrier.wait(timeout=10)
            attendance.sign_up(session, member, note="")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SignUp.objects.filter(session=session, user=member).count() == 1
