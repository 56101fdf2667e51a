"""A stage's page in the workspace: the guide beside the form, where the team saves a draft
(also automatically, see ``autosave``) and submits after a confirmation step, and where
reviewers, commenters and programme managers find their forms (``stage_actions``). Everything
works without JavaScript.

Every view asks ``permissions``; every change goes through ``transitions``. A stale save gets a
409 page that shows what the other person saved beside what this person typed, which stays in
the form: no text is lost.
"""

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forms.answers import StaleDraft
from forms.builder import DRAFT, SUBMIT
from forms.display import read_only
from forms.file_field import without_files
from forms.models import AnswerVersion

from .. import transitions
from ..models import StageGuidePage, StageState
from ..permissions import can
from ..stage_fields import PDSA_DECISION_ROLE, field_labels, role_answer
from ..workflow_blocks import Gate
from ..workspace_forms import CommentForm, ReasonForm, ReviewForm
from .stage_common import answer_form, language, posted_revision, stage_or_404

#: Signs "this person checked revision N of this stage's draft for submitting".
CHECKED_SALT = "forum_workflows.workspace.checked-draft"
CHECKED_MAX_AGE = 24 * 3600


def _guide(state, language):
    page = StageGuidePage.objects.filter(pk=state.spec.get("guide"), live=True).first()
    if page is None:
        return None
    translated = page.get_translations(inclusive=True).filter(
        locale__language_code=language, live=True
    )
    return (translated.first() or page).specific


def _editable(state, user):
    return can(user, "edit", state) and transitions.is_editable(state)


def _draft_form(state, version):
    answer_set = state.answer_set
    return answer_form(
        state, version, answers=answer_set.draft, problems=answer_set.draft_problems
    )


def _cycles(state, lang):
    """A repeating stage's cycles, each with its decision from its latest answers."""
    cycles = list(
        StageState.objects.filter(project=state.project_id, stage_key=state.stage_key).order_by(
            "cycle"
        )
    )
    newest = AnswerVersion.objects.filter(answer_set=OuterRef("answer_set")).order_by("-number")
    latest = {
        version.answer_set_id: version
        for version in AnswerVersion.objects.filter(
            answer_set__in=[cycle.answer_set_id for cycle in cycles],
            number=Subquery(newest.values("number")[:1]),
        ).select_related("form_version")
    }
    for cycle in cycles:
        version = latest.get(cycle.answer_set_id)
        cycle.decision = (
            role_answer(
                version.form_version.schema, version.data, PDSA_DECISION_ROLE, language=lang
            )
            if version
            else ""
        )
    return cycles


def _comments(state, labels):
    comments = list(state.comments.select_related("author").order_by("created_at", "pk"))
    for comment in comments:
        comment.field_label = labels.get(comment.field_key, comment.field_key)
    return comments


