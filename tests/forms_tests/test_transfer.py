"""Form definitions move between sites as JSON files: exported, checked, shown, then saved."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry, Revision

from forms import transfer
from forms.blocks import FormFieldsBlock, to_schema
from forms.choice_sources import register_choice_source, unregister_choice_source
from forms.models import FormDefinition, FormVersion

from .factories import admin_url as url
from .factories import block, choice, make_definition

pytestmark = pytest.mark.django_db

NO_CONDITION = {"field": "", "op": "", "value": ""}


def every_type_blocks(*, with_file=True):
    """Raw builder data holding every field type, groups two deep and every kind of condition."""
    blocks = [
        block("heading", "start", "Början", "Start"),
        block("help_text", "guide", "Läs först"),
        block("short_text", "title", "Titel", "Title", required=True, max_length=80,
              role="project_title"),
        block("long_text", "aim", "Mål", "Aim", max_length=None,
              help={"sv": "Skriv kort.", "en": "Be brief."}),
        block("integer", "staff", "Personal", min=0, max=500),
        block("decimal", "hours", "Timmar", min="0.5", max="12", decimals=1),
        block("date", "start_date", "Startdatum"),
        block("yes_no", "ready", "Klar", "Ready"),
        block("single_choice", "decision", "Beslut", "Decision", widget="dropdown",
              choices=[choice("adopt", "Behåll", "Adopt"), choice("abandon", "Överge")]),
        block("short_text", "why", "Varför",
              show_if={"field": "decision", "op": "equals", "value": "abandon"}),
        block("multiple_choice", "methods", "Metoder",
              choices=[choice("pdsa", "PDSA"), choice("sdsa", "SDSA"), choice("five_s", "5S")]),
        block("long_text", "method_notes", "Om metoderna",
              show_if={"field": "methods", "op": "one_of", "value": "pdsa, sdsa"}),
        block("scale", "value", "Värde", points=7, dont_know=True,
              low_label={"sv": "Lite", "en": "Little"}, high_label={"sv": "Mycket", "en": ""}),
        block("email", "contact", "E-post", show_if={"field": "ready", "op": "not_empty",
                                                    "value": ""}),
        block("url", "link", "Länk"),
        block("source_choice", "idea", "Förändringsidé", source="change_ideas"),
        block("measure_series", "falls", "Fall", mode="ratio", min_rows=0, max_rows=24),
        block("measure_series", "waits", "Väntetid", mode="value", min_rows=1, max_rows=12),
        block("group", "causes", "Orsaker", "Causes", min_rows=1, max_rows=5, fields=[
            block("short_text", "cause", "Orsak", max_length=None),
            block("yes_no", "major", "Stor"),
            block("short_text", "major_why", "Varför stor",
                  show_if={"field": "major", "op": "equals", "value": "yes"}),
            block("group", "effects", "Effekter", min_rows=0, max_rows=3, fields=[
                block("short_text", "effect", "Effekt", max_length=None),
                block("integer", "size", "Storlek", min=None, max=None),
            ]),
        ]),
    ]  # fmt: skip
    if with_file:
        blocks.insert(
            -1,
            block("file", "photos", "Foton", multiple=True, max_files=3, max_mb=5,
                  kinds=["image", "pdf"]),
        )  # fmt: skip
    return blocks


def schema_of(raw_blocks):
    return to_schema(FormFieldsBlock().to_python(raw_blocks))


@pytest.fixture(autouse=True)
def change_ideas():
    register_choice_source("change_ideas", lambda context: [(1, "Checklista")], "Idéer")
    yield
    unregister_choice_source("change_ideas")


# From a schema back to blocks -------------------------------------------------------------------


class TestFromSchema:
    def test_every_field_type_comes_back_as_it_was(self):
        schema = schema_of(every_type_blocks())
        assert {spec["type"] for spec in schema["fields"]} >= {
            "heading", "help_text", "short_text", "long_text", "integer", "decimal", "date",
            "yes_no", "single_choice", "multiple_choice", "scale", "email", "url",
            "source_choice", "file", "measure_series", "group",
        }  # fmt: skip
        raw = json.loads(json.dumps(transfer.from_schema(schema)))  # as stored
        assert to_schema(FormFieldsBlock().to_python(raw)) == schema

    def test_the_data_passes_the_builders_own_validation(self):
        schema = schema_of(every_type_blocks())
        stream_block = FormFieldsBlock()
        cleaned = stream_block.clean(stream_block.to_python(transfer.from_schema(schema)))
        assert to_schema(cleaned) == schema

    def test_a_saved_definition_reads_back_the_same_schema(self):
        schema = schema_of(every_type_blocks())
        definition = FormDefinition.objects.create(
            name="Kopia", slug="kopia", fields=transfer.from_schema(schema), live=False
        )
        assert FormDefinition.objects.get(pk=definition.pk).schema() == schema

    @pytest.mark.parametrize(
        "condition",
        [
            {"field": "decision", "op": "equals", "value": "abandon"},
            {"field": "decision", "op": "one_of", "value": ["adopt", "abandon"]},
            {"field": "decision", "op": "not_empty", "value": ""},
            None,
        ],
    )
    def test_conditions_come_back_as_they_were(self, condition):
        schema = schema_of(every_type_blocks(with_file=False))
        schema["fields"][9]["show_if"] = condition
        assert to_schema(FormFieldsBlock().to_python(transfer.from_schema(schema))) == schema

    def test_options_a_spec_leaves_out_get_the_blocks_defaults(self):
        schema = {"format": 1, "fields": [{"key": "photo", "type": "file", "label": {"sv": "F"}}]}
        spec = to_schema(FormFieldsBlock().to_python(transfer.from_schema(schema)))["fields"][0]
        assert spec["options"]["max_files"] == 5
        assert spec["options"]["max_mb"] == 10
        assert spec["help"] == {} and spec["show_if"] is None and spec["required"] is False


# Export -----------------------------------------------------------------------------------------


def published_definition(**kwargs):
    kwargs.setdefault("slug", "processkarta")
    kwargs.setdefault("name", "Processkarta")
    kwargs.setdefault("description", "Kartlägg processen.")
    return make_definition(
        block("long_text", "aim", "Mål", "Aim", required=True),
        block("single_choice", "decision", "Beslut", widget="radio",
              choices=[choice("adopt", "Behåll"), choice("abandon", "Överge")]),
        block("short_text", "why", "Varför",
              show_if={"field": "decision", "op": "equals", "value": "abandon"}),
        block("group", "steps", "Steg", min_rows=0, max_rows=10,
              fields=[block("short_text", "step", "Steg"),
                      block("integer", "minutes", "Minuter")]),
        **kwargs,
    )  # fmt: skip


def not_found(client, address):
    return client.get(address).status_code == 404


def exported(client, definition, *suffix):
    response = client.get(url("export" + "".join(f"_{part}" for part in suffix), definition.pk))
    assert response.status_code == 200
    return response, json.loads(response.content)


class TestExport:
    def test_the_published_form_downloads_as_an_attachment(self, admin_client):
        definition = published_definition()
        response, document = exported(admin_client, definition)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="processkarta.json"'
        assert document == {
            "kind": "forum-for-values.form",
            "format": 1,
            "name": "Processkarta",
            "slug": "processkarta",
            "description": "Kartlägg processen.",
            "fields": definition.latest_version.schema["fields"],
        }
        assert "Mål" in response.content.decode()  # written as it is, not \u escaped

    def test_the_published_export_leaves_out_an_unpublished_draft(self, admin_client):
        definition = published_definition()
        definition.name = "Ny processkarta"
        definition.fields = json.dumps([block("date", "when", "När")])
        definition.save_revision()
        _response, published = exported(admin_client, definition)
        assert published["name"] == "Processkarta"
        assert [spec["key"] for spec in published["fields"]] == ["aim", "decision", "why", "steps"]
        response, latest = exported(admin_client, definition, "latest")
        assert latest["name"] == "Ny processkarta"
        assert [spec["key"] for spec in latest["fields"]] == ["when"]
        assert 'filename="processkarta-latest.json"' in response["Content-Disposition"]

    def test_a_form_never_published_has_only_its_draft_to_export(self, admin_client):
        definition = make_definition(block("short_text", "aim"), publish=False)
        assert not_found(admin_client, url("export", definition.pk))
        _response, latest = exported(admin_client, definition, "latest")
        assert latest["fields"][0]["key"] == "aim"

    def test_one_frozen_version_can_be_exported(self, admin_client):
        definition = published_definition()
        response = admin_client.get(url("export_version", definition.pk, 1))
        assert response.status_code == 200
        assert json.loads(response.content)["fields"] == definition.latest_version.schema["fields"]
        assert not_found(admin_client, url("export_version", definition.pk, 9))

    def test_the_listing_and_the_edit_view_lead_to_export_and_import(self, admin_client):
        definition = published_definition()
        listing = admin_client.get(url("list")).content.decode()
        assert url("import") in listing
        assert url("export", definition.pk) in listing
        assert url("versions", definition.pk) in listing
        edit = admin_client.get(url("edit", definition.pk)).content.decode()
        assert url("export", definition.pk) in edit
        assert url("export_latest", definition.pk) in edit
        assert url("versions", definition.pk) in edit


# Import: the happy paths ------------------------------------------------------------------------


def upload(client, content, name="form.json"):
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False).encode("utf-8")
    return client.post(
        url("import"), {"file": SimpleUploadedFile(name, content, "application/json")}
    )


def confirm(client, report):
    plan = report.context["plan"]
    return client.post(
        url("import"),
        {"action": "confirm", "document": plan.document_json(), "expected": plan.expected},
    )


def saved_state():
    return (
        FormDefinition.objects.count(),
        Revision.objects.count(),
        FormVersion.objects.count(),
        ModelLogEntry.objects.count(),
    )


class TestImport:
    def test_the_import_page_offers_an_upload(self, admin_client):
        response = admin_client.get(url("import"))
        assert response.status_code == 200
        assert 'type="file"' in response.content.decode()

    def test_a_form_moves_to_a_new_identifier_as_a_draft_and_can_be_published(self, admin_client):
        original = published_definition()
        _response, document = exported(admin_client, original)
        document["slug"] = "processkarta-kopia"

        report = upload(admin_client, document)
        assert report.status_code == 200
        assert "New form: Processkarta (processkarta-kopia)" in report.content.decode()
        assert not FormDefinition.objects.filter(slug="processkarta-kopia").exists()

        response = confirm(admin_client, report)
        copy = FormDefinition.objects.get(slug="processkarta-kopia")
        assert response.status_code == 302
        assert response.url == url("edit", copy.pk)
        assert not copy.live and not copy.versions.exists()
        assert copy.latest_revision.as_object().schema() == original.latest_version.schema
        assert ModelLogEntry.objects.filter(
            object_id=str(copy.pk), action="wagtail.create"
        ).exists()

        copy.latest_revision.publish(user=None)
        assert copy.versions.get().schema == original.latest_version.schema

    def test_every_field_type_survives_the_journey(self, admin_client):
        original = make_definition(*every_type_blocks(), slug="allt")
        _response, document = exported(admin_client, original)
        document["slug"] = "allt-igen"
        response = confirm(admin_client, upload(admin_client, document))
        assert response.status_code == 302
        copy = FormDefinition.objects.get(slug="allt-igen")
        assert copy.latest_revision.as_object().schema() == original.latest_version.schema

    def test_an_update_of_the_same_form_is_shown_field_by_field_then_saved_as_a_draft(
        self, admin_client
    ):
        definition = published_definition()
        _response, document = exported(admin_client, definition)
        document["name"] = "Processkarta 2"
        fields = {spec["key"]: spec for spec in document["fields"]}
        fields["aim"]["label"] = {"sv": "Övergripande mål", "en": "Aim"}
        fields["aim"]["required"] = False
        fields["decision"]["options"]["choices"].append(choice("adapt", "Anpassa"))
        fields["why"]["show_if"] = {"field": "decision", "op": "one_of", "value": ["abandon"]}
        fields["steps"]["fields"].reverse()
        document["fields"] = [
            fields["decision"],
            fields["aim"],
            fields["steps"],
            {"key": "owner", "type": "short_text", "label": {"sv": "Ägare"}},
        ]
        before = saved_state()

        report = upload(admin_client, document)
        assert report.status_code == 200
        assert saved_state() == before
        changes = {change.key: change for change in report.context["plan"].field_changes}
        assert changes["owner"].change == "added"
        assert changes["why"].change == "removed"
        assert {d.what for d in changes["aim"].differences} >= {"Swedish label", "required"}
        assert "option choices" in {d.what for d in changes["decision"].differences}
        moved = {
            key
            for key, change in changes.items()
            if "position" in {difference.what for difference in change.differences}
        }
        assert len(moved & {"aim", "decision"}) == 1  # one of the two swapped fields moved
        assert len(moved & {"step", "minutes"}) == 1
        assert "steps" not in moved
        assert report.context["plan"].name_change.after == "Processkarta 2"
        content = report.content.decode()
        assert "Changes to Processkarta (processkarta)" in content
        assert "<del>Mål</del> → <ins>Övergripande mål</ins>" in content
        assert "adapt (Anpassa)" in content
        assert 'name="expected"' in content and 'name="document"' in content

        response = confirm(admin_client, report)
        assert response.status_code == 302
        definition = FormDefinition.objects.get(pk=definition.pk)
        assert definition.live and definition.name == "Processkarta"  # the live form as it was
        assert definition.versions.count() == 1
        draft = definition.latest_revision.as_object()
        assert draft.name == "Processkarta 2"
        assert [spec["key"] for spec in draft.schema()["fields"]] == [
            "decision", "aim", "steps", "owner",
        ]  # fmt: skip
        assert ModelLogEntry.objects.filter(
            object_id=str(definition.pk), action="wagtail.edit"
        ).exists()

        definition.latest_revision.publish(user=None)
        assert definition.versions.count() == 2
        assert definition.latest_version.schema == draft.schema()

    def test_importing_the_form_as_it_is_changes_nothing(self, admin_client):
        definition = published_definition()
        _response, document = exported(admin_client, definition)
        before = saved_state()
        report = upload(admin_client, document)
        assert report.status_code == 200
        assert "the import changes nothing" in report.content.decode()
        assert 'name="document"' not in report.content.decode()
        assert saved_state() == before

    def test_a_form_changed_after_the_report_is_not_overwritten(self, admin_client):
        definition = published_definition()
        _response, document = exported(admin_client, definition)
        document["name"] = "Från filen"
        report = upload(admin_client, document)
        definition.name = "Ändrad i mellantiden"
        definition.save_revision()
        before = saved_state()

        response = confirm(admin_client, report)
        assert response.status_code == 409
        assert "was changed (or created) after the file was read" in response.content.decode()
        assert saved_state() == before
        assert (
            FormDefinition.objects.get(pk=definition.pk).latest_revision.as_object().name
            == "Ändrad i mellantiden"
        )

    def test_a_new_form_whose_identifier_was_taken_meanwhile_is_not_saved(self, admin_client):
        _response, document = exported(admin_client, published_definition())
        document["slug"] = "ny"
        report = upload(admin_client, document)
        make_definition(block("short_text", "other"), slug="ny", name="Någon annans")
        before = saved_state()
        assert confirm(admin_client, report).status_code == 409
        assert saved_state() == before

    def test_a_tampered_confirmation_is_checked_again(self, admin_client):
        _response, document = exported(admin_client, published_definition())
        document["slug"] = "ny"
        report = upload(admin_client, document)
        forged = json.loads(report.context["plan"].document_json())
        forged["fields"][0]["type"] = "rocket"
        before = saved_state()
        response = admin_client.post(
            url("import"),
            {"action": "confirm", "document": json.dumps(forged), "expected": "new"},
        )
        assert response.status_code == 400
        assert "Unknown field type “&quot;rocket&quot;”" in response.content.decode()
        assert saved_state() == before

    def test_a_script_in_a_label_is_stored_as_text_and_shown_escaped(self, admin_client):
        _response, document = exported(admin_client, published_definition())
        document["slug"] = "ny"
        document["fields"][0]["label"]["sv"] = "<script>alert(1)</script>"
        report = upload(admin_client, document)
        content = report.content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content

        _other, update = exported(admin_client, published_definition(slug="annan"))
        update["fields"][0]["label"]["sv"] = "<script>alert(2)</script>"
        shown = upload(admin_client, update).content.decode()
        assert "<script>alert(2)</script>" not in shown
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in shown

        assert confirm(admin_client, report).status_code == 302
        saved = FormDefinition.objects.get(slug="ny").latest_revision.as_object().schema()
        assert saved["fields"][0]["label"]["sv"] == "<script>alert(1)</script>"


# Import: what is refused ------------------------------------------------------------------------


def a_document(**changes):
    document = {
        "kind": "forum-for-values.form",
        "format": 1,
        "name": "Ny blankett",
        "slug": "ny-blankett",
        "description": "",
        "fields": [
            {"key": "aim", "type": "long_text", "label": {"sv": "Mål"}, "help": {},
             "required": True, "role": "", "show_if": None, "options": {"max_length": None}},
        ],
    }  # fmt: skip
    document.update(changes)
    return document


def with_field(**entries):
    spec = {"key": "aim", "type": "long_text", "label": {"sv": "Mål"}}
    spec.update(entries)
    return a_document(fields=[spec])


def refused(client, content, *messages):
    before = saved_state()
    response = upload(client, content)
    assert response.status_code == 400, response.content.decode()[:2000]
    errors = [str(error) for error in response.context["errors"]]
    for message in messages:
        assert any(message in error for error in errors), errors
    assert saved_state() == before
    assert "The file cannot be imported" in response.content.decode()
    return errors


class TestRefused:
    def test_a_file_over_one_megabyte_is_refused_unread(self, admin_client):
        huge = b'{"kind": "forum-for-values.form", "name": "' + b"a" * 2_000_000 + b'"}'
        refused(admin_client, huge, "The file is larger than 1 MB")

    def test_no_file(self, admin_client):
        before = saved_state()
        response = admin_client.post(url("import"), {})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
        assert saved_state() == before

    def test_an_empty_file(self, admin_client):
        response = upload(admin_client, b"")
        assert response.status_code == 400
        assert "The submitted file is empty." in response.content.decode()

    def test_text_that_is_not_utf8(self, admin_client):
        refused(
            admin_client,
            json.dumps(a_document(name="Mål"), ensure_ascii=False).encode("latin-1"),
            "The file is not UTF-8 text.",
        )

    def test_broken_json(self, admin_client):
        refused(admin_client, b'{"kind": "forum-for-values.form",', "The file is not valid JSON")

    def test_a_hundred_thousand_nested_lists(self, admin_client):
        nested = b"[" * 100_000 + b"]" * 100_000
        refused(admin_client, nested, "nested more deeply than a form can be")

    def test_nesting_python_can_read_but_no_form_has(self, admin_client):
        deep = 1
        for _level in range(20):
            deep = [deep]
        refused(admin_client, a_document(extra=deep), "nested more deeply than a form can be")

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"[]", "its top level must be a JSON object"),
            (b'"form"', "its top level must be a JSON object"),
            (b'{"kind": "x", "kind": "y"}', "The file names “kind” twice"),
            (b'{"kind": NaN}', "NaN, which is not a number JSON allows"),
            (b'{"kind": 1' + b"0" * 5000 + b"}", "a number too large to read"),
            (b'{"kind": 1e999}', "the number is too large"),
            (b'{"kind": "a\\u0000b"}', "control characters or broken Unicode"),
            (b'{"kind": "\\ud800"}', "control characters or broken Unicode"),
        ],
    )
    def test_hostile_json(self, admin_client, content, message):
        refused(admin_client, content, message)

    def test_a_file_of_another_kind_or_format(self, admin_client):
        refused(admin_client, a_document(kind="wagtail.page"), 'kind" must be')
        refused(admin_client, a_document(format=2), "uses form format “2”")
        refused(admin_client, a_document(format=True), "uses form format “true”")

    def test_unknown_entries_and_bad_texts_of_the_form(self, admin_client):
        refused(
            admin_client,
            a_document(pages=[], name="x" * 201, slug="Inte en slug!", description=7),
            "“pages” is not an entry a form file has.",
            "The form's name is too long: at most 200 characters.",
            "The identifier (slug) must be text",
            "The form's description must be text.",
        )
        refused(admin_client, a_document(name="   "), "The form's name must be text.")

    def test_fields_that_are_not_a_list(self, admin_client):
        refused(admin_client, a_document(fields={"aim": {}}), '"fields" must be a list')
        refused(
            admin_client, a_document(fields=["aim"]), "field 1: A field must be a JSON object."
        )
        refused(admin_client, a_document(fields=[]), "The form has no fields.")

    def test_unknown_field_types_are_named(self, admin_client):
        refused(admin_client, with_field(type="rocket"), 'aim: Unknown field type “"rocket"”.')
        refused(admin_client, with_field(type=None), "aim: Unknown field type “null”.")

    @pytest.mark.parametrize(
        ("entries", "message"),
        [
            ({"key": "Bad Key"}, "Bad Key: “key”: Lower-case letters a–z"),
            ({"key": "x" * 41}, "“key”: Ensure this value has at most 40 characters"),
            ({"key": "id"}, "id: This key is reserved"),
            ({"key": 7}, "field 1: The field has no key (text)."),
            ({"label": {"sv": "x" * 600}}, "aim: “label.sv”: Ensure this value has at most 500"),
            ({"label": ["Mål"]}, "aim: “label” must be texts per language"),
            ({"label": {"fi": "Tavoite"}}, "the language “fi” is not sv or en"),
            ({"label": {"sv": 5}}, "aim: “label.sv” must be text."),
            ({"required": "yes"}, "aim: “required” must be true or false."),
            ({"role": ["a"]}, "aim: “role” must be text."),
            ({"options": {"max_length": "ten"}}, "“options.max_length” must be a whole number."),
            ({"options": {"max_length": 0}}, "“options.max_length”: Ensure this value is greater"),
            ({"options": {"max_length": 2**60}}, "“options.max_length” must be a whole number."),
            ({"options": {"colour": "red"}}, "“options.colour” is not an option of this type"),
            ({"options": []}, "aim: “options” must be an object."),
            ({"show_if": "always"}, "aim: “show_if” must be an object or null."),
            ({"fields": []}, None),
            ({"fields": [{"key": "x", "type": "short_text"}]}, "aim: Only groups hold fields."),
            ({"colour": "red"}, "aim: “colour” is not an entry a form file has."),
        ],
    )
    def test_wrong_entries_in_a_field_are_named(self, admin_client, entries, message):
        if message is None:
            assert upload(admin_client, with_field(**entries)).status_code == 200
        else:
            refused(admin_client, with_field(**entries), message)

    def test_wrong_options_of_choices_scales_and_decimals(self, admin_client):
        document = a_document(fields=[
            {"key": "pick", "type": "single_choice", "label": {"sv": "Välj"},
             "options": {"widget": "wheel", "choices": [{"value": "Bad value", "label": {}}]}},
            {"key": "many", "type": "multiple_choice", "label": {"sv": "Flera"},
             "options": {"choices": "a, b"}},
            {"key": "grade", "type": "scale", "label": {"sv": "Betyg"},
             "options": {"points": 99}},
            {"key": "amount", "type": "decimal", "label": {"sv": "Belopp"},
             "options": {"min": 1.5, "max": "1e9"}},
            {"key": "photo", "type": "file", "label": {"sv": "Foto"},
             "options": {"kinds": "image"}},
        ])  # fmt: skip
        refused(
            admin_client,
            document,
            "many: “options.choices” must be a list.",
            'amount: “options.min” must be a decimal number written as text, e.g. "2.5".',
            "amount: “options.max” must be a decimal number",
            "photo: “options.kinds” must be a list of texts.",
        )
        document["fields"] = document["fields"][:1] + document["fields"][2:3]
        refused(
            admin_client,
            document,
            "pick: “options.widget”: Select a valid choice. wheel is not one of",
            "pick: “options.choices[0].value”: Lower-case letters a–z",
            "grade: “options.points”: Ensure this value is less than or equal to 11.",
        )

    def test_groups_nest_two_deep_at_most(self, admin_client):
        inner = {
            "key": "c",
            "type": "group",
            "label": {"sv": "C"},
            "fields": [{"key": "d", "type": "short_text", "label": {"sv": "D"}}],
        }
        document = a_document(fields=[
            {"key": "a", "type": "group", "label": {"sv": "A"}, "fields": [
                {"key": "b", "type": "group", "label": {"sv": "B"}, "fields": [inner]}]},
        ])  # fmt: skip
        refused(admin_client, document, "c: Groups can be nested two deep at most.")

    def test_a_measure_series_has_no_fields_of_its_own(self, admin_client):
        refused(
            admin_client,
            with_field(type="measure_series", fields=[{"key": "x", "type": "date"}]),
            "aim: A measurement series has fixed fields",
        )

    def test_conditions_of_the_wrong_shape_or_pointing_nowhere(self, admin_client):
        document = a_document(fields=[
            {"key": "a", "type": "yes_no", "label": {"sv": "A"}},
            {"key": "b", "type": "short_text", "label": {"sv": "B"},
             "show_if": {"field": "a", "op": "one_of", "value": ["yes", "no, really"]}},
            {"key": "c", "type": "short_text", "label": {"sv": "C"},
             "show_if": {"field": "a", "op": "equals", "value": 1}},
        ])  # fmt: skip
        refused(
            admin_client,
            document,
            "b: “show_if.value”: an answer a condition looks for cannot hold a comma.",
            "c: “show_if.value” must be text or a list of texts.",
        )
        document["fields"][1]["show_if"] = {"field": "zz", "op": "equals", "value": "yes"}
        document["fields"][2]["show_if"] = {"field": "a", "op": "equals", "value": "maybe"}
        refused(
            admin_client,
            document,
            "b: The condition refers to zz, which is not a field above this one.",
            "c: The condition looks for an answer a does not offer.",
        )

    def test_duplicate_keys_and_too_many_fields(self, admin_client):
        spec = {"key": "aim", "type": "short_text", "label": {"sv": "Mål"}}
        refused(admin_client, a_document(fields=[spec, spec]), "aim: Another field already uses")
        many = [
            {"key": f"f{number}", "type": "date", "label": {"sv": "D"}} for number in range(501)
        ]
        refused(admin_client, a_document(fields=many), "A form can hold at most 500 fields")

    def test_a_key_cannot_change_type_against_a_published_version(self, admin_client):
        definition = published_definition()
        _response, document = exported(admin_client, definition)
        document["fields"][0]["type"] = "integer"
        document["fields"][0]["options"] = {"min": None, "max": None}
        refused(
            admin_client,
            document,
            "aim: A published version used this key for another type of field.",
        )
        document["slug"] = "annan"  # a new form may use the key as it likes
        assert upload(admin_client, document).status_code == 200

    def test_missing_swedish_labels_are_a_warning_for_publishing_only(self, admin_client):
        report = upload(admin_client, with_field(label={"en": "Aim"}))
        assert report.status_code == 200
        content = report.content.decode()
        assert "publishing it will need these changes" in content
        assert "The Swedish label is missing." in content


# Permissions ------------------------------------------------------------------------------------


@pytest.fixture
def person(client, make_user):
    """A logged-in admin user with only the permissions a test gives."""

    def make(*codenames):
        user = make_user(language="en")
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            ),
            *(
                Permission.objects.get(content_type__app_label="forum_forms", codename=codename)
                for codename in codenames
            ),
        )
        client.force_login(user)
        return client

    return make


class TestPermissions:
    def test_without_form_permissions_everything_here_is_forbidden(self, person):
        definition = published_definition()
        client = person()
        for address in (
            url("import"),
            url("export", definition.pk),
            url("export_latest", definition.pk),
            url("export_version", definition.pk, 1),
            url("versions", definition.pk),
            url("json_schema", definition.pk, 1),
        ):
            response = client.get(address)
            assert response.status_code == 403, address
        before = saved_state()
        assert upload(client, a_document()).status_code == 403
        assert saved_state() == before

    def test_anonymous_people_are_sent_to_log_in(self, client):
        response = client.get(url("import"))
        assert response.status_code == 302
        assert "login" in response.url

    def test_adding_allows_new_forms_but_not_replacing_existing_ones(self, person):
        definition = published_definition()
        client = person("add_formdefinition")
        assert client.get(url("export", definition.pk)).status_code == 403
        report = upload(client, a_document())
        assert report.status_code == 200
        assert confirm(client, report).status_code == 302
        assert FormDefinition.objects.filter(slug="ny-blankett").exists()

        before = saved_state()
        response = upload(client, a_document(slug="processkarta"))
        assert response.status_code == 403
        assert "you may not change it" in response.content.decode()
        assert saved_state() == before

    def test_changing_allows_updates_and_exports_but_not_new_forms(self, person):
        definition = published_definition()
        client = person("change_formdefinition")
        assert client.get(url("export", definition.pk)).status_code == 200
        assert client.get(url("versions", definition.pk)).status_code == 200
        report = upload(client, a_document(slug="processkarta", name="Ny"))
        assert report.status_code == 200
        assert confirm(client, report).status_code == 302

        before = saved_state()
        response = upload(client, a_document())
        assert response.status_code == 403
        assert "You may not add forms." in response.content.decode()
        assert saved_state() == before

    def test_a_confirmation_is_checked_for_permission_too(self, person, admin_client):
        report = upload(admin_client, a_document())
        plan = report.context["plan"]
        client = person("change_formdefinition")
        before = saved_state()
        response = client.post(
            url("import"),
            {"action": "confirm", "document": plan.document_json(), "expected": "new"},
        )
        assert response.status_code == 403
        assert saved_state() == before
