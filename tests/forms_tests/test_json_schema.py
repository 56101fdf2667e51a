"""Each form version has a JSON Schema that every stored answer to it satisfies."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from jsonschema import Draft202012Validator

from forms.builder import DRAFT, REDACTED, AnswerForm
from forms.choice_sources import register_choice_source, unregister_choice_source
from forms.json_schema import answer_schema, field_schema

from .factories import admin_url as url
from .factories import block, make_definition
from .test_transfer import every_type_blocks

pytestmark = pytest.mark.django_db

ROW_A, ROW_B, ROW_C = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture(autouse=True)
def change_ideas():
    register_choice_source("change_ideas", lambda context: [(1, "Checklista"), (2, "Rond")])
    yield
    unregister_choice_source("change_ideas")


@pytest.fixture
def version():
    definition = make_definition(*every_type_blocks(), slug="allt", name="Allt i ett")
    return definition.latest_version


def validator(schema):
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(schema, answers):
    return list(validator(schema).iter_errors(answers))


FULL_POST = {
    "title": "Fallprevention",
    "aim": "Färre fall",
    "staff": "12",
    "hours": "7,5",
    "start_date": "2026-03-01",
    "ready": "yes",
    "decision": "abandon",
    "why": "För dyrt",
    "methods": ["pdsa", "five_s"],
    "method_notes": "PDSA varje vecka",
    "value": "dont_know",
    "contact": "team@example.org",
    "link": "https://example.org/plan",
    "idea": "2",
    "falls-0-id": ROW_A,
    "falls-0-period": "2026-03-01",
    "falls-0-numerator": "2",
    "falls-0-denominator": "40",
    "waits-0-id": ROW_B,
    "waits-0-period": "2026-03-01",
    "waits-0-value": "3,5",
    "causes-0-id": ROW_C,
    "causes-0-cause": "Stress",
    "causes-0-major": "yes",
    "causes-0-major_why": "Alla nämner den",
    "causes-0-effects-0-id": ROW_A,
    "causes-0-effects-0-effect": "Fall på natten",
    "causes-0-effects-0-size": "3",
}


def a_pdf():
    return SimpleUploadedFile(
        "Plan för våren.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"
    )


def stored_answers(version, data, mode="submit", files=None):
    form = AnswerForm(
        version.schema,
        language="sv",
        data=data,
        files=MultiValueDict(files or {}),
        mode=mode,
        choice_context="x",
    )
    assert form.is_valid() or mode == DRAFT, form.errors
    return form.answers


class TestTheSchema:
    def test_it_is_a_valid_draft_2020_12_schema_naming_the_form_and_version(self, version):
        schema = answer_schema(version)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == "urn:forum-for-values:form:allt:version:1"
        assert schema["title"] == "Allt i ett, version 1"
        assert schema["type"] == "object" and schema["additionalProperties"] is False

    def test_no_answer_is_required_as_drafts_and_hidden_fields_have_none(self, version):
        schema = answer_schema(version)
        assert "required" not in schema
        rows = schema["properties"]["causes"]["items"]["properties"]["values"]
        assert "required" not in rows
        assert validator(schema).is_valid({})

    def test_swedish_labels_and_help_become_title_and_description(self, version):
        properties = answer_schema(version)["properties"]
        assert properties["aim"]["title"] == "Mål"
        assert properties["aim"]["description"] == "Skriv kort."
        assert properties["causes"]["title"] == "Orsaker"
        assert "start" not in properties and "guide" not in properties  # static texts

    def test_types_are_described_as_they_are_stored(self, version):
        properties = answer_schema(version)["properties"]

        def kind(key):
            return properties[key]["anyOf"][0]

        assert kind("title") == {"type": "string", "maxLength": 80}
        assert kind("aim") == {"type": "string", "maxLength": 10_000}
        assert kind("staff") == {"type": "integer", "minimum": 0, "maximum": 500}
        assert kind("hours")["type"] == "string" and "pattern" in kind("hours")
        assert kind("start_date")["format"] == "date"
        assert kind("ready")["enum"] == ["yes", "no"]
        assert kind("decision")["enum"] == ["adopt", "abandon"]
        assert kind("methods")["items"]["enum"] == ["pdsa", "sdsa", "five_s"]
        assert kind("methods")["uniqueItems"] is True
        assert kind("value")["enum"] == [1, 2, 3, 4, 5, 6, 7, "dont_know"]
        assert kind("idea")["required"] == ["value", "label"]
        assert properties["falls"]["maxItems"] == 24
        assert properties["causes"]["maxItems"] == 5
        assert properties["aim"]["anyOf"][1] == {"$ref": "#/$defs/redacted"}


class TestStoredAnswersValidate:
    def test_answers_to_every_type_from_the_answer_form(self, version):
        answers = stored_answers(version, FULL_POST, files={"photos": [a_pdf(), a_pdf()]})
        assert set(answers) >= {
            "title", "hours", "methods", "value", "idea", "falls", "causes", "photos",
        }  # fmt: skip
        assert answers["photos"][0]["type"] == "application/pdf"
        assert answers["causes"][0]["values"]["effects"][0]["values"]["size"] == 3
        assert errors(answer_schema(version), answers) == []

    def test_draft_answers_validate_too(self, version):
        typed = {"title": "", "staff": "tolv", "hours": "7,5", "causes-0-id": ROW_C}
        answers = stored_answers(version, typed, mode=DRAFT)
        assert "staff" not in answers  # kept as typed among the problems, not the answers
        assert errors(answer_schema(version), answers) == []

    def test_a_scale_point_as_a_number(self, version):
        answers = stored_answers(version, {**FULL_POST, "value": "7"})
        assert answers["value"] == 7
        assert errors(answer_schema(version), answers) == []

    def test_redacted_answers_validate_anywhere_an_answer_can_be(self, version):
        answers = stored_answers(version, FULL_POST)
        answers["aim"] = REDACTED
        answers["idea"] = REDACTED
        answers["causes"][0]["values"]["cause"] = REDACTED
        answers["causes"][0]["values"]["effects"][0]["values"]["effect"] = REDACTED
        assert errors(answer_schema(version), answers) == []

    def test_file_answers(self, version):
        json_schema = answer_schema(version)
        photo = {"file": "d" * 32, "name": "tavla.jpg", "size": 48_213, "type": "image/jpeg"}
        assert errors(json_schema, {"photos": [photo, {**photo, "file": "e" * 32}]}) == []
        assert errors(json_schema, {"photos": REDACTED}) == []
        for wrong in (
            [photo] * 4,  # at most 3 files
            [{**photo, "size": -1}],
            [{**photo, "file": "../../etc/passwd"}],
            [{key: value for key, value in photo.items() if key != "type"}],
            [{**photo, "path": "/private/x"}],
            photo,
        ):
            assert errors(json_schema, {"photos": wrong}), wrong

    def test_one_file_unless_several_are_allowed(self):
        spec = {"key": "photo", "type": "file", "label": {"sv": "Foto"},
                "options": {"multiple": False, "max_files": 5}}  # fmt: skip
        assert field_schema(spec)["anyOf"][0]["maxItems"] == 1
        spec["options"] = {"multiple": True, "max_files": None}
        assert field_schema(spec)["anyOf"][0]["maxItems"] == 5


class TestWrongDataFails:
    @pytest.mark.parametrize(
        "change",
        [
            {"unknown_key": "x"},
            {"start": "a heading has no answer"},
            {"staff": "12"},
            {"staff": 501},
            {"hours": 7.5},
            {"hours": "7,5"},
            {"start_date": "1 mars"},
            {"ready": True},
            {"decision": "maybe"},
            {"methods": ["pdsa", "pdsa"]},
            {"methods": ["karate"]},
            {"value": 8},
            {"value": "7"},
            {"title": "x" * 81},
            {"contact": "not an address"},
            {"idea": "2"},
            {"idea": {"value": "2"}},
            {"aim": {"redacted": False}},
            {"aim": None},
            {"causes": REDACTED},
            {"causes": [{"values": {}}]},
            {"causes": [{"id": "x", "values": {}}]},
            {"causes": [{"id": ROW_A, "values": {"unknown": "x"}}]},
            {"causes": [{"id": ROW_A, "values": {}}] * 6},
            {"falls": [{"id": ROW_A, "values": {"value": "3"}}]},  # a ratio series
        ],
    )
    def test_is_refused(self, version, change):
        answers = stored_answers(version, FULL_POST)
        assert errors(answer_schema(version), {**answers, **change})

    def test_dont_know_only_where_it_is_offered(self):
        spec = {"key": "grade", "type": "scale", "label": {"sv": "Betyg"},
                "options": {"points": 5, "dont_know": False}}  # fmt: skip
        points = Draft202012Validator(field_schema(spec)["anyOf"][0])
        assert not points.is_valid("dont_know")
        assert points.is_valid(5)

    def test_a_type_unknown_to_the_schema_accepts_any_value(self):
        spec = {"key": "future", "type": "signature", "label": {"sv": "Signatur"}}
        assert field_schema(spec)["anyOf"][0] == {}


# The admin --------------------------------------------------------------------------------------


class TestAdmin:
    def test_the_versions_page_lists_versions_with_their_schemas(self, admin_client, make_user):
        publisher = make_user(full_name="Petra Programledare")
        definition = make_definition(block("short_text", "aim"), user=publisher, slug="mal")
        response = admin_client.get(url("versions", definition.pk))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Petra Programledare" in content
        assert url("json_schema", definition.pk, 1) in content
        assert url("export_version", definition.pk, 1) in content

    def test_an_unpublished_form_says_it_has_no_versions(self, admin_client):
        definition = make_definition(block("short_text", "aim"), publish=False)
        response = admin_client.get(url("versions", definition.pk))
        assert "has not been published yet" in response.content.decode()

    def test_the_schema_downloads_as_an_attachment(self, admin_client, version):
        address = url("json_schema", version.definition.pk, 1)
        response = admin_client.get(address)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/schema+json; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="allt-v1.schema.json"'
        schema = json.loads(response.content)
        assert schema["$id"] == f"http://testserver{address}"
        with translation.override("en"):  # titles in the admin user's language
            assert copy.deepcopy(schema) == answer_schema(version, schema_id=schema["$id"])
        answers = stored_answers(version, FULL_POST)
        assert errors(schema, answers) == []

    def test_an_unknown_version_is_not_found(self, admin_client, version):
        response = admin_client.get(url("json_schema", version.definition.pk, 7))
        assert response.status_code == 404
