"""Telling people about stage events by email, in each person's language (issue #7).

``transitions`` calls :func:`stage_event` inside the transaction that made a change. That writes
one :class:`~forum_workflows.models.Notification` per recipient in the same transaction and mails
those who want news at once in a task after the commit: a change that rolls back tells nobody,
and a mail server that is down never fails the change. The rest wait for the person's digest:
``manage.py send_notification_digests`` (cron, hourly) queues a task for each digest that is due.
``manage.py send_overdue_reminders`` (cron, daily) reminds teams of stages past their due date.

Who hears of what (never the person who did it, never a deactivated account):

- a stage submitted: those who review its gate: for coach approval and coach feedback the team's
  current coaches (for coach approval without a coach, the program's programme managers, so the
  stage never waits unseen); for programme-manager approval the program's programme managers;
- approved, changes requested: the team's current members and leads;
- a comment: the team's current members and leads; a comment by a member or lead goes to the
  team's current coaches instead;
- a stage past its due date: the team's current members and leads, once per stage and due date.

Everyone chooses per kind of news (:class:`NotificationPreference.Kind`) at once, a daily or a
weekly digest; without a choice it is at once. A digest goes out when the person has news waiting
for it and a day (a week) has passed since their previous digest of that frequency, or, before
the first, since they chose it. Periods count from the hour, so a cron run a few seconds early
or late never skips a day.

Sending is at most once: a mail's rows are claimed (``sent_at``) in a short transaction before the
mail goes out; a mail that fails gives them back, and the next digest run sends them. A crash
between claiming and sending loses that mail rather than sending it twice. When the mail is
written, news about a stage the person may no longer see (they left the team) is dropped.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, Min, OuterRef
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.users.models import UserProfile

from . import progress
from .models import (
    CoachAssignment,
    Membership,
    Notification,
    NotificationPreference,
    OverdueReminder,
    ProgramRole,
    StageState,
    Team,
)
from .permissions import can
from .workflow_blocks import Gate

logger = logging.getLogger(__name__)

#: The events ``transitions`` reports to :func:`stage_event`; OVERDUE comes from the reminders.
SUBMITTED = Notification.Event.SUBMITTED
APPROVED = Notification.Event.APPROVED
CHANGES_REQUESTED = Notification.Event.CHANGES_REQUESTED
COMMENTED = Notification.Event.COMMENTED
OVERDUE = Notification.Event.OVERDUE

Kind = NotificationPreference.Kind
Frequency = NotificationPreference.Frequency

#: The kind of news (what people choose a frequency for) each event is.
KIND_OF = {
    SUBMITTED: Kind.SUBMITTED,
    APPROVED: Kind.DECISIONS,
    CHANGES_REQUESTED: Kind.DECISIONS,
    COMMENTED: Kind.COMMENTS,
    OVERDUE: Kind.OVERDUE,
}
#: How long a digest waits after the previous one.
PERIODS = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}
#: A digest run this much before the hour still counts as on it (cron starts a little early).
GRACE = datetime.timedelta(minutes=5)
#: News meant for at once and still waiting this long after (its mail failed, or the worker lost
#: the task) goes out with the next digest run.
RETRY_AFTER = datetime.timedelta(minutes=15)

SUBJECTS = {
    SUBMITTED: _("%(team)s submitted “%(stage)s”"),
    APPROVED: _("%(team)s: “%(stage)s” is approved"),
    CHANGES_REQUESTED: _("%(team)s: changes requested in “%(stage)s”"),
    COMMENTED: _("%(team)s: new comment on “%(stage)s”"),
    OVERDUE: _("%(team)s: “%(stage)s” is past its due date"),
}


# Who hears of it --------------------------------------------------------------------------------


def _people():
    User = get_user_model()
    return User._default_manager.filter(is_active=True).exclude(
        **{User.get_email_field_name(): ""}
    )


def team_members(team, on=None):
    """The team's current members and leads who can get mail."""
    current = Membership.objects.current(on).filter(team=team, user=OuterRef("pk"))
    return _people().filter(Exists(current))


