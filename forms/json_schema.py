"""A JSON Schema (draft 2020-12) of the answers a form version accepts.

The schema describes stored answer data exactly as :class:`~forms.builder.AnswerForm` produces
it: an object keyed by field key, groups and measurement series as lists of rows
``{"id": <32 hex>, "values": {...}}``. No key is required, because drafts are stored as well and
fields hidden by a condition have no answer; every single answer may instead be the redaction
marker ``{"redacted": true}``. Labels become ``title`` and help texts ``description``, in Swedish.

Types are described by the functions in :data:`DESCRIBERS`, dispatched by the spec's type name
(as the builder dispatches to field types); a field type added to the registry later may
describe itself with a ``json_schema(spec)`` method, or is accepted as any JSON value until it
does.
"""

from django.utils.translation import gettext

from .builder import REDACTED, children
from .field_types import DONT_KNOW, REGISTRY
from .schema import CONTAINERS, MAX_ROWS_LIMIT
from .text import FALLBACK_LANGUAGE, localized

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ROW_ID_PATTERN = "^[0-9a-f]{32}$"
#: How ``str(Decimal)`` writes a finite number, which is how decimal answers are stored.
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?(E[+-]?[0-9]+)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: Limits the answer form applies when a definition sets none (see ``field_types``).
SHORT_TEXT_LIMIT = 255
LONG_TEXT_LIMIT = 10_000
#: How many files a field allowing several takes when it sets no limit (as its form field).
FILES_BY_DEFAULT = 5
STATIC_TYPES = {"heading", "help_text"}


def answer_schema(version, *, schema_id=None):
    """The JSON Schema of answers to ``version`` (a FormVersion), as a dict.

    ``schema_id`` becomes ``$id`` (e.g. the absolute URL the schema is served from); without it
    a URN naming the form's identifier and the version number is used.
    """
    definition = version.definition
    return {
        "$schema": DIALECT,
        "$id": schema_id
        or f"urn:forum-for-values:form:{definition.slug}:version:{version.number}",
        "title": gettext("%(form)s, version %(number)s")
        % {"form": definition.name, "number": version.number},
        "description": gettext(
            "Answers to the form %(form)s (identifier %(slug)s), version %(number)s."
        )
        % {"form": definition.name, "slug": definition.slug, "number": version.number},
        **object_schema(version.schema.get("fields") or []),
        "$defs": {
            "redacted": {
                "title": gettext("Redacted answer"),
                "type": "object",
                "properties": {"redacted": {"const": True}},
                "required": list(REDACTED),
                "additionalProperties": False,
            },
            "row_id": {"type": "string", "pattern": ROW_ID_PATTERN},
        },
    }


def object_schema(specs):
    """The schema of one level of answers: the form's top level or one row's ``values``."""
    properties = {}
    for spec in specs:
        described = field_schema(spec)
        if described is not None:
            properties[spec["key"]] = described
    return {"type": "object", "properties": properties, "additionalProperties": False}


def field_schema(spec):
    """The schema of one field's stored answer, or None when the field collects nothing."""
    kind = spec["type"]
    if kind in CONTAINERS:
        return _annotated(spec, _rows(spec))
    if kind in STATIC_TYPES:
        return None
    describe = DESCRIBERS.get(kind)
    if describe is None:
        field_type = REGISTRY.get(kind)
        if field_type is not None and not field_type.collects_value:
            return None
        describe = getattr(field_type, "json_schema", None) or _any
    # Any single answer may have been redacted since it was given.
    return _annotated(spec, {"anyOf": [describe(spec), {"$ref": "#/$defs/redacted"}]})


def _annotated(spec, schema):
    title = localized(spec.get("label"), FALLBACK_LANGUAGE)
    description = localized(spec.get("help"), FALLBACK_LANGUAGE)
    annotations = {"title": title} if title else {}
    if description:
        annotations["description"] = description
    return {**annotations, **schema}


def _options(spec):
    return spec.get("options") or {}


def _rows(spec):
    options = _options(spec)
    limit = options.get("max_rows", MAX_ROWS_LIMIT)
    return {
        "type": "array",
        "maxItems": min(limit if isinstance(limit, int) else MAX_ROWS_LIMIT, MAX_ROWS_LIMIT),
        "items": {
            "type": "object",
            "properties": {
                "id": {"$ref": "#/$defs/row_id"},
                "values": object_schema(children(spec)),
            },
            "required": ["id", "values"],
            "additionalProperties": False,
        },
    }


def _any(spec):
    return {}


def _short_text(spec):
    return {"type": "string", "maxLength": _options(spec).get("max_length") or SHORT_TEXT_LIMIT}


def _long_text(spec):
    return {"type": "string", "maxLength": _options(spec).get("max_length") or LONG_TEXT_LIMIT}


def _integer(spec):
    schema = {"type": "integer"}
    options = _options(spec)
    if options.get("min") is not None:
        schema["minimum"] = options["min"]
    if options.get("max") is not None:
        schema["maximum"] = options["max"]
    return schema


def _decimal(spec):
    # Stored as text so no precision is lost; limits cannot be expressed on a string.
    return {"type": "string", "pattern": DECIMAL_PATTERN}


def _date(spec):
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


def _yes_no(spec):
    return {"type": "string", "enum": ["yes", "no"]}


def _choice_values(spec):
    return [str(choice["value"]) for choice in _options(spec).get("choices") or []]


def _single_choice(spec):
    return {"type": "string", "enum": _choice_values(spec)}


def _multiple_choice(spec):
    return {
        "type": "array",
        "items": {"type": "string", "enum": _choice_values(spec)},
        "uniqueItems": True,
    }


def _scale(spec):
    options = _options(spec)
    points = options.get("points") if isinstance(options.get("points"), int) else 5
    values = list(range(1, points + 1))
    return {"enum": [*values, DONT_KNOW] if options.get("dont_know") else values}


def _email(spec):
    return {"type": "string", "format": "email", "maxLength": 254}


def _url(spec):
    return {"type": "string", "format": "uri", "maxLength": 2000}


def _source_choice(spec):
    # The label is stored beside the value, so old answers read as they were given.
    return {
        "type": "object",
        "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
        "required": ["value", "label"],
        "additionalProperties": False,
    }


def _file(spec):
    options = _options(spec)
    most = (options.get("max_files") or FILES_BY_DEFAULT) if options.get("multiple") else 1
    return {
        "type": "array",
        "maxItems": most,
        "items": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "pattern": ROW_ID_PATTERN},
                "name": {"type": "string"},
                "size": {"type": "integer", "minimum": 0},
                "type": {"type": "string"},
            },
            "required": ["file", "name", "size", "type"],
            "additionalProperties": False,
        },
    }


#: ``{type name: function(spec) -> schema of one answer}`` for the field types that collect one.
DESCRIBERS = {
    "short_text": _short_text,
    "long_text": _long_text,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "yes_no": _yes_no,
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "scale": _scale,
    "email": _email,
    "url": _url,
    "source_choice": _source_choice,
    "file": _file,
}
