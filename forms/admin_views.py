"""Admin screens around form definitions: export and import as JSON, versions, JSON Schemas.

Wired into the forms' snippet viewset in ``wagtail_hooks.py`` (extra URLs, a header button on
the listing, "more" items on each row and on the edit view). Each view checks its permission
itself and answers a person without it with 403; bad files get 400 with every problem listed.
"""

import django.forms
from django.contrib.admin.utils import quote
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views import snippets as snippet_views

from . import transfer
from .json_schema import answer_schema
from .models import FormDefinition, FormVersion
from .permissions import can_export, can_import, can_import_some
from .schema import DefinitionError

# Shared ----------------------------------------------------------------------------------------


class TransferViewMixin(WagtailAdminTemplateMixin):
    """Admin furniture and URL names for the views below (set by the viewset)."""

    model = FormDefinition
    header_icon = "form"
    index_url_name = None
    edit_url_name = None
    import_url_name = None
    export_url_name = None
    versions_url_name = None
    json_schema_url_name = None

    def index_item(self):
        return {
            "url": reverse(self.index_url_name),
            "label": capfirst(FormDefinition._meta.verbose_name_plural),
        }

    def forbidden(self, message, **context):
        """A 403 inside the admin that says what is missing (Wagtail would redirect)."""
        self.template_name = "forum_forms/admin/forbidden.html"
        context["message"] = message
        return self.render_to_response(self.get_context_data(**context), status=403)


def _download(text, filename, content_type):
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Export ----------------------------------------------------------------------------------------


class ExportView(TransferViewMixin, View):
    """A form as a JSON file: its published content, its latest draft, or one version."""

    page_title = gettext_lazy("Export form")

    def get(self, request, pk, source="published", number=None):
        if not can_export(request.user):
            return self.forbidden(gettext("You may not export forms."))
        definition = get_object_or_404(FormDefinition, pk=pk)
        if source == "version":
            version = get_object_or_404(FormVersion, definition=definition, number=number)
            document = transfer.export_document(definition, version=version)
            filename = f"{definition.slug}-v{number}.json"
        elif source == "latest":
            document = transfer.export_document(definition, latest=True)
            filename = f"{definition.slug}-latest.json"
        else:
            try:
                document = transfer.export_document(definition)
            except transfer.NotPublished:
                raise Http404(gettext("This form is not published.")) from None
            filename = f"{definition.slug}.json"
        return _download(transfer.dumps(document) + "\n", filename, "application/json")


# Import ----------------------------------------------------------------------------------------


class ImportForm(django.forms.Form):
    file = django.forms.FileField(
        label=gettext_lazy("Form file"),
        help_text=gettext_lazy(
            "A JSON file exported from this or another Forum for Values site. Nothing is "
            "saved until you have seen what the import changes."
        ),
        widget=django.forms.FileInput(attrs={"accept": "application/json,.json"}),
    )


