"""What an import would change, and saving it (stage 4 and after, see the package)."""

import difflib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from wagtail.actions.registry import action_registry

from ..blocks import to_schema
from ..models import FormDefinition
from ..schema import FORMAT, validate_schema, walk
from ..text import FALLBACK_LANGUAGE, localized
from .documents import KIND, TEXT_LANGUAGES, ImportConflict, ImportRefused, dumps, fields_block
from .reading import check_document, clean_fields, parse

# The plan ------------------------------------------------------------------------------------


@dataclass
class Difference:
    """One way a field differs: what (translated), before and after, as text to show."""

    what: str
    before: str
    after: str


@dataclass
class FieldChange:
    """A field the import adds, removes or changes."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    key: str
    change: str
    type: str
    label: str
    differences: list = field(default_factory=list)

    @property
    def type_label(self):
        return type_label(self.type)


def type_label(kind):
    """A field type's name as the builder shows it ("Short text"), or the type itself."""
    child = fields_block().child_blocks.get(kind)
    return str(child.meta.label) if child is not None and child.meta.label else kind


@dataclass
class ImportPlan:
    """What importing a document would do; nothing is saved until :func:`apply_import`."""

    document: dict  # normalised: exactly what will be saved
    stream: object  # the cleaned StreamValue of its fields
    definition: FormDefinition | None  # the form it updates, None for a new one
    base_revision_id: int | None  # the latest revision the changes were computed against
    name_change: Difference | None = None
    description_change: Difference | None = None
    field_changes: list = field(default_factory=list)
    #: Rules publishing will apply later (e.g. missing Swedish labels): shown as warnings.
    publishing_problems: list = field(default_factory=list)
    has_unpublished_changes: bool = False

    @property
    def is_new(self):
        return self.definition is None

    @property
    def has_changes(self):
        return self.is_new or bool(
            self.name_change or self.description_change or self.field_changes
        )

    @property
    def expected(self):
        """What the confirm step sends back to prove the form is as it was shown."""
        return "new" if self.is_new else str(self.base_revision_id or "")

    def document_json(self):
        return dumps(self.document, indent=None)


def read_document(data):
    """Parse and check a file (bytes) as far as needs no database; the document, or
    :class:`ImportRefused`."""
    document = parse(data)
    errors = check_document(document)
    if errors:
        raise ImportRefused(errors)
    return document


def plan_import(data):
    """Everything the import of ``data`` (bytes) would do, or :class:`ImportRefused`."""
    document = read_document(data)
    stream = clean_fields(document["fields"])
    schema = to_schema(stream)
    definition = FormDefinition.objects.filter(slug=document["slug"]).first()
    earlier = definition.published_key_types() if definition else {}
    errors = validate_schema(schema, earlier_types=earlier)
    if errors:
        raise ImportRefused(errors)
    normalised = {
        "kind": KIND,
        "format": FORMAT,
        "name": document["name"].strip(),
        "slug": document["slug"],
        "description": document.get("description", "").strip(),
        "fields": schema["fields"],
    }
    plan = ImportPlan(
        document=normalised,
        stream=stream,
        definition=definition,
        base_revision_id=definition.latest_revision_id if definition else None,
        publishing_problems=validate_schema(schema, publishing=True, earlier_types=earlier),
    )
    if definition is not None:
        _compare(plan, definition)
    return plan


def _compare(plan, definition):
    current = definition.get_latest_revision_as_object()
    plan.has_unpublished_changes = bool(
        definition.live and definition.latest_revision_id != definition.live_revision_id
    )
    new = plan.document
    if current.name != new["name"]:
        plan.name_change = Difference(gettext("name"), current.name, new["name"])
    if (current.description or "") != new["description"]:
        plan.description_change = Difference(
            gettext("description"), current.description, new["description"]
        )
    plan.field_changes = compare_fields(current.schema(), {"fields": new["fields"]})


def compare_fields(old_schema, new_schema):
    """Field-by-field differences between two schemas, in the new document's order (removed
    fields last), each a :class:`FieldChange`."""
    old = _by_key(old_schema)
    new = _by_key(new_schema)
    moved = _moved_keys(old, new)
    changes = []
    for key, (spec, parent, position) in new.items():
        if key not in old:
            changes.append(FieldChange(key, FieldChange.ADDED, spec["type"], _label(spec)))
            continue
        old_spec, old_parent, old_position = old[key]
        differences = _differences(old_spec, spec)
        if old_parent != parent:
            differences.append(Difference(gettext("place"), _place(old_parent), _place(parent)))
        elif key in moved:
            differences.append(Difference(gettext("position"), str(old_position), str(position)))
        if differences:
            changes.append(
                FieldChange(key, FieldChange.CHANGED, spec["type"], _label(spec), differences)
            )
    for key, (spec, _parent, _position) in old.items():
        if key not in new:
            changes.append(FieldChange(key, FieldChange.REMOVED, spec["type"], _label(spec)))
    return changes


