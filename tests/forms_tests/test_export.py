"""Exporting answers: layout, versions, pseudonyms, formulas, redaction, files, queries."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.urls import include, path

from forms.answers import save_version
from forms.builder import AnswerForm
from forms.export import (
    FIXED_COLUMNS,
    REMOVED,
    csv_response,
    export_filename,
    export_rows,
    pseudonym,
    xlsx_response,
)
from forms.models import AnswerSet, AnswerVersion, FormVersion
from forms.redaction import redact

from .factories import block, make_answer_set, make_definition
from .schemas import choices, field, schema

pytestmark = pytest.mark.django_db

#: A URL configuration with the file download view, for the default download links.
urlpatterns = [
    path(
        "",
        include(
            ([path("files/<str:file_id>/", HttpResponse, name="file")], "forum_forms"),
            namespace="forum_forms",
        ),
    )
]

ROW_1, ROW_2, ROW_11, ROW_21, ROW_22, POINT = (f"{n:032x}" for n in range(1, 7))
FILE_A, FILE_B = "a" * 32, "b" * 32
SAVED = datetime.datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=datetime.UTC)


def file_url(ref):
    return f"https://example.org/files/{ref['file']}/"


def worksheet_schema():
    return schema(
        field("intro", "heading"),
        field("aim", "long_text"),
        field("count", "integer"),
        field("share", "decimal"),
        field("start", "date"),
        field("decision", "single_choice", options=choices("adopt", "adapt")),
        field("tags", "multiple_choice", options=choices("staff", "room")),
        field(
            "causes",
            "group",
            fields=[
                field("cause"),
                field("note", "help_text"),
                field("items", "group", fields=[field("item"), field("weight", "integer")]),
            ],
        ),
        field("falls", "measure_series", options={"mode": "ratio"}, fields=[]),
        field("evidence", "file"),
    )


WORKSHEET_ANSWERS = {
    "aim": "Färre fall på avdelning 3",
    "count": 12,
    "share": "3.50",
    "start": "2025-03-01",
    "decision": "adopt",
    "tags": ["staff", "room"],
    "causes": [
        {"id": ROW_1, "values": {
            "cause": "Halt golv",
            "items": [{"id": ROW_11, "values": {"item": "Mattor", "weight": 2}}]}},
        {"id": ROW_2, "values": {
            "cause": "Mörker",
            "items": [{"id": ROW_21, "values": {"item": "Lampor"}},
                      {"id": ROW_22, "values": {"item": "Sensorer", "weight": 5}}]}},
    ],
    "falls": [{"id": POINT, "values": {
        "period": "2025-01-01", "numerator": 3, "denominator": 40}}],
    "evidence": [
        {"file": FILE_A, "name": "rapport.pdf", "size": 1234, "type": "application/pdf"},
        {"file": FILE_B, "name": "foto.jpg", "size": 99, "type": "image/jpeg"},
    ],
}  # fmt: skip


def make_form(*schemas):
    """A definition with one published version per schema (oldest first)."""
    definition = make_definition(publish=False)
    for number, version_schema in enumerate(schemas, start=1):
        FormVersion.objects.create(definition=definition, number=number, schema=version_schema)
    return definition


def make_version(answer_set, data, *, form_version=None, author=None, **kwargs):
    form_version = form_version or answer_set.definition.latest_version
    kwargs.setdefault(
        "number",
        (answer_set.versions.order_by("-number").values_list("number", flat=True).first() or 0)
        + 1,
    )
    kwargs.setdefault("created_at", SAVED)
    return AnswerVersion.objects.create(
        answer_set=answer_set, form_version=form_version, data=data, author=author, **kwargs
    )


def csv_lines(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def csv_dicts(response):
    header, *lines = csv_lines(response)
    return [dict(zip(header, line, strict=True)) for line in lines]


def xlsx_sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook["answers"]


def xlsx_dicts(response):
    header, *lines = xlsx_sheet(response).iter_rows(values_only=True)
    return [dict(zip(header, line, strict=True)) for line in lines]


def answer_sets_of(definition):
    return AnswerSet.objects.filter(definition=definition)


# Layout ------------------------------------------------------------------------------------


def test_the_header_has_fixed_columns_then_one_column_per_key_in_schema_order():
    definition = make_form(worksheet_schema())
    header = next(export_rows(definition, answer_sets_of(definition)))
    assert header == [
        "answer_set_id", "version", "form_version", "saved_at_utc", "author", "group", "row",
        "row_id",
        "aim", "count", "share", "start", "decision", "tags", "cause", "item", "weight",
        "falls.period", "falls.numerator", "falls.denominator", "evidence",
    ]  # fmt: skip


def test_keys_only_older_versions_had_come_after_the_latest_schemas_keys():
    definition = make_form(
        schema(field("old_note"), field("aim"), field("dropped_count", "integer")),
        schema(field("aim"), field("owner"), field("falls", "measure_series")),
    )
    header = next(export_rows(definition, answer_sets_of(definition)))
    assert header[len(FIXED_COLUMNS) :] == [
        "aim", "owner", "falls.period", "falls.value", "old_note", "dropped_count",
    ]  # fmt: skip


def test_a_key_named_like_a_fixed_column_gets_a_header_of_its_own():
    definition = make_form(schema(field("version"), field("author")))
    answers = make_answer_set(definition)
    make_version(answers, {"version": "v2 av planen", "author": "Gruppen"})
    (line,) = csv_dicts(csv_response(definition, answer_sets_of(definition), file_url=file_url))
    assert (line["version"], line["field.version"]) == ("1", "v2 av planen")
    assert line["field.author"] == "Gruppen"


def test_each_row_of_a_group_or_series_is_a_line_of_its_own(make_user):
    definition = make_form(worksheet_schema())
    answers = make_answer_set(definition)
    author = make_user(full_name="Tove Teammedlem")
    make_version(answers, WORKSHEET_ANSWERS, author=author)

    lines = csv_dicts(csv_response(definition, answer_sets_of(definition), file_url=file_url))

    fixed = {
        "answer_set_id": str(answers.pk), "version": "1", "form_version": "1",
        "saved_at_utc": "2025-03-01T12:30:15+00:00", "author": "Tove Teammedlem",
    }  # fmt: skip
    assert all(line.items() >= fixed.items() for line in lines)
    assert [(line["group"], line["row"], line["row_id"]) for line in lines] == [
        ("", "", ""),
        ("causes", "1", ROW_1),
        ("causes.items", "1.1", ROW_11),
        ("causes", "2", ROW_2),
        ("causes.items", "2.1", ROW_21),
        ("causes.items", "2.2", ROW_22),
        ("falls", "1", POINT),
    ]
    main, cause_1, item_11, _cause_2, item_21, item_22, point = lines
    answered = {key: value for key, value in main.items() if key not in FIXED_COLUMNS and value}
    assert answered == {
        "aim": "Färre fall på avdelning 3",
        "count": "12",
        "share": "3.50",
        "start": "2025-03-01",
        "decision": "adopt",
        "tags": "staff; room",
        "evidence": f"rapport.pdf {file_url({'file': FILE_A})}; "
        f"foto.jpg {file_url({'file': FILE_B})}",
    }
    assert cause_1["cause"] == "Halt golv" and cause_1["aim"] == cause_1["item"] == ""
    assert (item_11["item"], item_11["weight"], item_11["cause"]) == ("Mattor", "2", "")
    assert (item_21["item"], item_21["weight"]) == ("Lampor", "")
    assert (item_22["item"], item_22["weight"]) == ("Sensorer", "5")
    assert (point["falls.period"], point["falls.numerator"], point["falls.denominator"]) == (
        "2025-01-01", "3", "40",
    )  # fmt: skip


def test_xlsx_holds_numbers_as_numbers_and_dates_as_dates():
    definition = make_form(worksheet_schema())
    make_version(make_answer_set(definition), WORKSHEET_ANSWERS)

    response = xlsx_response(definition, answer_sets_of(definition), file_url=file_url)
    sheet = xlsx_sheet(response)
    header, *lines = sheet.iter_rows(values_only=True)
    main, *_rows, point = (dict(zip(header, line, strict=True)) for line in lines)

    assert main["count"] == 12 and main["share"] == Decimal("3.5")
    assert main["start"] == datetime.datetime(2025, 3, 1)  # Excel has no date-only type
    assert main["saved_at_utc"] == datetime.datetime(2025, 3, 1, 12, 30, 15)
    assert main["decision"] == "adopt" and main["tags"] == "staff; room"
    assert main["version"] == 1 and main["author"] is None
    assert point["falls.period"] == datetime.datetime(2025, 1, 1)
    assert (point["falls.numerator"], point["falls.denominator"]) == (3, 40)
    cells = dict(zip(header, next(sheet.iter_rows(min_row=2, max_row=2)), strict=True))
    assert cells["start"].is_date and cells["count"].data_type == "n"


def test_a_version_is_read_with_the_schema_it_answered():
    definition = make_form(
        schema(field("old_note"), field("aim")), schema(field("aim"), field("owner"))
    )
    first, second = definition.versions.order_by("number")
    old, new = make_answer_set(definition), make_answer_set(definition)
    make_version(old, {"old_note": "Från v1", "aim": "Mål 1"}, form_version=first)
    make_version(new, {"aim": "Mål 2", "owner": "Ida"}, form_version=second)

    lines = csv_dicts(csv_response(definition, answer_sets_of(definition)))

    columns = ("form_version", "aim", "owner", "old_note")
    assert [tuple(line[column] for column in columns) for line in lines] == [
        ("1", "Mål 1", "", "Från v1"),
        ("2", "Mål 2", "Ida", ""),
    ]  # fmt: skip


def test_answers_saved_through_the_engine_export_with_their_row_ids(make_user):
    definition = make_definition(
        block("short_text", "aim", "Mål"),
        block("group", "causes", "Orsaker", min_rows=0, max_rows=5,
              fields=[block("short_text", "cause", "Orsak")]),
    )  # fmt: skip
    version = definition.latest_version
    form = AnswerForm(
        version.schema,
        language="sv",
        data={"aim": "Färre fall", "causes-0-id": ROW_1, "causes-0-cause": "Halt golv"},
    )
    assert form.is_valid(), form.errors
    save_version(make_answer_set(definition), version, form.answers, user=make_user())

    main, row = csv_dicts(csv_response(definition, answer_sets_of(definition)))

    assert (main["aim"], main["group"]) == ("Färre fall", "")
    assert (row["group"], row["row"], row["row_id"], row["cause"]) == (
        "causes", "1", ROW_1, "Halt golv",
    )  # fmt: skip


# Versions and drafts ----------------------------------------------------------------------


def test_the_latest_version_by_default_every_version_on_request_and_never_a_draft():
    definition = make_form(schema(field("aim")))
    answers = make_answer_set(definition)
    for text in ("Första", "Andra", "Tredje"):
        make_version(answers, {"aim": text})
    answers.draft = {"aim": "Utkast som inte är sparat"}
    answers.save()
    only_draft = make_answer_set(definition)
    only_draft.draft = {"aim": "Bara ett utkast"}
    only_draft.save()

    latest = csv_dicts(csv_response(definition, answer_sets_of(definition)))
    every = csv_dicts(csv_response(definition, answer_sets_of(definition), all_versions=True))

    assert [(line["version"], line["aim"]) for line in latest] == [("3", "Tredje")]
    assert [(line["version"], line["aim"]) for line in every] == [
        ("1", "Första"), ("2", "Andra"), ("3", "Tredje"),
    ]  # fmt: skip


def test_only_the_answer_sets_the_host_passes_are_exported():
    definition = make_form(schema(field("aim")))
    mine, theirs = make_answer_set(definition), make_answer_set(definition)
    make_version(mine, {"aim": "Vårt mål"})
    make_version(theirs, {"aim": "Deras mål"})

    lines = csv_dicts(csv_response(definition, AnswerSet.objects.filter(pk=mine.pk)))

    assert [line["aim"] for line in lines] == ["Vårt mål"]


def test_answer_sets_of_another_form_are_refused_before_anything_is_written():
    definition, other = make_form(schema(field("aim"))), make_form(schema(field("aim")))
    make_version(make_answer_set(definition), {"aim": "Mål"})
    make_version(make_answer_set(other), {"aim": "Annat"})
    mixed = AnswerSet.objects.all()

    for export in (export_rows, csv_response, xlsx_response):
        with pytest.raises(ValueError, match="do not belong to the form"):
            export(definition, mixed)
    with pytest.raises(TypeError):
        export_rows(definition, list(answer_sets_of(definition)))


# Authors ----------------------------------------------------------------------------------


def test_pseudonymised_authors_are_stable_and_no_name_leaks(make_user):
    definition = make_form(schema(field("aim")))
    tove = make_user(full_name="Tove Teammedlem", email="tove@example.org")
    camilla = make_user(full_name="Camilla Coach", email="camilla@example.org")
    first, second = make_answer_set(definition), make_answer_set(definition)
    make_version(first, {"aim": "Mål"}, author=tove)
    make_version(first, {"aim": "Mål, bättre"}, author=camilla)
    make_version(second, {"aim": "Annat mål"}, author=tove)
    options = {"all_versions": True, "pseudonymise": True}

    body = b"".join(csv_response(definition, answer_sets_of(definition), **options))
    again = csv_dicts(csv_response(definition, answer_sets_of(definition), **options))
    xlsx = xlsx_dicts(xlsx_response(definition, answer_sets_of(definition), **options))

    authors = [line["author"] for line in again]
    assert authors == [pseudonym(tove.pk), pseudonym(camilla.pk), pseudonym(tove.pk)]
    assert authors[0] != authors[1] and authors[0].startswith("person-")
    assert [line["author"] for line in xlsx] == authors
    text = body.decode("utf-8-sig") + repr(xlsx)
    for leak in ("Tove", "Camilla", "Teammedlem", "Coach", "example.org"):
        assert leak not in text


def test_without_pseudonyms_the_authors_full_name_is_exported(make_user):
    definition = make_form(schema(field("aim")))
    make_version(
        make_answer_set(definition), {"aim": "Mål"}, author=make_user(full_name="Tove Åberg")
    )
    (line,) = csv_dicts(csv_response(definition, answer_sets_of(definition)))
    assert line["author"] == "Tove Åberg"


# Formula injection ------------------------------------------------------------------------

DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", DANGEROUS)
def test_a_text_that_starts_a_formula_gets_an_apostrophe_in_csv_and_xlsx(start, make_user):
    definition = make_form(
        schema(field("aim"), field("count", "integer"), field("evidence", "file"))
    )
    text = f'{start}HYPERLINK("https://evil.example","klick")'
    evil_file = {"file": FILE_A, "name": f"{start}cmd.pdf", "size": 1, "type": "application/pdf"}
    make_version(
        make_answer_set(definition),
        {"aim": text, "count": -5, "evidence": [evil_file]},
        author=make_user(full_name=f"{start}Mallory"),
    )
    answer_sets = answer_sets_of(definition)

    (line,) = csv_dicts(csv_response(definition, answer_sets, file_url=file_url))
    sheet = xlsx_sheet(xlsx_response(definition, answer_sets, file_url=file_url))
    (xlsx_line,) = xlsx_dicts(xlsx_response(definition, answer_sets, file_url=file_url))

    # XML reads a carriage return as a line feed; the apostrophe stays in front.
    for cells, sign in ((line, start), (xlsx_line, start.replace("\r", "\n"))):
        assert cells["aim"] == f"'{sign}{text[1:]}"
        assert cells["author"] == f"'{sign}Mallory"
        assert cells["evidence"] == f"'{sign}cmd.pdf {file_url(evil_file)}"
    assert line["count"] == "-5" and xlsx_line["count"] == -5  # numbers stay numbers
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_control_character_does_not_hide_a_formula_in_xlsx():
    definition = make_form(schema(field("aim")))
    make_version(make_answer_set(definition), {"aim": "\x01=1+1"})
    (line,) = xlsx_dicts(xlsx_response(definition, answer_sets_of(definition)))
    assert line["aim"] == "'=1+1"


# Redaction and files ----------------------------------------------------------------------


def test_redacted_answers_are_exported_as_removed_never_as_they_were(make_user):
    definition = make_form(
        schema(
            field("aim"),
            field("causes", "group", fields=[field("cause")]),
            field("evidence", "file"),
        )
    )
    answers = make_answer_set(definition)
    kept = {"file": FILE_B, "name": "plan.pdf", "size": 1, "type": "application/pdf"}
    make_version(
        answers,
        {
            "aim": "Klienten 19121212-1212 föll",
            "causes": [{"id": ROW_1, "values": {"cause": "Anna Andersson halkade"}}],
            # Redacted in place, as stored data may hold it (one file of two, or all of them).
            "evidence": [{"redacted": True}, kept],
        },
    )
    make_version(answers, {"evidence": {"redacted": True}})
    for answer_path in ("aim", f"causes/{ROW_1}/cause"):
        redact(answers, answer_path, user=make_user())
    sets = answer_sets_of(definition)
    options = {"file_url": file_url, "all_versions": True}

    body = b"".join(csv_response(definition, sets, **options)).decode("utf-8-sig")
    main, row, later = csv_dicts(csv_response(definition, sets, **options))
    xlsx_main, xlsx_row, xlsx_later = xlsx_dicts(xlsx_response(definition, sets, **options))

    assert main["aim"] == row["cause"] == later["evidence"] == REMOVED == "[removed]"
    assert main["evidence"] == f"[removed]; plan.pdf {file_url(kept)}"
    assert xlsx_main["aim"] == xlsx_row["cause"] == xlsx_later["evidence"] == REMOVED
    for original in ("19121212", "Anna", "redacted"):
        assert original not in body


def test_files_are_listed_by_name_with_the_default_download_link(settings):
    settings.ROOT_URLCONF = __name__
    settings.WAGTAILADMIN_BASE_URL = "https://forum.example.org/"
    definition = make_form(schema(field("evidence", "file")))
    make_version(make_answer_set(definition), {"evidence": WORKSHEET_ANSWERS["evidence"]})

    (line,) = csv_dicts(csv_response(definition, answer_sets_of(definition)))

    assert line["evidence"] == (
        f"rapport.pdf https://forum.example.org/files/{FILE_A}/; "
        f"foto.jpg https://forum.example.org/files/{FILE_B}/"
    )


class WithoutFileDownloads:
    urlpatterns = []


def test_without_a_download_url_a_form_with_files_fails_before_streaming(settings):
    settings.ROOT_URLCONF = WithoutFileDownloads
    definition = make_form(schema(field("evidence", "file")))
    with pytest.raises(ImproperlyConfigured, match="forum_forms:file"):
        csv_response(definition, answer_sets_of(definition))


def test_a_file_reference_with_a_forged_id_gets_no_link():
    definition = make_form(schema(field("evidence", "file")))
    forged = {"file": "../../etc/passwd", "name": "passwd", "size": 1, "type": "text/plain"}
    make_version(make_answer_set(definition), {"evidence": [forged]})
    (line,) = csv_dicts(csv_response(definition, answer_sets_of(definition), file_url=file_url))
    assert line["evidence"] == "passwd"


# Responses ---------------------------------------------------------------------------------


def test_the_responses_are_attachments_that_browsers_do_not_sniff():
    definition = make_form(schema(field("aim")))
    definition.slug = "../Orsak och verkan"
    make_version(make_answer_set(definition), {"aim": "Färre fall"})
    today = export_filename(definition, "csv").split("-answers-")[1]

    as_csv = csv_response(definition, answer_sets_of(definition))
    as_xlsx = xlsx_response(definition, answer_sets_of(definition))

    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"] == (
        f'attachment; filename="orsak-och-verkan-answers-{today}"'
    )
    assert as_xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert as_xlsx["Content-Disposition"].startswith('attachment; filename="orsak-och-verkan-')
    for response in (as_csv, as_xlsx):
        assert response["X-Content-Type-Options"] == "nosniff"
    assert csv_dicts(as_csv)[0]["aim"] == "Färre fall"
    assert xlsx_dicts(as_xlsx)[0]["aim"] == "Färre fall"


# Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_answers(
    pseudonymise, make_user, django_assert_num_queries
):
    definition = make_form(worksheet_schema())
    form_version = definition.latest_version
    people = [make_user() for _ in range(3)]
    sets = AnswerSet.objects.bulk_create(AnswerSet(definition=definition) for _ in range(30))
    AnswerVersion.objects.bulk_create(
        AnswerVersion(answer_set=answer_set, number=number, form_version=form_version,
                      data=WORKSHEET_ANSWERS, author=people[(index + number) % 3])
        for index, answer_set in enumerate(sets) for number in (1, 2)
    )  # fmt: skip
    # Checking the answer sets, the form's versions, the authors' names, then the answers.
    expected = 3 if pseudonymise else 4

    for size in (3, 30):
        chosen = AnswerSet.objects.filter(pk__in=[answer_set.pk for answer_set in sets[:size]])
        with django_assert_num_queries(expected):
            lines = csv_lines(
                csv_response(definition, chosen, pseudonymise=pseudonymise, file_url=file_url)
            )
        assert len(lines) == 1 + size * 7
        with django_assert_num_queries(expected):
            xlsx_response(definition, chosen, pseudonymise=pseudonymise, file_url=file_url)


# The management command --------------------------------------------------------------------


def test_the_command_exports_every_answer_set_of_a_form(tmp_path, make_user):
    definition = make_form(schema(field("aim")))
    tove = make_user(full_name="Tove Teammedlem")
    for text in ("Första", "Andra"):
        answers = make_answer_set(definition)
        make_version(answers, {"aim": f"{text} utkast"}, author=tove)
        make_version(answers, {"aim": text}, author=tove)

    out = io.StringIO()
    call_command("export_answers", definition.slug, stdout=out)
    lines = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [(line["aim"], line["author"]) for line in lines] == [
        ("Första", "Tove Teammedlem"), ("Andra", "Tove Teammedlem"),
    ]  # fmt: skip

    target = tmp_path / "svar.xlsx"
    call_command(
        "export_answers", definition.slug, "--format=xlsx", "--all-versions", "--pseudonymise",
        f"--output={target}", stdout=io.StringIO(),
    )  # fmt: skip
    rows = list(openpyxl.load_workbook(target)["answers"].iter_rows(values_only=True))
    assert len(rows) == 1 + 4 and {row[4] for row in rows[1:]} == {pseudonym(tove.pk)}

    target = tmp_path / "svar.csv"
    call_command("export_answers", definition.slug, f"--output={target}", stdout=io.StringIO())
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert {path.name for path in tmp_path.iterdir()} == {"svar.csv", "svar.xlsx"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-form"], "No form has the identifier “no-such-form”."),
        (["{slug}", "--format=pdf"], "Unknown format “pdf”: choose csv or xlsx."),
        (["{slug}", "--format=xlsx"], "An XLSX export needs --output PATH."),
        (["{slug}", "--output=/no/such/folder/svar.csv"],
         "The folder /no/such/folder does not exist."),
    ],
)  # fmt: skip
def test_the_command_explains_what_is_wrong(arguments, message):
    definition = make_form(schema(field("aim")))
    with pytest.raises(CommandError) as error:
        call_command(
            "export_answers", *(argument.format(slug=definition.slug) for argument in arguments)
        )
    assert str(error.value) == message
