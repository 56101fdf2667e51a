"""Answers out as CSV or XLSX: one line per saved version, one more per row of a group.

Layout (long format, like REDCap's repeating instruments)::

    answer_set_id, version, form_version, saved_at_utc, author, group, row, row_id, <keys...>

- A version's top-level answers fill its *main line* (``group``, ``row`` and ``row_id`` empty).
- Each row of a repeating group or measurement series adds a line carrying the same fixed
  columns, the group's key path in ``group`` (``causes``, or ``causes.items`` two deep), the
  row's position in ``row`` (``2``, or ``2.1`` for the first row inside the second), the stored
  row id in ``row_id`` (stable across versions, so rows can be followed from one to the next)
  and that row's own answers.
- One column per field key, in the order of the latest published schema, then keys that only
  older versions had. A measurement series' fixed sub-fields are named after the series
  (``falls.period``, ``falls.value``): two series would otherwise share a column. A field whose
  key equals a fixed column's name is headed ``field.<key>``; keys never hold a dot, so every
  header is unique.
- Values are the stored ones: choice values, ISO dates, decimals with a point, several choices
  joined with ``"; "``, files as ``"name <url>"`` joined with ``"; "``. A redacted answer is
  exported as ``[removed]``, never as what it was. ``saved_at_utc`` is in UTC.
- Drafts are never exported: only saved AnswerVersions are read.

Text cells that a spreadsheet could read as a formula get a leading apostrophe
(:func:`neutralise`), in CSV and XLSX alike. Nothing is held in memory per answer: versions are
read with a database iterator, CSV is streamed, XLSX is written row by row to a temporary file.
"""

import csv
import datetime
import json
import re
import tempfile
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .builder import REDACTED, children, series_fields
from .field_types import REGISTRY
from .file_field import HEX_ID
from .models import AnswerSet, AnswerVersion
from .schema import CONTAINERS, GROUP, MEASURE_SERIES, walk

#: The columns every line starts with, in this order.
FIXED_COLUMNS = (
    "answer_set_id",
    "version",
    "form_version",
    "saved_at_utc",
    "author",
    "group",
    "row",
    "row_id",
)
#: What a redacted answer is exported as (fixed, not translated, so scripts can look for it).
REMOVED = "[removed]"
#: Leading characters that make Excel, LibreOffice or Google Sheets start a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Answer versions fetched from the database at a time.
CHUNK_SIZE = 2000
#: CSV lines written per chunk of the streamed response.
CSV_LINES_PER_CHUNK = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPE = "file"
_PSEUDONYM_SALT = "forms.export.pseudonym"


def neutralise(text):
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def pseudonym(user_id):
    """A stable pseudonym for a person, e.g. ``person-3fa9c1d2e4b5``.

    The same person gets the same pseudonym in every export (as long as ``SECRET_KEY`` stays
    the same); it cannot be turned back into the person without the key.
    """
    digest = salted_hmac(_PSEUDONYM_SALT, str(user_id), algorithm="sha256").hexdigest()
    return f"person-{digest[:12]}"


