"""Trying out a published form on the site, as a team would fill it in.

Nothing is stored: a valid submit shows the read-only view of the answers, so a programme
manager sees both what a team fills in and what reviewers will read.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from .builder import DRAFT, SUBMIT, AnswerForm
from .display import read_only
from .file_field import HEX_ID, without_files
from .models import FormDefinition, StoredFile
from .permissions import can_download_file, can_try_forms
from .upload_limits import limit_upload_size


@limit_upload_size
def try_form(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_try_forms(request.user):
        raise PermissionDenied
    definition = get_object_or_404(FormDefinition, slug=slug)
    version = definition.latest_version
    if version is None:
        raise Http404
    language = get_language()
    context = {"definition": definition, "version": version, "answers": None}
    status = 200
    if request.method != "POST":
        form = AnswerForm(version.schema, language=language)
    elif request.POST.get("add_row"):
        # Without JavaScript a new row takes a round trip; what was typed comes back as it was.
        typed = AnswerForm(
            version.schema, language=language, data=request.POST, files=request.FILES, mode=DRAFT
        )
        typed.is_valid()
        form = AnswerForm(
            version.schema,
            language=language,
            # Nothing is stored here, so files chosen so far cannot stay attached.
            answers=without_files(typed.answers, typed.new_files),
            problems=typed.problems,
            extra_rows={request.POST["add_row"]: 1},
        )
    else:
        form = AnswerForm(
            version.schema,
            language=language,
            data=request.POST,
            files=request.FILES,
            mode=SUBMIT,
            privacy_confirmed=request.POST.get("privacy_confirmed") == "on",
        )
        if form.is_valid():
            context["answers"] = read_only(version.schema, form.answers, language=language)
        else:
            status = 400
    context["form"] = form
    return TemplateResponse(request, "forum_forms/try_form.html", context, status=status)


def download_file(request, file_id):
    """A file attached to an answer, for those the host app's rules allow, never inline."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not HEX_ID.match(file_id):
        raise Http404
    stored = get_object_or_404(StoredFile, pk=file_id, redacted_at__isnull=True)
    if not can_download_file(request.user, stored):
        raise PermissionDenied
    try:
        content = stored.content.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None  # erased, or lost from storage: nothing to send
    response = FileResponse(
        content,
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
