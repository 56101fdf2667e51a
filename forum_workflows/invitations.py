"""Invitations: inviting, mailing the link, accepting, sending again and withdrawing.

Every change here asks ``permissions`` first (accepting needs the link instead), runs in one
transaction with the invitation row locked, writes Wagtail's audit log and mails only after the
transaction commits (as a task, so a worker sends a large batch). Two clicks on one link at once
accept it once: the second waits for the lock and then finds the invitation used.

The link signs the invitation's id with its nonce (``django.core.signing``). It stops working
when it expires, once accepted, when withdrawn, and when the invitation is sent again (a new
nonce). :class:`InvitationError` says which, so the page can say so.
"""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from .models import CoachAssignment, Invitation, Membership, ProgramRole
from .models.invitations import new_nonce
from .permissions import can

SALT = "forum_workflows.invitation"
#: The group that opens the Wagtail admin to programme managers (migration 0004).
MANAGERS_GROUP = "Programme managers"


def lifetime():
    """How long a link works: ``FORUM_INVITATION_DAYS`` (default 14 days)."""
    return datetime.timedelta(days=getattr(settings, "FORUM_INVITATION_DAYS", 14))


class InvitationError(Exception):
    """Why an invitation link cannot be used; ``reason`` is one of the constants below."""

    BROKEN = "broken"  # not one of our links: cut short or changed
    EXPIRED = "expired"
    USED = "used"  # already accepted
    REPLACED = "replaced"  # sent again since: only the newest link works
    REVOKED = "revoked"
    CLOSED = "closed"  # the invited address belongs to a deactivated account
    WRONG_PERSON = "wrong_person"  # signed in as someone else
    HAS_ACCOUNT = "has_account"  # an account appeared for the address meanwhile

    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


# Tokens and links


def make_token(invitation):
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT)


def link_for(invitation, language):
    """The absolute link to accept ``invitation``, on pages in ``language``."""
    with translation.override(language):
        path = reverse("forum_workflows:invitation", args=[make_token(invitation)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def read_token(token, *, lock=False, now=None):
    """The invitation a link is for, if the link still works; else :class:`InvitationError`.

    With ``lock`` the row is locked until the surrounding transaction ends.
    """
    try:
        pk, nonce = signing.loads(token, salt=SALT)
        pk = int(pk)
    except (signing.BadSignature, TypeError, ValueError):
        raise InvitationError(InvitationError.BROKEN) from None
    invitations = Invitation.objects.select_related("program", "team")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=pk).first()
    if invitation is None:  # signed by us, then deleted
        raise InvitationError(InvitationError.REVOKED)
    if invitation.accepted_at:
        raise InvitationError(InvitationError.USED, invitation)
    if invitation.revoked_at:
        raise InvitationError(InvitationError.REVOKED, invitation)
    if not constant_time_compare(str(nonce), invitation.nonce):
        raise InvitationError(InvitationError.REPLACED, invitation)
    if invitation.expires_at <= (now or timezone.now()):
        raise InvitationError(InvitationError.EXPIRED, invitation)
    if _target_closed(invitation):
        raise InvitationError(InvitationError.REVOKED, invitation)
    return invitation


def _target_closed(invitation):
    """An archived program or team, or a team that left, takes nobody in any more."""
    team = invitation.team
    return bool(
        invitation.program.archived_at
        or (team and (team.archived_at or team.status == team.Status.LEFT))
    )


# Who the invitation is for


def _email_of(user):
    return getattr(user, get_user_model().get_email_field_name(), "") or ""


def invited_person(invitation):
    """The account that already uses the invited address, or None."""
    User = get_user_model()
    return (
        User._default_manager.filter(
            **{f"{User.get_email_field_name()}__iexact": invitation.email}
        )
        .order_by("pk")
        .first()
    )


def is_for(invitation, user):
    return _email_of(user).casefold() == invitation.email.casefold()


def chosen_language(user):
    """The language a person picked in their profile, or None."""
    if user is None:
        return None
    language = (
        UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    )
    return language if language in dict(settings.LANGUAGES) else None


def mail_language(invitation, person=None):
    """The recipient's own language if they have an account and chose one, else the one the
    programme manager chose for the invitation."""
    return chosen_language(person) or invitation.language


# Inviting


def create(*, email, role, program, team, full_name, language, invited_by):
    """Create an invitation and queue its mail for after commit, without asking permission:
    for callers that asked ``can(invited_by, "invite", team or program)`` themselves (the bulk
    invitation asks once per team). Raises IntegrityError when one is pending already."""
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        program=program,
        team=team,
        full_name=full_name,
        language=language,
        invited_by=invited_by,
        expires_at=timezone.now() + lifetime(),
    )
    log(instance=invitation, action="forum_workflows.invite", user=invited_by)
    transaction.on_commit(partial(send_invitation.enqueue, invitation.pk, invitation.nonce))
    return invitation


