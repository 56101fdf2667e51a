"""The admin form for form definitions: the definition rules as messages on save and publish."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from wagtail.admin.forms import WagtailAdminModelForm

from .blocks import to_schema
from .schema import validate_schema


def as_validation_errors(errors):
    """Definition errors (``schema.DefinitionError``) as messages for one admin form field."""
    return [
        ValidationError(
            gettext("%(field)s: %(problem)s") % {"field": error.field, "problem": error.message}
            if error.field
            else error.message
        )
        for error in errors
    ]


class FormDefinitionAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if "fields" not in cleaned_data:
            return cleaned_data
        publishing = "action-publish" in self.data
        earlier = self.instance.published_key_types() if self.instance.pk else {}
        errors = validate_schema(
            to_schema(cleaned_data["fields"]), publishing=publishing, earlier_types=earlier
        )
        if errors:
            self.add_error("fields", as_validation_errors(errors))
        return cleaned_data