def default_file_url(ref):
    """The absolute download link of an uploaded file: the permission-checked file view."""
    path = reverse("forum_forms:file", kwargs={"file_id": ref["file"]})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def export_filename(definition, extension):
    """``<slug>-answers-<date>.<extension>``, safe in a Content-Disposition header."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", definition.slug.lower()).strip("-") or "form"
    return f"{slug}-answers-{timezone.localdate():%Y-%m-%d}.{extension}"


# Rows ----------------------------------------------------------------------------------------


def export_rows(definition, answer_sets, *, all_versions=False, pseudonymise=False, file_url=None):
    """The header, then one list of cells per line (see the module docstring for the layout).

    ``answer_sets`` is a queryset of :class:`AnswerSet`, all of ``definition``: the host app
    decides which answer sets a person may export. Raises ValueError at once (before anything
    is yielded) when one belongs to another form. Each answer set gives its latest version,
    or every version with ``all_versions``. ``pseudonymise`` replaces each author's name with
    :func:`pseudonym`. ``file_url(ref)`` gives a file's download link (default
    :func:`default_file_url`).

    Cells are typed: ``int`` and ``Decimal`` for numbers, ``date`` for dates, an aware UTC
    ``datetime`` for ``saved_at_utc``, ``None`` when empty, otherwise ``str`` already passed
    through :func:`neutralise`.
    """
    if not isinstance(answer_sets, QuerySet) or answer_sets.model is not AnswerSet:
        raise TypeError("answer_sets must be a queryset of AnswerSet.")
    if answer_sets.exclude(definition_id=definition.pk).exists():
        raise ValueError(f"Some answer sets do not belong to the form {definition.slug!r}.")
    form_versions = list(definition.versions.order_by("-number").only("id", "number", "schema"))
    header = _header(form_versions)
    index = {name: position for position, name in enumerate(header)}
    layouts = {
        form_version.pk: (form_version.number, _layout(form_version.schema.get("fields"), index))
        for form_version in form_versions
    }

    versions = AnswerVersion.objects.filter(answer_set__in=answer_sets.values("pk"))
    if not all_versions:
        latest = AnswerVersion.objects.filter(answer_set=OuterRef("answer_set")).order_by(
            "-number"
        )
        versions = versions.filter(number=Subquery(latest.values("number")[:1]))
    versions = versions.only(
        "answer_set_id", "number", "form_version_id", "data", "created_at", "author_id"
    ).order_by("answer_set_id", "number")

    if pseudonymise:
        author = _Pseudonyms()
    else:
        # One query for every author's name, through get_full_name(): the host's user model
        # may name its fields as it likes. People are few next to their answers.
        authors = get_user_model().objects.filter(pk__in=versions.values("author_id"))
        author = {person.pk: person.get_full_name() for person in authors}.get

    if file_url is None and _has_files(form_versions):
        _check_default_file_url()
    cell = _Cells(file_url or default_file_url)
    return _lines(header, versions, layouts, author, cell)


def _lines(header, versions, layouts, author, cell):
    yield header
    width = len(header)
    for version in versions.iterator(chunk_size=CHUNK_SIZE):
        number, layout = layouts[version.form_version_id]
        name = author(version.author_id) if version.author_id else None
        fixed = [
            version.answer_set_id,
            version.number,
            number,
            version.created_at.astimezone(datetime.UTC).replace(microsecond=0),
            neutralise(name) if name else None,
        ]
        yield from _level_lines(layout, version.data or {}, fixed, "", "", None, width, cell)


def _level_lines(layout, values, fixed, group, row, row_id, width, cell):
    """The line of one level (the version, or one row of a group), then its groups' rows."""
    fields, containers = layout
    line = [*fixed, group or None, row or None, row_id, *[None] * (width - len(FIXED_COLUMNS))]
    for position, spec in fields:
        value = values.get(spec["key"])
        if value not in (None, "", []):
            line[position] = cell(spec["type"], value)
    yield line
    for key, inner in containers:
        stored_rows = values.get(key)
        if not isinstance(stored_rows, list):
            continue
        path = f"{group}.{key}" if group else key
        for number, stored in enumerate(stored_rows, start=1):
            if isinstance(stored, dict):
                yield from _level_lines(
                    inner,
                    stored.get("values") or {},
                    fixed,
                    path,
                    f"{row}.{number}" if row else str(number),
                    neutralise(str(stored.get("id") or "")) or None,
                    width,
                    cell,
                )


class _Pseudonyms(dict):
    """Pseudonyms by user id, each computed once per export."""

    def __call__(self, user_id):
        if user_id not in self:
            self[user_id] = pseudonym(user_id)
        return self[user_id]


# Columns -------------------------------------------------------------------------------------


def _collects_value(kind):
    # A type this release does not know yet still holds answers: export them as text.
    field_type = REGISTRY.get(kind)
    return field_type is None or field_type.collects_value


def _column(key, prefix=""):
    name = f"{prefix}{key}"
    return f"field.{name}" if name in FIXED_COLUMNS else name


def _value_columns(specs, prefix=""):
    for spec in specs or []:
        if spec["type"] == MEASURE_SERIES:
            yield from _value_columns(series_fields(spec), prefix=f"{spec['key']}.")
        elif spec["type"] == GROUP:
            yield from _value_columns(spec.get("fields"))
        elif _collects_value(spec["type"]):
            yield _column(spec["key"], prefix)


def _header(form_versions):
    """Fixed columns, then keys: the newest schema's order, then keys only older ones had."""
    columns = dict.fromkeys(FIXED_COLUMNS)
    for form_version in form_versions:  # newest first
        columns.update(dict.fromkeys(_value_columns(form_version.schema.get("fields"))))
    return list(columns)


def _layout(specs, index, prefix=""):
    """``(fields, containers)`` of one level: each field with its column's position, each
    group or series with the layout of its rows. Built once per form version."""
    fields, containers = [], []
    for spec in specs or []:
        if spec["type"] in CONTAINERS:
            inner_prefix = f"{spec['key']}." if spec["type"] == MEASURE_SERIES else ""
            containers.append((spec["key"], _layout(children(spec), index, inner_prefix)))
        elif _collects_value(spec["type"]):
            fields.append((index[_column(spec["key"], prefix)], spec))
    return fields, containers


