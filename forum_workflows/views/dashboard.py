"""The workspace's overviews: the dashboard after login, by the roles a person has, and a
project's page with its improvement ramp.

What each section holds is ``dashboards``' answer (and so ``permissions``'); this module reads
the request (the review queue's filters and page) and renders. Sections, in order:

- a team member's team: the ramp, what to do next, the open requests for changes;
- a reviewer's queue (coaches, faculty, programme managers): oldest submission first;
- a coach's teams and their progress;
- a programme manager's or faculty member's programs: teams by stage, with totals;
- a sponsor's or organisation contact's teams, to read.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from .. import dashboards
from ..models import ImprovementProject
from ..permissions import can
from ..workspace_forms import ReviewFilters, StartProjectForm
from .stage_common import language as current_language

#: Stages shown on one page of the review queue.
QUEUE_PAGE_SIZE = 25


def _member_section(user, language, today):
    """For each team ``user`` works in: the team, its ramp (None before the project starts)
    and, before it starts, whether ``user`` may start it."""
    teams = list(dashboards.member_teams(user, today))
    projects = list(dashboards.running_projects([team.pk for team in teams]))
    ramps = {ramp.project.team_id: ramp for ramp in dashboards.ramps(projects, language, today)}
    return [
        {
            "team": team,
            "ramp": ramps.get(team.pk),
            "may_start": team.pk not in ramps and can(user, "start_project", team),
        }
        for team in teams
    ]


def _review_section(request, versions, language, today):
    """The review queue's page, filtered as asked; ``(context, status)``, 400 when a filter
    holds something the lists do not offer (the whole queue is shown then)."""
    queue = dashboards.review_queue(request.user, versions, today)
    filters = ReviewFilters(
        request.GET,
        teams=dashboards.queue_teams(queue),
        stages=dashboards.queue_stages(queue, versions, language),
    )
    page = Paginator(filters.apply(queue), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = dashboards.label_queue(list(page.object_list), versions, language, today)
    return {"filters": filters, "queue": page}, 200 if filters.is_valid() else 400


@login_required
def dashboard(request):
    user, language, today = request.user, current_language(), timezone.localdate()
    context = {
        "member_teams": _member_section(user, language, today),
        "start_form": StartProjectForm(),
    }
    status = 200
    programs = list(dashboards.programs_overseen(user))
    context["reviewer"] = reviewer = dashboards.is_reviewer(user, today)
    versions = dashboards.workflow_versions(user)
    if reviewer:
        queue_context, status = _review_section(request, versions, language, today)
        context.update(queue_context)
    context.update(
        coached=dashboards.team_progress(
            dashboards.coached_teams(user, today), versions, language, today
        ),
        programs=dashboards.program_overviews(programs, versions, language, today),
        readable=dashboards.team_progress(
            dashboards.readable_teams(user, today), versions, language, today
        ),
    )
    context["has_role"] = reviewer or any(
        context[name] for name in ("member_teams", "coached", "programs", "readable")
    )
    return TemplateResponse(
        request, "forum_workflows/workspace/dashboard.html", context, status=status
    )


@login_required
def project(request, pk):
    project = get_object_or_404(
        ImprovementProject.objects.select_related("team__program", "workflow_version"), pk=pk
    )
    if not can(request.user, "view", project):
        raise PermissionDenied
    (ramp,) = dashboards.ramps([project], current_language(), with_comments=False)
    return TemplateResponse(
        request,
        "forum_workflows/workspace/project.html",
        {
            "project": project,
            "ramp": ramp,
            "may_read_coach_log": can(request.user, "read_coach_log", project.team),
        },
    )