def team_coaches(team, on=None):
    """The team's current coaches who can get mail."""
    current = CoachAssignment.objects.current(on).filter(team=team, coach=OuterRef("pk"))
    return _people().filter(Exists(current))


def programme_managers(program):
    """The program's programme managers who can get mail."""
    roles = ProgramRole.objects.filter(
        program=program, role=ProgramRole.Role.MANAGER, user=OuterRef("pk")
    )
    return _people().filter(Exists(roles))


def recipients(event, stage_state, actor):
    """Who hears of ``event`` on ``stage_state`` done by ``actor`` (a queryset of users)."""
    team = stage_state.project.team
    others = {"pk": actor.pk} if actor else {"pk__in": []}
    if event == SUBMITTED:
        gate = stage_state.spec["gate"]
        if gate == Gate.MANAGER:
            people = programme_managers(team.program)
        else:
            people = team_coaches(team)
            if gate == Gate.COACH and not people.exclude(**others).exists():
                people = programme_managers(team.program)
    elif event == COMMENTED and actor and team_members(team).filter(pk=actor.pk).exists():
        people = team_coaches(team)
    else:
        people = team_members(team)
    return people.exclude(**others)


# Queuing ----------------------------------------------------------------------------------------


def stage_event(event, stage_state, actor, comment=None):
    """Tell those who should hear of it that ``actor`` did ``event`` to ``stage_state`` (with
    ``comment``, a :class:`~forum_workflows.models.StageComment`, for decisions and comments).

    Call it inside the transaction that made the change: the news is written in it, and mail
    goes out only once it commits. Returns the queued notifications.
    """
    queued = _queue(
        recipients(event, stage_state, actor), event, stage_state, actor=actor, comment=comment
    )
    _send_after_commit(queued)
    return queued


def _queue(people, event, stage_state, **fields):
    people = list(people)
    chosen = dict(
        NotificationPreference.objects.filter(user__in=people, kind=KIND_OF[event]).values_list(
            "user", "frequency"
        )
    )
    return Notification.objects.bulk_create(
        Notification(
            recipient=person,
            event=event,
            frequency=chosen.get(person.pk, NotificationPreference.DEFAULT),
            stage_state=stage_state,
            **fields,
        )
        for person in people
    )


def _send_after_commit(notifications):
    """One mail per person for the news among ``notifications`` they want at once."""
    at_once = {}
    for notification in notifications:
        if notification.frequency == Frequency.IMMEDIATE:
            at_once.setdefault(notification.recipient_id, []).append(notification.pk)
    for ids in at_once.values():
        transaction.on_commit(partial(send_notifications.enqueue, ids))


# People's choices -------------------------------------------------------------------------------


