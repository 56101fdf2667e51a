"""The field types a form can hold, registered by name.

A field is described by a *spec*: a plain dict stored in a FormVersion's schema (see
``schema.py``). Each type knows how to check its own options, how to build the Django form field
that collects it, how to store a cleaned value as JSON and how to show a stored value. The
builder (``builder.py``) dispatches on the spec's ``type``.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

import django.forms
from django.core.validators import EmailValidator, URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .file_field import FileAnswerField, FileAnswerWidget
from .text import localized
from .uploads import DEFAULT_MAX_FILES, KINDS, MB, accept_attribute, describe, max_file_bytes

REGISTRY = {}


def register(cls):
    REGISTRY[cls.name] = cls()
    return cls


def get_type(name):
    return REGISTRY[name]


class FieldType:
    """Base class: a type that collects one value."""

    name = ""
    verbose_name = ""
    #: Static types (headings, help text) show text and collect nothing.
    collects_value = True
    #: Types whose options hold the choices (checked at definition time).
    has_choices = False

    def check_options(self, spec):
        """Definition errors in this field's options, as translated messages."""
        return []

    def form_field(self, spec, *, language, choices=None):
        """The Django form field that collects this field's value."""
        raise NotImplementedError

    def to_json(self, value):
        """A cleaned value as stored in an answer version (JSON types only)."""
        return value

    def display(self, value, spec, *, language):
        """A stored value as a person reads it."""
        if value in (None, "", []):
            return ""
        return str(value)


def _common(spec, language, **kwargs):
    kwargs.setdefault("label", localized(spec.get("label"), language))
    kwargs.setdefault("help_text", localized(spec.get("help"), language))
    kwargs.setdefault("required", bool(spec.get("required")))
    return kwargs


def _min_max_errors(options, low="min", high="max"):
    low_value, high_value = options.get(low), options.get(high)
    if (
        low_value is not None
        and high_value is not None
        and Decimal(str(low_value)) > Decimal(str(high_value))
    ):
        return [gettext("The smallest allowed value is larger than the largest.")]
    return []


@register
class ShortText(FieldType):
    name = "short_text"
    verbose_name = _("Short text")

    def form_field(self, spec, *, language, choices=None):
        max_length = spec.get("options", {}).get("max_length") or 255
        return django.forms.CharField(max_length=max_length, **_common(spec, language))


@register
class LongText(FieldType):
    name = "long_text"
    verbose_name = _("Long text")

    def form_field(self, spec, *, language, choices=None):
        max_length = spec.get("options", {}).get("max_length") or 10_000
        return django.forms.CharField(
            max_length=max_length,
            widget=django.forms.Textarea(attrs={"rows": 5}),
            **_common(spec, language),
        )


@register
class Integer(FieldType):
    name = "integer"
    verbose_name = _("Whole number")

    def check_options(self, spec):
        return _min_max_errors(spec.get("options", {}))

    def form_field(self, spec, *, language, choices=None):
        options = spec.get("options", {})
        return django.forms.IntegerField(
            min_value=options.get("min"),
            max_value=options.get("max"),
            widget=django.forms.TextInput(attrs={"inputmode": "numeric"}),
            **_common(spec, language),
        )


