"""Reading an import file: bytes, shape and blocks (stages 1 to 3, see the package)."""

import json
import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from wagtail import blocks

from ..blocks import ConditionBlock, FieldBlock, TextsBlock
from ..models import FormDefinition
from ..schema import CONTAINERS, FORMAT, MEASURE_SERIES, DefinitionError
from .documents import KIND, TEXT_LANGUAGES, ImportRefused, fields_block, stream_data

#: Larger files are refused before they are read.
MAX_BYTES = 1_000_000
#: A form document nests at most 11 levels (fields in groups in groups, choices, labels).
MAX_NESTING = 16
MAX_FIELDS = 500
MAX_NAME_LENGTH = FormDefinition._meta.get_field("name").max_length
MAX_SLUG_LENGTH = FormDefinition._meta.get_field("slug").max_length
MAX_DESCRIPTION_LENGTH = 10_000
#: Whole numbers in options stay within what every JSON reader holds exactly.
MAX_INTEGER = 2**53 - 1
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
DECIMAL_TEXT = re.compile(r"^-?[0-9]{1,18}(\.[0-9]{1,18})?$")
#: Control characters other than tab and line breaks, and lone surrogates (not storable text).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
DOCUMENT_ENTRIES = ("kind", "format", "name", "slug", "description", "fields")
SPEC_ENTRIES = {"key", "type", "label", "help", "required", "role", "show_if", "options", "fields"}


# Reading a file -----------------------------------------------------------------------------


class _DuplicateName(ValueError):
    pass


class _NotANumber(ValueError):
    pass


def _unique_names(pairs):
    result = {}
    for name, value in pairs:
        if name in result:
            raise _DuplicateName(name)
        result[name] = value
    return result


def _refuse_constant(name):
    raise _NotANumber(name)


def _problem(message, field=""):
    return DefinitionError(field, message)


