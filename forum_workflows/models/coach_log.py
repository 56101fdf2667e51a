"""A coach's private log about one team (issue #9): notes only the team's coaches and the
program's faculty read (``permissions.coach_log`` says who).

A log, not a document: entries are written and never edited or deleted from the site; an author
corrects by writing a new entry. The author and the team are PROTECTed, as elsewhere, so the log
outlives any mistake in the admin. The database refuses an empty entry and one longer than
:data:`MAX_LENGTH`, whoever writes it. ``CoachLogEntry.objects.write`` adds an entry together
with its entry in Wagtail's audit log, which never holds the entry's text.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import log

from .people import Team

#: The longest entry, in characters (line breaks count one each).
MAX_LENGTH = 5000
#: The audit log's action for a new entry.
LOG_ACTION = "forum_workflows.coach_log_entry"


# Registered here, with the models, rather than in ``wagtail_hooks``: Wagtail reads these hooks
# once, at its first audit entry, and refuses to save an entry whose action it has not read; the
# models are loaded before that, whoever writes first (a request, a command, a task).
@hooks.register("register_log_actions")
def register_log_actions(actions):
    """The action's name in the admin's history reports."""
    actions.register_action(LOG_ACTION, _("Write in a coach log"), _("Coach log entry written"))


class CoachLogEntryManager(models.Manager):
    def write(self, team, author, body):
        """Add ``body`` to ``team``'s log as ``author``, with its audit entry: both or neither.

        Callers ask first whether ``author`` may (``can(author, "write_coach_log", team)``).
        The audit entry names the team and the entry, never the text: the log is private, and
        people who may not read it read the audit log.
        """
        with transaction.atomic():
            entry = self.create(team=team, author=author, body=body)
            log(instance=entry, action=LOG_ACTION, user=author, data={"team": team.pk})
        return entry


class CoachLogEntry(models.Model):
    """One note in a team's coach log."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="coach_log", verbose_name=_("team")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    body = models.TextField(_("entry"), max_length=MAX_LENGTH)

    objects = CoachLogEntryManager()

    class Meta:
        verbose_name = _("coach log entry")
        verbose_name_plural = _("coach log entries")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["team", "written_at"], name="forum_wf_coach_log_team_at")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="forum_workflows_coach_log_entry_not_empty"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_LENGTH),
                name="forum_workflows_coach_log_entry_max_length",
            ),
        ]

    def __str__(self):
        # Never the body: this is the label Wagtail's audit log keeps, and others read that.
        return f"{self.team}, {timezone.localtime(self.written_at):%Y-%m-%d %H:%M}"
