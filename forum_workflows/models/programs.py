"""Programs (cohorts) and their learning sessions: plain models that pages show, never own.

Keeping dates and cohorts out of pages means that reverting a page revision or translating a
page never moves a session or changes a cohort (DESIGN.md §3).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from forum_workflows.admin_forms import OwnProgramsForm

SESSION_ENDS_AFTER_START = _("The session must end after it starts. Check the end time.")
SESSION_NEEDS_PLACE_OR_LINK = _(
    "Give a place, an online link or both, so people know where to go."
)
PROGRAM_ENDS_AFTER_START = _("The program cannot end before it starts. Check the end date.")


class Program(models.Model):
    """One cohort (run) of the program: its name and dates, its teams and the people who run it
    (see ``people.py``). Archived, never deleted."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_('The name people know this cohort by, for example "Värdeforum 2026".'),
    )
    slug = models.SlugField(
        _("short name for web addresses"),
        max_length=100,
        unique=True,
        help_text=_(
            "Lower-case letters, digits and hyphens only, for example värdeforum-2026. "
            "Used in links and calendar files; avoid changing it once shared."
        ),
        allow_unicode=True,
    )
    starts_on = models.DateField(_("starts on"), help_text=_("The first day of the program."))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day of the program."))
    description = models.TextField(
        _("short description"),
        blank=True,
        max_length=500,
        help_text=_("One or two sentences about who this cohort is for. Shown in listings."),
    )

    workflow_version = models.ForeignKey(
        "forum_workflows.WorkflowVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("workflow"),
        help_text=_(
            "The published workflow version teams' projects start on. Projects already "
            "running keep theirs."
        ),
    )
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("An archived program keeps its teams and their work, read-only."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Dates")),
        FieldPanel("description"),
        FieldPanel("workflow_version"),
    ]

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="forum_workflows_program_ends_on_or_after_start",
                violation_error_message=PROGRAM_ENDS_AFTER_START,
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": PROGRAM_ENDS_AFTER_START})


class LearningSession(models.Model):
    """A meeting of a program: a learning session for teams, a coach training day or a network
    meeting. Times are stored in UTC and shown in the site's time zone (Europe/Stockholm)."""

    class Kind(models.TextChoices):
        TEAM_LEARNING_SESSION = "team_learning_session", _("Learning session for teams")
        COACH_TRAINING_SESSION = "coach_training_session", _("Coach training session")
        NETWORK_MEETING = "network_meeting", _("Coach network meeting")

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="learning_sessions",
        verbose_name=_("program"),
        help_text=_("The cohort this session belongs to."),
    )
    kind = models.CharField(
        _("kind of session"),
        max_length=32,
        choices=Kind.choices,
        default=Kind.TEAM_LEARNING_SESSION,
        help_text=_(
            "Who the session is for: improvement teams, coaches in training or the coach network."
        ),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_('A short title, for example "Learning session 2: process mapping".'),
    )
    starts_at = models.DateTimeField(
        _("starts"), help_text=_("Date and time the session starts (Swedish time).")
    )
    ends_at = models.DateTimeField(
        _("ends"), help_text=_("Date and time the session ends (Swedish time).")
    )
    place = models.CharField(
        _("place"),
        max_length=255,
        blank=True,
        help_text=_(
            'Venue and address, for example "Famna, Götgatan 22, Stockholm". '
            "Leave empty if the session is online only."
        ),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Link to join online (Teams, Zoom…). Leave empty if people meet in person."),
    )

    #: Offers a programme manager only their own programs (see admin_forms).
    base_form_class = OwnProgramsForm

    panels = [
        FieldPanel("program"),
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("When")),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("online_url")],
            heading=_("Where"),
            help_text=_("Give a place, an online link or both."),
        ),
    ]

    class Meta:
        verbose_name = _("learning session")
        verbose_name_plural = _("learning sessions")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["program", "starts_at"], name="forum_wf_session_program_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="forum_workflows_learningsession_ends_after_start",
                violation_error_message=SESSION_ENDS_AFTER_START,
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="forum_workflows_learningsession_has_place_or_link",
                violation_error_message=SESSION_NEEDS_PLACE_OR_LINK,
            ),
        ]

    def __str__(self):
        if self.starts_at is None:
            return self.title
        starts = date_format(timezone.localtime(self.starts_at), "SHORT_DATE_FORMAT")
        return f"{self.title} ({starts})"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = SESSION_ENDS_AFTER_START
        if not self.place and not self.online_url:
            errors["place"] = SESSION_NEEDS_PLACE_OR_LINK
        if errors:
            raise ValidationError(errors)
