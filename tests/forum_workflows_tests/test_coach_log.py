"""A team's private coach log (issue #9): only the team's current coaches and the program's
faculty read and write it; entries are escaped, kept when invalid, and audited without their
text; the page costs the same number of queries however long the log is."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from forum_workflows import transitions
from forum_workflows.models import CoachAssignment, CoachLogEntry, ProgramRole
from forum_workflows.models.coach_log import LOG_ACTION

from .people import YESTERDAY, make_cast
from .workflows import make_workflow, run_on, stage

pytestmark = pytest.mark.django_db

READERS = ["coach", "faculty"]
REFUSED = [
    "member",
    "lead",
    "former_member",
    "other_team_member",
    "sponsor",
    "contact",
    "other_team_coach",
    "manager",
    "other_manager",
    "editor",
]
SECRET = "Teamet verkar trött efter omorganisationen."
AUDIENCE = "Only the team's coaches and the program's faculty can read this log."


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


def url_of(team, language="sv"):
    return f"/{language}/workspace/teams/{team.pk}/coach-log/"


@pytest.fixture
def superuser(make_user):
    return make_user(is_superuser=True, is_staff=True, full_name="Super User")


def _reader(cast, superuser, role):
    return superuser if role == "superuser" else cast.people[role]


@pytest.mark.parametrize("role", [*READERS, "superuser"])
def test_the_team_s_coach_the_program_s_faculty_and_superusers_read_and_may_write(
    client, cast, superuser, role
):
    CoachLogEntry.objects.create(team=cast.team, author=cast.people["coach"], body=SECRET)
    client.force_login(_reader(cast, superuser, role))
    response = client.get(url_of(cast.team, "en"))
    assert response.status_code == 200
    content = response.content.decode()
    assert SECRET in content
    assert AUDIENCE in content
    assert 'name="body"' in content
    assert cast.team.name in content


@pytest.mark.parametrize("role", REFUSED)
def test_nobody_else_reads_the_log_or_writes_in_it(client, cast, role):
    """Members, leads, sponsors, contacts, managers, other teams' coaches: a 403 and nothing
    saved, for a GET and for a POST alike."""
    CoachLogEntry.objects.create(team=cast.team, author=cast.people["coach"], body=SECRET)
    client.force_login(cast.people[role])
    response = client.get(url_of(cast.team))
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
    assert client.post(url_of(cast.team), {"body": "Inbrytning"}).status_code == 403
    assert CoachLogEntry.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action=LOG_ACTION).exists()


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_signed_out_people_are_asked_to_sign_in(client, cast, who):
    if who == "inactive":
        client.force_login(cast.people["inactive"])  # an inactive person's session signs nobody in
    url = url_of(cast.team)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/sv/accounts/login/?next={url}"
    assert client.post(url, {"body": "Inbrytning"}).status_code == 302
    assert not CoachLogEntry.objects.exists()


def test_an_unknown_team_is_not_found(client, cast):
    client.force_login(cast.people["coach"])
    assert client.get(f"/sv/workspace/teams/{cast.team.pk + 1000}/coach-log/").status_code == 404


def test_a_coach_whose_assignment_has_ended_no_longer_reads_the_log(client, cast):
    CoachAssignment.objects.filter(coach=cast.people["coach"]).update(ends_on=YESTERDAY)
    client.force_login(cast.people["coach"])
    assert client.get(url_of(cast.team)).status_code == 403


def test_a_programme_manager_who_is_also_the_program_s_faculty_reads_the_log(client, cast):
    manager = cast.people["manager"]
    ProgramRole.objects.create(program=cast.program, user=manager, role=ProgramRole.Role.FACULTY)
    client.force_login(manager)
    assert client.get(url_of(cast.team)).status_code == 200


def test_another_team_s_coach_log_is_closed_to_this_team_s_coach(client, cast):
    client.force_login(cast.people["coach"])
    assert client.get(url_of(cast.other_team)).status_code == 403
    client.force_login(cast.people["other_team_coach"])
    assert client.get(url_of(cast.other_team)).status_code == 200


@pytest.mark.parametrize("role", READERS)
def test_a_coach_or_faculty_writes_an_entry_and_the_audit_log_keeps_no_text(client, cast, role):
    author = cast.people[role]
    client.force_login(author)
    url = url_of(cast.team)
    response = client.post(url, {"body": f"  {SECRET}\r\nNästa möte: tisdag.  "})
    assert response.status_code == 302
    assert response["Location"] == url
    entry = CoachLogEntry.objects.get()
    assert (entry.team, entry.author) == (cast.team, author)
    assert entry.body == f"{SECRET}\nNästa möte: tisdag."
    audit = ModelLogEntry.objects.get(action=LOG_ACTION)
    assert audit.user_id == author.pk
    assert audit.object_id == str(entry.pk)
    assert audit.data == {"team": cast.team.pk}
    assert SECRET not in audit.label
    assert "tisdag" not in json.dumps(audit.data) + audit.label
    page = client.get(url).content.decode()
    assert f"{SECRET}<br>Nästa möte: tisdag." in page
    assert author.get_full_name() in page


def test_an_author_without_a_name_is_shown_by_email(client, cast):
    coach = cast.people["coach"]
    get_user_model().objects.filter(pk=coach.pk).update(full_name="")
    CoachLogEntry.objects.create(team=cast.team, author=coach, body=SECRET)
    client.force_login(coach)
    assert coach.email in client.get(url_of(cast.team)).content.decode()


def test_entries_come_newest_first_and_only_the_team_s_own(client, cast):
    coach, now = cast.people["coach"], timezone.now()
    CoachLogEntry.objects.create(
        team=cast.team, author=coach, body="Äldst", written_at=now - datetime.timedelta(days=2)
    )
    CoachLogEntry.objects.create(team=cast.team, author=coach, body="Nyast", written_at=now)
    CoachLogEntry.objects.create(
        team=cast.other_team, author=cast.people["other_team_coach"], body="Grannteamet"
    )
    client.force_login(coach)
    content = client.get(url_of(cast.team)).content.decode()
    assert content.index("Nyast") < content.index("Äldst")
    assert "Grannteamet" not in content


@pytest.mark.parametrize("body", ["", "   \r\n  "])
def test_an_empty_entry_is_refused_with_a_message(client, cast, in_english, body):
    client.force_login(cast.people["coach"])
    response = client.post(url_of(cast.team, "en"), {"body": body})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Write something before you save the entry." in content
    assert 'id="id_body_errors"' in content
    assert 'aria-describedby="id_body_errors id_body_helptext"' in content
    assert 'aria-invalid="true"' in content
    assert not CoachLogEntry.objects.exists()
    assert not ModelLogEntry.objects.filter(action=LOG_ACTION).exists()


def test_a_too_long_entry_is_refused_and_its_text_kept(client, cast, in_english):
    client.force_login(cast.people["faculty"])
    body = "Lång anteckning. " * 300  # 5100 characters
    response = client.post(url_of(cast.team, "en"), {"body": body})
    assert response.status_code == 400
    content = response.content.decode()
    assert "An entry can be at most 5000 characters; this one has 5099." in content
    assert body.strip() in content
    assert not CoachLogEntry.objects.exists()


def test_an_entry_of_the_longest_length_counts_a_line_break_once(client, cast):
    """The browser's maxlength counts a line break as one character but sends two."""
    client.force_login(cast.people["coach"])
    body = ("a" * 99 + "\r\n") * 50  # 5000 characters as typed, 5050 as sent
    assert client.post(url_of(cast.team), {"body": body}).status_code == 302
    assert len(CoachLogEntry.objects.get().body) == 4999  # the last line break is stripped


