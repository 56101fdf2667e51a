"""Autosave: the stage page's script posts the form every few seconds while someone types, and
reads a short JSON answer: the new revision and "saved at hh:mm", or why it was not saved.

Files are not sent (they go with "Save draft"); an autosave leaves no audit entry and no answer
version. A stale revision is refused (409) and the script stops saving: the person then saves
by hand and sees both texts side by side (``workspace``).
"""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms.answers import StaleDraft

from .. import transitions
from .stage_common import answer_form, posted_revision, stage_or_404


def saved_at(answer_set):
    return time_format(timezone.localtime(answer_set.draft_saved_at), "H:i")


def _refusal(message, status, **extra):
    return JsonResponse({"message": str(message), **extra}, status=status)


@require_POST
def autosave(request, pk):
    if not request.user.is_authenticated:
        # Not the login page: the script says the session ended and keeps the text.
        return _refusal(_("You are signed out."), 401)
    state = stage_or_404(request, pk, "edit")
    revision = posted_revision(request)
    if revision is None:
        return _refusal(_("The page was out of date. Reload it and try again."), 400)
    form = answer_form(
        state,
        transitions.form_version_of(state),
        data=request.POST,
        privacy_confirmed=request.POST.get("privacy_confirmed") == "on",
    )
    if not form.is_valid():
        return _refusal(
            _("Not saved automatically: a field needs checking. Select “Save draft” to see it."),
            400,
        )
    try:
        answer_set = transitions.save_draft(
            state, request.user, form, expected_revision=revision, autosave=True
        )
    except StaleDraft as stale:
        message = _(
            "Someone else saved this stage while you were writing. Nothing is lost: select "
            "“Save draft” to see both versions side by side."
        )
        return _refusal(message, 409, revision=stale.current.draft_revision)
    except transitions.TransitionRefused as refused:
        return _refusal(refused.message, refused.status)
    time = saved_at(answer_set)
    return JsonResponse(
        {
            "revision": answer_set.draft_revision,
            "saved_at": time,
            "message": _("Draft saved at %(time)s") % {"time": time},
        }
    )