def parse(data):
    """The JSON value in ``data`` (bytes), or :class:`ImportRefused` saying why not."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([_problem(too_large_message())])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([_problem(gettext("The file is not UTF-8 text."))]) from None
    if not text.strip():
        raise ImportRefused([_problem(gettext("The file is empty."))])
    try:
        value = json.loads(text, object_pairs_hook=_unique_names, parse_constant=_refuse_constant)
    except _DuplicateName as error:
        message = gettext("The file names %(name)s twice in one object.") % {
            "name": _quoted(error.args[0])
        }
        raise ImportRefused([_problem(message)]) from None
    except _NotANumber as error:
        message = gettext("The file holds %(value)s, which is not a number JSON allows.") % {
            "value": error.args[0]
        }
        raise ImportRefused([_problem(message)]) from None
    except json.JSONDecodeError as error:
        message = gettext(
            "The file is not valid JSON: %(problem)s (line %(line)s, column %(column)s)."
        ) % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        raise ImportRefused([_problem(message)]) from None
    except RecursionError:
        raise ImportRefused([_problem(too_deep_message())]) from None
    except ValueError:
        # E.g. an integer with more digits than Python converts.
        message = gettext("The file holds a number too large to read.")
        raise ImportRefused([_problem(message)]) from None
    _check_storable(value)
    return value


def too_large_message():
    return gettext("The file is larger than %(size)s MB; a form file is much smaller.") % {
        "size": MAX_BYTES // 1_000_000
    }


def too_deep_message():
    return gettext("The file is nested more deeply than a form can be.")


def _check_storable(value):
    """Refuse nesting deeper than a form's and text that cannot be stored (checked without
    recursion, so hostile nesting cannot exhaust the stack)."""
    problems = []
    stack = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth > MAX_NESTING:
            raise ImportRefused([_problem(too_deep_message())])
        if isinstance(item, dict):
            for name, child in item.items():
                child_path = f"{path}.{name}" if path else name
                if UNSTORABLE.search(name):
                    problems.append(_unstorable(path or "{}"))
                stack.append((child, child_path, depth + 1))
        elif isinstance(item, list):
            stack.extend(
                (child, f"{path}[{index}]", depth + 1) for index, child in enumerate(item)
            )
        elif isinstance(item, str) and UNSTORABLE.search(item):
            problems.append(_unstorable(path))
        elif isinstance(item, float) and not math.isfinite(item):
            problems.append(
                _problem(gettext("%(entry)s: the number is too large.") % {"entry": _quoted(path)})
            )
    if problems:
        raise ImportRefused(problems[:50])


def _unstorable(path):
    return _problem(
        gettext(
            "%(entry)s: the text holds control characters or broken Unicode, which cannot be "
            "stored."
        )
        % {"entry": _quoted(path)}
    )


def _quoted(text, limit=60):
    text = str(text)
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


# Stage 2: shape ------------------------------------------------------------------------------


def check_document(document):
    """Problems with the document's shape: entries and JSON types, before any block sees it."""
    if not isinstance(document, dict):
        return [
            _problem(
                gettext("The file does not hold a form: its top level must be a JSON object.")
            )
        ]
    errors = []
    if document.get("kind") != KIND:
        errors.append(
            _problem(
                gettext('This is not a form file: "kind" must be "%(kind)s".') % {"kind": KIND}
            )
        )
        return errors
    format_ = document.get("format")
    if isinstance(format_, bool) or format_ != FORMAT:
        errors.append(
            _problem(
                gettext("The file uses form format %(found)s; this site reads format %(format)s.")
                % {"found": _quoted(json.dumps(format_)), "format": FORMAT}
            )
        )
        return errors
    for name in document:
        if name not in DOCUMENT_ENTRIES:
            errors.append(_problem(_unknown_entry(name)))
    errors.extend(_check_text(document, "name", gettext("name"), MAX_NAME_LENGTH, required=True))
    errors.extend(
        _check_text(
            document, "description", gettext("description"), MAX_DESCRIPTION_LENGTH, required=False
        )
    )
    slug = document.get("slug")
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        errors.append(
            _problem(
                gettext(
                    "The identifier (slug) must be text of letters a–z, digits, hyphens and "
                    "underscores, at most %(limit)s."
                )
                % {"limit": MAX_SLUG_LENGTH}
            )
        )
    fields = document.get("fields")
    if not isinstance(fields, list):
        errors.append(_problem(gettext('"fields" must be a list of fields.')))
        return errors
    errors.extend(_check_specs(fields))
    return errors


def _check_text(document, name, label, limit, *, required):
    value = document.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        return [_problem(gettext("The form's %(entry)s must be text.") % {"entry": label})]
    if len(value) > limit:
        return [
            _problem(
                gettext("The form's %(entry)s is too long: at most %(limit)s characters.")
                % {"entry": label, "limit": limit}
            )
        ]
    return []


def _unknown_entry(name):
    return gettext("%(entry)s is not an entry a form file has.") % {"entry": _quoted(name)}


def _field_names(fields):
    """A name for every spec, for messages: its key, or "field 3" in document order."""
    names = {}
    stack = [iter(fields)]
    position = 0
    while stack:
        spec = next(stack[-1], None)
        if spec is None:
            stack.pop()
            continue
        position += 1
        key = spec.get("key") if isinstance(spec, dict) else None
        names[id(spec)] = (
            key
            if isinstance(key, str) and key
            else gettext("field %(number)s") % {"number": position}
        )
        if isinstance(spec, dict) and isinstance(spec.get("fields"), list) and len(stack) < 4:
            stack.append(iter(spec["fields"]))
    return names