def invite(*, email, role, program, invited_by, team=None, full_name="", language=None):
    """Invite ``email`` into ``role`` (in ``team`` for team roles); the mail goes after commit.

    Raises PermissionDenied unless ``invited_by`` may invite into the team or program, and
    IntegrityError when a pending invitation for the same team (or program role) exists.
    """
    if team is not None and team.program_id != program.pk:
        raise PermissionDenied
    if not can(invited_by, "invite", team if team is not None else program):
        raise PermissionDenied
    with transaction.atomic():
        return create(
            email=email.strip(),
            role=role,
            program=program,
            team=team,
            full_name=full_name.strip(),
            language=language or settings.LANGUAGE_CODE,
            invited_by=invited_by,
        )


def _locked(invitation):
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=invitation.pk)
    )


def resend(invitation, *, user):
    """Mail the invitation again with a new link; earlier links stop working. Expired
    invitations get a new expiry date. Returns the updated invitation."""
    if not can(user, "resend", invitation):
        raise PermissionDenied
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.accepted_at:
            raise InvitationError(InvitationError.USED, invitation)
        if invitation.revoked_at:
            raise InvitationError(InvitationError.REVOKED, invitation)
        invitation.nonce = new_nonce()
        invitation.expires_at = timezone.now() + lifetime()
        invitation.save(update_fields=["nonce", "expires_at"])
        log(instance=invitation, action="forum_workflows.resend_invitation", user=user)
        transaction.on_commit(partial(send_invitation.enqueue, invitation.pk, invitation.nonce))
    return invitation


def revoke(invitation, *, user):
    """Withdraw a pending invitation: its link stops working. Returns the invitation."""
    if not can(user, "revoke", invitation):
        raise PermissionDenied
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.accepted_at:
            raise InvitationError(InvitationError.USED, invitation)
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            log(instance=invitation, action="forum_workflows.revoke_invitation", user=user)
    return invitation


# Mail


