"""The team's workspace, first slice: a project's stages, and a stage page where the team
fills in the stage's form (works without JavaScript) and reviewers read it.

Every view asks ``permissions``; every change goes through ``transitions``. A stale save gets
a 409 page that shows what the other person saved beside what this person typed, which stays
in the form: no text is lost.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forms.answers import StaleDraft
from forms.builder import DRAFT, SUBMIT, AnswerForm
from forms.display import read_only
from forms.file_field import without_files

from .. import transitions
from ..models import ImprovementProject, StageGuidePage, StageState
from ..permissions import can


def _language():
    return (get_language() or "sv")[:2]


@login_required
def project(request, pk):
    project = get_object_or_404(
        ImprovementProject.objects.select_related("team__program", "workflow_version"), pk=pk
    )
    if not can(request.user, "view", project):
        raise PermissionDenied
    language = _language()
    states = list(project.stage_states.order_by("pk"))
    for state in states:
        state.project = project
        state.label = state.name(language)
    return TemplateResponse(
        request, "forum_workflows/workspace/project.html", {"project": project, "stages": states}
    )


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


@login_required
def stage(request, pk):
    state = get_object_or_404(
        StageState.objects.select_related(
            "project__team__program", "project__workflow_version", "answer_set"
        ),
        pk=pk,
    )
    if not can(request.user, "view", state):
        raise PermissionDenied
    editable = _editable(state, request.user)
    if request.method == "POST" and not can(request.user, "edit", state):
        raise PermissionDenied
    language = _language()
    version = transitions.form_version_of(state)
    answer_set = state.answer_set
    context = {"state": state, "conflict": None, "message": None}
    status = 200
    form = None
    if request.method == "POST" and not editable:
        context["message"] = _("This stage cannot be edited now.")
        status = 409
    elif request.method != "POST":
        if editable:
            form = AnswerForm(
                version.schema,
                language=language,
                mode=DRAFT,
                answers=answer_set.draft,
                problems=answer_set.draft_problems,
                choice_context=state,
            )
    else:
        form, status, context = _post(request, state, version, language, context)
        if status is None:
            return redirect(request.path)
    latest = answer_set.latest
    context.setdefault("revision", answer_set.draft_revision)
    context.update(
        form=form,
        editable=editable,
        stage_name=state.name(language),
        guide=_guide(state, language),
        answers=read_only(latest.form_version.schema, latest.data, language=language)
        if latest
        else None,
        comments=state.comments.select_related("author").order_by("created_at", "pk"),
    )
    return TemplateResponse(
        request, "forum_workflows/workspace/stage.html", context, status=status
    )


def _post(request, state, version, language, context):
    """Save, submit or add a row; ``(form, status, context)``, status ``None`` on success."""
    action = request.POST.get("action", "save")
    revision = request.POST.get("revision", "")
    # Kept as the page had it, also across "add a row": a later save is checked against it.
    context["revision"] = revision
    mode = SUBMIT if action == "submit" else DRAFT
    form = AnswerForm(
        version.schema,
        language=language,
        mode=mode,
        data=request.POST,
        files=request.FILES,
        choice_context=state,
        privacy_confirmed=request.POST.get("privacy_confirmed") == "on",
    )
    if request.POST.get("add_row"):
        form.is_valid()
        form = AnswerForm(
            version.schema,
            language=language,
            mode=DRAFT,
            answers=without_files(form.answers, form.new_files),
            problems=form.problems,
            extra_rows={request.POST["add_row"]: 1},
            choice_context=state,
        )
        return form, 200, context
    if not revision.isdigit():
        context["message"] = _("The page was out of date. Reload it and try again.")
        return form, 400, context
    if not form.is_valid():
        return form, 400, context
    try:
        if mode == SUBMIT:
            transitions.submit_stage(state, request.user, form, expected_revision=int(revision))
        else:
            transitions.save_draft(state, request.user, form, expected_revision=int(revision))
    except StaleDraft as stale:
        # Their text beside this person's, which stays in the form; saving again now is a
        # deliberate choice made with both in view.
        context["conflict"] = read_only(version.schema, stale.current.draft, language=language)
        context["revision"] = stale.current.draft_revision
        return form, 409, context
    except transitions.TransitionRefused as refused:
        context["message"] = refused.message
        return form, refused.status, context
    return form, None, context