class SwedishDecimalField(django.forms.DecimalField):
    """Accepts a decimal comma ("3,5") as well as a point, and spaces between thousands."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0]", "", value).replace(",", ".").replace("−", "-")
        return super().to_python(value)


@register
class DecimalNumber(FieldType):
    name = "decimal"
    verbose_name = _("Decimal number")

    def check_options(self, spec):
        errors = _min_max_errors(spec.get("options", {}))
        decimals = spec.get("options", {}).get("decimals")
        if decimals is not None and not 0 <= int(decimals) <= 6:
            errors.append(gettext("Decimals must be between 0 and 6."))
        return errors

    def form_field(self, spec, *, language, choices=None):
        options = spec.get("options", {})
        return SwedishDecimalField(
            min_value=_decimal_or_none(options.get("min")),
            max_value=_decimal_or_none(options.get("max")),
            decimal_places=options.get("decimals"),
            max_digits=18,
            widget=django.forms.TextInput(attrs={"inputmode": "decimal"}),
            **_common(spec, language),
        )

    def to_json(self, value):
        return None if value is None else str(value)

    def display(self, value, spec, *, language):
        if value in (None, ""):
            return ""
        return str(value).replace(".", "," if language == "sv" else ".")


def _decimal_or_none(value):
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register
class Date(FieldType):
    name = "date"
    verbose_name = _("Date")

    def form_field(self, spec, *, language, choices=None):
        return django.forms.DateField(
            widget=django.forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d"],
            **_common(spec, language),
        )

    def to_json(self, value):
        return None if value is None else value.isoformat()

    def display(self, value, spec, *, language):
        if not value:
            return ""
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


@register
class YesNo(FieldType):
    name = "yes_no"
    verbose_name = _("Yes or no")

    def form_field(self, spec, *, language, choices=None):
        return django.forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=django.forms.RadioSelect,
            **_common(spec, language),
        )

    def display(self, value, spec, *, language):
        return {"yes": gettext("Yes"), "no": gettext("No")}.get(value, "")


class ChoiceMixin:
    has_choices = True

    def check_options(self, spec):
        choices = spec.get("options", {}).get("choices") or []
        if not choices:
            return [gettext("Give at least one choice.")]
        values = [choice["value"] for choice in choices]
        if len(values) != len(set(values)):
            return [gettext("Two choices have the same value.")]
        return []

    def choices(self, spec, language):
        return [
            (choice["value"], localized(choice["label"], language))
            for choice in spec.get("options", {}).get("choices", [])
        ]

    def label_of(self, spec, value, language):
        return dict(self.choices(spec, language)).get(value, value)


@register
class SingleChoice(ChoiceMixin, FieldType):
    name = "single_choice"
    verbose_name = _("One choice")

    def form_field(self, spec, *, language, choices=None):
        widget = (
            django.forms.Select
            if spec.get("options", {}).get("widget") == "dropdown"
            else django.forms.RadioSelect
        )
        choices = self.choices(spec, language)
        if widget is django.forms.Select:
            choices = [("", "—"), *choices]
        return django.forms.ChoiceField(choices=choices, widget=widget, **_common(spec, language))

    def display(self, value, spec, *, language):
        return self.label_of(spec, value, language) if value else ""


@register
class MultipleChoice(ChoiceMixin, FieldType):
    name = "multiple_choice"
    verbose_name = _("Several choices")

    def form_field(self, spec, *, language, choices=None):
        return django.forms.MultipleChoiceField(
            choices=self.choices(spec, language),
            widget=django.forms.CheckboxSelectMultiple,
            **_common(spec, language),
        )

    def display(self, value, spec, *, language):
        return ", ".join(str(self.label_of(spec, item, language)) for item in value or [])


DONT_KNOW = "dont_know"


@register
class Scale(FieldType):
    name = "scale"
    verbose_name = _("Scale")

    def check_options(self, spec):
        points = spec.get("options", {}).get("points")
        if not isinstance(points, int) or not 2 <= points <= 11:
            return [gettext("A scale has between 2 and 11 points.")]
        return []

    def choices(self, spec, language):
        options = spec.get("options", {})
        points = options.get("points", 5)
        low = localized(options.get("low_label"), language)
        high = localized(options.get("high_label"), language)
        choices = []
        for point in range(1, points + 1):
            label = str(point)
            if point == 1 and low:
                label = f"{point} – {low}"
            elif point == points and high:
                label = f"{point} – {high}"
            choices.append((str(point), label))
        if options.get("dont_know"):
            choices.append((DONT_KNOW, gettext("Don't know")))
        return choices

    def form_field(self, spec, *, language, choices=None):
        return django.forms.ChoiceField(
            choices=self.choices(spec, language),
            widget=django.forms.RadioSelect(attrs={"class": "scale"}),
            **_common(spec, language),
        )

    def to_json(self, value):
        if value in (None, ""):
            return None
        return value if value == DONT_KNOW else int(value)

    def display(self, value, spec, *, language):
        if value is None:
            return ""
        return dict(self.choices(spec, language)).get(str(value), str(value))


@register
class Email(FieldType):
    name = "email"
    verbose_name = _("Email address")

    def form_field(self, spec, *, language, choices=None):
        return django.forms.EmailField(
            validators=[EmailValidator()], max_length=254, **_common(spec, language)
        )


@register
class Url(FieldType):
    name = "url"
    verbose_name = _("Web address")

    def form_field(self, spec, *, language, choices=None):
        return django.forms.URLField(
            validators=[URLValidator(schemes=["http", "https"])],
            max_length=2000,
            assume_scheme="https",
            **_common(spec, language),
        )


class StaticType(FieldType):
    collects_value = False

    def form_field(self, spec, *, language, choices=None):
        return None


@register
class Heading(StaticType):
    name = "heading"
    verbose_name = _("Section heading")


@register
class HelpText(StaticType):
    name = "help_text"
    verbose_name = _("Help text")


@register
class SourceChoice(FieldType):
    """One choice among values the host app supplies when the form is filled in."""

    name = "source_choice"
    verbose_name = _("Choice from the project")

    def check_options(self, spec):
        from .choice_sources import is_registered

        source = spec.get("options", {}).get("source")
        if not source or not is_registered(source):
            return [gettext("Choose where the choices come from.")]
        return []

    def form_field(self, spec, *, language, choices=None):
        return django.forms.ChoiceField(
            choices=[("", "—"), *(choices or [])], **_common(spec, language)
        )

    def display(self, value, spec, *, language):
        # Stored with the label it had when chosen, so old answers read as they were given.
        return value.get("label", "") if isinstance(value, dict) else (value or "")


@register
class FileUpload(FieldType):
    """Files or photos, checked by content and kept in private storage (see ``uploads.py``)."""

    name = "file"
    verbose_name = _("File or photo")

    def check_options(self, spec):
        options = spec.get("options", {})
        errors = []
        if not set(options.get("kinds") or []) <= set(KINDS):
            errors.append(gettext("Unknown kind of file."))
        for name, low, high in (("max_mb", 1, 50), ("max_files", 1, 20)):
            value = options.get(name)
            if value is not None and not (isinstance(value, int) and low <= value <= high):
                errors.append(
                    gettext("%(option)s must be a whole number from %(low)s to %(high)s.")
                    % {"option": name, "low": low, "high": high}
                )
        return errors

    def form_field(self, spec, *, language, choices=None):
        options = spec.get("options", {})
        kinds = tuple(options.get("kinds") or KINDS)
        multiple = bool(options.get("multiple"))
        max_bytes = max_file_bytes(options.get("max_mb"))
        hint = gettext("Accepted: %(kinds)s, at most %(size)s MB per file.") % {
            "kinds": describe(kinds),
            "size": max_bytes // MB,
        }
        kwargs = _common(spec, language)
        kwargs["help_text"] = " ".join(filter(None, [kwargs["help_text"], hint]))
        return FileAnswerField(
            kinds=kinds,
            max_bytes=max_bytes,
            multiple=multiple,
            max_files=options.get("max_files") or DEFAULT_MAX_FILES,
            widget=FileAnswerWidget(
                multiple=multiple,
                accept=accept_attribute(kinds),
                max_bytes=max_bytes,
                label=kwargs["label"],
            ),
            **kwargs,
        )

    def display(self, value, spec, *, language):
        return ", ".join(
            f"{ref.get('name', '')} ({filesizeformat(ref.get('size', 0))})"
            for ref in value or []
            if isinstance(ref, dict)
        )
