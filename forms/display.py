"""Reading stored answers: a read-only view against their own form version, and a diff.

Answers are always shown with the schema of the version they answered, so a form changed later
never misreads or hides what was given.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from .builder import REDACTED, children
from .field_types import REGISTRY
from .schema import CONTAINERS
from .text import localized


def is_redacted(value):
    return value == REDACTED


@dataclass
class Item:
    """One answer (or group) as shown: its label, text and, for groups, rows of items."""

    key: str
    label: str
    text: str = ""
    kind: str = ""
    rows: list = field(default_factory=list)  # [(row label, [Item])]
    files: list = field(default_factory=list)  # [{"name", "size", "url" (None: no link)}]


def read_only(schema, answers, *, language, file_url=None):
    """Items for every answered field of ``schema`` (static texts and empty answers left out).

    ``file_url(ref)`` gives the link to an attached file for the person reading, or None when
    they may not download it; without it, files are listed by name only.
    """
    return _items(schema.get("fields", []), answers or {}, language, file_url or _no_link)


def _no_link(ref):
    return None


def _items(specs, values, language, file_url):
    items = []
    for spec in specs:
        kind = spec["type"]
        label = localized(spec.get("label"), language)
        value = values.get(spec["key"])
        if kind in CONTAINERS:
            rows = [
                (gettext("Row %(number)s") % {"number": index},
                 _items(children(spec), row.get("values", {}), language, file_url))
                for index, row in enumerate(value or [], start=1)
            ]  # fmt: skip
            if rows:
                items.append(Item(spec["key"], label, kind=kind, rows=rows))
            continue
        if not REGISTRY[kind].collects_value or value in (None, "", []):
            continue
        item = Item(spec["key"], label, _text(spec, value, language), kind)
        if kind == "file" and not is_redacted(value):
            item.files = [
                {"name": ref.get("name", ""), "size": ref.get("size", 0), "url": file_url(ref)}
                for ref in value
                if isinstance(ref, dict)
            ]
        items.append(item)
    return items


def _text(spec, value, language):
    if is_redacted(value):
        return gettext("[removed]")
    return REGISTRY[spec["type"]].display(value, spec, language=language)


@dataclass(frozen=True)
class Change:
    """A field whose answer differs between two versions."""

    path: str
    label: str
    before: str
    after: str


def flatten(schema, answers, *, language):
    """``{path: (label, text)}`` for every answer, groups unrolled by row id."""
    flat = {}

    def walk(specs, values, path_prefix, label_prefix):
        for spec in specs:
            label = localized(spec.get("label"), language)
            value = values.get(spec["key"])
            if spec["type"] in CONTAINERS:
                for index, row in enumerate(value or [], start=1):
                    walk(
                        children(spec),
                        row.get("values", {}),
                        f"{path_prefix}{spec['key']}/{row.get('id')}/",
                        f"{label_prefix}{label} › {index} › ",
                    )
                continue
            if REGISTRY[spec["type"]].collects_value and value not in (None, "", []):
                flat[f"{path_prefix}{spec['key']}"] = (
                    f"{label_prefix}{label}",
                    _text(spec, value, language),
                )

    walk(schema.get("fields", []), answers or {}, "", "")
    return flat


def diff(old_version, new_version, *, language):
    """Field-by-field changes from one AnswerVersion to another, each read with its schema."""
    before = flatten(old_version.form_version.schema, old_version.data, language=language)
    after = flatten(new_version.form_version.schema, new_version.data, language=language)
    changes = []
    for path in [*before, *(path for path in after if path not in before)]:
        old = before.get(path, (None, ""))
        new = after.get(path, (None, ""))
        if old[1] != new[1]:
            changes.append(Change(path, new[0] or old[0], old[1], new[1]))
    return changes
