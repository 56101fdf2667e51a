"""Admin screens for programs, learning sessions and workflows, grouped under one "Program"
menu.

Snippet viewsets (not modeladmin): pages choose programs and sessions with the snippet
chooser, and workflow definitions need Wagtail's drafts, revisions and preview (DESIGN.md §5).
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .models import LearningSession, MembersOnlyArea, Program, ProjectWorkflow


class ScopedEditView(EditView):
    """Wagtail's edit view checks "change" for the model; this asks for the object too, so a
    programme manager edits only their own programs and sessions (see admin_policies)."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            raise PermissionDenied
        return instance


class ScopedViewSet(SnippetViewSet):
    """Lists show what the permission policy lets the person see or change."""

    edit_view_class = ScopedEditView
    related = ()

    def get_queryset(self, request):
        visible = policy_registry.get_by_type(self.model).instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )
        return visible.select_related(*self.related) if self.related else visible


class ProgramViewSet(ScopedViewSet):
    model = Program
    icon = "group"
    #: Programs are archived in a later issue; until then the list is short enough to scan.
    list_display = [
        "name",
        DateColumn("starts_on", label=_("starts on")),
        DateColumn("ends_on", label=_("ends on")),
    ]
    search_fields = ["name", "slug", "description"]
    search_backend_name = None


class LearningSessionViewSet(ScopedViewSet):
    model = LearningSession
    related = ("program",)
    icon = "date"
    list_display = [
        "title",
        Column("program", label=_("program")),
        Column("get_kind_display", label=_("kind of session")),
        "starts_at",
    ]
    list_filter = ["program", "kind"]
    search_fields = ["title", "place"]
    search_backend_name = None


class MembersOnlyAreaViewSet(SnippetViewSet):
    """Editors decide which pages and document collections are members-only (migration 0007),
    as they decide which pages are private."""

    model = MembersOnlyArea
    icon = "lock"
    list_display = [
        Column("page", label=_("page")),
        Column("collection", label=_("collection of documents")),
        Column("program", label=_("program")),
    ]
    list_filter = ["program"]
    search_backend_name = None


# Workflow definitions --------------------------------------------------------------------------

#: Who may see a workflow's versions: anyone who may see the workflows at all.
WORKFLOW_READERS = ["add", "change", "delete", "view", "publish"]


def keep_published_workflows(request, instances):
    """A ``before_delete_snippet`` hook: a workflow with versions is kept, not deleted, since
    programs and projects run on them (the database would refuse it anyway: PROTECT)."""
    published = [
        item for item in instances if isinstance(item, ProjectWorkflow) and item.versions.exists()
    ]
    if not published:
        return None
    messages.error(
        request,
        gettext(
            "%(name)s has published versions that programs and projects run on, so it cannot "
            "be deleted."
        )
        % {"name": published[0].name},
    )
    return redirect(ProjectWorkflow.snippet_viewset.get_url_name("edit"), published[0].pk)


class WorkflowVersionsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A workflow's published versions, newest first: read-only, as they are frozen."""

    model = ProjectWorkflow
    any_permission_required = WORKFLOW_READERS
    template_name = "forum_workflows/admin/workflow_versions.html"
    page_title = _("Versions")
    header_icon = "list-ol"
    index_url_name = None
    edit_url_name = None
    workflow = None

    def get(self, request, pk):
        self.workflow = get_object_or_404(ProjectWorkflow, pk=pk)
        versions = (
            self.workflow.versions.select_related("published_by")
            .annotate(program_count=Count("programs", distinct=True))
            .annotate(project_count=Count("projects", distinct=True))
            .order_by("-number")
        )
        rows = [
            {
                "version": version,
                "publisher": _person(version.published_by),
                "stage_count": len(version.stages),
            }
            for version in versions
        ]
        return self.render_to_response(self.get_context_data(workflow=self.workflow, rows=rows))

    def get_page_subtitle(self):
        return str(self.workflow) if self.workflow else ""

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(ProjectWorkflow._meta.verbose_name_plural),
            },
        ]
        if self.workflow is not None:
            edit_url = reverse(self.edit_url_name, args=(quote(self.workflow.pk),))
            items.append({"url": edit_url, "label": str(self.workflow)})
        return [*items, {"url": "", "label": self.page_title}]


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class VersionsButtonMixin:
    versions_url_name = None

    def versions_item(self, workflow, item_class, priority):
        return item_class(
            gettext("Published versions"),
            url=reverse(self.versions_url_name, args=(quote(workflow.pk),)),
            icon_name="history",
            priority=priority,
        )


class WorkflowIndexView(VersionsButtonMixin, IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            self.versions_item(instance, MenuItem, 40),
        ]


class WorkflowEditView(VersionsButtonMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, self.versions_item(self.object, Button, 40)]


class WorkflowDeleteView(DeleteView):
    def run_before_hook(self):
        return keep_published_workflows(self.request, [self.object]) or super().run_before_hook()


class ProjectWorkflowViewSet(SnippetViewSet):
    """Workflow definitions with drafts, revisions and a preview of their stages. Publishing
    checks the rules and freezes a version (``ProjectWorkflow.publish``); a publish the rules
    refuse shows the problems on the form and writes nothing.

    Plain model permissions: a workflow belongs to no program, so whoever holds them (the
    "Programme managers" group) sets up every cohort's workflow."""

    model = ProjectWorkflow
    icon = "list-ol"
    list_display = [
        "name",
        "slug",
        Column(
            "latest_version_number",
            label=_("latest version"),
            accessor=lambda workflow: workflow.latest_version_number or "—",
            sort_key="latest_version_number",
        ),
    ]
    search_fields = ["name", "slug", "description"]
    search_backend_name = None
    #: "Published versions" on each row's menu and on the edit view's.
    index_view_class = WorkflowIndexView
    edit_view_class = WorkflowEditView
    delete_view_class = WorkflowDeleteView

    def get_queryset(self, request):
        return ProjectWorkflow.objects.annotate(latest_version_number=Max("versions__number"))

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            versions_url_name=self.get_url_name("versions"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                f"versions/<{self.pk_path_converter}:pk>/",
                self.construct_view(WorkflowVersionsView),
                name="versions",
            ),
        ]


class ProgramViewSetGroup(SnippetViewSetGroup):
    items = (
        ProgramViewSet,
        LearningSessionViewSet,
        ProjectWorkflowViewSet,
        MembersOnlyAreaViewSet,
    )
    menu_label = _("Program")
    menu_icon = "group"
    menu_order = 200
