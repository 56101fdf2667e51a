"""Who may sign up for a learning session, and who records who attended.

- Learning sessions for teams: the members and coaches of the program's active teams.
- Coach training: the program's coaches.
- Coach network meetings: the coach network.
The program's faculty and managers may sign up for any of its sessions. Sign-up closes when the
session starts, and an archived program takes no more sign-ups. Attendance is recorded by the
program's managers.
"""

from django.utils import timezone

from forum_workflows.models import (
    CoachAssignment,
    CoachNetworkMembership,
    LearningSession,
    Membership,
    ProgramRole,
    SignUp,
    Team,
)

from .people import RULES, is_active_person, manages

KIND = LearningSession.Kind


def is_open_for_sign_up(session, now=None):
    now = now or timezone.now()
    return session.starts_at > now and session.program.archived_at is None


def may_take_part(user, session):
    """Whether ``user`` is among those a session is for (open or not)."""
    if not is_active_person(user):
        return False
    if (
        user.is_superuser
        or ProgramRole.objects.filter(program=session.program_id, user=user).exists()
    ):
        return True
    today = timezone.localdate()
    teams = Team.objects.filter(program=session.program_id, status=Team.Status.ACTIVE)
    coaches = CoachAssignment.objects.current(today).filter(team__in=teams, coach=user)
    if session.kind == KIND.TEAM_LEARNING_SESSION:
        members = Membership.objects.current(today).filter(team__in=teams, user=user)
        return members.exists() or coaches.exists()
    if session.kind == KIND.COACH_TRAINING_SESSION:
        return coaches.exists()
    return CoachNetworkMembership.objects.current(today).filter(user=user).exists()


def _may_sign_up(user, session):
    return is_open_for_sign_up(session) and may_take_part(user, session)


def _is_signed_up(user, session):
    """Those signed up get the session's calendar file even when no public page shows it."""
    return (
        is_active_person(user)
        and SignUp.objects.filter(session=session, user=user, cancelled_at__isnull=True).exists()
    )


def _may_record_attendance(user, session):
    return manages(user, session.program)


RULES.update(
    {
        (LearningSession, "sign_up"): _may_sign_up,
        (LearningSession, "record_attendance"): _may_record_attendance,
        (LearningSession, "get_calendar"): _is_signed_up,
    }
)
