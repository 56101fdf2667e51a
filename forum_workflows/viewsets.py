"""Admin screens for programs and learning sessions, grouped under one "Program" menu.

Snippet viewsets (not modeladmin): pages choose programs and sessions with the snippet
chooser, and later issues add revisions where they are needed.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from .models import LearningSession, MembersOnlyArea, Program


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


class ProgramViewSetGroup(SnippetViewSetGroup):
    items = (ProgramViewSet, LearningSessionViewSet, MembersOnlyAreaViewSet)
    menu_label = _("Program")
    menu_icon = "group"
    menu_order = 200