def _has_files(form_versions):
    return any(
        spec.get("type") == FILE_TYPE
        for form_version in form_versions
        for spec, _depth, _parent in walk(form_version.schema.get("fields"))
    )


def _check_default_file_url():
    # Fail before the first byte is sent: a streamed download cannot report an error later.
    try:
        reverse("forum_forms:file", kwargs={"file_id": "0" * 32})
    except NoReverseMatch as error:
        raise ImproperlyConfigured(
            "The form has file fields but the URL forum_forms:file does not exist; "
            "include forms.urls or pass file_url."
        ) from error


# Cells ---------------------------------------------------------------------------------------


class _Cells:
    """Turns a stored value into a typed cell, by field type name."""

    def __init__(self, file_url):
        self.file_url = file_url

    def __call__(self, kind, value):
        if value == REDACTED:
            return REMOVED
        convert = getattr(self, f"cell_{kind}", None)
        typed = convert(value) if convert else None
        return typed if typed is not None else neutralise(_text(value))

    def cell_integer(self, value):
        return value if type(value) is int else None

    cell_scale = cell_integer  # a point on the scale, or the text "dont_know"

    def cell_decimal(self, value):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None

    def cell_date(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None

    def cell_source_choice(self, value):
        # Stored with the label shown when chosen; the value is what identifies the choice.
        return neutralise(_text(value.get("value", ""))) if isinstance(value, dict) else None

    def cell_file(self, value):
        if not isinstance(value, list):
            return None
        return neutralise("; ".join(self._file_text(ref) for ref in value))

    def _file_text(self, ref):
        if ref == REDACTED:
            return REMOVED
        if not isinstance(ref, dict):
            return _text(ref)
        name = str(ref.get("name") or ref.get("file") or "")
        if not HEX_ID.match(str(ref.get("file", ""))):
            return name
        return f"{name} {self.file_url(ref)}"


def _text(value):
    if isinstance(value, list):
        return "; ".join(REMOVED if item == REDACTED else _text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# CSV -----------------------------------------------------------------------------------------


class _Buffer:
    """What csv.writer writes into: lines are kept until the next chunk is taken."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def take(self):
        text = "".join(self.parts)
        self.parts.clear()
        return text


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _csv_chunks(lines, *, bom):
    buffer = _Buffer()
    writer = csv.writer(buffer)
    if bom:
        # Excel reads a CSV file as UTF-8 (å, ä, ö) only when it starts with a byte order mark.
        buffer.write("\ufeff")
    for count, line in enumerate(lines, start=1):
        writer.writerow([_csv_text(value) for value in line])
        if count % CSV_LINES_PER_CHUNK == 0:
            yield buffer.take()
    yield buffer.take()


def csv_chunks(definition, answer_sets, *, bom=True, **options):
    """The export as CSV text, in chunks; ``options`` as for :func:`export_rows`.

    Checks the answer sets at once; the database is read as the chunks are consumed.
    """
    return _csv_chunks(export_rows(definition, answer_sets, **options), bom=bom)


def csv_response(definition, answer_sets, *, filename=None, **options):
    """A streamed CSV download (UTF-8 with a byte order mark); ``options`` as for
    :func:`export_rows`. The caller has checked that the person may export these answers."""
    response = StreamingHttpResponse(
        csv_chunks(definition, answer_sets, **options), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, filename or export_filename(definition, "csv")
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# XLSX ----------------------------------------------------------------------------------------


def _xlsx_value(value):
    if isinstance(value, str):
        # Control characters are not allowed in the file format; removing one may uncover
        # a formula sign, so neutralise again. XML reads a carriage return as a line feed:
        # write what will be read.
        text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None)  # Excel has no time zones
    return value


def _write_xlsx(lines, file):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="answers")
    for line in lines:
        sheet.append([_xlsx_value(value) for value in line])
    workbook.save(file)


def write_xlsx(definition, answer_sets, file, **options):
    """Write the export as an XLSX workbook to ``file`` (a path or a binary file object);
    ``options`` as for :func:`export_rows`. Rows go to disk as they are read."""
    _write_xlsx(export_rows(definition, answer_sets, **options), file)


def xlsx_response(definition, answer_sets, *, filename=None, **options):
    """An XLSX download, built in a temporary file and then streamed from it; ``options`` as
    for :func:`export_rows`. The caller has checked that the person may export these answers."""
    lines = export_rows(definition, answer_sets, **options)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
    try:
        _write_xlsx(lines, file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = FileResponse(
        file,
        as_attachment=True,
        filename=filename or export_filename(definition, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
