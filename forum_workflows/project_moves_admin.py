"""Moving a project to a newer version of its workflow, in the admin: a programme manager picks
the version, reads what would carry over and what would not (``version_moves.plan_move``), and
confirms. The move itself is ``transitions.move_project``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import transitions
from .models import ImprovementProject, WorkflowVersion
from .permissions import can
from .version_moves import plan_move


def newer_versions(project):
    version = project.workflow_version
    return WorkflowVersion.objects.filter(
        workflow=version.workflow_id, number__gt=version.number
    ).order_by("-number")


def inspect_url(project):
    return reverse("forum_workflows_improvementproject_modeladmin_inspect", args=[project.pk])


class MoveProjectView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "forum_workflows/admin/project_move.html"
    page_title = gettext_lazy("Move to a newer workflow version")
    header_icon = "resubmit"

    def dispatch(self, request, pk, *args, **kwargs):
        self.project = get_object_or_404(
            ImprovementProject.objects.select_related(
                "team__program", "workflow_version__workflow"
            ),
            pk=pk,
        )
        if not can(request.user, "move_version", self.project):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.project)

    def _chosen(self, data):
        """The version asked for (the newest when none is), among the newer ones only."""
        versions = newer_versions(self.project)
        number = data.get("version")
        if number is None:
            return versions.first()
        if not str(number).isdigit():
            return None
        return versions.filter(number=int(number)).first()

    def get(self, request, *args, **kwargs):
        version = self._chosen(request.GET)
        status = 200 if version is not None or "version" not in request.GET else 404
        return self.render_to_response(self.get_context_data(version=version), status=status)

    def post(self, request, *args, **kwargs):
        version = self._chosen(request.POST)
        if version is None or request.POST.get("from") != str(self.project.workflow_version_id):
            messages.error(
                request,
                _("The project or its workflow changed while you looked: check the plan again."),
            )
            return self.render_to_response(self.get_context_data(version=version), status=409)
        try:
            transitions.move_project(self.project, version, request.user)
        except transitions.TransitionRefused as refused:
            messages.error(request, refused.message)
            return self.render_to_response(
                self.get_context_data(version=version), status=refused.status
            )
        messages.success(
            request,
            _("The project now runs on version %(number)s.") % {"number": version.number},
        )
        return redirect(inspect_url(self.project))

    def get_context_data(self, *, version, **kwargs):
        context = super().get_context_data(**kwargs)
        language = (get_language() or "sv")[:2]
        context.update(
            project=self.project,
            versions=newer_versions(self.project),
            version=version,
            plan=plan_move(self.project, version, language) if version else None,
            back_url=inspect_url(self.project),
        )
        return context


urlpatterns = [path("<int:pk>/move/", MoveProjectView.as_view(), name="move")]
