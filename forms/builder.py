"""From a form version's schema to a Django form, and from posted data to stored answers.

Field names are paths: ``aim`` for a top-level field, ``causes-0-text`` for a field in the first
row of the group ``causes``, ``causes-0-items-2-text`` two groups deep. Every row carries its own
id (a hidden ``causes-0-id``), so answers keep their identity when rows are added or removed;
answers, problems and redaction address a value by its *answer path* of keys and row ids
(``causes/<row id>/text``), which does not shift when rows move.

Two modes:

- ``submit``: required fields must be answered and every value must be valid.
- ``draft``: nothing is required and a value that does not validate yet is kept as typed, with
  its error, in :attr:`AnswerForm.problems` (keyed by answer path, see ``display.flatten``);
  it is never dropped.

Either way, values of fields hidden by a show-if condition are discarded, whatever was posted,
and posted names the schema does not know are ignored.
"""

import uuid

import django.forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .choice_sources import choices_for
from .conditions import condition_met
from .field_types import REGISTRY
from .file_field import HEX_ID, FileAnswerField, file_refs, to_refs
from .personnummer import contains_personal_number
from .schema import CONTAINERS, MAX_ROWS_LIMIT, MEASURE_SERIES
from .text import localized
from .upload_limits import max_request_bytes

TEXT_TYPES = {"short_text", "long_text"}
SUBMIT = "submit"
DRAFT = "draft"
ROW_ID_FIELD = "id"  # a reserved key (see schema.RESERVED_KEYS)
DELETE_FIELD = "DELETE"
#: What redaction leaves in place of a removed answer.
REDACTED = {"redacted": True}


def series_fields(spec):
    """The fixed sub-fields of a measurement series row."""
    options = spec.get("options") or {}
    period = {"key": "period", "type": "date", "label": {"sv": "Period", "en": "Period"},
              "required": True}  # fmt: skip
    if options.get("mode") == "ratio":
        return [
            period,
            {"key": "numerator", "type": "integer", "required": True,
             "label": {"sv": "Täljare", "en": "Numerator"}, "options": {"min": 0}},
            {"key": "denominator", "type": "integer", "required": True,
             "label": {"sv": "Nämnare", "en": "Denominator"}, "options": {"min": 1}},
        ]  # fmt: skip
    return [
        period,
        {"key": "value", "type": "decimal", "required": True,
         "label": {"sv": "Värde", "en": "Value"}, "options": {}},
    ]  # fmt: skip


def children(spec):
    return series_fields(spec) if spec["type"] == MEASURE_SERIES else spec.get("fields", [])


class Slot:
    """One place in the form: a field (or a group) at a form path and an answer path."""

    def __init__(self, spec, path, row_path, id_path, condition_target):
        self.spec = spec
        self.path = path  # form field name: "causes-0-text"
        self.row_path = row_path  # "" at the top, "causes-0" inside that row
        self.id_path = id_path  # answer path: "causes/<row id>/text"
        self.condition_target = condition_target  # form path of the field show_if looks at

    @property
    def key(self):
        return self.spec["key"]


class Row:
    def __init__(self, path, row_id, layout):
        self.path = path
        self.id = row_id
        self.layout = layout


