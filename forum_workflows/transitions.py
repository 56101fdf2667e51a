"""Every state change of an improvement project, and nothing else changes them (DESIGN.md §4).

Each function here:

1. asks ``permissions`` whether the user may (:class:`NotAllowed` if not);
2. in one transaction, locks the project's row and then the stage's, and checks that the
   stage's state allows the change (:class:`WrongState` if not). Locking the project first
   serialises all changes to one project: two approvals that each open a stage waiting for
   both cannot miss each other;
3. writes a :class:`~forum_workflows.models.StageHistory` row for every state change, and an
   entry in Wagtail's audit log (actions ``forum_workflows.*``);
4. hands notifications to ``notifications``, which sends them after the commit.

Drafts carry a revision number (the forms engine's ``draft_revision``): a save or submit that
expected another number raises :class:`forms.answers.StaleDraft`, which holds the newer
answers; the caller still has its own, so no text is lost. Autosaves bump the draft's revision
only: no audit entry, no answer version.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from forms import answers
from forms.builder import SUBMIT
from forms.models import AnswerSet, FormVersion
from forms.schema import key_types

from . import notifications
from .due_dates import due_dates
from .models import ImprovementProject, StageComment, StageHistory, StageState, Team
from .permissions import can
from .version_moves import plan_move
from .workflow_blocks import Gate

State = StageState.State
#: States in which the team edits and submits the stage.
EDITABLE = StageState.TEAM_WORKS_ON
#: States that let the stages waiting for this one open.
DONE = (State.APPROVED, State.WAIVED)
WAIVABLE = (State.LOCKED, State.OPEN, State.DRAFT, State.CHANGES_REQUESTED, State.SUBMITTED)


class TransitionRefused(Exception):
    """A change that was refused; ``message`` says why, in the user's language. Nothing was
    changed."""

    #: The HTTP status a view answers with.
    status = 409

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAllowed(TransitionRefused):
    status = 403


class WrongState(TransitionRefused):
    """The stage's state (or the project's) does not allow the change (now)."""


class InvalidInput(TransitionRefused):
    status = 400


# Shared steps -----------------------------------------------------------------------------------


def _require(user, action, obj):
    if not can(user, action, obj):
        raise NotAllowed(_("You may not do that to this stage."))


def _lock(stage_state):
    """The project's row, then the stage's, locked; the stage fresh from the database."""
    ImprovementProject.objects.select_for_update().filter(pk=stage_state.project_id).first()
    state = (
        StageState.objects.select_for_update(of=("self",))
        .select_related("project__team__program", "project__workflow_version", "answer_set")
        .get(pk=stage_state.pk)
    )
    if state.project.archived_at is not None:
        raise WrongState(_("The project is archived; its stages can no longer change."))
    return state


def _change(state, to_state, actor, *, reason="", **timestamps):
    """Move ``state`` to ``to_state`` and write its history row."""
    from_state, now = state.state, timezone.now()
    state.state = to_state
    state.changed_at = now
    for field, value in timestamps.items():
        setattr(state, field, value)
    state.save(update_fields=["state", "changed_at", *timestamps])
    StageHistory.objects.create(
        stage_state=state, from_state=from_state, to_state=to_state, actor=actor, at=now,
        reason=reason,
    )  # fmt: skip


def _audit(instance, action, user, **data):
    log(instance=instance, action=f"forum_workflows.{action}", user=user, data=data)


def _stage_data(state, **extra):
    return {"stage": state.stage_key, "cycle": state.cycle, **extra}


def form_version_of(state):
    """The FormVersion the stage's workflow version pins for its form."""
    return FormVersion.objects.get(pk=state.spec["form_version"])


def _required_text(text, message):
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message)
    return text


def _open_ready_stages(project):
    """Open the locked stages whose dependencies are now approved or waived (a repeating stage
    counts once one cycle is; a reopened stage still counts: reopening re-locks nothing)."""
    states = list(project.stage_states.all())
    done = {s.stage_key for s in states if s.state in DONE or s.approved_at is not None}
    version = project.workflow_version
    opened = []
    for state in states:
        if state.state != State.LOCKED:
            continue
        if all(key in done for key in version.stage(state.stage_key)["depends_on"]):
            _change(state, State.OPEN, None, opened_at=timezone.now())
            opened.append(state)
    return opened


def _approve(state, actor):
    _change(state, State.APPROVED, actor, approved_at=state.approved_at or timezone.now())
    _open_ready_stages(state.project)


# Starting ---------------------------------------------------------------------------------------