def test_html_in_an_entry_is_shown_as_text(client, cast):
    coach = cast.people["coach"]
    CoachLogEntry.objects.create(
        team=cast.team, author=coach, body='<script>alert("x")</script>\n<b>fet</b>'
    )
    client.force_login(coach)
    content = client.get(url_of(cast.team)).content.decode()
    assert "<script>alert" not in content and "<b>fet</b>" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;fet&lt;/b&gt;" in content


def test_a_personal_identity_number_is_held_until_the_author_confirms(client, cast, in_english):
    client.force_login(cast.people["coach"])
    url = url_of(cast.team, "en")
    body = "Ringde om 19121212-1212 i går."
    held = client.post(url, {"body": body})
    assert held.status_code == 400
    content = held.content.decode()
    assert "This looks like a personal identity number." in content
    assert body in content and 'name="privacy_confirmed"' in content
    assert not CoachLogEntry.objects.exists()
    confirmed = client.post(url, {"body": body, "privacy_confirmed": "on"})
    assert confirmed.status_code == 302
    assert CoachLogEntry.objects.get().body == body


def test_an_archived_team_s_log_is_read_but_no_longer_written(client, cast, in_english):
    cast.team.archived_at = timezone.now()
    cast.team.save()
    client.force_login(cast.people["coach"])
    page = client.get(url_of(cast.team, "en"))
    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    assert "The team or its program is archived" in page.content.decode()
    assert client.post(url_of(cast.team), {"body": "Sent"}).status_code == 403
    assert not CoachLogEntry.objects.exists()


