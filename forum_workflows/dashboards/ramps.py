"""A team member's view: their team's project as the improvement ramp, what to do next and
the review comments it has not answered yet."""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from ..models import (
    ImprovementProject,
    Membership,
    StageComment,
    StageState,
    Team,
)
from ..permissions import (
    is_active_person,
    team_role_q,
)
from ..progress import OWED

State = StageState.State
#: How many open review comments the dashboard lists (the newest; each stage page has all).
OPEN_COMMENTS_SHOWN = 20
#: Teams the dashboard shows: archived teams are history, read in the admin and reports.
SHOWN = Q(archived_at__isnull=True)


def member_teams(user, on=None):
    """The teams ``user`` works in today (a current member or team lead) that still take part
    (not left, not archived)."""
    if not is_active_person(user):
        return Team.objects.none()
    return (
        Team.objects.filter(SHOWN, team_role_q(user, {"member", "lead"}, on=on))
        .exclude(status=Team.Status.LEFT)
        .select_related("program")
        .order_by("name", "pk")
    )


def running_projects(teams):
    """The running (not archived) projects of ``teams``, with their workflow versions."""
    return ImprovementProject.objects.filter(
        team__in=teams, archived_at__isnull=True
    ).select_related("team__program", "workflow_version")


def is_overdue(state, today):
    """Whether the team owes the stage past its due date (``progress.overdue`` for one row)."""
    return bool(state.due_on and state.due_on < today and state.state in OWED)


@dataclass
class RampStage:
    """One stage of the ramp; a repeating stage has a state per cycle, in cycle order."""

    key: str
    label: str
    repeating: bool
    cycles: list = field(default_factory=list)

    @property
    def state(self):
        """The first cycle: the stage itself when it does not repeat."""
        return self.cycles[0]


@dataclass
class Ramp:
    """A project's stages in the workflow's order, and what the team does next."""

    project: ImprovementProject
    stages: list
    #: The first stage the team works on (``StageState.TEAM_WORKS_ON``), or None.
    next: StageState | None
    #: The latest request for changes on each stage still sent back, in the ramp's order.
    review_comments: list = field(default_factory=list)

    @property
    def waiting_for_review(self):
        return any(s.state == State.SUBMITTED for stage in self.stages for s in stage.cycles)

    @property
    def finished(self):
        done = (State.APPROVED, State.WAIVED)
        return all(s.state in done for stage in self.stages for s in stage.cycles)


def _order_of(version):
    return {spec["key"]: number for number, spec in enumerate(version.stages)}


def ramp(project, states, language, today):
    """The :class:`Ramp` of ``project`` from its stage ``states`` (no queries). Each state gets
    ``label`` (its stage's name in ``language``) and ``overdue``."""
    version = project.workflow_version
    order = _order_of(version)
    stages = {}
    for state in sorted(states, key=lambda s: (order.get(s.stage_key, len(order)), s.cycle)):
        state.project = project
        state.label = state.name(language)
        state.overdue = is_overdue(state, today)
        if state.stage_key not in stages:
            spec = version.stage(state.stage_key)
            stages[state.stage_key] = RampStage(state.stage_key, state.label, spec["repeating"])
        stages[state.stage_key].cycles.append(state)
    ordered = list(stages.values())
    works_on = [
        s for stage in ordered for s in stage.cycles if s.state in StageState.TEAM_WORKS_ON
    ]
    return Ramp(project, ordered, works_on[0] if works_on else None)


def ramps(projects, language, today=None, with_comments=True):
    """A :class:`Ramp` for each of ``projects`` (a list), in two queries: their stage states and
    (``with_comments``) the open review comments."""
    today = today or timezone.localdate()
    by_project = {project.pk: [] for project in projects}
    for state in StageState.objects.filter(project__in=list(by_project)):
        by_project[state.project_id].append(state)
    result = [ramp(project, by_project[project.pk], language, today) for project in projects]
    if with_comments and projects:
        states = {s.pk: s for r in result for stage in r.stages for s in stage.cycles}
        position = {pk: number for number, pk in enumerate(states)}
        requests = sorted(
            open_review_comments(projects, today), key=lambda c: position[c.stage_state_id]
        )
        by_ramp = {r.project.pk: r for r in result}
        for comment in requests:
            comment.stage_state = states[comment.stage_state_id]
            by_ramp[comment.stage_state.project_id].review_comments.append(comment)
    return result


def open_review_comments(projects, today=None):
    """The comments on stages of ``projects`` that the team has not answered yet: written by
    someone other than the team's members (a coach, faculty, a programme manager) since the
    stage was last submitted, requests for changes among them; approvals are left out. At most
    :data:`OPEN_COMMENTS_SHOWN` per call, the newest."""
    by_the_team = Exists(
        Membership.objects.current(today).filter(
            team=OuterRef("stage_state__project__team"), user=OuterRef("author")
        )
    )
    since_submitted = Q(stage_state__submitted_at__isnull=True) | Q(
        created_at__gt=F("stage_state__submitted_at")
    )
    return (
        StageComment.objects.filter(since_submitted, stage_state__project__in=projects)
        .exclude(decision=StageComment.Decision.APPROVE)
        .exclude(by_the_team)
        .select_related("author")
        .order_by("-created_at", "-pk")[:OPEN_COMMENTS_SHOWN]
    )
