"""Starting a team's improvement project from the workspace: a member (or the program's
manager) names what the team improves, and the project starts on the program's workflow."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .. import transitions
from ..models import Team
from ..permissions import can
from ..workspace_forms import StartProjectForm


@login_required
@require_POST
def start_project(request, pk):
    team = get_object_or_404(Team.objects.select_related("program"), pk=pk)
    if not can(request.user, "start_project", team):
        raise PermissionDenied
    form = StartProjectForm(request.POST)
    if form.is_valid():
        try:
            project = transitions.start_project(
                team, request.user, title=form.cleaned_data["title"]
            )
        except transitions.TransitionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            return redirect("forum_workflows:workspace_project", project.pk)
    else:
        status = 400
    context = {"team": team, "form": form}
    return TemplateResponse(
        request, "forum_workflows/workspace/start_project.html", context, status=status
    )
