"""How far teams have come: for coaches, sponsors and organisation contacts, team by team;
for a program's managers and faculty, by stage with totals."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from ..models import (
    ImprovementProject,
    Program,
    ProgramRole,
    StageState,
    Team,
)
from ..permissions import (
    is_active_person,
    team_role_q,
)
from ..progress import CURRENT, with_progress
from .ramps import SHOWN
from .review_queue import stage_name

State = StageState.State


@dataclass
class TeamProgress:
    """A team and its running project (None before it starts). The project carries
    ``progress.with_progress``'s counts and ``waiting_count``."""

    team: Team
    project: ImprovementProject | None
    #: The key of the team's current stage (:func:`current_stage`), or None.
    current: str | None = None
    current_label: str = ""

    @property
    def taking_part(self):
        return self.team.status != Team.Status.LEFT

    @property
    def finished(self):
        """Every stage approved or waived."""
        project = self.project
        return bool(
            project
            and project.stage_count
            and project.approved_count + project.waived_count == project.stage_count
        )


def _position(versions):
    """A stage state's place in its workflow's order, as an expression."""
    cases = [
        When(project__workflow_version=version.pk, stage_key=spec["key"], then=Value(number))
        for version in versions.values()
        for number, spec in enumerate(version.stages)
    ]
    if not cases:
        return Value(0, output_field=IntegerField())
    return Case(*cases, default=Value(len(cases)), output_field=IntegerField())


def current_stage(versions):
    """A subquery for a project's current stage: of the stages being worked on or waiting for
    review (``progress.CURRENT``), the first in its workflow's order (the earliest cycle of a
    repeating stage)."""
    return Subquery(
        StageState.objects.filter(project=OuterRef("pk"), state__in=CURRENT)
        .annotate(position=_position(versions))
        .order_by("position", "cycle", "pk")
        .values("stage_key")[:1]
    )


def team_progress(teams, versions, language, today=None):
    """A :class:`TeamProgress` for each of ``teams`` (a queryset), by name, in two queries."""
    today = today or timezone.localdate()
    projects = with_progress(
        ImprovementProject.objects.filter(team__in=teams, archived_at__isnull=True), today
    ).annotate(
        waiting_count=Count("stage_states", filter=Q(stage_states__state=State.SUBMITTED)),
        current_stage=current_stage(versions),
    )
    by_team = {project.team_id: project for project in projects}
    rows = []
    for team in teams.select_related("program").order_by("name", "pk"):
        row = TeamProgress(team, by_team.get(team.pk))
        if row.project is not None:
            row.project.team = team
            row.current = row.project.current_stage
            row.current_label = stage_name(
                versions.get(row.project.workflow_version_id), row.current, language
            )
        rows.append(row)
    return rows


@dataclass
class StageCount:
    """How many teams are at one stage."""

    key: str
    label: str
    teams: int


@dataclass
class ProgramOverview:
    """A program's teams with their progress; for the teams still taking part, how many are
    at each stage, have not started or are done, and their overdue and waiting stages."""

    program: Program
    teams: list
    by_stage: list
    not_started: int = 0
    finished: int = 0
    overdue: int = 0
    waiting: int = 0


def overview(program, rows, versions, language):
    """The :class:`ProgramOverview` of ``program`` from its teams' ``rows`` (no queries).

    A team is at its current stage (:func:`current_stage`: with stages running in parallel,
    the first in the workflow's order). Teams that have left the program are listed, not
    counted. Stages come in the order of the program's workflow, then those only older
    versions have.
    """
    counted = [row for row in rows if row.taking_part]
    started = [row for row in counted if row.project is not None]
    at = Counter(row.current for row in started if row.current)
    version = program.workflow_version
    order = [spec["key"] for spec in version.stages] if version else []
    order += sorted(set(at) - set(order))
    labels = {row.current: row.current_label for row in started if row.current}
    return ProgramOverview(
        program,
        rows,
        [
            StageCount(key, labels.get(key) or stage_name(version, key, language), at[key])
            for key in order
        ],
        not_started=len(counted) - len(started),
        finished=sum(1 for row in started if row.finished),
        overdue=sum(row.project.overdue_count for row in started),
        waiting=sum(row.project.waiting_count for row in started),
    )


def programs_overseen(user):
    """The running programs ``user`` is a programme manager or faculty of (every running
    program for a superuser), with their workflow versions."""
    if not is_active_person(user):
        return Program.objects.none()
    programs = Program.objects.filter(archived_at__isnull=True).select_related("workflow_version")
    if not user.is_superuser:
        programs = programs.filter(
            Exists(ProgramRole.objects.filter(program=OuterRef("pk"), user=user))
        )
    return programs.order_by("-starts_on", "name")


def program_overviews(programs, versions, language, today=None):
    """A :class:`ProgramOverview` for each of ``programs`` (a list), in two queries."""
    teams = Team.objects.filter(SHOWN, program__in=[program.pk for program in programs])
    rows = team_progress(teams, versions, language, today)
    return [
        overview(
            program, [row for row in rows if row.team.program_id == program.pk], versions, language
        )
        for program in programs
    ]


def coached_teams(user, on=None):
    """The teams ``user`` coaches today (not archived)."""
    if not is_active_person(user):
        return Team.objects.none()
    return Team.objects.filter(SHOWN, team_role_q(user, {"coach"}, on=on))


def readable_teams(user, on=None):
    """The teams whose work ``user`` reads without taking part in it: as their sponsor, as a
    contact of their organisation, or as a member of a team that has left the program."""
    if not is_active_person(user):
        return Team.objects.none()
    left = Q(status=Team.Status.LEFT) & team_role_q(user, {"member", "lead"}, on=on)
    return Team.objects.filter(SHOWN, team_role_q(user, {"sponsor", "contact"}, on=on) | left)
