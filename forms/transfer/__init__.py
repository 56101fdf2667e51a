"""Moving a form definition between sites as a JSON file.

The document (schema format 1, see ``schema.py``)::

    {"kind": "forum-for-values.form", "format": 1, "name": "...", "slug": "...",
     "description": "...", "fields": [spec, ...]}

Export writes a definition's published content, its latest draft or one frozen version.

Import reads a file in stages and refuses at the first stage that finds problems, listing every
problem of that stage with the field it concerns (:class:`ImportRefused`):

1. bytes: the size cap before anything is parsed, UTF-8, JSON without duplicate names, NaN or
   nesting deeper than a form can be, and no text that cannot be stored;
2. shape: every entry known and of the right JSON type, checked against the builder's blocks;
3. blocks: the StreamField blocks' own validation (lengths, ranges, choices, key pattern), so
   what is saved can be edited in the admin as it is;
4. rules: :func:`forms.schema.validate_schema`, with the key types of the published versions of
   the form being updated, so a key never changes type.

A valid file gives an :class:`ImportPlan`: what the import would change, field by field.
:func:`apply_import` saves it as a new draft revision (never published: the editor publishes as
usual, which checks the rules again), logged with Wagtail's create or edit action, and refuses
if the form changed since the plan was shown.
"""

from .documents import (
    KIND,
    ImportConflict,
    ImportRefused,
    NotPublished,
    dumps,
    export_document,
    from_schema,
)
from .planning import ImportPlan, apply_import, compare_fields, plan_import, read_document
from .reading import MAX_BYTES, check_document, parse, too_large_message

__all__ = [
    "KIND",
    "MAX_BYTES",
    "ImportConflict",
    "ImportPlan",
    "ImportRefused",
    "NotPublished",
    "apply_import",
    "check_document",
    "compare_fields",
    "dumps",
    "export_document",
    "from_schema",
    "parse",
    "plan_import",
    "read_document",
    "too_large_message",
]
