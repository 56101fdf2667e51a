"""Who may do what to an improvement project and its stages (DESIGN.md §4, §5).

- Everyone who may see the team sees its project: members, coaches, sponsor, organisation
  contacts, the program's faculty and managers.
- The team's current members fill in stages while the team and its program run.
- Reviews follow the stage's gate: coach approval by the team's coach (the program's faculty and
  managers may step in), programme-manager approval by the program's managers. Nobody reviews a
  team they are a member of.
- Comments: everyone who takes part in the work (members, coaches, faculty, managers); sponsors
  and organisation contacts read.
- Waiving an optional stage, reopening an approved one and moving a project to another
  workflow version: the program's managers.
These rules say who; ``transitions`` says when (which state allows what).
"""

from django.db.models import Q

from forum_workflows.models import ImprovementProject, StageState, Team
from forum_workflows.workflow_blocks import Gate

from .filters import NOTHING, team_role_q
from .people import RULES, can, is_active_person, manages, may_work_in, team_can

_sees_team = team_can({"lead", "member", "coach", "sponsor", "contact", "faculty", "manager"})
_works_on_team = team_can({"lead", "member", "coach", "faculty", "manager"})
_is_in_team = team_can({"lead", "member"})

#: Who may pass each gate (besides superusers), as team roles.
REVIEWERS = {
    Gate.COACH: {"coach", "faculty", "manager"},
    Gate.MANAGER: {"manager"},
}


def _may_start_project(user, team):
    return team.program.workflow_version_id is not None and (
        may_work_in(user, team) or manages(user, team.program)
    )


def _may_review(user, stage_state):
    roles_needed = REVIEWERS.get(stage_state.spec["gate"])
    team = stage_state.project.team
    if not roles_needed or (_is_in_team(user, team) and not user.is_superuser):
        return False
    return team_can(roles_needed)(user, team)


def reviewable_stages(user, versions, on=None):
    """The stage states whose gate ``user`` may pass, as ``_may_review`` says for one (whatever
    their state): one filter for a whole list. ``versions`` maps the pks of the workflow
    versions the states' projects run on to those versions (the gates live in their specs)."""
    if not is_active_person(user):
        return StageState.objects.none()
    may_pass = NOTHING
    for gate, roles in REVIEWERS.items():
        if user.is_superuser:
            may_pass |= _with_gate(versions, gate)
        else:
            may_pass |= _with_gate(versions, gate) & team_role_q(user, roles, "project__team", on)
    states = StageState.objects.filter(may_pass)
    if user.is_superuser:
        return states
    return states.exclude(team_role_q(user, {"member", "lead"}, "project__team", on))


def _with_gate(versions, gate):
    """A ``Q`` for stage states whose stage has ``gate`` in their project's workflow version."""
    condition = NOTHING
    for version in versions.values():
        keys = [spec["key"] for spec in version.stages if spec["gate"] == gate]
        if keys:
            condition |= Q(project__workflow_version=version.pk, stage_key__in=keys)
    return condition


def _manages_program_of(user, item):
    project = item if isinstance(item, ImprovementProject) else item.project
    return manages(user, project.team.program)


RULES.update(
    {
        (Team, "start_project"): _may_start_project,
        (ImprovementProject, "view"): lambda user, project: _sees_team(user, project.team),
        (ImprovementProject, "manage"): _manages_program_of,
        (ImprovementProject, "move_version"): _manages_program_of,
        (StageState, "view"): lambda user, state: _sees_team(user, state.project.team),
        (StageState, "edit"): lambda user, state: may_work_in(user, state.project.team),
        (StageState, "review"): _may_review,
        (StageState, "comment"): lambda user, state: _works_on_team(user, state.project.team),
        (StageState, "waive"): _manages_program_of,
        (StageState, "reopen"): _manages_program_of,
        (StageState, "start_cycle"): lambda user, state: may_work_in(user, state.project.team),
    }
)


def may_download(user, stored_file):
    """A file attached to a stage's answers goes to those who may see the stage; a file of any
    other answer set (no project owns it) to the person who uploaded it, as before."""
    stage_state = StageState.objects.filter(answer_set=stored_file.answer_set_id).first()
    if stage_state is None:
        return stored_file.uploaded_by_id == user.pk
    return can(user, "view", stage_state)
