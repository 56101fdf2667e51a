"""What the public site shows: a learning session is public once a live, public page shows it."""

from django.db.models import Q

from forum_workflows.models import (
    CoachNetworkPage,
    CoachTrainingPage,
    LearningSession,
    LearningSessionPage,
    ProgramPage,
)


def _published(page_model):
    return page_model.objects.live().public()


def is_program_public(program):
    """A program's sessions are public when a live, public program page presents it."""
    return _published(ProgramPage).filter(program=program).exists()


def is_session_public(session):
    """True when some live, public page shows this session (its own page or a listing)."""
    if _published(LearningSessionPage).filter(learning_session=session).exists():
        return True
    if is_program_public(session.program_id):
        return True
    if session.kind == LearningSession.Kind.COACH_TRAINING_SESSION:
        return _published(CoachTrainingPage).filter(program=session.program_id).exists()
    if session.kind == LearningSession.Kind.NETWORK_MEETING:
        return (
            _published(CoachNetworkPage)
            .filter(Q(program=session.program_id) | Q(program__isnull=True))
            .exists()
        )
    return False
