"""A form's structure as JSON, and the rules a definition must keep to be saved or published.

Schema (format 1)::

    {"format": 1, "fields": [spec, ...]}

    spec = {"key": "global_aim", "type": "long_text",
            "label": {"sv": "...", "en": "..."}, "help": {"sv": "...", "en": "..."},
            "required": true, "role": "global_aim", "options": {...},
            "show_if": {"field": "other_key", "op": "equals", "value": "yes"} or null,
            "fields": [spec, ...]}            # groups and measure series only

Keys are explicit and stable: answers are stored under them, so a key never changes meaning.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .field_types import REGISTRY

FORMAT = 1
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
GROUP = "group"
MEASURE_SERIES = "measure_series"
CONTAINERS = {GROUP, MEASURE_SERIES}
MAX_GROUP_DEPTH = 2
CONDITION_OPERATORS = {"equals", "one_of", "not_empty"}
MAX_ROWS_LIMIT = 200
#: Keys the engine uses itself inside every row.
RESERVED_KEYS = {"id"}


@dataclass(frozen=True)
class DefinitionError:
    """One problem in a definition, tied to the field it concerns ("" for the whole form)."""

    field: str
    message: str

    def __str__(self):
        return f"{self.field}: {self.message}" if self.field else self.message


def walk(fields, depth=1, parent=None):
    """Every spec in document order, with its group depth and its enclosing group's spec."""
    for spec in fields or []:
        yield spec, depth, parent
        if spec.get("type") in CONTAINERS:
            yield from walk(spec.get("fields"), depth + 1, spec)


def key_types(schema):
    """``{key: type}`` for every field of a schema."""
    return {spec["key"]: spec["type"] for spec, _d, _p in walk(schema.get("fields"))}


def _name(spec, position):
    return spec.get("key") or gettext("field %(number)s") % {"number": position}


def validate_schema(schema, *, publishing=False, earlier_types=None):
    """All definition errors; an empty list means the schema may be saved (or published).

    ``publishing`` adds the rules for publishing (every Swedish text present).
    ``earlier_types`` maps keys of already published versions to their types: a key may not
    come back with another type, or stored answers would be misread.
    """
    errors = []
    seen = {}  # key -> (position, spec, parent)
    earlier_types = earlier_types or {}

    def error(spec, position, message):
        errors.append(DefinitionError(_name(spec, position), message))

    for position, (spec, depth, parent) in enumerate(walk(schema.get("fields")), start=1):
        key, kind = spec.get("key", ""), spec.get("type")
        if not KEY_PATTERN.match(key or ""):
            error(
                spec,
                position,
                gettext(
                    "The key must start with a lower-case letter and hold only lower-case "
                    "letters a–z, digits and underscores (at most 40)."
                ),
            )
        elif key in seen:
            error(spec, position, gettext("Another field already uses this key."))
        elif key in RESERVED_KEYS:
            error(spec, position, gettext("This key is reserved; choose another."))
        if kind not in REGISTRY and kind not in CONTAINERS:
            error(spec, position, gettext("Unknown field type."))
            continue
        if key in earlier_types and earlier_types[key] != kind:
            error(
                spec,
                position,
                gettext(
                    "A published version used this key for another type of field. "
                    "Give the field a new key so earlier answers keep their meaning."
                ),
            )
        if kind in CONTAINERS:
            if depth > MAX_GROUP_DEPTH:
                error(spec, position, gettext("Groups can be nested two deep at most."))
            errors.extend(_container_errors(spec, position))
        else:
            for message in REGISTRY[kind].check_options(spec):
                error(spec, position, message)
        if spec.get("show_if") and kind == "heading":
            error(spec, position, gettext("A section heading is always shown."))
        elif spec.get("show_if"):
            message = _condition_error(spec, seen, parent)
            if message:
                error(spec, position, message)
        if publishing and not (spec.get("label") or {}).get("sv", "").strip():
            error(spec, position, gettext("The Swedish label is missing."))
        if publishing:
            for choice in (spec.get("options") or {}).get("choices") or []:
                if not (choice.get("label") or {}).get("sv", "").strip():
                    error(spec, position, gettext("A choice has no Swedish label."))
        if key and key not in seen:
            seen[key] = (position, spec, parent)
    if not schema.get("fields"):
        errors.append(DefinitionError("", gettext("The form has no fields.")))
    return errors


def _container_errors(spec, position):
    options = spec.get("options") or {}
    errors = []
    low, high = options.get("min_rows", 0), options.get("max_rows", MAX_ROWS_LIMIT)
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high <= MAX_ROWS_LIMIT):
        errors.append(
            DefinitionError(
                _name(spec, position),
                gettext(
                    "Rows: the minimum must not be larger than the maximum, "
                    "and the maximum at most %(limit)s."
                )
                % {"limit": MAX_ROWS_LIMIT},
            )
        )
    if spec.get("type") == GROUP and not spec.get("fields"):
        errors.append(DefinitionError(_name(spec, position), gettext("The group has no fields.")))
    return errors


def _condition_error(spec, seen, parent):
    condition = spec["show_if"]
    target = condition.get("field")
    if condition.get("op") not in CONDITION_OPERATORS:
        return gettext("Unknown condition.")
    if target == spec.get("key"):
        return gettext("A field cannot depend on itself.")
    if target not in seen:
        return gettext("The condition refers to %(key)s, which is not a field above this one.") % {
            "key": target
        }
    _position, target_spec, target_parent = seen[target]
    if target_parent is not None and target_parent is not parent:
        return gettext(
            "The condition refers to %(key)s inside another group; refer to a field in the same "
            "group or outside any group."
        ) % {"key": target}
    if target_spec.get("type") in CONTAINERS or not REGISTRY[target_spec["type"]].collects_value:
        return gettext("The condition must refer to a field that people answer.")
    if target_spec["type"] == "file" and condition["op"] != "not_empty":
        return gettext("A condition on a file field can only ask whether a file is attached.")
    if condition["op"] in {"equals", "one_of"}:
        wanted = condition.get("value")
        if wanted in (None, "", []):
            return gettext("Say which answer the condition looks for.")
        allowed = _answer_values(target_spec)
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if allowed is not None and not {str(value) for value in wanted} <= allowed:
            return gettext(
                "The condition looks for an answer %(key)s does not offer. It offers: %(values)s."
            ) % {"key": target, "values": ", ".join(sorted(allowed))}
    return None


def _answer_values(spec):
    """The stored values a choice-like field can have, or None when any text is possible."""
    options = spec.get("options") or {}
    kind = spec["type"]
    if kind in {"single_choice", "multiple_choice"}:
        return {str(choice.get("value")) for choice in options.get("choices") or []}
    if kind == "yes_no":
        return {"yes", "no"}
    if kind == "scale":
        points = options.get("points") if isinstance(options.get("points"), int) else 0
        values = {str(point) for point in range(1, points + 1)}
        return values | {"dont_know"} if options.get("dont_know") else values
    return None
