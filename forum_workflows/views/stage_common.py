"""What the workspace's stage views share: the language, a stage the person may act on, its
answer form, the draft revision a page posts, and the rule that an action URL is for POSTs."""

import re
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language

from forms.builder import DRAFT, AnswerForm

from ..models import StageState
from ..permissions import can

_REVISION = re.compile(r"[0-9]{1,9}")


def language():
    return (get_language() or "sv")[:2]


def stage_or_404(request, pk, action="view"):
    """The stage, if ``request.user`` may ``action`` it (403 otherwise)."""
    state = get_object_or_404(
        StageState.objects.select_related(
            "project__team__program", "project__workflow_version", "answer_set"
        ),
        pk=pk,
    )
    if not can(request.user, action, state):
        raise PermissionDenied
    return state


def answer_form(state, version, *, mode=DRAFT, **kwargs):
    kwargs.setdefault("choice_context", state)
    return AnswerForm(version.schema, language=language(), mode=mode, **kwargs)


def posted_revision(request):
    """The draft revision the page was made from, or ``None`` when it is not one."""
    value = request.POST.get("revision", "")
    return int(value) if _REVISION.fullmatch(value) else None


def stage_action(view):
    """A POST on a stage by a signed-in person. Anything else (a reload, a bookmark, the
    language switch on a page shown after a refusal) goes to the stage's page."""

    @login_required
    @wraps(view)
    def wrapper(request, pk):
        if request.method != "POST":
            return redirect("forum_workflows:workspace_stage", pk)
        return view(request, pk)

    return wrapper