def _by_key(schema):
    """``{key: (spec, parent key or None, position among its siblings)}`` in document order."""
    found = {}
    positions = {}
    for spec, _depth, parent in walk(schema.get("fields")):
        parent_key = parent["key"] if parent else None
        positions[parent_key] = positions.get(parent_key, 0) + 1
        found.setdefault(spec["key"], (spec, parent_key, positions[parent_key]))
    return found


def _moved_keys(old, new):
    """Keys whose order among the fields both schemas share changed (not in the longest run
    of matching order)."""
    shared = [key for key in new if key in old]
    old_order = [key for key in old if key in new]
    matcher = difflib.SequenceMatcher(a=old_order, b=shared, autojunk=False)
    kept = set()
    for block in matcher.get_matching_blocks():
        kept.update(shared[block.b : block.b + block.size])
    return set(shared) - kept


def _label(spec):
    texts = spec.get("label") or {}
    return localized(texts, FALLBACK_LANGUAGE) or next(iter(texts.values()), "")


def _place(parent_key):
    if parent_key is None:
        return gettext("the form itself")
    return gettext("the group %(key)s") % {"key": parent_key}


def _differences(old, new):
    differences = []

    def differs(what, before, after, show=_show):
        if before != after:
            differences.append(Difference(what, show(before), show(after)))

    differs(gettext("type"), old["type"], new["type"], type_label)
    for entry, names in (
        ("label", (gettext("Swedish label"), gettext("English label"))),
        ("help", (gettext("Swedish help text"), gettext("English help text"))),
    ):
        for language, what in zip(TEXT_LANGUAGES, names, strict=True):
            differs(
                what,
                (old.get(entry) or {}).get(language, ""),
                (new.get(entry) or {}).get(language, ""),
            )
    differs(gettext("required"), bool(old.get("required")), bool(new.get("required")))
    differs(gettext("role"), old.get("role") or "", new.get("role") or "")
    differs(gettext("condition"), old.get("show_if"), new.get("show_if"), _show_condition)
    old_options, new_options = old.get("options") or {}, new.get("options") or {}
    for name in [*new_options, *(name for name in old_options if name not in new_options)]:
        differs(
            gettext("option %(name)s") % {"name": name},
            old_options.get(name),
            new_options.get(name),
        )
    return differences


def _show(value):
    """A value of a spec as a person reads it in the report."""
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict) and set(value) <= set(TEXT_LANGUAGES):
        return " / ".join(value[language] for language in TEXT_LANGUAGES if value.get(language))
    if isinstance(value, list) and all(
        isinstance(item, dict) and "value" in item for item in value
    ):
        return ", ".join(
            f"{item['value']} ({_show(item.get('label'))})"
            if item.get("label")
            else str(item["value"])
            for item in value
        )
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _show_condition(condition):
    if not condition:
        return gettext("always shown")
    operator = condition.get("op")
    answer = condition.get("value")
    answer = ", ".join(answer) if isinstance(answer, list) else answer
    if operator == "not_empty":
        return gettext("shown when %(field)s is answered") % {"field": condition.get("field")}
    if operator == "one_of":
        return gettext("shown when %(field)s is one of %(values)s") % {
            "field": condition.get("field"),
            "values": answer,
        }
    return gettext("shown when %(field)s is %(value)s") % {
        "field": condition.get("field"),
        "value": answer,
    }


# Saving --------------------------------------------------------------------------------------


def apply_import(plan, *, user, expected):
    """Save the plan as a new draft revision of its form (creating the form if it is new).

    ``expected`` is :attr:`ImportPlan.expected` as the person saw it when confirming; the
    import is refused with :class:`ImportConflict` when the form changed (or a form with the
    same identifier was created) since, or when a version published since gave one of its keys
    another type. Permissions are the caller's to check. Returns the definition.
    """
    with transaction.atomic():
        document = plan.document
        if plan.is_new:
            if expected != "new" or FormDefinition.objects.filter(slug=document["slug"]).exists():
                raise ImportConflict(document["slug"])
            instance = FormDefinition(
                name=document["name"],
                slug=document["slug"],
                description=document["description"],
                fields=plan.stream,
                live=False,
            )
            action = action_registry.get_action_class(FormDefinition, "create")
            try:
                with transaction.atomic():
                    action(instance, user=user).execute(skip_permission_checks=True)
            except IntegrityError:
                raise ImportConflict(document["slug"]) from None
            return instance
        locked = FormDefinition.objects.select_for_update().filter(pk=plan.definition.pk).first()
        if (
            locked is None
            or expected != plan.expected
            or locked.latest_revision_id != plan.base_revision_id
        ):
            raise ImportConflict(document["slug"])
        errors = validate_schema(
            {"format": FORMAT, "fields": document["fields"]},
            earlier_types=locked.published_key_types(),
        )
        if errors:
            raise ImportRefused(errors)
        instance = locked.get_latest_revision_as_object()
        instance.name = document["name"]
        instance.description = document["description"]
        instance.fields = plan.stream
        action = action_registry.get_action_class(FormDefinition, "edit")
        action(instance, user=user).execute(skip_permission_checks=True)
        return instance
