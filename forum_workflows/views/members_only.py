"""Keeping members-only pages and documents closed (wired as Wagtail's serve hooks).

Someone signed out is sent to sign in first; someone signed in who is not one of the program's
people gets a 403 page that names the program, so they know whom to ask.
"""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse

from forum_workflows.permissions import (
    closed_area_of_document,
    closed_area_of_page,
    is_active_person,
)


def _refuse(request, area):
    if not is_active_person(request.user):
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(
        request,
        "forum_workflows/content/members_only.html",
        {"program": area.program},
        status=403,
    )


def before_serve_page(page, request, serve_args, serve_kwargs):
    area = closed_area_of_page(page, request.user)
    return _refuse(request, area) if area else None


def before_serve_document(document, request):
    area = closed_area_of_document(document, request.user)
    return _refuse(request, area) if area else None