def preferences_of(user):
    """``{kind: frequency}`` for every kind, the default where ``user`` chose nothing."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "frequency")
    )
    return {kind: chosen.get(kind, NotificationPreference.DEFAULT) for kind in Kind.values}


def set_preferences(user, choices):
    """Save ``user``'s ``{kind: frequency}`` choices. News still waiting follows the new choice:
    into the other digest, or, for at once, out now."""
    if not set(choices) <= set(Kind.values) or not set(choices.values()) <= set(Frequency.values):
        raise ValueError(choices)
    with transaction.atomic():
        moved = []
        for kind, frequency in choices.items():
            preference, _created = (
                NotificationPreference.objects.select_for_update().get_or_create(
                    user=user, kind=kind, defaults={"frequency": frequency}
                )
            )
            if preference.frequency != frequency:  # ``changed_at`` starts a new digest's wait
                preference.frequency = frequency
                preference.save(update_fields=["frequency", "changed_at"])
            waiting = Notification.objects.filter(
                recipient=user,
                sent_at__isnull=True,
                event__in=[event for event, of in KIND_OF.items() if of == kind],
            ).exclude(frequency=frequency)
            if frequency == Frequency.IMMEDIATE:
                moved += waiting.values_list("pk", flat=True)
            waiting.update(frequency=frequency)
        if moved:
            transaction.on_commit(partial(send_notifications.enqueue, moved))


# Digests ----------------------------------------------------------------------------------------


def _on_the_hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def is_digest_due(recipient_id, frequency, now=None):
    """Whether the person has news waiting for their digest of ``frequency`` and it may go out:
    a day (a week) after their previous one, or after they chose it if there was none yet.

    ``Frequency.IMMEDIATE`` "digests" carry news meant for at once whose own mail failed.
    """
    now = now or timezone.now()
    news = Notification.objects.filter(recipient_id=recipient_id, frequency=frequency)
    if frequency == Frequency.IMMEDIATE:
        return news.filter(sent_at__isnull=True, created_at__lte=now - RETRY_AFTER).exists()
    if not news.filter(sent_at__isnull=True).exists():
        return False
    since = news.aggregate(last=Max("sent_at"))["last"]
    if since is None:
        chosen = NotificationPreference.objects.filter(user_id=recipient_id, frequency=frequency)
        since = chosen.aggregate(first=Min("changed_at"))["first"]
    return since is None or now >= _on_the_hour(since) + PERIODS[frequency] - GRACE


def send_digests():
    """Queue a :func:`send_digest` task for every digest that is due; returns how many.

    Run it as often as you like (cron, hourly): the task checks again under a lock, so a second
    run, or two at once, send nothing twice.
    """
    now = timezone.now()
    waiting = (
        Notification.objects.filter(sent_at__isnull=True, recipient__is_active=True)
        .values_list("recipient", "frequency")
        .order_by("recipient", "frequency")
        .distinct()
    )
    queued = 0
    for recipient_id, frequency in waiting:
        if is_digest_due(recipient_id, frequency, now):
            send_digest.enqueue(recipient_id, frequency)
            queued += 1
    return queued


@task
def send_digest(recipient_id, frequency):
    """Mail the person their digest of ``frequency`` if it is still due; returns whether a mail
    went out.

    The person's row is locked (skipping one another run holds) while the news is claimed, so two
    runs never send one person two digests.
    """
    now = timezone.now()
    with transaction.atomic():
        people = get_user_model()._default_manager.select_for_update(skip_locked=True)
        if not people.filter(pk=recipient_id).values_list("pk", flat=True):
            return False  # another run is at it
        if not is_digest_due(recipient_id, frequency, now):
            return False
        ids = _claim(
            Notification.objects.filter(recipient_id=recipient_id, frequency=frequency), now
        )
    return _mail(ids, frequency)


@task
def send_notifications(notification_ids):
    """Mail one person those of ``notification_ids`` that have not gone out yet, in one mail;
    returns whether a mail went out."""
    with transaction.atomic():
        ids = _claim(Notification.objects.filter(pk__in=notification_ids), timezone.now())
    return _mail(ids, Frequency.IMMEDIATE)


class _TakenMeanwhile(Exception):
    pass


def _claim(notifications, now):
    """Mark the unsent ones among ``notifications`` as sent (inside the caller's transaction);
    returns their ids, or none when another process took some meanwhile."""
    ids = list(
        notifications.filter(sent_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    try:
        with transaction.atomic():
            # The compare-and-set keeps this safe where rows cannot be locked (SQLite).
            taken = Notification.objects.filter(pk__in=ids, sent_at__isnull=True)
            if taken.update(sent_at=now) != len(ids):
                raise _TakenMeanwhile
    except _TakenMeanwhile:
        return []
    return ids


# The mail ---------------------------------------------------------------------------------------


def workspace_link(stage_state, language):
    """The stage's page in the workspace, in ``language``, built from
    ``WAGTAILADMIN_BASE_URL``."""
    with translation.override(language):
        path = reverse("forum_workflows:workspace_stage", args=[stage_state.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def settings_link(language):
    """The page where people choose how often they hear from us, in ``language``."""
    with translation.override(language):
        path = reverse("forum_workflows:notification_settings")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def _stage_name(stage_state, language):
    name = stage_state.name(language)
    if stage_state.cycle > 1:
        return gettext("%(stage)s, cycle %(cycle)s") % {"stage": name, "cycle": stage_state.cycle}
    return name


def _item(notification, language):
    state = notification.stage_state
    return {
        "event": notification.event,
        "feedback": state.spec["gate"] == Gate.FEEDBACK,
        "team": state.project.team.name,
        "stage": _stage_name(state, language),
        "actor": _name(notification.actor),
        "comment": notification.comment.body if notification.comment_id else "",
        "due_on": notification.due_on,
        "link": workspace_link(state, language),
    }


def _subject(items, frequency):
    if len(items) == 1 and frequency == Frequency.IMMEDIATE:
        item = items[0]
        return SUBJECTS[item["event"]] % {"team": item["team"], "stage": item["stage"]}
    count = len(items)
    if frequency == Frequency.DAILY:
        text = ngettext(
            "Your daily digest: %(count)s update", "Your daily digest: %(count)s updates", count
        )
    elif frequency == Frequency.WEEKLY:
        text = ngettext(
            "Your weekly digest: %(count)s update", "Your weekly digest: %(count)s updates", count
        )
    else:
        text = ngettext(
            "%(count)s update in your projects", "%(count)s updates in your projects", count
        )
    return text % {"count": count}


def _mail(ids, frequency):
    """Write and send one mail with the claimed notifications ``ids`` (all for one person);
    returns whether a mail went out. If sending fails, the news is given back for the next
    digest run."""
    if not ids:
        return False
    notifications = list(
        Notification.objects.filter(pk__in=ids).select_related(
            "recipient",
            "actor",
            "comment",
            "stage_state__project__team",
            "stage_state__project__workflow_version",
        )
    )
    recipient = notifications[0].recipient
    visible = [n for n in notifications if can(recipient, "view", n.stage_state)]
    Notification.objects.filter(pk__in=ids).exclude(pk__in=[n.pk for n in visible]).delete()
    if not visible:
        return False
    try:
        _send(recipient, visible, frequency)
    except Exception:
        Notification.objects.filter(pk__in=[n.pk for n in visible]).update(sent_at=None)
        raise
    return True


def _send(recipient, notifications, frequency):
    language = UserProfile.get_for_user(recipient).get_preferred_language()
    with translation.override(language):
        items = [_item(notification, language) for notification in notifications]
        context = {
            "name": recipient.get_full_name(),
            "items": items,
            "digest": frequency != Frequency.IMMEDIATE,
            "frequency": frequency,
            "settings_link": settings_link(language),
            "language": language,
        }
        template = "forum_workflows/notifications/email"
        message = EmailMultiAlternatives(
            subject=" ".join(_subject(items, frequency).split()),
            body=render_to_string(f"{template}.txt", context),
            to=[getattr(recipient, get_user_model().get_email_field_name())],
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()


# Stages past their due date ---------------------------------------------------------------------


def overdue_stages(today=None):
    """Stages of running projects of active teams, due before ``today``, still to be done, whose
    team has not been reminded of that due date."""
    today = today or timezone.localdate()
    reminded = OverdueReminder.objects.filter(
        stage_state=OuterRef("pk"), due_on=OuterRef("due_on")
    )
    return (
        StageState.objects.filter(
            progress.overdue(today),
            project__archived_at__isnull=True,
            project__team__status=Team.Status.ACTIVE,
            project__team__archived_at__isnull=True,
            project__team__program__archived_at__isnull=True,
        )
        .exclude(Exists(reminded))
        .select_related("project__team__program", "project__workflow_version")
        .order_by("pk")
    )


def send_overdue_reminders(today=None):
    """Remind the team (current members and leads) of every overdue stage, once per stage and
    due date, at once or in their digests; returns how many stages.

    The :class:`~forum_workflows.models.OverdueReminder` row is written in the transaction that
    queues the news, and it is unique: a second run, or two at once, remind nobody twice. A new
    due date gets its own reminder.
    """
    today = today or timezone.localdate()
    reminded = 0
    with transaction.atomic():
        queued = []
        for state in overdue_stages(today):
            try:
                with transaction.atomic():
                    OverdueReminder.objects.create(stage_state=state, due_on=state.due_on)
            except IntegrityError:
                continue  # another run reminded them meanwhile
            queued += _queue(
                team_members(state.project.team, today), OVERDUE, state, due_on=state.due_on
            )
            reminded += 1
        _send_after_commit(queued)
    return reminded
