from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FormDefinition


class FormDefinitionViewSet(SnippetViewSet):
    model = FormDefinition
    icon = "form"
    menu_label = _("Forms")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "slug", "live"]
    search_fields = ["name", "slug"]


register_snippet(FormDefinitionViewSet)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # The entry says a value was removed and where, never what it was.
    actions.register_action(
        "forum_forms.redact", _("Redact an answer"), _("An answer was redacted")
    )
