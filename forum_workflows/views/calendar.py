"""Calendar downloads: all sessions of a program, or one session, as an .ics file.

Only what the public site already shows is served (see ``permissions``), and a session to those
signed up for it; anything else is a 404.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from wagtail.models import Locale

from forum_workflows.calendar import build_calendar
from forum_workflows.models import LearningSession, LearningSessionPage, Program
from forum_workflows.permissions import can, is_program_public, is_session_public


def _ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def _public_session_pages(sessions, request):
    """The live, public page of each session in the language of the request."""
    pages = (
        LearningSessionPage.objects.live()
        .public()
        .filter(learning_session__in=sessions, locale=Locale.get_active())
    )
    return {page.learning_session_id: page.get_full_url(request) for page in pages}


def program_calendar(request, slug):
    program = get_object_or_404(Program, slug=slug)
    if not is_program_public(program):
        raise Http404
    sessions = list(program.learning_sessions.order_by("starts_at", "pk"))
    calendar = build_calendar(
        program.name,
        sessions,
        host=request.get_host(),
        page_urls=_public_session_pages([s.pk for s in sessions], request),
    )
    return _ics_response(calendar, slugify(program.slug) or "program")


def session_calendar(request, pk):
    session = get_object_or_404(LearningSession.objects, pk=pk)
    if not (is_session_public(session) or can(request.user, "get_calendar", session)):
        raise Http404
    page_urls = _public_session_pages([session.pk], request)
    calendar = build_calendar(
        session.title, [session], host=request.get_host(), page_urls=page_urls
    )
    return _ics_response(calendar, f"{slugify(session.title) or 'session'}-{session.pk}")
