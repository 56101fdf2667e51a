"""The form file: its format, export, and turning a schema back into the builder's blocks."""

import json
import uuid

from wagtail import blocks

from ..blocks import ConditionBlock, FieldBlock
from ..models import FormDefinition
from ..schema import FORMAT

KIND = "forum-for-values.form"
TEXT_LANGUAGES = ("sv", "en")


class ImportRefused(Exception):
    """The file cannot be imported; ``errors`` lists each problem (a DefinitionError)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


class ImportConflict(Exception):
    """The form changed (or was created) after the plan was made; nothing was saved."""


class NotPublished(Exception):
    """Export of the published content was asked for a form that is not live."""


def fields_block():
    """The StreamBlock a definition's fields are stored with."""
    return FormDefinition._meta.get_field("fields").stream_block


# Export ---------------------------------------------------------------------------------------


def export_document(definition, *, latest=False, version=None):
    """The form as a document (a dict, see the module docstring).

    By default the published content (raises :class:`NotPublished` when the form is not live);
    ``latest=True`` takes the latest saved revision, draft or not; ``version`` (a FormVersion of
    this definition) takes that frozen schema with the definition's current name.
    """
    if version is not None:
        source, schema = definition, version.schema
    elif latest:
        source = definition.get_latest_revision_as_object()
        schema = source.schema()
    else:
        if not definition.live:
            raise NotPublished(definition.slug)
        # A live definition's own row holds the published content; drafts live in revisions.
        source, schema = definition, definition.schema()
    return {
        "kind": KIND,
        "format": schema.get("format", FORMAT),
        "name": source.name,
        "slug": source.slug,
        "description": source.description,
        "fields": schema.get("fields") or [],
    }


def dumps(document, *, indent=2):
    """The document as JSON text (UTF-8 friendly: Swedish letters are written as they are)."""
    return json.dumps(document, ensure_ascii=False, indent=indent)


# Schema to blocks ---------------------------------------------------------------------------


def from_schema(schema):
    """Raw StreamField data for the definition's fields, such that ``to_schema`` of it gives
    ``schema`` back (for a schema as ``to_schema`` writes it).

    Generic over the builder's blocks: base entries (key, texts, required, role, condition)
    and every option of a field block are converted by the child block's class; groups nest
    through their ``fields`` child. Options a spec leaves out get the block's default.
    """
    return stream_data(schema.get("fields") or [], fields_block())


def stream_data(specs, stream_block):
    return [
        {
            "type": spec["type"],
            "value": _field_data(stream_block.child_blocks[spec["type"]], spec),
            "id": str(uuid.uuid4()),
        }
        for spec in specs
    ]


def _field_data(block, spec):
    options = spec.get("options") or {}
    value = {}
    for name, child in block.child_blocks.items():
        if name == "fields" and isinstance(child, blocks.StreamBlock):
            value[name] = stream_data(spec.get("fields") or [], child)
            continue
        source = spec if name in FieldBlock.base_blocks else options
        value[name] = _data(child, source[name]) if name in source else _default(child)
    return value


def _default(block):
    return block.get_prep_value(block.get_default())


def _data(block, value):
    if isinstance(block, ConditionBlock):
        return _condition_data(value)
    if isinstance(block, blocks.StructBlock):
        value = value or {}
        return {
            name: _data(child, value[name]) if name in value else _default(child)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [
            {"type": "item", "value": _data(block.child_block, item), "id": str(uuid.uuid4())}
            for item in value or []
        ]
    if isinstance(block, blocks.CharBlock) and value is None:
        return ""
    return value


def _condition_data(condition):
    if not condition:
        return {"field": "", "op": "", "value": ""}
    answer = condition.get("value")
    if isinstance(answer, list):
        # The block holds several answers as one text, separated by commas.
        answer = ", ".join(str(item) for item in answer)
    return {
        "field": condition.get("field") or "",
        "op": condition.get("op") or "",
        "value": "" if answer is None else str(answer),
    }
