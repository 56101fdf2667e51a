from django.contrib import messages
from django.shortcuts import redirect
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


@hooks.register("before_delete_snippet")
def keep_published_forms(request, instances):
    """A form with versions has answers, or may get them: it is kept, not deleted."""
    published = [
        item for item in instances if isinstance(item, FormDefinition) and item.versions.exists()
    ]
    if not published:
        return None
    messages.error(
        request,
        _("%(name)s has published versions that answers refer to, so it cannot be deleted.")
        % {"name": published[0].name},
    )
    return redirect(FormDefinition.snippet_viewset.get_url_name("edit"), published[0].pk)
