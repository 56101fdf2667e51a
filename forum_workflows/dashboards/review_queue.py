"""A reviewer's queue: the submitted stages whose gate the person may pass, oldest first,
with the choices for its filters."""

from django.db.models import (
    F,
)

from ..models import (
    CoachAssignment,
    ImprovementProject,
    ProgramRole,
    StageState,
    Team,
    WorkflowVersion,
)
from ..permissions import (
    is_active_person,
    reviewable_stages,
    visible_teams,
)

State = StageState.State


def workflow_versions(user):
    """``{pk: WorkflowVersion}`` for the versions the projects ``user`` may see run on: the
    handful whose stage specs (gates, names, order) the other functions read."""
    projects = ImprovementProject.objects.filter(team__in=visible_teams(user))
    versions = WorkflowVersion.objects.filter(pk__in=projects.values("workflow_version"))
    return {version.pk: version for version in versions}


def is_reviewer(user, on=None):
    """Whether ``user`` reviews anything at all today: a coach, faculty or programme manager
    (or a superuser). Their dashboard shows a review queue, empty or not."""
    if not is_active_person(user):
        return False
    return (
        user.is_superuser
        or ProgramRole.objects.filter(user=user).exists()
        or CoachAssignment.objects.current(on).filter(coach=user).exists()
    )


def review_queue(user, versions, on=None):
    """The submitted stages of running projects whose gate ``user`` may pass, oldest
    submission first: ``can(user, "review", state)`` (``REVIEWERS``; nobody reviews their own
    team) as one filter. ``versions`` is :func:`workflow_versions`."""
    queue = reviewable_stages(user, versions, on).filter(
        state=State.SUBMITTED, project__archived_at__isnull=True
    )
    return queue.select_related("project__team").order_by(
        F("submitted_at").asc(nulls_first=True), "pk"
    )


def label_queue(states, versions, language, today):
    """Give each of ``states`` (a page of :func:`review_queue`) ``label`` and ``overdue`` (no
    queries). A submitted stage waits for its reviewer, so it is overdue for review once its
    due date has passed."""
    for state in states:
        version = versions.get(state.project.workflow_version_id)
        state.label = stage_name(version, state.stage_key, language)
        state.overdue = bool(state.due_on and state.due_on < today)
    return states


def queue_teams(queue):
    """The teams with something in ``queue``, by name (choices for its team filter)."""
    return Team.objects.filter(pk__in=queue.values("project__team")).order_by("name", "pk")


def queue_stages(queue, versions, language):
    """``[(stage key, name)]`` of the stages in ``queue``, in the workflows' order (choices
    for its stage filter); a key named differently in two versions takes the newer name."""
    keys = set(queue.order_by().values_list("stage_key", flat=True).distinct())
    names = {}
    for version in sorted(versions.values(), key=lambda version: -version.pk):
        for spec in version.stages:
            if spec["key"] in keys and spec["key"] not in names:
                names[spec["key"]] = stage_name(version, spec["key"], language)
    return list(names.items()) + [(key, key) for key in sorted(keys - set(names))]


def stage_name(version, key, language):
    """The name of stage ``key`` of ``version`` in ``language`` (Swedish when it has none);
    the key itself when the version is unknown or lacks the stage."""
    if key is None:
        return ""
    try:
        names = version.stage(key)["name"]
    except (AttributeError, KeyError):
        return key
    return names.get(language) or names["sv"]
