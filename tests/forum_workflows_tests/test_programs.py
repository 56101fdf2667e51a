"""Programs and learning sessions: the models pages show, and their admin screens."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from forum_workflows.models import LearningSession, Program

from .factories import make_program, make_session, session_data, stockholm

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    """A superuser signed in to the admin, reading it in English."""
    client.force_login(make_user(is_staff=True, is_superuser=True, language="en"))
    return client


def snippet_url(model, action, *args):
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def session_form(program, **overrides):
    data = {
        "program": program.pk,
        "kind": LearningSession.Kind.TEAM_LEARNING_SESSION,
        "title": "Lärandeseminarium 1: processkartan",
        "starts_at": "2026-03-12 09:00",
        "ends_at": "2026-03-12 16:00",
        "place": "Famna, Götgatan 22, Stockholm",
        "online_url": "",
    }
    data.update(overrides)
    return data


def test_the_database_refuses_a_session_that_ends_before_it_starts():
    program = make_program()
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningSession.objects.create(
            **session_data(
                program, starts_at=stockholm(2026, 3, 12, 16), ends_at=stockholm(2026, 3, 12, 9)
            )
        )
    assert not LearningSession.objects.exists()


def test_the_database_refuses_a_session_that_ends_when_it_starts():
    program = make_program()
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningSession.objects.create(
            **session_data(
                program, starts_at=stockholm(2026, 3, 12, 9), ends_at=stockholm(2026, 3, 12, 9)
            )
        )


def test_the_database_refuses_a_session_without_place_or_link():
    program = make_program()
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningSession.objects.create(**session_data(program, place="", online_url=""))


def test_the_database_refuses_a_program_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_program(starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 4, 30))


def test_cleaning_a_session_that_ends_before_it_starts_names_the_end_field():
    session = LearningSession(
        **session_data(
            make_program(), starts_at=stockholm(2026, 3, 12, 16), ends_at=stockholm(2026, 3, 12, 9)
        )
    )
    with pytest.raises(ValidationError) as caught:
        session.full_clean()
    assert caught.value.message_dict == {
        "ends_at": ["Träffen måste sluta efter att den börjar. Kontrollera sluttiden."]
    }


def test_an_online_only_session_is_valid():
    session = LearningSession(
        **session_data(make_program(), place="", online_url="https://example.org/meet/123")
    )
    session.full_clean()


def test_a_program_cannot_be_deleted_while_it_has_sessions():
    from django.db.models import ProtectedError

    session = make_session()
    with pytest.raises(ProtectedError):
        session.program.delete()
    assert Program.objects.filter(pk=session.program_id).exists()


def test_upcoming_and_past_split_on_the_end_time():
    program = make_program()
    now = timezone.now()
    ended = make_session(
        program,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now - datetime.timedelta(hours=1),
    )
    running = make_session(
        program,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    later = make_session(
        program,
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=6),
    )
    from wagtail.models import Locale

    from forum_workflows.models import SessionListing

    listing = SessionListing(program.learning_sessions.all(), locale=Locale.get_default(), now=now)
    assert listing.upcoming == [running, later]
    assert listing.past == [ended]


def test_a_session_is_named_by_its_title_and_swedish_date():
    session = make_session(title="Nätverksträff", starts_at=stockholm(2026, 3, 29, 0, 30))
    # 00:30 in Stockholm is still 28 March in UTC: the name must use Swedish time.
    assert str(session).startswith("Nätverksträff (")
    assert "29" in str(session)


def test_programs_and_sessions_share_one_program_menu(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    content = response.content.decode()
    # The sidebar is a JSON tree: the "Program" submenu holds both lists.
    submenu = content[content.index('"name": "program", "label": "Program"') :][:1500]
    assert snippet_url(Program, "list") in submenu
    assert snippet_url(LearningSession, "list") in submenu


def test_an_editor_creates_a_program_in_the_admin(admin_client):
    response = admin_client.post(
        snippet_url(Program, "add"),
        {
            "name": "Värdeforum 2026",
            "slug": "vardeforum-2026",
            "starts_on": "2026-01-15",
            "ends_on": "2027-06-15",
            "description": "Andra omgången.",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get()
    assert (program.name, program.ends_on) == ("Värdeforum 2026", datetime.date(2027, 6, 15))


def test_an_editor_creates_a_session_in_swedish_time(admin_client):
    program = make_program()
    response = admin_client.post(snippet_url(LearningSession, "add"), session_form(program))
    assert response.status_code == 302
    session = LearningSession.objects.get()
    assert session.starts_at == stockholm(2026, 3, 12, 9)
    assert session.ends_at == stockholm(2026, 3, 12, 16)


def test_the_admin_explains_a_session_that_ends_before_it_starts(admin_client):
    program = make_program()
    response = admin_client.post(
        snippet_url(LearningSession, "add"),
        session_form(program, starts_at="2026-03-12 16:00", ends_at="2026-03-12 09:00"),
    )
    assert response.status_code == 200
    message = escape("The session must end after it starts. Check the end time.")
    assert response.content.decode().count(message) == 1
    assert not LearningSession.objects.exists()


def test_the_admin_asks_for_a_place_or_a_link(admin_client):
    program = make_program()
    response = admin_client.post(
        snippet_url(LearningSession, "add"), session_form(program, place="", online_url="")
    )
    assert response.status_code == 200
    assert escape("Give a place, an online link or both") in response.content.decode()
    assert not LearningSession.objects.exists()


def test_the_admin_explains_a_program_that_ends_before_it_starts(admin_client):
    response = admin_client.post(
        snippet_url(Program, "add"),
        {"name": "Fel", "slug": "fel", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert escape("The program cannot end before it starts.") in response.content.decode()
    assert not Program.objects.exists()


def test_the_session_list_filters_by_program(admin_client):
    first, second = make_program(), make_program()
    make_session(first, title="Första programmets seminarium")
    make_session(second, title="Andra programmets seminarium")
    response = admin_client.get(snippet_url(LearningSession, "list"), {"program": first.pk})
    assert response.status_code == 200
    assert "Första programmets seminarium" in response.content.decode()
    assert "Andra programmets seminarium" not in response.content.decode()


def test_an_editor_who_is_not_a_superuser_manages_programs_and_sessions(client, make_user):
    from django.contrib.auth.models import Group

    editor = make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(snippet_url(Program, "list")).status_code == 200
    assert client.get(snippet_url(LearningSession, "add")).status_code == 200
    program = make_program()
    assert client.get(snippet_url(Program, "edit", program.pk)).status_code == 200