class ImportView(TransferViewMixin, View):
    """Upload a form file, see what it would change, confirm: a draft revision is saved."""

    page_title = gettext_lazy("Import form")
    template_name = "forum_forms/admin/import.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, self.index_item(), {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not can_import_some(request.user):
            return self.forbidden(gettext("You may not import forms."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request):
        if request.POST.get("action") == "confirm":
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        if upload.size > transfer.MAX_BYTES:
            # Refused before a byte is read or parsed.
            return self.refuse(form, [DefinitionError("", transfer.too_large_message())])
        try:
            plan = transfer.plan_import(upload.read(transfer.MAX_BYTES + 1))
        except transfer.ImportRefused as refused:
            return self.refuse(form, refused.errors)
        if not can_import(request.user, plan):
            return self.forbidden(self.not_allowed_message(plan))
        return self.report(plan)

    def confirm(self, request):
        try:
            plan = transfer.plan_import(request.POST.get("document", "").encode("utf-8"))
        except transfer.ImportRefused as refused:
            return self.refuse(ImportForm(), refused.errors)
        if not can_import(request.user, plan):
            return self.forbidden(self.not_allowed_message(plan))
        if not plan.has_changes and request.POST.get("expected") == plan.expected:
            messages.info(request, gettext("The import changes nothing; nothing was saved."))
            return redirect(self.edit_url(plan.definition))
        try:
            definition = transfer.apply_import(
                plan, user=request.user, expected=request.POST.get("expected", "")
            )
        except transfer.ImportConflict:
            context = self.get_context_data(
                form=ImportForm(),
                conflict=gettext(
                    "The form %(slug)s was changed (or created) after the file was read, so "
                    "nothing was saved. Upload the file again to see what it would change now."
                )
                % {"slug": plan.document["slug"]},
            )
            return self.render_to_response(context, status=409)
        except transfer.ImportRefused as refused:
            return self.refuse(ImportForm(), refused.errors)
        message = (
            gettext("The form %(name)s was imported as a draft. Check it and publish it.")
            if plan.is_new
            else gettext(
                "The import was saved as a new draft of %(name)s. Check it and publish it."
            )
        ) % {"name": definition.name}
        messages.success(request, message)
        return redirect(self.edit_url(definition))

    def refuse(self, form, errors):
        context = self.get_context_data(form=form, errors=errors)
        return self.render_to_response(context, status=400)

    def report(self, plan):
        self.template_name = "forum_forms/admin/import_report.html"
        context = self.get_context_data(
            plan=plan,
            edit_url=self.edit_url(plan.definition) if plan.definition else "",
            added=[c for c in plan.field_changes if c.change == c.ADDED],
            removed=[c for c in plan.field_changes if c.change == c.REMOVED],
            changed=[c for c in plan.field_changes if c.change == c.CHANGED],
        )
        return self.render_to_response(context)

    def edit_url(self, definition):
        return reverse(self.edit_url_name, args=(quote(definition.pk),))

    @staticmethod
    def not_allowed_message(plan):
        if plan.is_new:
            return gettext("You may not add forms.")
        return gettext(
            "A form with the identifier %(slug)s exists, and you may not change it."
        ) % {"slug": plan.document["slug"]}


# Versions and JSON Schemas ---------------------------------------------------------------------


class VersionsView(TransferViewMixin, View):
    """A definition's published versions, with their JSON Schemas and form files."""

    template_name = "forum_forms/admin/versions.html"
    page_title = gettext_lazy("Versions")
    definition = None

    def get(self, request, pk):
        if not can_export(request.user):
            return self.forbidden(gettext("You may not see the versions of forms."))
        self.definition = get_object_or_404(FormDefinition, pk=pk)
        versions = self.definition.versions.select_related("published_by").order_by("-number")
        rows = [
            {
                "version": version,
                "publisher": _person(version.published_by),
                "json_schema_url": reverse(
                    self.json_schema_url_name, args=(quote(pk), version.number)
                ),
                "export_url": reverse(
                    f"{self.export_url_name}_version", args=(quote(pk), version.number)
                ),
            }
            for version in versions
        ]
        return self.render_to_response(
            self.get_context_data(definition=self.definition, rows=rows)
        )

    def get_page_subtitle(self):
        return str(self.definition) if self.definition else ""

    def get_breadcrumbs_items(self):
        if self.definition is None:
            return [*self.breadcrumbs_items, self.index_item()]
        edit_url = reverse(self.edit_url_name, args=(quote(self.definition.pk),))
        return [
            *self.breadcrumbs_items,
            self.index_item(),
            {"url": edit_url, "label": str(self.definition)},
            {"url": "", "label": self.page_title},
        ]


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class JsonSchemaView(TransferViewMixin, View):
    """The JSON Schema of one version's answers, as a file."""

    def get(self, request, pk, number):
        if not can_export(request.user):
            return self.forbidden(gettext("You may not see the versions of forms."))
        version = get_object_or_404(
            FormVersion.objects.select_related("definition"), definition_id=pk, number=number
        )
        schema = answer_schema(version, schema_id=request.build_absolute_uri())
        filename = f"{version.definition.slug}-v{version.number}.schema.json"
        return _download(transfer.dumps(schema) + "\n", filename, "application/schema+json")


# The snippet viewset's own views, with the entry points to the ones above ----------------------


class TransferButtonsMixin:
    export_url_name = None
    versions_url_name = None

    def transfer_items(self, definition, item_class, priority):
        """Menu entries for one definition: export (published, latest draft) and versions."""
        if not can_export(self.request.user):
            return []
        args = (quote(definition.pk),)
        items = []
        if definition.live:
            items.append(
                item_class(
                    gettext("Export published form (JSON)"),
                    url=reverse(self.export_url_name, args=args),
                    icon_name="download",
                    priority=priority,
                )
            )
        items.append(
            item_class(
                gettext("Export latest draft (JSON)"),
                url=reverse(f"{self.export_url_name}_latest", args=args),
                icon_name="download",
                priority=priority + 1,
            )
        )
        items.append(
            item_class(
                gettext("Versions and JSON Schemas"),
                url=reverse(self.versions_url_name, args=args),
                icon_name="history",
                priority=priority + 2,
            )
        )
        return items


class FormDefinitionIndexView(TransferButtonsMixin, snippet_views.IndexView):
    import_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.import_url_name and can_import_some(self.request.user):
            buttons.append(
                HeaderButton(
                    gettext("Import form"), url=reverse(self.import_url_name), icon_name="upload"
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *self.transfer_items(instance, MenuItem, 40),
        ]


class FormDefinitionEditView(TransferButtonsMixin, snippet_views.EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *self.transfer_items(self.live_object, Button, 40)]
