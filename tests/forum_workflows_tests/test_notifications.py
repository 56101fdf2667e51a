"""Email notifications of stage events (issue #7): who hears of what, in their own language, at
once or in a daily or weekly digest; reminders of stages past their due date; and the page where
people choose how often. Events are driven through ``transitions``, as the workspace will."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from forum_workflows import notifications, transitions
from forum_workflows.models import (
    CoachAssignment,
    ImprovementProject,
    Notification,
    NotificationPreference,
    OverdueReminder,
    Program,
    ProgramRole,
    StageState,
    Team,
)
from forum_workflows.workflow_blocks import Gate

from .people import LONG_AGO, make_cast
from .workflows import filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db

State = StageState.State
Kind = NotificationPreference.Kind
Frequency = NotificationPreference.Frequency
DAY = datetime.timedelta(days=1)


# The cast -------------------------------------------------------------------------------------


def speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def cast(make_user):
    cast = make_cast(make_user)
    people = cast.people
    speaks(people["lead"], "en")
    people["english_coach"] = make_user(full_name="English Coach", language="en")
    CoachAssignment.objects.create(
        team=cast.team, coach=people["english_coach"], starts_on=LONG_AGO
    )
    people["english_manager"] = make_user(full_name="English Manager", language="en")
    ProgramRole.objects.create(
        program=cast.program, user=people["english_manager"], role=ProgramRole.Role.MANAGER
    )
    return cast


@pytest.fixture
def people(cast):
    return cast.people


def _ramp():
    return make_workflow(
        stage("aim", name_sv="Globalt mål", name_en="Global aim"),
        stage(
            "measure",
            gate=Gate.FEEDBACK,
            opens_at_start=True,
            name_sv="Mätning",
            name_en="Measures",
        ),
        stage(
            "plan",
            gate=Gate.MANAGER,
            opens_at_start=True,
            name_sv="Handlingsplan",
            name_en="Action plan",
        ),
        stage("notes", gate=Gate.NONE, depends_on="aim"),
    )


@pytest.fixture
def project(cast, people):
    run_on(cast.program, _ramp())
    return transitions.start_project(cast.team, people["member"], title="Färre fall")


def _stage(project, key="aim"):
    return StageState.objects.get(project=project, stage_key=key)


def _submit(project, people, key="aim", who="member"):
    state = _stage(project, key)
    transitions.submit_stage(
        state, people[who], filled(state), expected_revision=state.answer_set.draft_revision
    )
    return _stage(project, key)


def _mails():
    """``{address: message}`` of the mail sent, asserting one each."""
    sent = {message.to[0]: message for message in mail.outbox}
    assert len(sent) == len(mail.outbox), [message.to for message in mail.outbox]
    return sent


def _addresses(*users):
    return {user.email for user in users}


def _html(message):
    return message.alternatives[0].content


def _assert_swedish(message, stage_sv):
    assert stage_sv in message.subject
    assert "http://testserver/sv/workspace/stages/" in message.body
    assert 'lang="sv"' in _html(message)


def _assert_english(message, stage_en):
    assert stage_en in message.subject
    assert "http://testserver/en/workspace/stages/" in message.body
    assert 'lang="en"' in _html(message)


# Who hears of what, in which language ----------------------------------------------------------


def test_a_stage_submitted_for_coach_approval_mails_the_teams_coaches_in_their_languages(
    cast, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(project, people)
    sent = _mails()
    assert set(sent) == _addresses(people["coach"], people["english_coach"])
    _assert_swedish(sent[people["coach"].email], "Globalt mål")
    _assert_english(sent[people["english_coach"].email], "Global aim")
    english = sent[people["english_coach"].email]
    assert english.subject == "Hemtjänsten Söder submitted “Global aim”"
    assert "Member submitted the stage for your review." in english.body
    assert "Hemtjänsten Söder: Global aim" in english.body
    assert "http://testserver/en/my/notifications/" in english.body


def test_a_stage_for_programme_manager_approval_mails_the_programs_managers(
    cast, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(project, people, "plan")
    sent = _mails()
    # Not the faculty, not the coaches, not the other program's manager.
    assert set(sent) == _addresses(people["manager"], people["english_manager"])
    _assert_swedish(sent[people["manager"].email], "Handlingsplan")
    _assert_english(sent[people["english_manager"].email], "Action plan")


def test_a_stage_with_coach_feedback_asks_the_coaches_for_feedback(
    cast, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        state = _submit(project, people, "measure")
    assert state.state == State.APPROVED
    sent = _mails()
    assert set(sent) == _addresses(people["coach"], people["english_coach"])
    assert "Your feedback is welcome." in sent[people["english_coach"].email].body


def test_a_stage_without_a_gate_tells_nobody(
    cast, people, project, django_capture_on_commit_callbacks
):
    transitions.approve_stage(_submit(project, people), people["coach"])
    with django_capture_on_commit_callbacks(execute=True):
        _submit(project, people, "notes")
    assert mail.outbox == []


def test_a_team_without_a_coach_has_its_coach_approval_requests_go_to_the_managers(
    cast, people, project, django_capture_on_commit_callbacks
):
    CoachAssignment.objects.filter(team=cast.team).update(ends_on=LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(project, people)
    assert set(_mails()) == _addresses(people["manager"], people["english_manager"])


def test_an_approval_mails_the_teams_current_members_and_leads_but_not_the_reviewer(
    cast, people, project, django_capture_on_commit_callbacks
):
    state = _submit(project, people)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.approve_stage(state, people["coach"], comment="Bra jobbat!")
    sent = _mails()
    # Not the former member, the deactivated member, the sponsor or the other team.
    assert set(sent) == _addresses(people["member"], people["lead"])
    _assert_swedish(sent[people["member"].email], "Globalt mål")
    english = sent[people["lead"].email]
    _assert_english(english, "Global aim")
    assert english.subject == "Hemtjänsten Söder: “Global aim” is approved"
    assert "Coach approved the stage and wrote:" in english.body
    assert "Bra jobbat!" in english.body


def test_a_request_for_changes_mails_the_team_with_the_reviewers_comment(
    cast, people, project, django_capture_on_commit_callbacks
):
    state = _submit(project, people)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.request_changes(
            state, people["english_coach"], comment="Lägg till ett mått för natten."
        )
    sent = _mails()
    assert set(sent) == _addresses(people["member"], people["lead"])
    _assert_swedish(sent[people["member"].email], "Globalt mål")
    english = sent[people["lead"].email]
    _assert_english(english, "Global aim")
    assert english.subject == "Hemtjänsten Söder: changes requested in “Global aim”"
    assert "English Coach asked for changes:" in english.body
    for message in sent.values():
        assert "Lägg till ett mått för natten." in message.body
        assert "Lägg till ett mått för natten." in _html(message)


def test_a_coachs_comment_mails_the_team_and_never_its_author(
    cast, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.add_comment(_stage(project), people["coach"], body="Hur mäter ni?")
    sent = _mails()
    assert set(sent) == _addresses(people["member"], people["lead"])
    _assert_swedish(sent[people["member"].email], "Globalt mål")
    _assert_english(sent[people["lead"].email], "Global aim")
    assert "Coach wrote a comment:" in sent[people["lead"].email].body
    assert "Hur mäter ni?" in sent[people["lead"].email].body


def test_a_members_comment_goes_to_the_coaches_instead(
    cast, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.add_comment(_stage(project), people["lead"], body="Vi mäter varje natt.")
    sent = _mails()
    assert set(sent) == _addresses(people["coach"], people["english_coach"])
    _assert_swedish(sent[people["coach"].email], "Globalt mål")
    _assert_english(sent[people["english_coach"].email], "Global aim")


def test_a_comment_is_plain_text_in_the_text_mail_and_escaped_in_the_html_one(
    cast, people, project, django_capture_on_commit_callbacks
):
    body = '<script>alert("x")</script> & <b>fler</b> mätningar'
    with django_capture_on_commit_callbacks(execute=True):
        transitions.add_comment(_stage(project), people["coach"], body=body)
    message = _mails()[people["member"].email]
    assert body in message.body
    assert "<script>" not in _html(message)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fler" in _html(
        message
    )


def test_mail_goes_out_only_after_the_change_commits(
    cast, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _submit(project, people)
    assert mail.outbox == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_failed_mail_is_sent_by_the_next_digest_run(
    cast, people, project, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(message, *args, **kwargs):
        raise ConnectionRefusedError

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            transitions.add_comment(_stage(project), people["coach"], body="Hur mäter ni?")
    assert mail.outbox == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2
    call_command("send_notification_digests", stdout=io.StringIO())
    assert mail.outbox == []  # the task may still be on its way
    Notification.objects.update(created_at=timezone.now() - notifications.RETRY_AFTER)
    call_command("send_notification_digests", stdout=io.StringIO())
    assert set(_mails()) == _addresses(people["member"], people["lead"])
    assert "Hur mäter ni?" in _mails()[people["member"].email].body


def test_news_about_a_team_the_person_has_left_is_dropped(
    cast, people, project, django_capture_on_commit_callbacks
):
    notifications.set_preferences(people["member"], {Kind.COMMENTS: Frequency.DAILY})
    transitions.add_comment(_stage(project), people["coach"], body="Hur mäter ni?")
    people["member"].memberships.update(ends_on=LONG_AGO)
    _age_choices(people["member"], DAY)
    mail.outbox.clear()
    call_command("send_notification_digests", stdout=io.StringIO())
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=people["member"]).exists()


# Digests -------------------------------------------------------------------------------------


def _age_choices(user, by):
    NotificationPreference.objects.filter(user=user).update(changed_at=timezone.now() - by)


def _age_digests(user, by):
    Notification.objects.filter(recipient=user, sent_at__isnull=False).update(
        sent_at=timezone.now() - by
    )


def _digests():
    call_command("send_notification_digests", stdout=io.StringIO())
    return _mails()


def test_a_digest_choice_queues_the_news_instead_of_mailing_it(
    cast, people, project, django_capture_on_commit_callbacks
):
    notifications.set_preferences(people["coach"], {Kind.SUBMITTED: Frequency.DAILY})
    with django_capture_on_commit_callbacks(execute=True):
        _submit(project, people)
    assert set(_mails()) == _addresses(people["english_coach"])
    waiting = Notification.objects.get(recipient=people["coach"])
    assert (waiting.event, waiting.frequency, waiting.sent_at) == (
        Notification.Event.SUBMITTED,
        Frequency.DAILY,
        None,
    )


def test_the_daily_digest_sends_each_person_one_mail_with_all_their_news_once(
    cast, people, project, django_capture_on_commit_callbacks
):
    for person in ("coach", "english_coach"):
        notifications.set_preferences(
            people[person], {Kind.SUBMITTED: Frequency.DAILY, Kind.COMMENTS: Frequency.DAILY}
        )
    with django_capture_on_commit_callbacks(execute=True):
        _submit(project, people)
        _submit(project, people, "measure")
        transitions.add_comment(_stage(project), people["member"], body="Klart för granskning.")
    assert mail.outbox == []
    assert _digests() == {}  # a day has not passed since they chose the digest
    _age_choices(people["coach"], DAY)
    _age_choices(people["english_coach"], DAY)
    with django_capture_on_commit_callbacks(execute=True):
        sent = _digests()
    assert set(sent) == _addresses(people["coach"], people["english_coach"])
    english = sent[people["english_coach"].email]
    assert english.subject == "Your daily digest: 3 updates"
    assert "Global aim" in english.body and "Measures" in english.body
    assert "Klart för granskning." in english.body
    assert "Mätning" in sent[people["coach"].email].body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()

    mail.outbox.clear()
    assert _digests() == {}  # a second run sends nothing


def test_the_next_daily_digest_waits_a_day_after_the_last(
    cast, people, project, django_capture_on_commit_callbacks
):
    coach = people["coach"]
    notifications.set_preferences(coach, {Kind.COMMENTS: Frequency.DAILY})
    _age_choices(coach, DAY)
    transitions.add_comment(_stage(project), people["member"], body="Ett")
    assert set(_digests()) == _addresses(coach)
    mail.outbox.clear()
    transitions.add_comment(_stage(project), people["member"], body="Två")
    assert _digests() == {}
    _age_digests(coach, DAY - datetime.timedelta(hours=2))
    assert _digests() == {}
    _age_digests(coach, DAY)
    message = _digests()[coach.email]
    assert "Två" in message.body and "Ett" not in message.body


def test_a_weekly_digest_is_not_sent_before_seven_days(
    cast, people, project, django_capture_on_commit_callbacks
):
    coach = people["english_coach"]
    notifications.set_preferences(coach, {Kind.COMMENTS: Frequency.WEEKLY})
    transitions.add_comment(_stage(project), people["member"], body="Ett")
    _age_choices(coach, 6 * DAY)
    assert _digests() == {}
    _age_choices(coach, 7 * DAY)
    assert _digests()[coach.email].subject == "Your weekly digest: 1 update"
    mail.outbox.clear()
    transitions.add_comment(_stage(project), people["member"], body="Två")
    _age_digests(coach, 6 * DAY)
    assert _digests() == {}
    _age_digests(coach, 7 * DAY)
    assert "Två" in _digests()[coach.email].body


def test_choosing_at_once_sends_the_waiting_news_now(
    cast, people, project, django_capture_on_commit_callbacks
):
    coach = people["english_coach"]
    notifications.set_preferences(coach, {Kind.COMMENTS: Frequency.WEEKLY})
    transitions.add_comment(_stage(project), people["member"], body="Ett")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.set_preferences(coach, {Kind.COMMENTS: Frequency.IMMEDIATE})
    assert _mails()[coach.email].subject == "Hemtjänsten Söder: new comment on “Global aim”"


def test_choosing_another_digest_moves_the_waiting_news(cast, people, project):
    coach = people["coach"]
    notifications.set_preferences(coach, {Kind.COMMENTS: Frequency.WEEKLY})
    transitions.add_comment(_stage(project), people["member"], body="Ett")
    notifications.set_preferences(coach, {Kind.COMMENTS: Frequency.DAILY})
    assert Notification.objects.get(recipient=coach).frequency == Frequency.DAILY


# Stages past their due date -------------------------------------------------------------------


def _overdue(project, key="aim", days=1):
    StageState.objects.filter(project=project, stage_key=key).update(
        due_on=timezone.localdate() - datetime.timedelta(days=days)
    )
    return _stage(project, key)


def _remind(capture):
    with capture(execute=True):
        call_command("send_overdue_reminders", stdout=io.StringIO())
    return _mails()


def test_a_stage_past_its_due_date_reminds_the_team_once(
    cast, people, project, django_capture_on_commit_callbacks
):
    state = _overdue(project)
    sent = _remind(django_capture_on_commit_callbacks)
    assert set(sent) == _addresses(people["member"], people["lead"])
    _assert_swedish(sent[people["member"].email], "Globalt mål")
    english = sent[people["lead"].email]
    _assert_english(english, "Global aim")
    assert english.subject == "Hemtjänsten Söder: “Global aim” is past its due date"
    due = state.due_on
    assert f"The stage was due on {due.day} {due:%B %Y} and is not done yet." in english.body
    assert OverdueReminder.objects.get().due_on == state.due_on

    mail.outbox.clear()
    assert _remind(django_capture_on_commit_callbacks) == {}


def test_a_new_due_date_gets_its_own_reminder(
    cast, people, project, django_capture_on_commit_callbacks
):
    _overdue(project, days=10)
    _remind(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _overdue(project, days=2)
    assert set(_remind(django_capture_on_commit_callbacks)) == _addresses(
        people["member"], people["lead"]
    )
    assert OverdueReminder.objects.count() == 2


def test_a_team_member_reminded_of_several_stages_gets_one_mail(
    cast, people, project, django_capture_on_commit_callbacks
):
    _overdue(project, "aim")
    _overdue(project, "plan")
    message = _remind(django_capture_on_commit_callbacks)[people["lead"].email]
    assert message.subject == "2 updates in your projects"
    assert "Global aim" in message.body and "Action plan" in message.body


@pytest.mark.parametrize("state", [State.APPROVED, State.SUBMITTED, State.WAIVED, State.LOCKED])
def test_a_stage_with_nothing_for_the_team_to_do_is_not_reminded_of(
    cast, people, project, django_capture_on_commit_callbacks, state
):
    _overdue(project)
    StageState.objects.filter(project=project, stage_key="aim").update(state=state)
    assert _remind(django_capture_on_commit_callbacks) == {}
    assert not OverdueReminder.objects.exists()


def test_an_approved_stage_is_not_reminded_of(
    cast, people, project, django_capture_on_commit_callbacks
):
    transitions.approve_stage(_submit(project, people), people["coach"])
    _overdue(project)
    assert _remind(django_capture_on_commit_callbacks) == {}


@pytest.mark.parametrize(
    "change",
    [
        lambda cast, project: ImprovementProject.objects.filter(pk=project.pk).update(
            archived_at=timezone.now()
        ),
        lambda cast, project: Team.objects.filter(pk=cast.team.pk).update(
            status=Team.Status.PAUSED
        ),
        lambda cast, project: Team.objects.filter(pk=cast.team.pk).update(
            archived_at=timezone.now()
        ),
        lambda cast, project: Program.objects.filter(pk=cast.program.pk).update(
            archived_at=timezone.now()
        ),
    ],
    ids=["archived project", "paused team", "archived team", "archived program"],
)
def test_projects_that_do_not_run_are_not_reminded_of(
    cast, people, project, django_capture_on_commit_callbacks, change
):
    _overdue(project)
    change(cast, project)
    assert _remind(django_capture_on_commit_callbacks) == {}


def test_an_overdue_reminder_follows_the_digest_choice(
    cast, people, project, django_capture_on_commit_callbacks
):
    notifications.set_preferences(people["lead"], {Kind.OVERDUE: Frequency.DAILY})
    _overdue(project)
    assert set(_remind(django_capture_on_commit_callbacks)) == _addresses(people["member"])
    waiting = Notification.objects.get(recipient=people["lead"])
    assert (waiting.event, waiting.sent_at) == (Notification.Event.OVERDUE, None)


# The settings page ----------------------------------------------------------------------------


def _settings_url(language="sv"):
    from django.utils import translation

    with translation.override(language):
        return reverse("forum_workflows:notification_settings")


def test_the_settings_page_asks_to_log_in(client):
    response = client.get(_settings_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_settings_page_shows_the_choices_with_a_label_for_each(client, cast, people):
    notifications.set_preferences(people["member"], {Kind.OVERDUE: Frequency.WEEKLY})
    client.force_login(people["member"])
    response = client.get(_settings_url("en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="viewport"' in html
    for kind in Kind.values:
        assert html.count(f'name="{kind}"') == 3
        for number in range(3):
            assert f'<label for="id_{kind}_{number}">' in html
    assert "<legend>Stages past their due date</legend>" in html
    assert 'value="weekly" id="id_overdue_2" required checked>' in html
    assert 'value="immediate" id="id_comments_0" required checked>' in html
    assert 'value="immediate" id="id_overdue_0" required>' in html


def test_the_settings_page_saves_the_choices(client, cast, people):
    member = people["member"]
    client.force_login(member)
    choices = {
        Kind.SUBMITTED: Frequency.IMMEDIATE,
        Kind.DECISIONS: Frequency.IMMEDIATE,
        Kind.COMMENTS: Frequency.DAILY,
        Kind.OVERDUE: Frequency.WEEKLY,
    }
    response = client.post(_settings_url(), choices)
    assert response.status_code == 302
    assert response["Location"] == _settings_url()
    assert notifications.preferences_of(member) == choices
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"submitted": "hourly", "decisions": "daily", "comments": "daily", "overdue": "daily"},
        {"submitted": "daily", "decisions": "daily", "comments": "daily"},
        {},
    ],
    ids=["unknown frequency", "a kind left out", "nothing"],
)
def test_the_settings_page_refuses_bad_input_and_saves_nothing(client, cast, people, data):
    client.force_login(people["member"])
    response = client.post(_settings_url("en"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert (
        "Choose one of the options shown." in html
        or "Choose how often you want to hear about this." in html
    )
    assert not NotificationPreference.objects.exists()


def test_the_settings_page_refuses_a_post_without_its_csrf_token(cast, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["member"])
    response = client.post(_settings_url(), dict.fromkeys(Kind.values, "daily"))
    assert response.status_code == 403
    assert not NotificationPreference.objects.exists()


# Two runs at once (PostgreSQL only: real threads, each with its own connection) ----------------


class Meeting:
    """Holds each thread that arrives until every other one has arrived too or has finished (a
    thread that gave way to another's lock never arrives; nobody waits for a timeout)."""

    def __init__(self, count):
        self.count, self.arrived, self.finished = count, 0, 0
        self.condition = threading.Condition()

    def arrive(self):
        with self.condition:
            self.arrived += 1
            self.condition.notify_all()
            met = self.condition.wait_for(
                lambda: self.arrived + self.finished >= self.count, timeout=10
            )
        assert met, "a racing thread hung"

    def finish(self):
        with self.condition:
            self.finished += 1
            self.condition.notify_all()


def _at_once(*runs, meetings=()):
    """Run each of ``runs`` in its own thread and wait for them; returns the errors raised."""
    errors = []

    def run(function):
        try:
            function()
        except Exception as error:
            errors.append(error)
        finally:
            for meeting in meetings:
                meeting.finish()
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_one_digest(make_user, monkeypatch):
    """Both runs find the digest due, and both tasks are past their checks, before either takes
    the news: one mails it, the other nothing (the person's row lock, the news rows' locks and
    the compare-and-set on ``sent_at`` each stop the second; without all three it mails twice).
    """
    cast = make_cast(make_user)
    people = cast.people
    run_on(cast.program, _ramp())
    project = transitions.start_project(cast.team, people["member"])
    notifications.set_preferences(people["coach"], {Kind.COMMENTS: Frequency.DAILY})
    _age_choices(people["coach"], DAY)
    transitions.add_comment(_stage(project), people["member"], body="Ett")
    mail.outbox.clear()
    found_due, claiming = Meeting(2), Meeting(2)
    task, claim = notifications.send_digest, notifications._claim

    class Raced:
        @staticmethod
        def enqueue(*args):
            found_due.arrive()
            return task.enqueue(*args)

    def raced_claim(*args):
        claiming.arrive()
        return claim(*args)

    monkeypatch.setattr(notifications, "send_digest", Raced)
    monkeypatch.setattr(notifications, "_claim", raced_claim)
    runs = (notifications.send_digests, notifications.send_digests)
    assert _at_once(*runs, meetings=(found_due, claiming)) == []
    assert [message.to for message in mail.outbox] == [[people["coach"].email]]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_remind_the_team_once(make_user, monkeypatch):
    """Both runs find the stage overdue before either records the reminder; the unique reminder
    row lets one through."""
    cast = make_cast(make_user)
    people = cast.people
    run_on(cast.program, _ramp())
    project = transitions.start_project(cast.team, people["member"])
    _overdue(project)
    both_read_it = Meeting(2)
    overdue_stages = notifications.overdue_stages

    def raced(today=None):
        stages = list(overdue_stages(today))
        both_read_it.arrive()
        return stages

    monkeypatch.setattr(notifications, "overdue_stages", raced)
    runs = (notifications.send_overdue_reminders, notifications.send_overdue_reminders)
    assert _at_once(*runs, meetings=(both_read_it,)) == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        _addresses(people["member"], people["lead"])
    )
    assert OverdueReminder.objects.count() == 1
