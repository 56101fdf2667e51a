"""The program's people: who runs a cohort, which organisations and teams take part, who is in
each team, who coaches it, who sponsors it, and the coach network (DESIGN.md §3).

Every reference protects what it points at (PROTECT): a team with members is not deleted by
accident, and a person's history stays readable. Programs and teams are archived, not deleted.
Memberships and coach assignments have dates, so "who was in the team in March" has an answer
and a member who left loses access without losing what they wrote.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .programs import Program

ENDS_AFTER_START = _("The end date cannot be before the start date.")


class CurrentQuerySet(models.QuerySet):
    """Rows with a start and an optional end date: ``current()`` are those running on a day."""

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Dated(models.Model):
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while it lasts.")
    )

    objects = CurrentQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": ENDS_AFTER_START})

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


def _dated_constraint(name):
    return models.CheckConstraint(
        condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
        name=name,
        violation_error_message=ENDS_AFTER_START,
    )


class ProgramRole(models.Model):
    """A programme manager or a faculty member (utvecklingsledare) of one program."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("programme manager")
        FACULTY = "faculty", _("faculty (utvecklingsledare)")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="roles", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="program_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="forum_workflows_program_role_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.program}"


class Organisation(models.Model):
    """A provider taking part: a non-profit health or social care organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        help_text=_("Organisationsnummer, for example 802000-1234. Optional."),
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganisationContact",
        related_name="contact_for",
        verbose_name=_("contact persons"),
        blank=True,
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationContact(models.Model):
    """A contact person of an organisation: sees its teams and their people."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_links",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organisation_contacts",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("organisation contact")
        verbose_name_plural = _("organisation contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="forum_workflows_organisation_contact_unique"
            )
        ]

    def __str__(self):
        return f"{self.user}, {self.organisation}"


class Team(models.Model):
    """An improvement team: people from one organisation, taking part in one program."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        LEFT = "left", _("left the program")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="teams", verbose_name=_("program")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_('For example "Hemtjänsten Södermalm".')
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_teams",
        verbose_name=_("sponsor (ansvarig chef)"),
        help_text=_("The manager responsible for the team's work; may read it."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="forum_workflows_team_name_unique_in_program"
            )
        ]

    def __str__(self):
        return self.name


class Membership(Dated):
    """A person's place in a team, from a date and (once they leave) to a date."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        LEAD = "lead", _("team lead")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "user"]
        constraints = [_dated_constraint("forum_workflows_membership_dates")]

    def __str__(self):
        return f"{self.user}, {self.team}"


class CoachAssignment(Dated):
    """A coach coaching a team; a coach may coach several teams."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="coach_assignments", verbose_name=_("team")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coach_assignments",
        verbose_name=_("coach"),
    )

    class Meta:
        verbose_name = _("coach assignment")
        verbose_name_plural = _("coach assignments")
        ordering = ["team", "coach"]
        constraints = [_dated_constraint("forum_workflows_coach_assignment_dates")]

    def __str__(self):
        return f"{self.coach} → {self.team}"


class CoachNetworkMembership(Dated):
    """Membership of the coach network, which outlives any team membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coach_network_memberships",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("coach network membership")
        verbose_name_plural = _("coach network memberships")
        ordering = ["-starts_on"]
        constraints = [_dated_constraint("forum_workflows_coach_network_dates")]

    def __str__(self):
        return str(self.user)
