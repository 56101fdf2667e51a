"""The admin's form builder: one StreamField block per field type, turned into a schema.

Blocks are only the editing surface; what counts is the schema they produce (``to_schema``),
which publishing freezes into a FormVersion. Keys are typed by the editor, never block ids.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .choice_sources import source_options
from .schema import FORMAT, GROUP, KEY_PATTERN, MEASURE_SERIES
from .uploads import DEFAULT_MAX_FILES, DEFAULT_MAX_MB, KIND_LABELS

key_validator = RegexValidator(
    KEY_PATTERN,
    _("Lower-case letters a–z, digits and underscores; start with a letter; at most 40."),
)


class TextsBlock(blocks.StructBlock):
    sv = blocks.CharBlock(label=_("Swedish"), required=False, max_length=500)
    en = blocks.CharBlock(
        label=_("English"), required=False, max_length=500, help_text=_("Optional.")
    )


class ChoiceBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("stored value"),
        max_length=40,
        validators=[key_validator],
        help_text=_("Short and stable, e.g. adopt. Answers store this, not the label."),
    )
    label = TextsBlock(label=_("label"))


class ConditionBlock(blocks.StructBlock):
    field = blocks.CharBlock(
        label=_("show only when the field with key"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to always show this field."),
    )
    op = blocks.ChoiceBlock(
        label=_("condition"),
        required=False,
        choices=[
            ("equals", _("has the answer")),
            ("one_of", _("has one of the answers")),
            ("not_empty", _("is answered")),
        ],
    )
    value = blocks.CharBlock(
        label=_("answer(s)"),
        required=False,
        max_length=200,
        help_text=_("The stored value; separate several with commas."),
    )


class FieldBlock(blocks.StructBlock):
    """What every field has: key, texts, required, role and an optional condition."""

    key = blocks.CharBlock(label=_("key"), max_length=40, validators=[key_validator])
    label = TextsBlock(label=_("label"))
    help = TextsBlock(label=_("help text"), required=False)
    required = blocks.BooleanBlock(label=_("required"), required=False)
    role = blocks.CharBlock(
        label=_("role"),
        required=False,
        max_length=40,
        help_text=_("Optional tag other parts of the program look for, e.g. pdsa_decision."),
    )
    show_if = ConditionBlock(label=_("show if"), required=False)

    field_type = ""

    def option_names(self):
        return [name for name in self.child_blocks if name not in FieldBlock.base_blocks]

    def to_spec(self, value):
        spec = {
            "key": value["key"],
            "type": self.field_type,
            "label": _texts(value["label"]),
            "help": _texts(value.get("help")),
            "required": bool(value.get("required")),
            "role": value.get("role") or "",
            "show_if": _condition(value.get("show_if")),
            "options": {name: _plain(value[name]) for name in self.option_names()},
        }
        return spec


def _texts(value):
    value = value or {}
    return {code: (value.get(code) or "").strip() for code in ("sv", "en") if value.get(code)}


def _condition(value):
    if not value or not value.get("field"):
        return None
    op = value.get("op") or "not_empty"
    raw = (value.get("value") or "").strip()
    answer = [part.strip() for part in raw.split(",") if part.strip()] if op == "one_of" else raw
    return {"field": value["field"].strip(), "op": op, "value": answer}


def _plain(value):
    if isinstance(value, (list, blocks.list_block.ListValue)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "items"):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _choices(value):
    return [{"value": choice["value"], "label": _texts(choice["label"])} for choice in value or []]


class ShortTextBlock(FieldBlock):
    field_type = "short_text"
    max_length = blocks.IntegerBlock(label=_("max length"), required=False, min_value=1)

    class Meta:
        label = _("Short text")
        icon = "pilcrow"


class LongTextBlock(FieldBlock):
    field_type = "long_text"
    max_length = blocks.IntegerBlock(label=_("max length"), required=False, min_value=1)

    class Meta:
        label = _("Long text")
        icon = "doc-full"


class IntegerBlock(FieldBlock):
    field_type = "integer"
    min = blocks.IntegerBlock(label=_("smallest"), required=False)
    max = blocks.IntegerBlock(label=_("largest"), required=False)

    class Meta:
        label = _("Whole number")
        icon = "plus"


class DecimalBlock(FieldBlock):
    field_type = "decimal"
    min = blocks.DecimalBlock(label=_("smallest"), required=False)
    max = blocks.DecimalBlock(label=_("largest"), required=False)
    decimals = blocks.IntegerBlock(label=_("decimals"), required=False, min_value=0, max_value=6)

    class Meta:
        label = _("Decimal number")
        icon = "plus"

    def to_spec(self, value):
        spec = super().to_spec(value)
        for name in ("min", "max"):
            if spec["options"][name] is not None:
                spec["options"][name] = str(spec["options"][name])
        return spec


class DateBlock(FieldBlock):
    field_type = "date"

    class Meta:
        label = _("Date")
        icon = "date"


class YesNoBlock(FieldBlock):
    field_type = "yes_no"

    class Meta:
        label = _("Yes or no")
        icon = "tick"


class ChoicesFieldBlock(FieldBlock):
    """Base for fields whose options hold a list of choices."""

    choices = blocks.ListBlock(ChoiceBlock(), label=_("choices"), min_num=0)

    def to_spec(self, value):
        spec = super().to_spec(value)
        spec["options"]["choices"] = _choices(value["choices"])
        return spec


class SingleChoiceBlock(ChoicesFieldBlock):
    field_type = "single_choice"
    widget = blocks.ChoiceBlock(
        label=_("show as"),
        choices=[("radio", _("buttons")), ("dropdown", _("drop-down list"))],
        default="radio",
    )

    class Meta:
        label = _("One choice")
        icon = "radio-full"


class MultipleChoiceBlock(ChoicesFieldBlock):
    field_type = "multiple_choice"

    class Meta:
        label = _("Several choices")
        icon = "tasks"


class ScaleBlock(FieldBlock):
    field_type = "scale"
    points = blocks.IntegerBlock(label=_("points"), default=5, min_value=2, max_value=11)
    low_label = TextsBlock(label=_("label of the lowest point"), required=False)
    high_label = TextsBlock(label=_("label of the highest point"), required=False)
    dont_know = blocks.BooleanBlock(label=_('offer "don\'t know"'), required=False)

    class Meta:
        label = _("Scale")
        icon = "order"

    def to_spec(self, value):
        spec = super().to_spec(value)
        spec["options"]["low_label"] = _texts(value.get("low_label"))
        spec["options"]["high_label"] = _texts(value.get("high_label"))
        return spec


class EmailBlock(FieldBlock):
    field_type = "email"

    class Meta:
        label = _("Email address")
        icon = "mail"


class UrlBlock(FieldBlock):
    field_type = "url"

    class Meta:
        label = _("Web address")
        icon = "link"


class HeadingBlock(FieldBlock):
    field_type = "heading"

    class Meta:
        label = _("Section heading")
        icon = "title"
        help_text = _("Starts a new section; on phones, each section is shown on its own.")


class HelpTextBlock(FieldBlock):
    field_type = "help_text"

    class Meta:
        label = _("Help text")
        icon = "help"


class SourceChoiceBlock(FieldBlock):
    field_type = "source_choice"
    source = blocks.ChoiceBlock(label=_("choices come from"), choices=source_options)

    class Meta:
        label = _("Choice from the project")
        icon = "link-external"


class FileBlock(FieldBlock):
    field_type = "file"
    multiple = blocks.BooleanBlock(label=_("allow several files"), required=False)
    max_files = blocks.IntegerBlock(
        label=_("most files"), default=DEFAULT_MAX_FILES, min_value=1, max_value=20, required=False
    )
    max_mb = blocks.IntegerBlock(
        label=_("largest file (MB)"),
        default=DEFAULT_MAX_MB,
        min_value=1,
        max_value=50,
        required=False,
    )
    kinds = blocks.MultipleChoiceBlock(
        label=_("kinds of file"),
        choices=list(KIND_LABELS.items()),
        required=False,
        help_text=_("Leave empty to allow every kind listed."),
    )

    class Meta:
        label = _("File or photo")
        icon = "doc-full-inverse"


class MeasureSeriesBlock(FieldBlock):
    field_type = MEASURE_SERIES
    mode = blocks.ChoiceBlock(
        label=_("each point is"),
        choices=[("value", _("a value")), ("ratio", _("a numerator and a denominator"))],
        default="value",
    )
    min_rows = blocks.IntegerBlock(label=_("fewest points"), default=0, min_value=0)
    max_rows = blocks.IntegerBlock(label=_("most points"), default=200, min_value=1)

    class Meta:
        label = _("Measurement series")
        icon = "history"

    def to_spec(self, value):
        spec = super().to_spec(value)
        spec["fields"] = []
        return spec


LEAF_BLOCKS = [
    ("short_text", ShortTextBlock()),
    ("long_text", LongTextBlock()),
    ("integer", IntegerBlock()),
    ("decimal", DecimalBlock()),
    ("date", DateBlock()),
    ("yes_no", YesNoBlock()),
    ("single_choice", SingleChoiceBlock()),
    ("multiple_choice", MultipleChoiceBlock()),
    ("scale", ScaleBlock()),
    ("email", EmailBlock()),
    ("url", UrlBlock()),
    ("heading", HeadingBlock()),
    ("help_text", HelpTextBlock()),
    ("source_choice", SourceChoiceBlock()),
    ("file", FileBlock()),
    ("measure_series", MeasureSeriesBlock()),
]


def group_block(fields_block):
    class GroupBlock(FieldBlock):
        field_type = GROUP
        min_rows = blocks.IntegerBlock(label=_("fewest rows"), default=0, min_value=0)
        max_rows = blocks.IntegerBlock(label=_("most rows"), default=20, min_value=1)
        fields = fields_block

        class Meta:
            label = _("Repeating group")
            icon = "list-ul"

        def option_names(self):
            return ["min_rows", "max_rows"]

        def to_spec(self, value):
            spec = super().to_spec(value)
            spec["fields"] = fields_to_specs(value["fields"])
            return spec

    return GroupBlock()


INNER_FIELDS = blocks.StreamBlock(LEAF_BLOCKS, label=_("fields"), required=False)
MIDDLE_FIELDS = blocks.StreamBlock(
    [*LEAF_BLOCKS, ("group", group_block(INNER_FIELDS))], label=_("fields"), required=False
)


class FormFieldsBlock(blocks.StreamBlock):
    """Top level: every field type, and groups that may hold one more level of groups."""

    def __init__(self, **kwargs):
        super().__init__([*LEAF_BLOCKS, ("group", group_block(MIDDLE_FIELDS))], **kwargs)


def fields_to_specs(stream_value):
    return [child.block.to_spec(child.value) for child in stream_value]


def to_schema(stream_value):
    """The schema (see ``schema.py``) that a definition's fields describe."""
    return {"format": FORMAT, "fields": fields_to_specs(stream_value)}
