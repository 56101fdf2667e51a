"""Signing up for learning sessions and recording who attended.

Each change is permission-checked here (through ``permissions``), runs in one transaction with
the rows it changes locked, and is written to Wagtail's audit log. Two people (or two clicks)
acting at once end with one sign-up and one register, never two.
"""

from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from .calendar import build_calendar
from .models import Attendance, LearningSession, Membership, SignUp
from .permissions import can


def sign_up(session, user, *, note=""):
    """Sign ``user`` up (again, if they had cancelled); returns the SignUp."""
    if not can(user, "sign_up", session):
        raise PermissionDenied
    with transaction.atomic():
        LearningSession.objects.select_for_update().filter(pk=session.pk).first()
        signed, created = SignUp.objects.get_or_create(
            session=session, user=user, defaults={"note": note}
        )
        if not created:
            signed.note, signed.cancelled_at = note, None
            signed.signed_up_at = timezone.now()
            signed.save(update_fields=["note", "cancelled_at", "signed_up_at"])
        # The note may hold health information: the log records that, never what.
        log(instance=signed, action="forum_workflows.sign_up", user=user)
        transaction.on_commit(partial(send_confirmation.enqueue, signed.pk))
    return signed


@task
def send_confirmation(sign_up_id):
    """Mail the person a confirmation in their language, with the session as an .ics file.

    A task after commit: a mail server that is down never undoes (or fails) the sign-up.
    """
    signed = SignUp.objects.select_related("session", "user").filter(pk=sign_up_id).first()
    if signed is None or not signed.is_active:
        return  # cancelled before the mail went out
    session, user = signed.session, signed.user
    with translation.override(UserProfile.get_for_user(user).get_preferred_language()):
        calendar = build_calendar(
            session.title, [session], host=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
        )
        context = {"session": session, "user": user}
        message = EmailMultiAlternatives(
            subject=render_to_string(
                "forum_workflows/sessions/confirmation_subject.txt", context
            ).strip(),
            body=render_to_string("forum_workflows/sessions/confirmation_email.txt", context),
            to=[user.email],
        )
        message.attach(
            f"{slugify(session.title) or 'session'}.ics",
            calendar.to_ical(),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
        message.send()


def cancel(signed, user):
    """Cancel a sign-up; only its own person may, before the session starts."""
    if signed.user_id != user.pk or not can(user, "sign_up", signed.session):
        raise PermissionDenied
    with transaction.atomic():
        updated = SignUp.objects.filter(pk=signed.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), note=""
        )
        if updated:
            log(instance=signed, action="forum_workflows.cancel_sign_up", user=user)
    return updated == 1


def register_of(session):
    """Everyone who may be on the register: those signed up, and the members and coaches of
    the program's teams for a team session. ``[(user, attended or None)]`` by name."""
    from django.contrib.auth import get_user_model

    people = set(
        SignUp.objects.filter(session=session, cancelled_at__isnull=True).values_list(
            "user", flat=True
        )
    )
    if session.kind == LearningSession.Kind.TEAM_LEARNING_SESSION:
        day = timezone.localtime(session.starts_at).date()
        people |= set(
            Membership.objects.current(day)
            .filter(team__program=session.program_id)
            .values_list("user", flat=True)
        )
    recorded = dict(Attendance.objects.filter(session=session).values_list("user", "attended"))
    people |= set(recorded)
    users = get_user_model().objects.filter(pk__in=people).order_by("full_name", "email")
    return [(person, recorded.get(person.pk)) for person in users]


def record_attendance(session, present, *, user):
    """Record the register: ``present`` holds the ids of those who attended; everyone else on
    the register is recorded as absent. One audit entry per register saved."""
    if not can(user, "record_attendance", session):
        raise PermissionDenied
    present = {int(pk) for pk in present if str(pk).isdigit()}
    with transaction.atomic():
        LearningSession.objects.select_for_update().filter(pk=session.pk).first()
        on_register = {person.pk for person, _attended in register_of(session)}
        now = timezone.now()
        for person_id in on_register:
            Attendance.objects.update_or_create(
                session=session,
                user_id=person_id,
                defaults={
                    "attended": person_id in present,
                    "recorded_by": user,
                    "recorded_at": now,
                },
            )
        log(
            instance=session,
            action="forum_workflows.record_attendance",
            user=user,
            data={"present": len(present & on_register), "on_register": len(on_register)},
        )
    return len(present & on_register)


def delete_ended_notes(now=None):
    """Empty the notes of sign-ups for sessions that have ended; returns how many."""
    now = now or timezone.now()
    return SignUp.objects.filter(session__ends_at__lt=now).exclude(note="").update(note="")