def start_project(team, user, *, title=""):
    """``user`` starts ``team``'s project on its program's workflow version: a state for every
    stage, open when it waits for nothing, locked otherwise, with its due date."""
    _require_start(user, team)
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("program").get(pk=team.pk)
        if team.archived_at or team.status == Team.Status.LEFT or team.program.archived_at:
            raise WrongState(_("The team no longer takes part in the program."))
        if team.projects.filter(archived_at__isnull=True).exists():
            raise WrongState(_("The team already runs a project."))
        version = team.program.workflow_version
        project = ImprovementProject.objects.create(
            team=team, workflow_version=version, title=title.strip(), started_by=user
        )
        dates = due_dates(version.stages, team.program)
        now = timezone.now()
        for spec in version.stages:
            opens = not spec["depends_on"]
            state = StageState.objects.create(
                project=project,
                stage_key=spec["key"],
                state=State.OPEN if opens else State.LOCKED,
                answer_set=AnswerSet.objects.create(definition_id=spec["form"]),
                due_on=dates[spec["key"]],
                opened_at=now if opens else None,
            )
            StageHistory.objects.create(
                stage_state=state, from_state="", to_state=state.state, actor=user, at=now
            )
        _audit(project, "start_project", user, workflow_version=version.pk)
    return project


def _require_start(user, team):
    if team.program.workflow_version_id is None:
        raise WrongState(_("The program has no workflow yet: ask your programme manager."))
    if not can(user, "start_project", team):
        raise NotAllowed(_("Only the team's members can start its project."))


def start_cycle(project, stage_key, user):
    """Start the next cycle of a repeating stage (a new PDSA cycle); returns its state."""
    first = project.stage_states.filter(stage_key=stage_key, cycle=1).first()
    if first is None:
        raise WrongState(_("The project has no such stage."))
    _require(user, "start_cycle", first)
    with transaction.atomic():
        first = _lock(first)
        if not first.spec["repeating"]:
            raise WrongState(_("Only a repeating stage has cycles."))
        if first.state == State.LOCKED:
            raise WrongState(_("The stage opens when the stages before it are approved."))
        cycles = list(StageState.objects.filter(project=project, stage_key=stage_key))
        if any(cycle.state == State.OPEN for cycle in cycles):
            raise WrongState(_("A cycle that has not been started on is open: use it first."))
        now = timezone.now()
        state = StageState.objects.create(
            project=first.project,
            stage_key=stage_key,
            cycle=max(cycle.cycle for cycle in cycles) + 1,
            state=State.OPEN,
            answer_set=AnswerSet.objects.create(definition_id=first.spec["form"]),
            opened_at=now,
        )
        StageHistory.objects.create(
            stage_state=state, from_state="", to_state=State.OPEN, actor=user, at=now
        )
        _audit(state, "start_cycle", user, **_stage_data(state))
    return state


# The team's work --------------------------------------------------------------------------------


def accepts_data(state):
    """A continuing stage keeps taking data after approval (measurements, the action plan)."""
    return state.state == State.APPROVED and state.spec["continuing"]


def is_waivable(state):
    """Whether the stage's spec and state let it be waived now (who may: ``permissions``)."""
    return state.spec["optional"] and state.state in WAIVABLE


def is_reopenable(state):
    """Whether the stage's state lets it be reopened now (who may: ``permissions``)."""
    return state.state == State.APPROVED


def is_editable(state):
    """Whether the stage's state lets the team save and submit it now (who may is a question
    for ``permissions``)."""
    return state.state in EDITABLE or accepts_data(state)


def save_draft(stage_state, user, form, *, expected_revision, autosave=False):
    """Save a draft-mode ``form`` as the stage's draft; returns the fresh answer set.

    The first save moves an open stage to draft. ``autosave`` saves leave no audit entry.
    Raises :class:`forms.answers.StaleDraft` when someone saved since ``expected_revision``.
    """
    _require(user, "edit", stage_state)
    with transaction.atomic():
        state = _lock(stage_state)
        if not is_editable(state):
            raise WrongState(_("This stage cannot be edited now."))
        answer_set = answers.save_draft(
            state.answer_set,
            form_version_of(state),
            form,
            user=user,
            expected_revision=expected_revision,
        )
        if state.state == State.OPEN:
            _change(state, State.DRAFT, user)
        if not autosave:
            _audit(state, "save_draft", user, **_stage_data(state))
    return answer_set


def submit_stage(stage_state, user, form, *, expected_revision):
    """Submit a valid submit-mode ``form``: a new answer version, and the stage waits for its
    gate (a stage without an approving gate is approved at once, and the stages waiting for it
    open). In an approved continuing stage this records the new data, with no new review.

    Raises :class:`forms.answers.StaleDraft` when someone saved since ``expected_revision``.
    """
    _require(user, "edit", stage_state)
    if form.mode != SUBMIT or not form.is_valid():
        raise InvalidInput(_("Correct the answers marked before submitting."))
    return _submit(stage_state, user, expected_revision, form)