def test_the_page_links_to_the_team_s_running_project(client, cast):
    run_on(cast.program, make_workflow(stage("aim")))
    client.force_login(cast.people["coach"])
    assert "/workspace/projects/" not in client.get(url_of(cast.team)).content.decode()
    project = transitions.start_project(cast.team, cast.people["member"], title="Färre fall")
    content = client.get(url_of(cast.team)).content.decode()
    assert f'href="/sv/workspace/projects/{project.pk}/"' in content


@pytest.mark.parametrize(
    ("role", "linked"), [("coach", True), ("faculty", True), ("member", False), ("sponsor", False)]
)
def test_the_project_page_the_stage_page_and_the_coach_s_dashboard_link_to_the_log(
    client, cast, role, linked
):
    run_on(cast.program, make_workflow(stage("aim")))
    project = transitions.start_project(cast.team, cast.people["member"])
    client.force_login(cast.people[role])
    aim = project.stage_states.get()
    for page in (f"/sv/workspace/projects/{project.pk}/", f"/sv/workspace/stages/{aim.pk}/"):
        assert (f'href="{url_of(cast.team)}"' in client.get(page).content.decode()) is linked
    dashboard = client.get("/sv/workspace/").content.decode()
    assert (f'href="{url_of(cast.team)}"' in dashboard) is (role == "coach")


def test_the_database_refuses_an_empty_or_too_long_entry(cast):
    for body in ("", "x" * 5001):
        with pytest.raises(IntegrityError), transaction.atomic():
            CoachLogEntry.objects.create(team=cast.team, author=cast.people["coach"], body=body)


def test_the_audit_action_is_known_to_wagtail_with_a_label(in_english):
    """Wagtail refuses to save an audit entry whose action it does not know."""
    assert registry.action_exists(LOG_ACTION)
    assert str(registry.get_action_label(LOG_ACTION)) == "Write in a coach log"


def _entries(cast, count):
    CoachLogEntry.objects.bulk_create(
        CoachLogEntry(team=cast.team, author=cast.people[READERS[n % 2]], body=f"Anteckning {n}")
        for n in range(count)
    )


def test_the_page_costs_the_same_queries_with_2_and_40_entries(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.people["coach"])
    url = url_of(cast.team)
    _entries(cast, 2)
    client.get(url)  # warm caches (content types, site root paths) so both counts compare
    with CaptureQueriesContext(connection) as with_two:
        assert client.get(url).status_code == 200
    _entries(cast, 38)
    with django_assert_num_queries(len(with_two)):
        response = client.get(url)
    assert response.content.decode().count('class="coach-log__entry"') == 40