def _check_specs(fields):
    names = _field_names(fields)
    errors = []
    count = 0

    def check_level(specs, stream_block, depth):
        nonlocal count
        for spec in specs:
            count += 1
            name = names.get(id(spec), "")
            if not isinstance(spec, dict):
                errors.append(_problem(gettext("A field must be a JSON object."), name))
                continue
            kind = spec.get("type")
            if not isinstance(kind, str) or kind not in stream_block.child_blocks:
                if kind in CONTAINERS:
                    message = gettext("Groups can be nested two deep at most.")
                else:
                    message = gettext("Unknown field type %(type)s.") % {
                        "type": _quoted(json.dumps(kind, ensure_ascii=False))
                    }
                errors.append(_problem(message, name))
                continue
            block = stream_block.child_blocks[kind]
            for problem in _check_spec(spec, block):
                errors.append(_problem(problem, name))
            inner = block.child_blocks.get("fields")
            if isinstance(inner, blocks.StreamBlock) and isinstance(spec.get("fields"), list):
                check_level(spec["fields"], inner, depth + 1)

    check_level(fields, fields_block(), 1)
    if count > MAX_FIELDS:
        errors.insert(
            0,
            _problem(
                gettext("A form can hold at most %(limit)s fields; this file has %(count)s.")
                % {"limit": MAX_FIELDS, "count": count}
            ),
        )
    return errors


def _check_spec(spec, block):
    """Messages about one spec's entries (not its nested fields), generic over its block."""
    problems = []
    for name in spec:
        if name not in SPEC_ENTRIES:
            problems.append(_unknown_entry(name))
    if not isinstance(spec.get("key"), str):
        problems.append(gettext("The field has no key (text)."))
    for name in ("label", "help", "required", "role", "show_if"):
        if name in spec:
            problems.extend(_check_value(block.child_blocks[name], spec[name], name))
    options = spec.get("options", {})
    if not isinstance(options, dict):
        problems.append(_must_be("options", gettext("an object")))
        options = {}
    option_names = block.option_names()
    for name, value in options.items():
        if name not in option_names:
            problems.append(
                gettext("%(entry)s is not an option of this type of field.")
                % {"entry": _quoted(f"options.{name}")}
            )
        else:
            problems.extend(_check_value(block.child_blocks[name], value, f"options.{name}"))
    inner = block.child_blocks.get("fields")
    if isinstance(inner, blocks.StreamBlock):
        if not isinstance(spec.get("fields", []), list):
            problems.append(_must_be("fields", gettext("a list of fields")))
    elif spec.get("fields") not in (None, []):
        if spec.get("type") == MEASURE_SERIES:
            problems.append(
                gettext("A measurement series has fixed fields; leave its list empty.")
            )
        else:
            problems.append(gettext("Only groups hold fields."))
    return problems


def _must_be(entry, what):
    return gettext("%(entry)s must be %(what)s.") % {"entry": _quoted(entry), "what": what}


def _check_value(block, value, entry):
    """Messages when ``value`` has not the JSON type the block ``block`` stores."""
    if isinstance(block, ConditionBlock):
        return _check_condition(value, entry)
    if isinstance(block, TextsBlock):
        return _check_texts(value, entry)
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            return [_must_be(entry, gettext("an object"))]
        problems = []
        for name, item in value.items():
            if name not in block.child_blocks:
                problems.append(_unknown_entry(f"{entry}.{name}"))
            else:
                problems.extend(_check_value(block.child_blocks[name], item, f"{entry}.{name}"))
        return problems
    if isinstance(block, blocks.ListBlock):
        if not isinstance(value, list):
            return [_must_be(entry, gettext("a list"))]
        problems = []
        for index, item in enumerate(value):
            problems.extend(_check_value(block.child_block, item, f"{entry}[{index}]"))
        return problems
    if value is None:
        return []
    if isinstance(block, blocks.BooleanBlock):
        return [] if isinstance(value, bool) else [_must_be(entry, gettext("true or false"))]
    if isinstance(block, blocks.IntegerBlock):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INTEGER:
            return [_must_be(entry, gettext("a whole number"))]
        return []
    if isinstance(block, blocks.DecimalBlock):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_INTEGER:
            return []
        if isinstance(value, str) and DECIMAL_TEXT.match(value):
            try:
                Decimal(value)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
            else:
                return []
        return [_must_be(entry, gettext('a decimal number written as text, e.g. "2.5"'))]
    if isinstance(block, blocks.MultipleChoiceBlock):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return [_must_be(entry, gettext("a list of texts"))]
        return []
    if not isinstance(value, str):
        return [_must_be(entry, gettext("text"))]
    return []


