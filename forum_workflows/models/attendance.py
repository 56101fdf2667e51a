"""Sign-ups (anmälan) for learning sessions, and who attended.

A sign-up asks only what is needed: that the person comes, and an optional note for the
organisers (dietary needs, access). Notes are personal data that is only needed until the
session: ``manage.py delete_session_notes`` (run from cron) empties them once it has ended.
Attendance is recorded by a programme manager, one register per session.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .programs import LearningSession


class SignUp(models.Model):
    session = models.ForeignKey(
        LearningSession,
        on_delete=models.PROTECT,
        related_name="sign_ups",
        verbose_name=_("learning session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="session_sign_ups",
        verbose_name=_("person"),
    )
    note = models.TextField(
        _("note to the organisers"),
        blank=True,
        max_length=500,
        help_text=_(
            "For example food you cannot eat, or access needs. Deleted after the session."
        ),
    )
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["session", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="forum_workflows_sign_up_once_per_session"
            )
        ]

    def __str__(self):
        return f"{self.user}, {self.session}"

    @property
    def is_active(self):
        return self.cancelled_at is None


class Attendance(models.Model):
    """Whether a person attended a session, as the programme manager recorded it."""

    session = models.ForeignKey(
        LearningSession,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("learning session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="session_attendance",
        verbose_name=_("person"),
    )
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="forum_workflows_attendance_once_per_session"
            )
        ]

    def __str__(self):
        return f"{self.user}, {self.session}"