def submit_draft(stage_state, user, *, expected_revision):
    """Submit the saved draft as it stands: the second step of "check, then submit", after a
    submit-mode form was checked and saved as the draft at ``expected_revision`` (the caller
    vouches for that check). Raises :class:`forms.answers.StaleDraft` when the draft changed
    since, and :class:`InvalidInput` when it holds values kept as typed."""
    _require(user, "edit", stage_state)
    return _submit(stage_state, user, expected_revision, None)


def _submit(stage_state, user, expected_revision, form):
    with transaction.atomic():
        state = _lock(stage_state)
        continuing = accepts_data(state)
        if state.state not in EDITABLE and not continuing:
            raise WrongState(_("This stage cannot be submitted now."))
        form_version = form_version_of(state)
        if form is None:
            answer_set = _checked_draft(state, form_version, expected_revision)
            data, files = answer_set.draft, ()
        else:
            answer_set = answers.save_draft(
                state.answer_set,
                form_version,
                form,
                user=user,
                expected_revision=expected_revision,
            )
            data, files = form.answers, form.new_files
        version = answers.save_version(answer_set, form_version, data, user=user, files=files)
        if continuing:
            _audit(state, "add_data", user, **_stage_data(state, answers=version.number))
            return state
        _change(state, State.SUBMITTED, user, submitted_at=timezone.now())
        gate = state.spec["gate"]
        if gate in Gate.APPROVE_ON_SUBMIT:
            _approve(state, None)
        _audit(state, "submit_stage", user, **_stage_data(state, answers=version.number))
        if gate != Gate.NONE:
            notifications.stage_event(notifications.SUBMITTED, state, user)
    return state


def _checked_draft(state, form_version, expected_revision):
    """The stage's draft, locked, if it is still the one checked at ``expected_revision``."""
    answer_set = AnswerSet.objects.select_for_update().get(pk=state.answer_set_id)
    if answer_set.draft_revision != expected_revision:
        raise answers.StaleDraft(answer_set)
    if answer_set.draft_problems or answer_set.draft_form_version_id != form_version.pk:
        raise InvalidInput(_("Correct the answers marked before submitting."))
    return answer_set


# Review -----------------------------------------------------------------------------------------


def _decide(stage_state, user, decision, comment, field_key=""):
    _require(user, "review", stage_state)
    with transaction.atomic():
        state = _lock(stage_state)
        if state.state != State.SUBMITTED:
            raise WrongState(_("Only a submitted stage can be reviewed."))
        _check_field_key(state, field_key)
        comment = StageComment.objects.create(
            stage_state=state,
            author=user,
            body=comment,
            field_key=field_key,
            decision=decision,
            answer_version=state.answer_set.latest,
        )
        if decision == StageComment.Decision.APPROVE:
            _approve(state, user)
            _audit(state, "approve_stage", user, **_stage_data(state))
            notifications.stage_event(notifications.APPROVED, state, user, comment)
        else:
            _change(state, State.CHANGES_REQUESTED, user, reason=comment.body)
            _audit(state, "request_changes", user, **_stage_data(state))
            notifications.stage_event(notifications.CHANGES_REQUESTED, state, user, comment)
    return state


def approve_stage(stage_state, user, *, comment="", field_key=""):
    """Pass the stage's gate; the stages waiting for it open. A comment may go with it, on
    the stage or on one field."""
    comment = (comment or "").strip()
    return _decide(stage_state, user, StageComment.Decision.APPROVE, comment, field_key)


def request_changes(stage_state, user, *, comment, field_key=""):
    """Send the stage back to the team, saying what to change (a comment is required)."""
    comment = _required_text(comment, _("Say what to change: write a comment."))
    return _decide(stage_state, user, StageComment.Decision.CHANGES, comment, field_key)


def _check_field_key(state, field_key):
    if field_key and field_key not in key_types(form_version_of(state).schema):
        raise InvalidInput(_("The stage's form has no such field."))


def add_comment(stage_state, user, *, body, field_key=""):
    """A comment on the stage or on one of its fields, at any time; changes no state."""
    _require(user, "comment", stage_state)
    body = _required_text(body, _("Write a comment first."))
    with transaction.atomic():
        state = _lock(stage_state)
        _check_field_key(state, field_key)
        comment = StageComment.objects.create(
            stage_state=state, author=user, body=body, field_key=field_key
        )
        _audit(state, "comment", user, **_stage_data(state, field=field_key))
        notifications.stage_event(notifications.COMMENTED, state, user, comment)
    return comment


# The programme manager's decisions -------------------------------------------------------------