def _check_texts(value, entry):
    if value is None:
        return []
    if not isinstance(value, dict):
        return [
            gettext('%(entry)s must be texts per language, e.g. {"sv": "…", "en": "…"}.')
            % {"entry": _quoted(entry)}
        ]
    problems = []
    for language, text in value.items():
        if language not in TEXT_LANGUAGES:
            problems.append(
                gettext("%(entry)s: the language %(language)s is not sv or en.")
                % {"entry": _quoted(entry), "language": _quoted(language)}
            )
        elif text is not None and not isinstance(text, str):
            problems.append(_must_be(f"{entry}.{language}", gettext("text")))
    return problems


def _check_condition(value, entry):
    if value is None:
        return []
    if not isinstance(value, dict):
        return [_must_be(entry, gettext("an object or null"))]
    problems = []
    for name, item in value.items():
        if name not in ("field", "op", "value"):
            problems.append(_unknown_entry(f"{entry}.{name}"))
        elif name in ("field", "op") and not isinstance(item, str):
            problems.append(_must_be(f"{entry}.{name}", gettext("text")))
    answer = value.get("value")
    answers = answer if isinstance(answer, list) else [answer]
    if not all(item is None or isinstance(item, str) for item in answers):
        problems.append(_must_be(f"{entry}.value", gettext("text or a list of texts")))
    elif isinstance(answer, list) and any("," in item for item in answer if item):
        problems.append(
            gettext("%(entry)s: an answer a condition looks for cannot hold a comma.")
            % {"entry": _quoted(f"{entry}.value")}
        )
    return problems


# Stage 3: blocks -----------------------------------------------------------------------------


def clean_fields(fields):
    """The cleaned StreamValue for ``fields`` (specs of the right shape), or ImportRefused
    with the blocks' own messages, named by field and entry."""
    block = fields_block()
    raw = stream_data(fields, block)
    try:
        return block.clean(block.to_python(raw))
    except ValidationError as error:
        names = _field_names(fields)
        problems = []
        _collect_block_errors(error, fields, names, problems)
        raise ImportRefused(
            problems or [_problem(gettext("The fields could not be read."))]
        ) from None


def _collect_block_errors(error, specs, names, problems):
    for message in _messages(getattr(error, "non_block_errors", None)):
        problems.append(_problem(message))
    for index, child_error in (getattr(error, "block_errors", None) or {}).items():
        if not isinstance(index, int) or index >= len(specs):
            continue
        spec = specs[index]
        name = names.get(id(spec), "")
        nested = getattr(child_error, "block_errors", None)
        if nested is None:
            problems.extend(_problem(message, name) for message in child_error.messages)
            continue
        for entry, child in nested.items():
            if entry == "fields":
                _collect_block_errors(child, spec.get("fields") or [], names, problems)
                continue
            path = entry if entry in FieldBlock.base_blocks else f"options.{entry}"
            for where, message in _leaf_messages(child, path):
                problems.append(
                    _problem(
                        gettext("%(entry)s: %(problem)s")
                        % {"entry": _quoted(where), "problem": message},
                        name,
                    )
                )
        for message in _messages(getattr(child_error, "non_block_errors", None)):
            problems.append(_problem(message, name))


def _leaf_messages(error, path):
    nested = getattr(error, "block_errors", None)
    if nested is None:
        yield from ((path, message) for message in error.messages)
        return
    for message in _messages(getattr(error, "non_block_errors", None)):
        yield path, message
    for name, child in nested.items():
        child_path = f"{path}[{name}]" if isinstance(name, int) else f"{path}.{name}"
        yield from _leaf_messages(child, child_path)


def _messages(error_list):
    if not error_list:
        return []
    return [message for error in error_list.as_data() for message in error.messages]
