"""A stage's form read by key: which fields a comment may name (with labels a person reads)
and the value of a field that carries a role (a PDSA cycle's decision)."""

from forms.field_types import REGISTRY
from forms.schema import CONTAINERS, walk
from forms.text import localized

PDSA_DECISION_ROLE = "pdsa_decision"


def field_labels(*schemas, language):
    """``{key: label}`` in form order for every field of ``schemas`` that holds answers, groups
    included; a field in a group is named with its group's label too ("Measures › Name"). An
    earlier schema's label wins over a later one's (the current form's over an older one's)."""
    labels = {}
    for schema in reversed(schemas):
        labels.update(_labels(schema, language))
    return labels


def _labels(schema, language):
    labels = {}
    for spec, _depth, parent in walk(schema.get("fields")):
        if spec["type"] not in CONTAINERS and not REGISTRY[spec["type"]].collects_value:
            continue
        label = localized(spec.get("label"), language) or spec["key"]
        if parent is not None:
            label = f"{labels.get(parent['key'], parent['key'])} › {label}"
        labels[spec["key"]] = label
    return labels


def role_answer(schema, data, role, *, language):
    """The answer, as a person reads it, of the top-level field marked ``role``; ``""`` when
    the form has no such field or it is not answered."""
    for spec in schema.get("fields", []):
        if spec.get("role") == role and data.get(spec["key"]) not in (None, "", []):
            return REGISTRY[spec["type"]].display(data[spec["key"]], spec, language=language)
    return ""