class AnswerForm(django.forms.Form):
    """A form for one FormVersion's schema. See the module docstring for modes and names."""

    # Fields hidden by a condition must not block the browser; the server decides.
    use_required_attribute = False

    def __init__(
        self,
        schema,
        *,
        language,
        mode=SUBMIT,
        data=None,
        answers=None,
        choice_context=None,
        extra_rows=None,
        problems=None,
        privacy_confirmed=False,
        **kwargs,
    ):
        super().__init__(data=None if data is None else _without_nul(data), **kwargs)
        self.schema = schema
        self.language = language
        self.mode = mode
        self.choice_context = choice_context
        #: Values kept as typed because they did not validate: answer path -> field, value, errors.
        self.problems = dict(problems or {})
        #: Text fields whose answer looks like a personal identity number: path -> message.
        self.privacy_warnings = {}
        self.privacy_confirmed = privacy_confirmed
        self.structure_errors = []
        #: Files uploaded with this form, checked and ready to store with the answers.
        self.new_files = []
        self._slots = []
        self._extra_rows = extra_rows or {}
        self.layout = self._add_fields(schema.get("fields", []), "", "", answers or {})

    # Building -------------------------------------------------------------------------------

    def _add_fields(self, specs, row_path, id_prefix, answers):
        layout = []
        siblings = {spec["key"] for spec in specs}
        for spec in specs:
            key = spec["key"]
            path = f"{row_path}-{key}" if row_path else key
            target = (spec.get("show_if") or {}).get("field")
            if target and row_path and target in siblings:
                target = f"{row_path}-{target}"
            slot = Slot(spec, path, row_path, f"{id_prefix}{key}", target)
            self._slots.append(slot)
            if spec["type"] in CONTAINERS:
                layout.append((slot, self._rows(slot, answers.get(key))))
                continue
            field = REGISTRY[spec["type"]].form_field(
                spec, language=self.language, choices=self._source_choices(spec)
            )
            if field is not None:
                if self.mode == DRAFT:
                    field.required = False
                if isinstance(field, FileAnswerField):
                    # Only the files this field holds may stay attached to it.
                    problem = (self.problems.get(slot.id_path) or {}).get("value")
                    field.known = {**file_refs(answers.get(key)), **file_refs(problem)}
                self.fields[path] = field
                if slot.id_path in self.problems:
                    self.initial[path] = self.problems[slot.id_path]["value"]
                elif key in answers:
                    self.initial[path] = self._initial(spec, answers[key])
            layout.append((slot, None))
        return layout

    def _source_choices(self, spec):
        if spec["type"] != "source_choice":
            return None
        return choices_for((spec.get("options") or {}).get("source"), self.choice_context)

    def _initial(self, spec, value):
        if value == REDACTED:
            return ""
        if isinstance(value, dict) and "value" in value and spec["type"] == "source_choice":
            return value["value"]
        return value

    def _rows(self, slot, stored_rows):
        """The rows of a group: posted (bound) or stored (unbound), each with a unique id."""
        options = slot.spec.get("options") or {}
        limit = min(options.get("max_rows", MAX_ROWS_LIMIT), MAX_ROWS_LIMIT)
        stored = {row.get("id"): row.get("values", {}) for row in stored_rows or []}
        posted = self._posted_row_ids(slot.path) if self.is_bound else list(stored)
        ids = []
        for row_id in posted:
            # Forged, missing or repeated ids get a new one: two rows never share an id.
            ids.append(row_id if _is_row_id(row_id) and row_id not in ids else uuid.uuid4().hex)
        ids += [uuid.uuid4().hex for _ in range(self._extra_rows.get(slot.path, 0))]
        if not self.is_bound:
            while len(ids) < options.get("min_rows", 0):
                ids.append(uuid.uuid4().hex)
        if len(ids) > limit:
            self.structure_errors.append(
                ngettext(
                    "%(label)s: at most %(count)s row.",
                    "%(label)s: at most %(count)s rows.",
                    limit,
                )
                % {"label": localized(slot.spec.get("label"), self.language), "count": limit}
            )
            ids = ids[:limit]
        rows = []
        for index, row_id in enumerate(ids):
            row_path = f"{slot.path}-{index}"
            self.fields[f"{row_path}-{DELETE_FIELD}"] = django.forms.BooleanField(
                required=False, label=_("Remove this row")
            )
            layout = self._add_fields(
                children(slot.spec), row_path, f"{slot.id_path}/{row_id}/", stored.get(row_id, {})
            )
            rows.append(Row(row_path, row_id, layout))
        return rows

    def _posted_row_ids(self, path):
        ids = []
        index = 0
        while f"{path}-{index}-{ROW_ID_FIELD}" in self.data and index <= MAX_ROWS_LIMIT:
            ids.append(str(self.data[f"{path}-{index}-{ROW_ID_FIELD}"]))
            index += 1
        return ids

    # Cleaning -------------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        for message in self.structure_errors:
            self.add_error(None, message)
        self.answers = self._collect(self.layout, {})
        self._check_privacy()
        return cleaned

    def _check_privacy(self):
        """Hold the save while free text looks like a personnummer, until the person confirms.

        Only a warning: after checking, people may confirm that the number is not a client's
        (a staff member's own, say). Drafts are held too, as they are stored all the same,
        and so are values kept as typed.
        """
        message = gettext(
            "This looks like a personal identity number. Do not write anything that identifies "
            "a client: remove it, or confirm below that it is not a client's."
        )
        for slot in self._slots:
            # Free text, and anything kept as typed (a number field may hold a personnummer).
            kept = self.cleaned_data.get(slot.path) if slot.spec["type"] in TEXT_TYPES else None
            typed = (self.problems.get(slot.id_path) or {}).get("value")
            typed = typed if isinstance(typed, list) else [typed]
            if any(contains_personal_number(str(text)) for text in (kept, *typed) if text):
                self.privacy_warnings[slot.path] = message
                if not self.privacy_confirmed:
                    self.add_error(
                        slot.path, django.forms.ValidationError(message, code="personnummer")
                    )

    def _collect(self, layout, outer_scope):
        """Answers of one level, in order, dropping hidden fields and deleted rows."""
        values = {}
        scope = dict(outer_scope)  # what conditions see: answers, and drafts' typed values
        for slot, rows in layout:
            shown = condition_met(slot.spec.get("show_if"), scope)
            if rows is not None:
                if shown:
                    values[slot.key] = self._collect_rows(slot, rows, scope)
                else:
                    self._forget(slot.path + "-", everything_under=True)
                continue
            if slot.path not in self.fields:
                continue  # static text
            self.problems.pop(slot.id_path, None)  # this save decides afresh
            if not shown:
                self._forget(slot.path)
                continue
            if slot.path in self._errors and self.mode == DRAFT:
                typed = self._typed(slot.path)
                self.problems[slot.id_path] = {
                    "field": slot.path,
                    "value": typed,
                    "errors": [str(error) for error in self._errors.pop(slot.path)],
                }
                scope[slot.key] = typed
                continue
            if slot.path in self.cleaned_data:
                value = self._to_json(slot.spec, self.cleaned_data[slot.path])
                if value not in (None, "", []):
                    values[slot.key] = value
                    scope[slot.key] = value
        return values

    def _collect_rows(self, slot, rows, scope):
        collected = []
        for row in rows:
            if self.cleaned_data.get(f"{row.path}-{DELETE_FIELD}"):
                self._forget(row.path + "-", everything_under=True)
                for name in [
                    path for path in self.problems if path.startswith(f"{slot.id_path}/{row.id}/")
                ]:
                    self.problems.pop(name)
                continue
            collected.append({"id": row.id, "values": self._collect(row.layout, scope)})
        options = slot.spec.get("options") or {}
        answered = [row for row in collected if row["values"]]
        if self.mode == SUBMIT and len(answered) < options.get("min_rows", 0):
            count = options["min_rows"]
            self.add_error(
                None,
                ngettext(
                    "%(label)s: give at least %(count)s row.",
                    "%(label)s: give at least %(count)s rows.",
                    count,
                )
                % {"label": localized(slot.spec.get("label"), self.language), "count": count},
            )
        return collected

    def _typed(self, path):
        """What the person gave for a field, as given (for files: every file that passed)."""
        field = self.fields[path]
        if isinstance(field, FileAnswerField):
            return to_refs(field.accepted, self.new_files)
        typed = field.widget.value_from_datadict(self.data, self.files, path)  # lists stay lists
        return "" if typed is None else typed

    @property
    def max_request_bytes(self):
        return max_request_bytes()

    @property
    def uploads_to_choose_again(self):
        """Names of files chosen for a submit that failed: nothing was kept, not even them."""
        if self.mode != SUBMIT or not self.is_bound or not self.errors:
            return []
        return [
            upload.name
            for path, field in self.fields.items()
            if isinstance(field, FileAnswerField)
            for upload in field.widget.value_from_datadict(self.data, self.files, path).uploads
        ]

    def _forget(self, path, everything_under=False):
        """Drop a hidden (or deleted) field's value and errors: it was never asked."""
        names = [
            name
            for name in {*self._errors, *self.cleaned_data}
            if (name.startswith(path) if everything_under else name == path)
        ]
        for name in names:
            self._errors.pop(name, None)
            self.cleaned_data.pop(name, None)

    def _to_json(self, spec, value):
        if spec["type"] == "source_choice":
            if not value:
                return None
            labels = dict(self._source_choices(spec) or [])
            return {"value": value, "label": labels.get(value, value)}
        if spec["type"] == "file":
            return to_refs(value, self.new_files)
        return REGISTRY[spec["type"]].to_json(value)


def _without_nul(data):
    """Posted data without NUL characters: never meaningful in a form, and PostgreSQL's JSON
    cannot store them (a draft keeps values as typed)."""

    def clean(value):
        return value.replace("\x00", "") if isinstance(value, str) else value

    if not hasattr(data, "lists"):
        return {clean(key): clean(value) for key, value in data.items()}
    cleaned = MultiValueDict()
    for key, values in data.lists():
        cleaned.setlist(clean(key), [clean(value) for value in values])
    return cleaned


def _is_row_id(value):
    return isinstance(value, str) and HEX_ID.match(value) is not None