@task
def send_invitation(invitation_id, nonce):
    """Mail the invitation in the recipient's language, unless it was accepted, withdrawn or
    sent again since this was queued (then the newer mail carries the link). Returns whether a
    mail went out."""
    invitation = (
        Invitation.objects.pending()
        .select_related("program", "team", "invited_by")
        .filter(pk=invitation_id, nonce=nonce)
        .first()
    )
    if invitation is None:
        return False
    person = invited_person(invitation)
    language = mail_language(invitation, person)
    with translation.override(language):
        context = {
            "invitation": invitation,
            "person": person,
            "name": (person.get_full_name() if person else "") or invitation.full_name,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "role": invitation.get_role_display(),
            "link": link_for(invitation, language),
            "language": language,
        }
        template = "forum_workflows/invitations/email"
        message = EmailMultiAlternatives(
            subject=" ".join(render_to_string(f"{template}_subject.txt", context).split()),
            body=render_to_string(f"{template}.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_count=F("sent_count") + 1, last_sent_at=timezone.now()
    )
    return True


# Accepting


def _join_team(invitation, user, today):
    """Give ``user`` a place in the invitation's team.

    A new place starts today. A current place is kept, with one exception: a plain member
    invited as team lead becomes lead. The member row then ends yesterday and a lead row starts
    today, so "who was lead on a day" keeps its answer; a member row that started today just
    changes its role (ending it yesterday would end it before it began). A lead invited as
    member stays lead: an invitation never demotes.
    """
    lead = invitation.role == Invitation.Role.LEAD
    current = (
        Membership.objects.current(today)
        .select_for_update()
        .filter(team=invitation.team, user=user)
        .order_by("-starts_on", "-pk")
    )
    if not current:
        Membership.objects.create(
            team=invitation.team,
            user=user,
            role=Membership.Role.LEAD if lead else Membership.Role.MEMBER,
            starts_on=today,
        )
        return
    if not lead or any(membership.role == Membership.Role.LEAD for membership in current):
        return
    member = current[0]
    if member.starts_on == today:
        member.role = Membership.Role.LEAD
        member.save(update_fields=["role"])
        lead_membership, ended = member, None
    else:
        ends_on = member.ends_on  # a planned end date carries over to the lead place
        member.ends_on = today - datetime.timedelta(days=1)
        member.save(update_fields=["ends_on"])
        lead_membership = Membership.objects.create(
            team=invitation.team,
            user=user,
            role=Membership.Role.LEAD,
            starts_on=today,
            ends_on=ends_on,
        )
        ended = member
    log(
        instance=lead_membership,
        action="forum_workflows.promote_to_lead",
        user=user,
        data={
            "invitation": invitation.pk,
            "team": invitation.team_id,
            "lead_from": lead_membership.starts_on.isoformat(),
            # None when the member row, started today, became the lead row:
            "ended_membership": ended.pk if ended else None,
            "member_until": ended.ends_on.isoformat() if ended else None,
        },
    )


def _grant(invitation, user):
    """Give ``user`` what the invitation offers; what they already have is kept, except that a
    member invited as team lead becomes lead (see :func:`_join_team`)."""
    today = timezone.localdate()
    role = invitation.role
    if role in (Invitation.Role.MEMBER, Invitation.Role.LEAD):
        _join_team(invitation, user, today)
    elif role == Invitation.Role.COACH:
        current = CoachAssignment.objects.current(today)
        if not current.filter(team=invitation.team, coach=user).exists():
            CoachAssignment.objects.create(team=invitation.team, coach=user, starts_on=today)
    else:
        ProgramRole.objects.get_or_create(program=invitation.program, user=user, role=role)
        if role == Invitation.Role.MANAGER:
            user.groups.add(*Group.objects.filter(name=MANAGERS_GROUP))


def _mark_accepted(invitation, user):
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log(instance=invitation, action="forum_workflows.accept_invitation", user=user)


def accept(token, user):
    """``user`` (signed in, with the invited address) accepts; returns the invitation."""
    with transaction.atomic():
        invitation = read_token(token, lock=True)
        if not is_for(invitation, user):
            raise InvitationError(InvitationError.WRONG_PERSON, invitation)
        if not user.is_active:
            raise InvitationError(InvitationError.CLOSED, invitation)
        _grant(invitation, user)
        _mark_accepted(invitation, user)
    return invitation


def _new_user(email, full_name, password):
    """An account on the host's user model: its username and email fields get the address; a
    ``full_name`` field (or first and last name) gets the name."""
    User = get_user_model()
    fields = {User.USERNAME_FIELD: email, User.get_email_field_name(): email}
    names = {field.name for field in User._meta.get_fields()}
    if "full_name" in names:
        fields["full_name"] = full_name
    elif {"first_name", "last_name"} <= names:
        fields["first_name"], _space, fields["last_name"] = full_name.partition(" ")
    return User._default_manager.create_user(password=password, **fields)


def accept_as_new(token, *, full_name, password, language):
    """Someone without an account accepts: the account is made with their name and password,
    and ``language`` (the one they accepted in) becomes their language. Returns
    ``(invitation, user)``."""
    with transaction.atomic():
        invitation = read_token(token, lock=True)
        existing = invited_person(invitation)
        if existing is not None:
            reason = InvitationError.HAS_ACCOUNT if existing.is_active else InvitationError.CLOSED
            raise InvitationError(reason, invitation)
        user = _new_user(invitation.email, full_name.strip(), password)
        UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
        _grant(invitation, user)
        _mark_accepted(invitation, user)
    return invitation, user


def register_log_actions(actions):
    """The audit log's names for what happens to invitations and what accepting them changes
    (wired in ``wagtail_hooks``)."""
    actions.register_action("forum_workflows.invite", _("Invite"), _("Invited"))
    actions.register_action(
        "forum_workflows.resend_invitation",
        _("Send an invitation again"),
        _("Invitation sent again"),
    )
    actions.register_action(
        "forum_workflows.revoke_invitation", _("Withdraw an invitation"), _("Invitation withdrawn")
    )
    actions.register_action(
        "forum_workflows.accept_invitation", _("Accept an invitation"), _("Invitation accepted")
    )
    actions.register_action(
        "forum_workflows.promote_to_lead",
        _("Become team lead by invitation"),
        _("Became team lead by accepting an invitation (was a member)"),
    )
