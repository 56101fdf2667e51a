"""What besides the team's answers happens on a stage's page: review decisions, comments,
waiving and reopening (programme managers) and starting a new cycle of a repeating stage.

Each is a POST that asks ``transitions`` (which asks ``permissions``) and comes back to the
stage's page; a refusal shows that page again with the reason and what was typed.
"""

from django.shortcuts import redirect

from .. import transitions
from ..models import StageComment
from ..stage_fields import field_labels
from ..workspace_forms import CommentForm, ReasonForm, ReviewForm
from .stage_common import language, stage_action, stage_or_404
from .workspace import render_stage


def _labels(state):
    return field_labels(transitions.form_version_of(state).schema, language=language())


def _done(state):
    return redirect("forum_workflows:workspace_stage", state.pk)


def _refused(request, state, refused, **forms):
    return render_stage(request, state, status=refused.status, message=refused.message, **forms)


@stage_action
def review(request, pk):
    state = stage_or_404(request, pk, "review")
    form = ReviewForm(request.POST, field_labels=_labels(state))
    if not form.is_valid():
        return render_stage(request, state, status=400, review_form=form)
    data = form.cleaned_data
    try:
        decide = (
            transitions.approve_stage
            if data["decision"] == StageComment.Decision.APPROVE
            else transitions.request_changes
        )
        decide(state, request.user, comment=data["body"], field_key=data["field_key"])
    except transitions.TransitionRefused as refused:
        return _refused(request, state, refused, review_form=form)
    return _done(state)


@stage_action
def comment(request, pk):
    state = stage_or_404(request, pk, "comment")
    form = CommentForm(request.POST, field_labels=_labels(state))
    if not form.is_valid():
        return render_stage(request, state, status=400, comment_form=form)
    try:
        transitions.add_comment(
            state,
            request.user,
            body=form.cleaned_data["body"],
            field_key=form.cleaned_data["field_key"],
        )
    except transitions.TransitionRefused as refused:
        return _refused(request, state, refused, comment_form=form)
    return redirect(f"{_done(state).url}#comments-heading")


def _manager_decision(request, pk, action, transition):
    state = stage_or_404(request, pk, action)
    form = ReasonForm(request.POST, action=action)
    context_name = f"{action}_form"
    if not form.is_valid():
        return render_stage(request, state, status=400, **{context_name: form})
    try:
        transition(state, request.user, reason=form.cleaned_data["reason"])
    except transitions.TransitionRefused as refused:
        return _refused(request, state, refused, **{context_name: form})
    return _done(state)


@stage_action
def waive(request, pk):
    return _manager_decision(request, pk, "waive", transitions.waive_stage)


@stage_action
def reopen(request, pk):
    return _manager_decision(request, pk, "reopen", transitions.reopen_stage)


@stage_action
def start_cycle(request, pk):
    state = stage_or_404(request, pk, "start_cycle")
    try:
        cycle = transitions.start_cycle(state.project, state.stage_key, request.user)
    except transitions.TransitionRefused as refused:
        return _refused(request, state, refused)
    return _done(cycle)
