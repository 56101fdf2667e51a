"""What people are told about the stages they work on or review, and how often (issue #7).

- :class:`NotificationPreference`: per person and per kind of news, at once or in a daily or
  weekly digest. No row means at once.
- :class:`Notification`: one piece of news for one person. Mailed at once (a task after the
  commit) or waiting for the person's digest (``manage.py send_notification_digests``).
- :class:`OverdueReminder`: that a stage's team was reminded of its due date; one per stage and
  due date, so a reminder never goes out twice (``manage.py send_overdue_reminders``).

``forum_workflows.notifications`` writes these rows; nothing else should.

A person's own choices and inbox go when the person goes (CASCADE), unlike the project's record,
which is PROTECTed. A notification points at the comment instead of copying its text, so a
redacted comment is redacted in the mail that has not gone out yet too.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .projects import StageComment, StageState


class NotificationPreference(models.Model):
    """How often one person hears about one kind of news.

    Without a row it is at once, for teams and coaches alike: a review request or a request for
    changes that waits a day costs the team more than one more email; anyone may choose a digest.
    """

    class Kind(models.TextChoices):
        """The kinds of news a person chooses a frequency for."""

        SUBMITTED = "submitted", _("Stages submitted for your review or feedback")
        DECISIONS = "decisions", _("Approvals and requests for changes")
        COMMENTS = "comments", _("New comments")
        OVERDUE = "overdue", _("Stages past their due date")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one email each")
        DAILY = "daily", _("In a daily digest")
        WEEKLY = "weekly", _("In a weekly digest")

    #: Without a row for a kind, this.
    DEFAULT = Frequency.IMMEDIATE

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    frequency = models.CharField(
        _("how often"), max_length=16, choices=Frequency.choices, default=DEFAULT
    )
    #: When the frequency last changed: a first digest waits a period from here.
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="forum_workflows_notification_preference_unique"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}, {self.get_frequency_display()}"


class Notification(models.Model):
    """One piece of news about a stage for one person; ``sent_at`` is empty until it is mailed.

    ``frequency`` is the person's choice when it was queued (changing the choice moves the news
    that is still waiting). The mail is written when it goes out, in the person's language then.
    """

    class Event(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        COMMENTED = "commented", _("comment")
        OVERDUE = "overdue", _("past its due date")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    frequency = models.CharField(
        _("how often"), max_length=16, choices=NotificationPreference.Frequency.choices
    )
    stage_state = models.ForeignKey(
        StageState, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    #: The review decision's or the comment's row: its text is read when the mail is written.
    comment = models.ForeignKey(
        StageComment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment"),
    )
    #: Who did it; empty for a reminder.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    #: For a reminder: the due date it was about.
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    #: When it was taken for a mail (at once or in a digest).
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [
            # A person's waiting news of one frequency, and their last digest of it.
            models.Index(
                fields=["recipient", "frequency", "sent_at"], name="forum_wf_notification_due"
            ),
            models.Index(
                fields=["frequency", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="forum_wf_notification_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.get_event_display()}, {self.stage_state}"


class OverdueReminder(models.Model):
    """The team of a stage was reminded that it was due on ``due_on``."""

    stage_state = models.ForeignKey(
        StageState,
        on_delete=models.PROTECT,
        related_name="overdue_reminders",
        verbose_name=_("stage"),
    )
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("reminded"), default=timezone.now)

    class Meta:
        verbose_name = _("overdue reminder")
        verbose_name_plural = _("overdue reminders")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage_state", "due_on"],
                name="forum_workflows_one_overdue_reminder_per_due_date",
            )
        ]

    def __str__(self):
        return f"{self.stage_state}: {self.due_on}"
