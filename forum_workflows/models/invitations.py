"""Invitations: how people arrive (DESIGN.md §3). A programme manager invites an email address
into a role (a team membership, coaching a team, or a program role); the person follows a
signed, expiring, single-use link and gets the role on accepting.

The row holds a random nonce that the link signs together with the invitation's id: sending the
invitation again draws a new nonce, so older links stop working. The rules for creating,
sending, accepting and revoking live in ``forum_workflows.invitations``.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Team
from .programs import Program

ROLE_NEEDS_TEAM = _("Choose a team for a team member, team lead or coach.")
ROLE_TAKES_NO_TEAM = _(
    "A programme manager or faculty member is invited to a program, not a team."
)
TEAM_IN_OTHER_PROGRAM = _("The team belongs to another program.")


def new_nonce():
    return secrets.token_urlsafe(16)


def default_language():
    return settings.LANGUAGE_CODE


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor revoked (expired ones included: they may be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def open(self, now=None):
        """Pending and not yet expired: the link works."""
        return self.pending().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation by email to take up one role in a program or one of its teams."""

    class Role(models.TextChoices):
        MEMBER = "member", _("team member")
        LEAD = "lead", _("team lead")
        COACH = "coach", _("improvement coach")
        MANAGER = "manager", _("programme manager")
        FACULTY = "faculty", _("faculty (utvecklingsledare)")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        EXPIRED = "expired", _("expired")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("withdrawn")

    #: Roles in a team; the others are program roles and take no team.
    TEAM_ROLES = (Role.MEMBER, Role.LEAD, Role.COACH)
    PROGRAM_ROLES = (Role.MANAGER, Role.FACULTY)

    email = models.EmailField(_("email address"), max_length=254)
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_("Optional: the person may correct it when accepting."),
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("program")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    language = models.CharField(
        _("language of the email"),
        max_length=8,
        default=default_language,
        help_text=_("Used unless the person already has an account with a chosen language."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    sent_count = models.PositiveIntegerField(_("emails sent"), default=0, editable=False)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="invitations_accepted",
        verbose_name=_("accepted as"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["member", "lead", "coach"], team__isnull=False)
                    | Q(role__in=["manager", "faculty"], team__isnull=True)
                ),
                name="forum_workflows_invitation_role_fits_team",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="forum_workflows_invitation_accepted_or_revoked",
            ),
            models.CheckConstraint(
                condition=(
                    Q(accepted_at__isnull=True, accepted_by__isnull=True)
                    | Q(accepted_at__isnull=False, accepted_by__isnull=False)
                ),
                name="forum_workflows_invitation_accepted_by_someone",
            ),
            # One pending invitation per person and team, or per person and program role.
            models.UniqueConstraint(
                Lower("email"),
                "team",
                condition=Q(team__isnull=False, accepted_at__isnull=True, revoked_at__isnull=True),
                name="forum_workflows_invitation_one_pending_per_team",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "program",
                "role",
                condition=Q(team__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True),
                name="forum_workflows_invitation_one_pending_per_program_role",
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()}, {self.target}"

    def clean(self):
        super().clean()
        if self.role in self.TEAM_ROLES and not self.team_id:
            raise ValidationError({"team": ROLE_NEEDS_TEAM})
        if self.role in self.PROGRAM_ROLES and self.team_id:
            raise ValidationError({"team": ROLE_TAKES_NO_TEAM})
        if self.team_id and self.program_id and self.team.program_id != self.program_id:
            raise ValidationError({"team": TEAM_IN_OTHER_PROGRAM})

    @property
    def target(self):
        """The team, or for a program role the program, the invitation is to."""
        return self.team if self.team_id else self.program

    @property
    def status(self):
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.OPEN

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None
