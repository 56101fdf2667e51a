from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import FormDefinition


class FormDefinitionViewSet(SnippetViewSet):
    model = FormDefinition
    icon = "form"
    menu_label = _("Forms")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "slug", "live"]
    search_fields = ["name", "slug"]
    #: Adds "Import form" to the listing and export/versions items to each form's menus.
    index_view_class = admin_views.FormDefinitionIndexView
    edit_view_class = admin_views.FormDefinitionEditView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            import_url_name=self.get_url_name("import"),
            export_url_name=self.get_url_name("export"),
            versions_url_name=self.get_url_name("versions"),
            json_schema_url_name=self.get_url_name("json_schema"),
            **kwargs,
        )

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        export = self.construct_view(admin_views.ExportView)
        return [
            *super().get_urlpatterns(),
            path("import/", self.construct_view(admin_views.ImportView), name="import"),
            path(f"export/<{conv}:pk>/", export, name="export"),
            path(
                f"export/<{conv}:pk>/latest/",
                export,
                {"source": "latest"},
                name="export_latest",
            ),
            path(
                f"export/<{conv}:pk>/version/<int:number>/",
                export,
                {"source": "version"},
                name="export_version",
            ),
            path(
                f"versions/<{conv}:pk>/",
                self.construct_view(admin_views.VersionsView),
                name="versions",
            ),
            path(
                f"versions/<{conv}:pk>/<int:number>/json-schema/",
                self.construct_view(admin_views.JsonSchemaView),
                name="json_schema",
            ),
        ]


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