def waive_stage(stage_state, user, *, reason):
    """Skip an optional stage; the stages waiting for it open."""
    _require(user, "waive", stage_state)
    reason = _required_text(reason, _("Give a reason for waiving the stage."))
    with transaction.atomic():
        state = _lock(stage_state)
        if not state.spec["optional"]:
            raise WrongState(_("Only an optional stage can be waived."))
        if state.state not in WAIVABLE:
            raise WrongState(_("This stage is done; it cannot be waived."))
        _change(state, State.WAIVED, user, reason=reason)
        _open_ready_stages(state.project)
        _audit(state, "waive_stage", user, **_stage_data(state))
    return state


def reopen_stage(stage_state, user, *, reason):
    """Reopen an approved stage for the team to change; later stages stay open."""
    _require(user, "reopen", stage_state)
    reason = _required_text(reason, _("Give a reason for reopening the stage."))
    with transaction.atomic():
        state = _lock(stage_state)
        if not is_reopenable(state):
            raise WrongState(_("Only an approved stage can be reopened."))
        _change(state, State.REOPENED, user, reason=reason)
        _audit(state, "reopen_stage", user, **_stage_data(state))
    return state


def move_project(project, new_version, user):
    """Move ``project`` onto another version of its workflow, as :func:`version_moves.plan_move`
    plans it (refused with the plan's first problem when it cannot be made).

    Stages carry over with their states and answers; new stages are added (open when what they
    wait for is done); untouched stages the new version no longer has are removed, and the audit
    entry names them. Due dates follow the new rules. A submitted stage whose gate no longer
    waits for a review is approved. Returns the plan that was carried out.
    """
    if not can(user, "move_version", project):
        raise NotAllowed(_("Only the program's managers move a project to another version."))
    with transaction.atomic():
        project = (
            ImprovementProject.objects.select_for_update(of=("self",))
            .select_related("team__program", "workflow_version")
            .get(pk=project.pk)
        )
        if project.archived_at is not None:
            raise WrongState(_("The project is archived; its stages can no longer change."))
        plan = plan_move(project, new_version)
        if not plan.possible:
            raise WrongState(plan.problems[0])
        old_version = project.workflow_version
        project.workflow_version = new_version
        project.save(update_fields=["workflow_version"])
        for stage in plan.removed:
            for state in project.stage_states.filter(stage_key=stage.key):
                state.history.all().delete()
                answer_set = state.answer_set
                state.delete()
                answer_set.delete()
        dates = due_dates(new_version.stages, project.team.program)
        added = {stage.key for stage in plan.added}
        now = timezone.now()
        for spec in new_version.stages:
            if spec["key"] not in added:
                project.stage_states.filter(stage_key=spec["key"], cycle=1).update(
                    due_on=dates[spec["key"]]
                )
                continue
            state = StageState.objects.create(
                project=project,
                stage_key=spec["key"],
                answer_set=AnswerSet.objects.create(definition_id=spec["form"]),
                due_on=dates[spec["key"]],
            )
            StageHistory.objects.create(
                stage_state=state, from_state="", to_state=State.LOCKED, actor=user, at=now
            )
        for state in project.stage_states.filter(state=State.SUBMITTED):
            if new_version.stage(state.stage_key)["gate"] in Gate.APPROVE_ON_SUBMIT:
                state.project = project
                _approve(state, None)
        _open_ready_stages(project)
        _audit(
            project,
            "move_project",
            user,
            from_version=old_version.number,
            to_version=new_version.number,
            added=sorted(added),
            removed=[stage.key for stage in plan.removed],
        )
    return plan


# The audit log's names --------------------------------------------------------------------------

LOG_ACTIONS = {
    "start_project": (_("Start a project"), _("Project started")),
    "start_cycle": (_("Start a cycle"), _("Cycle started")),
    "save_draft": (_("Save a draft"), _("Draft saved")),
    "submit_stage": (_("Submit a stage"), _("Stage submitted")),
    "add_data": (_("Add data to a stage"), _("Data added")),
    "approve_stage": (_("Approve a stage"), _("Stage approved")),
    "request_changes": (_("Request changes"), _("Changes requested")),
    "comment": (_("Comment on a stage"), _("Comment written")),
    "waive_stage": (_("Waive a stage"), _("Stage waived")),
    "reopen_stage": (_("Reopen a stage"), _("Stage reopened")),
    "move_project": (
        _("Move a project to another workflow version"),
        _("Project moved to another workflow version"),
    ),
}


def register_log_actions(actions):
    """Wired in ``wagtail_hooks``: the entries show in the admin's history and the site history
    report."""
    for name, (label, message) in LOG_ACTIONS.items():
        actions.register_action(f"forum_workflows.{name}", label, message)