def render_stage(request, state, *, status=200, **overrides):
    """The stage's page; ``overrides`` replace parts of the context (a bound form with its
    errors, a message), so a refused action shows the page again with what was typed."""
    user = request.user
    lang = language()
    version = transitions.form_version_of(state)
    answer_set = state.answer_set
    latest = answer_set.latest
    labels = field_labels(version.schema, language=lang)
    editable = _editable(state, user)
    context = {
        "state": state,
        "stage_name": state.name(lang),
        "guide": _guide(state, lang),
        "editable": editable,
        "form": _draft_form(state, version) if editable else None,
        "revision": answer_set.draft_revision,
        "conflict": None,
        "message": None,
        "answers": read_only(latest.form_version.schema, latest.data, language=lang)
        if latest
        else None,
        "comments": _comments(state, labels),
        "field_labels": labels,
        "may_review": state.state == StageState.State.SUBMITTED and can(user, "review", state),
        "may_comment": can(user, "comment", state),
        "may_waive": transitions.is_waivable(state) and can(user, "waive", state),
        "may_reopen": transitions.is_reopenable(state) and can(user, "reopen", state),
        "reviewed": state.spec["gate"] not in Gate.APPROVE_ON_SUBMIT,
        "cycles": _cycles(state, lang) if state.spec["repeating"] else None,
        "may_read_coach_log": can(user, "read_coach_log", state.project.team),
        "may_start_cycle": state.spec["repeating"] and can(user, "start_cycle", state),
    }
    context["review_form"] = ReviewForm(field_labels=labels) if context["may_review"] else None
    context["comment_form"] = CommentForm(field_labels=labels) if context["may_comment"] else None
    context["waive_form"] = ReasonForm(action="waive") if context["may_waive"] else None
    context["reopen_form"] = ReasonForm(action="reopen") if context["may_reopen"] else None
    context.update(overrides)
    return TemplateResponse(
        request, "forum_workflows/workspace/stage.html", context, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stage(request, pk):
    state = stage_or_404(request, pk)
    if request.method != "POST":
        return render_stage(request, state)
    if not can(request.user, "edit", state):
        raise PermissionDenied
    if request.POST.get("action") == "confirm":
        return _confirm(request, state)
    if not transitions.is_editable(state):
        return render_stage(
            request, state, status=409, message=_("This stage cannot be edited now.")
        )
    return _post(request, state)


def _post(request, state):
    """Save, check for submitting, or add a row; the page again when that did not work."""
    version = transitions.form_version_of(state)
    action = request.POST.get("action", "save")
    revision = posted_revision(request)
    mode = SUBMIT if action == "submit" else DRAFT
    form = answer_form(
        state,
        version,
        mode=mode,
        data=request.POST,
        files=request.FILES,
        privacy_confirmed=request.POST.get("privacy_confirmed") == "on",
    )
    # The revision stays as the page had it, also across "add a row": a later save is checked
    # against it.
    page = {"form": form, "revision": request.POST.get("revision", ""), "unsaved": True}
    if request.POST.get("add_row"):
        form.is_valid()
        page["form"] = answer_form(
            state,
            version,
            answers=without_files(form.answers, form.new_files),
            problems=form.problems,
            extra_rows={request.POST["add_row"]: 1},
        )
        return render_stage(request, state, **page)
    if revision is None:
        message = _("The page was out of date. Reload it and try again.")
        return render_stage(request, state, status=400, message=message, **page)
    if not form.is_valid():
        return render_stage(request, state, status=400, **page)
    try:
        if mode == SUBMIT and transitions.accepts_data(state):
            # New data in an approved continuing stage: recorded at once, nothing to review.
            transitions.submit_stage(state, request.user, form, expected_revision=revision)
            return redirect(request.path)
        answer_set = transitions.save_draft(state, request.user, form, expected_revision=revision)
    except StaleDraft as stale:
        return _conflict(request, state, version, stale, page)
    except transitions.TransitionRefused as refused:
        return render_stage(request, state, status=refused.status, message=refused.message, **page)
    if mode == SUBMIT:
        return _confirmation(request, state, version, answer_set)
    return redirect(request.path)


def _conflict(request, state, version, stale, page):
    # Their text beside this person's, which stays in the form; saving again now is a
    # deliberate choice made with both in view.
    page["conflict"] = read_only(version.schema, stale.current.draft, language=language())
    page["revision"] = stale.current.draft_revision
    return render_stage(request, state, status=409, **page)


def _confirmation(request, state, version, answer_set):
    """The answers as the reviewer will read them, and the button that submits them."""
    checked = signing.dumps(
        {"stage": state.pk, "revision": answer_set.draft_revision, "user": request.user.pk},
        salt=CHECKED_SALT,
    )
    context = {
        "state": state,
        "stage_name": state.name(language()),
        "answers": read_only(version.schema, answer_set.draft, language=language()),
        "checked": checked,
        "reviewed": state.spec["gate"] not in Gate.APPROVE_ON_SUBMIT,
    }
    return TemplateResponse(request, "forum_workflows/workspace/confirm_submit.html", context)


def _confirm(request, state):
    try:
        checked = signing.loads(
            request.POST.get("checked", ""), salt=CHECKED_SALT, max_age=CHECKED_MAX_AGE
        )
    except signing.BadSignature:
        checked = {}
    if checked.get("stage") != state.pk or checked.get("user") != request.user.pk:
        message = _("The confirmation was out of date. Submit the stage again.")
        return render_stage(request, state, status=400, message=message)
    try:
        transitions.submit_draft(state, request.user, expected_revision=checked["revision"])
    except StaleDraft:
        message = _(
            "Someone saved this stage after you checked it, so it was not submitted. Their "
            "version is in the form: check it and submit again."
        )
        return render_stage(request, state, status=409, message=message)
    except transitions.TransitionRefused as refused:
        if _submitted_already(state, checked, request.user):
            return redirect(request.path)  # a second click on the button: done by the first
        return render_stage(request, state, status=refused.status, message=refused.message)
    return redirect(request.path)


def _submitted_already(state, checked, user):
    """Whether this person's last submission was the very draft ``checked`` vouches for."""
    answer_set = state.answer_set
    latest = answer_set.latest
    return (
        latest is not None
        and latest.author_id == user.pk
        and answer_set.draft_revision == checked["revision"]
        and latest.data == answer_set.draft
    )
