"""Admin screens for programs and learning sessions, grouped under one "Program" menu.

Snippet viewsets (not modeladmin): pages choose programs and sessions with the snippet
chooser, and later issues add revisions where they are needed.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LearningSession, Program


class ProgramViewSet(SnippetViewSet):
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


class LearningSessionViewSet(SnippetViewSet):
    model = LearningSession
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

    def get_queryset(self, request):
        return LearningSession.objects.select_related("program")


class ProgramViewSetGroup(SnippetViewSetGroup):
    items = (ProgramViewSet, LearningSessionViewSet)
    menu_label = _("Program")
    menu_icon = "group"
    menu_order = 200
