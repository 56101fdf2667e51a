"""Improvement projects as they run: one state per stage (and per cycle of a repeating stage),
its answers (an AnswerSet of the forms engine), review decisions and comments, and a history
row for every state change (DESIGN.md §3, §4).

Rows here are changed only by ``forum_workflows.transitions``, which checks permissions, locks,
writes the history and the audit log, and notifies. Everything is PROTECTed: a project's record
outlives any mistake in the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.models import AnswerSet, AnswerVersion

from .people import Team
from .workflows import WorkflowVersion

CHANGES_NEED_A_COMMENT = _("Say what to change: a request for changes needs a comment.")


class ImprovementProject(models.Model):
    """A team's improvement project, run on one version of its program's workflow."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="projects", verbose_name=_("team")
    )
    workflow_version = models.ForeignKey(
        WorkflowVersion,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("workflow version"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_('What the team improves, in a few words, e.g. "Fewer falls at night".'),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")
        ordering = ["team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(archived_at__isnull=True),
                name="forum_workflows_one_running_project_per_team",
                violation_error_message=_("The team already runs a project."),
            )
        ]

    def __str__(self):
        return f"{self.team}: {self.title}" if self.title else str(self.team)


class StageState(models.Model):
    """Where one stage (or one cycle of a repeating stage) of a project stands."""

    class State(models.TextChoices):
        LOCKED = "locked", _("locked")
        OPEN = "open", _("open")
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved")
        WAIVED = "waived", _("waived")
        REOPENED = "reopened", _("reopened")

    project = models.ForeignKey(
        ImprovementProject,
        on_delete=models.PROTECT,
        related_name="stage_states",
        verbose_name=_("project"),
    )
    stage_key = models.CharField(_("stage"), max_length=40)
    cycle = models.PositiveIntegerField(
        _("cycle"), default=1, help_text=_("1 unless the stage repeats (PDSA cycles).")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.LOCKED
    )
    answer_set = models.OneToOneField(
        AnswerSet,
        on_delete=models.PROTECT,
        related_name="stage_state",
        verbose_name=_("answers"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    #: The first approval; kept when the stage is reopened, so stages after it stay open.
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("stage state")
        verbose_name_plural = _("stage states")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage_key", "cycle"],
                name="forum_workflows_stage_state_unique",
            ),
            models.CheckConstraint(
                condition=Q(cycle__gte=1), name="forum_workflows_stage_cycle_from_one"
            ),
        ]

    def __str__(self):
        name = self.spec["name"]["sv"] if self.project_id else self.stage_key
        return f"{self.project}: {name}" + (f" ({self.cycle})" if self.cycle > 1 else "")

    @property
    def spec(self):
        """The stage's spec in the project's workflow version."""
        return self.project.workflow_version.stage(self.stage_key)

    #: States in which the team edits and submits the stage, and owes it once it is due.
    TEAM_WORKS_ON = (State.OPEN, State.DRAFT, State.CHANGES_REQUESTED, State.REOPENED)

    def name(self, language):
        names = self.spec["name"]
        return names.get(language) or names["sv"]


class StageComment(models.Model):
    """A comment on a stage or on one of its fields, with or without a review decision."""

    class Decision(models.TextChoices):
        NONE = "", _("comment")
        APPROVE = "approve", _("approved")
        CHANGES = "changes_requested", _("changes requested")

    stage_state = models.ForeignKey(
        StageState, on_delete=models.PROTECT, related_name="comments", verbose_name=_("stage")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    body = models.TextField(_("comment"), max_length=5000, blank=True)
    field_key = models.CharField(
        _("field"), max_length=40, blank=True, help_text=_("Empty for the stage as a whole.")
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, blank=True, default=""
    )
    #: The answers the decision was about.
    answer_version = models.ForeignKey(
        AnswerVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answers reviewed"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="changes_requested", body=""),
                name="forum_workflows_changes_requested_need_a_comment",
                violation_error_message=CHANGES_NEED_A_COMMENT,
            )
        ]

    def __str__(self):
        return f"{self.author}, {self.stage_state}"


class StageHistory(models.Model):
    """One state change of a stage: reports compute time in stage and review turnaround here."""

    stage_state = models.ForeignKey(
        StageState, on_delete=models.PROTECT, related_name="history", verbose_name=_("stage")
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=StageState.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=StageState.State.choices)
    #: Empty when the program itself made the change (a stage opening when its dependencies
    #: were approved).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("stage history entry")
        verbose_name_plural = _("stage history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["stage_state", "at"], name="forum_wf_history_stage_at")]

    def __str__(self):
        return f"{self.stage_state}: {self.from_state} → {self.to_state}"
