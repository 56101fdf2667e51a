"""From a schema to a Django form and back to answers: every field type, groups, conditions."""

import datetime

import pytest

from forms.builder import DRAFT, AnswerForm
from forms.choice_sources import register_choice_source, unregister_choice_source

from .schemas import choices, field, schema


def submit(form_schema, data, **kwargs):
    form = AnswerForm(form_schema, language="sv", data=data, **kwargs)
    return form, form.is_valid()


@pytest.mark.parametrize(
    ("spec", "posted", "stored"),
    [
        (field("t"), "  Hej  ", "Hej"),
        (field("t", "long_text"), "Rad 1\nRad 2", "Rad 1\nRad 2"),
        (field("n", "integer", options={"min": 0, "max": 10}), "7", 7),
        (field("d", "decimal", options={"decimals": 1}), "3,5", "3.5"),
        (field("d", "decimal"), "1 234,25", "1234.25"),
        (field("d", "decimal"), "-0.5", "-0.5"),
        (field("when", "date"), "2026-10-25", "2026-10-25"),
        (field("ok", "yes_no"), "no", "no"),
        (field("c", "single_choice", options=choices("adopt", "adapt")), "adapt", "adapt"),
        (field("s", "scale", options={"points": 5}), "4", 4),
        (field("s", "scale", options={"points": 5, "dont_know": True}), "dont_know", "dont_know"),
        (field("e", "email"), " Tove@Example.org ", "Tove@Example.org"),
        (field("u", "url"), "https://vardeforum.example.se/x", "https://vardeforum.example.se/x"),
    ],
)
def test_each_type_stores_a_valid_answer_as_json(spec, posted, stored):
    form, valid = submit(schema(spec), {spec["key"]: posted})
    assert valid, form.errors
    assert form.answers == {spec["key"]: stored}


def test_several_choices_store_a_list():
    form, valid = submit(
        schema(field("m", "multiple_choice", options=choices("a", "b", "c"))), {"m": ["a", "c"]}
    )
    assert valid
    assert form.answers == {"m": ["a", "c"]}


@pytest.mark.parametrize(
    ("spec", "posted", "message"),
    [
        (field("t", options={"max_length": 5}), "sex tecken", "at most 5 characters"),
        (field("n", "integer", options={"min": 0, "max": 10}), "11", "less than or equal to 10"),
        (field("n", "integer"), "tre", "Enter a whole number"),
        (field("d", "decimal", options={"decimals": 1}), "3,55", "more than 1 decimal"),
        (field("d", "decimal", options={"min": "0"}), "-1", "greater than or equal to 0"),
        (field("d", "decimal"), "3,5,5", "Enter a number"),
        (field("when", "date"), "2026-02-30", "Enter a valid date"),
        (field("ok", "yes_no"), "maybe", "Select a valid choice"),
        (field("c", "single_choice", options=choices("adopt")), "drop", "Select a valid choice"),
        (field("s", "scale", options={"points": 5}), "6", "Select a valid choice"),
        (field("s", "scale", options={"points": 5}), "dont_know", "Select a valid choice"),
        (field("e", "email"), "not an address", "valid email"),
        (field("u", "url"), "javascript:alert(1)", "valid URL"),
    ],
)
def test_each_type_refuses_a_bad_answer_with_a_message(spec, posted, message):
    form, valid = submit(schema(spec), {spec["key"]: posted})
    assert not valid
    assert message in " ".join(form.errors[spec["key"]])


def test_a_required_field_must_be_answered_on_submit_but_not_in_a_draft():
    form_schema = schema(field("aim", required=True))
    form, valid = submit(form_schema, {})
    assert not valid and "This field is required." in form.errors["aim"]
    draft = AnswerForm(form_schema, language="sv", data={}, mode=DRAFT)
    assert draft.is_valid()
    assert draft.answers == {}


def test_a_draft_keeps_invalid_values_as_typed_and_flags_them():
    form_schema = schema(field("n", "integer", options={"max": 10}), field("t"))
    draft = AnswerForm(form_schema, language="sv", data={"n": "elva", "t": "ok"}, mode=DRAFT)
    assert draft.is_valid()
    assert draft.answers == {"t": "ok"}
    assert draft.problems == {
        "n": {"field": "n", "value": "elva", "errors": ["Enter a whole number."]}
    }


def test_values_of_hidden_fields_are_discarded_even_when_posted():
    form_schema = schema(
        field("decision", "single_choice", options=choices("adopt", "abandon")),
        field(
            "why", required=True, show_if={"field": "decision", "op": "equals", "value": "abandon"}
        ),
        field("how", show_if={"field": "why", "op": "not_empty"}),
    )
    form, valid = submit(form_schema, {"decision": "adopt", "why": "posted anyway", "how": "x"})
    assert valid, form.errors  # 'why' is required only when shown
    assert form.answers == {"decision": "adopt"}

    form, valid = submit(form_schema, {"decision": "abandon", "why": "", "how": "x"})
    assert not valid and "why" in form.errors

    form, valid = submit(form_schema, {"decision": "abandon", "why": "Too slow", "how": "x"})
    assert form.answers == {"decision": "abandon", "why": "Too slow", "how": "x"}


def test_one_of_and_multiple_choice_conditions():
    form_schema = schema(
        field("areas", "multiple_choice", options=choices("a", "b", "c")),
        field("about_b", show_if={"field": "areas", "op": "equals", "value": "b"}),
        field("about_ac", show_if={"field": "areas", "op": "one_of", "value": ["a", "c"]}),
    )
    form, _ = submit(form_schema, {"areas": ["b"], "about_b": "yes", "about_ac": "dropped"})
    assert form.answers == {"areas": ["b"], "about_b": "yes"}


def test_unknown_posted_names_are_ignored():
    form, valid = submit(schema(field("t")), {"t": "ok", "is_admin": "1", "t-0-id": "x"})
    assert valid
    assert form.answers == {"t": "ok"}


def test_static_texts_collect_nothing():
    form, valid = submit(
        schema(field("h", "heading"), field("i", "help_text"), field("t")), {"h": "x", "t": "y"}
    )
    assert valid and form.answers == {"t": "y"}


ROW_A, ROW_B = "a" * 32, "b" * 32


def fishbone():
    return schema(
        field(
            "categories",
            "group",
            options={"min_rows": 1, "max_rows": 3},
            fields=[
                field("name", required=True),
                field(
                    "causes",
                    "group",
                    options={"max_rows": 4},
                    fields=[field("cause", required=True)],
                ),
            ],
        )
    )


def test_groups_keep_each_rows_id_two_levels_deep():
    form, valid = submit(
        fishbone(),
        {
            "categories-0-id": ROW_A, "categories-0-name": "Personal",
            "categories-0-causes-0-id": ROW_B, "categories-0-causes-0-cause": "Stress",
            "categories-1-id": "", "categories-1-name": "Miljö",
        },
    )  # fmt: skip
    assert valid, form.errors
    first, second = form.answers["categories"]
    assert first == {
        "id": ROW_A,
        "values": {"name": "Personal", "causes": [{"id": ROW_B, "values": {"cause": "Stress"}}]},
    }
    assert len(second["id"]) == 32 and second["values"] == {"name": "Miljö", "causes": []}


def test_a_removed_row_is_dropped_with_its_errors():
    form, valid = submit(
        fishbone(),
        {
            "categories-0-id": ROW_A, "categories-0-name": "Personal",
            "categories-1-id": ROW_B, "categories-1-name": "", "categories-1-DELETE": "on",
        },
    )  # fmt: skip
    assert valid, form.errors
    assert [row["id"] for row in form.answers["categories"]] == [ROW_A]


def test_too_many_rows_is_an_error_not_a_crash():
    data = {f"categories-{i}-id": "" for i in range(50)}
    data.update({f"categories-{i}-name": "x" for i in range(50)})
    form, valid = submit(fishbone(), data)
    assert not valid
    assert "at most 3 rows" in " ".join(form.non_field_errors())


def test_the_minimum_rows_are_offered_and_demanded_on_submit():
    assert "categories-0-name" in AnswerForm(fishbone(), language="sv").fields
    form, valid = submit(
        fishbone(),
        {"categories-0-id": ROW_A, "categories-0-name": "", "categories-0-DELETE": "on"},
    )
    assert not valid
    assert "Categories: give at least 1 row." in form.non_field_errors()


def test_a_forged_row_id_is_replaced():
    form, valid = submit(
        fishbone(), {"categories-0-id": "<script>", "categories-0-name": "Personal"}
    )
    assert valid
    row_id = form.answers["categories"][0]["id"]
    assert row_id != "<script>" and len(row_id) == 32


def test_an_unbound_form_shows_stored_rows():
    answers = {"categories": [{"id": ROW_A, "values": {"name": "Personal", "causes": []}}]}
    form = AnswerForm(fishbone(), language="sv", answers=answers)
    assert form["categories-0-name"].value() == "Personal"
    ((_slot, (row,)),) = form.layout
    assert row.id == ROW_A


@pytest.mark.parametrize(
    ("mode", "row", "stored"),
    [
        ("value", {"period": "2026-03-01", "value": "12,5"},
         {"period": "2026-03-01", "value": "12.5"}),
        ("ratio", {"period": "2026-03-01", "numerator": "3", "denominator": "4"},
         {"period": "2026-03-01", "numerator": 3, "denominator": 4}),
    ],
)  # fmt: skip
def test_measurement_series_store_points(mode, row, stored):
    spec = field("falls", "measure_series", options={"mode": mode, "max_rows": 10})
    data = {"falls-0-id": ROW_A, **{f"falls-0-{k}": v for k, v in row.items()}}
    form, valid = submit(schema(spec), data)
    assert valid, form.errors
    assert form.answers == {"falls": [{"id": ROW_A, "values": stored}]}


def test_a_ratio_needs_a_denominator_above_zero():
    spec = field("falls", "measure_series", options={"mode": "ratio"})
    form, valid = submit(
        schema(spec),
        {"falls-0-id": ROW_A, "falls-0-period": "2026-03-01", "falls-0-numerator": "1",
         "falls-0-denominator": "0"},
    )  # fmt: skip
    assert not valid and "falls-0-denominator" in form.errors


@pytest.fixture
def change_ideas():
    register_choice_source(
        "change_ideas", lambda project: [(1, f"Idea for {project}"), (2, "Checklist")]
    )
    yield
    unregister_choice_source("change_ideas")


def test_a_source_choice_offers_the_host_apps_choices_and_stores_the_label(change_ideas):
    spec = field("idea", "source_choice", options={"source": "change_ideas"})
    form = AnswerForm(schema(spec), language="sv", data={"idea": "2"}, choice_context="team A")
    assert form.is_valid(), form.errors
    assert form.answers == {"idea": {"value": "2", "label": "Checklist"}}
    refused = AnswerForm(schema(spec), language="sv", data={"idea": "9"}, choice_context="team A")
    assert not refused.is_valid()


def test_labels_fall_back_to_swedish():
    spec = {"key": "aim", "type": "short_text", "label": {"sv": "Mål", "en": "Aim"}}
    only_sv = {"key": "why", "type": "short_text", "label": {"sv": "Varför"}}
    form = AnswerForm(schema(spec, only_sv), language="en")
    assert form.fields["aim"].label == "Aim"
    assert form.fields["why"].label == "Varför"


def test_dates_are_stored_as_iso_text():
    form, _ = submit(schema(field("when", "date")), {"when": "2026-03-01"})
    assert datetime.date.fromisoformat(form.answers["when"]) == datetime.date(2026, 3, 1)


class TestPersonnummerWarning:
    """Free text that looks like a personnummer holds the save until the person confirms."""

    SCHEMA = schema(
        field("note", "long_text"),
        field("hidden", show_if={"field": "note", "op": "equals", "value": "never"}),
    )

    @pytest.mark.parametrize(
        "text",
        ["Brukaren 19121212-1212 föll", "Brukaren 121212-1212 föll", "191212121212", "1212121212"],
    )
    def test_a_valid_number_with_or_without_century_and_separator_is_held(self, text):
        form, valid = submit(self.SCHEMA, {"note": text})
        assert not valid
        assert "looks like a personal identity number" in form.errors["note"][0]
        assert "note" in form.privacy_warnings

    @pytest.mark.parametrize("text", ["19121212-1213", "121212-1213", "Telefon 0701234567"])
    def test_a_wrong_check_digit_or_other_number_passes(self, text):
        form, valid = submit(self.SCHEMA, {"note": text})
        assert valid, form.errors
        assert form.privacy_warnings == {}

    def test_confirming_lets_the_answer_through_as_typed(self):
        form = AnswerForm(
            self.SCHEMA, language="sv", data={"note": "Mitt eget: 19121212-1212"},
            privacy_confirmed=True,
        )  # fmt: skip
        assert form.is_valid()
        assert form.answers == {"note": "Mitt eget: 19121212-1212"}

    def test_a_draft_is_held_too(self):
        draft = AnswerForm(self.SCHEMA, language="sv", data={"note": "121212-1212"}, mode=DRAFT)
        assert not draft.is_valid()

    def test_hidden_fields_are_not_checked_because_they_are_discarded(self):
        form, valid = submit(self.SCHEMA, {"note": "ok", "hidden": "19121212-1212"})
        assert valid and form.answers == {"note": "ok"}


def test_a_group_field_cannot_take_the_reserved_row_id_key():
    from forms.schema import validate_schema

    errors = validate_schema(schema(field("g", "group", fields=[field("id")])))
    assert [(e.field, e.message) for e in errors] == [
        ("id", "This key is reserved; choose another.")
    ]


def test_repeated_or_forged_row_ids_become_unique():
    form, valid = submit(
        fishbone(),
        {"categories-0-id": ROW_A, "categories-0-name": "A",
         "categories-1-id": ROW_A, "categories-1-name": "B",
         "categories-2-id": "x" * 500, "categories-2-name": "C"},
    )  # fmt: skip
    assert valid, form.errors
    ids = [row["id"] for row in form.answers["categories"]]
    assert ids[0] == ROW_A and len(set(ids)) == 3 and all(len(i) == 32 for i in ids)


def test_posted_empty_rows_do_not_meet_the_minimum():
    form, valid = submit(fishbone(), {"categories-0-id": ROW_A, "categories-0-name": ""})
    assert not valid
    form, valid = submit(fishbone(), {})
    assert not valid and "Categories: give at least 1 row." in form.non_field_errors()


def test_problems_follow_their_row_when_an_earlier_row_is_removed():
    numbers = schema(field("g", "group", options={"max_rows": 5}, fields=[field("n", "integer")]))
    row_a, row_b, row_c = "a" * 32, "b" * 32, "c" * 32
    draft = AnswerForm(
        numbers, language="sv", mode=DRAFT,
        data={"g-0-id": row_a, "g-0-n": "1", "g-0-DELETE": "on",
              "g-1-id": row_b, "g-1-n": "tolv", "g-2-id": row_c, "g-2-n": "3"},
    )  # fmt: skip
    assert draft.is_valid()
    assert list(draft.problems) == [f"g/{row_b}/n"]
    reopened = AnswerForm(numbers, language="sv", answers=draft.answers, problems=draft.problems)
    assert reopened["g-0-n"].value() == "tolv"  # row B, now first
    assert reopened["g-1-n"].value() == 3  # row C keeps its own value


def test_a_draft_keeps_a_dependent_answer_whose_target_is_not_valid_yet():
    form_schema = schema(
        field("n", "integer"), field("why", show_if={"field": "n", "op": "not_empty"})
    )
    draft = AnswerForm(
        form_schema, language="sv", mode=DRAFT, data={"n": "tolv", "why": "viktigt"}
    )
    assert draft.is_valid()
    assert draft.answers == {"why": "viktigt"} and "n" in draft.problems


def test_a_condition_inside_a_group_may_look_at_a_field_outside_it():
    form_schema = schema(
        field("ok", "yes_no"),
        field(
            "g",
            "group",
            fields=[field("t", show_if={"field": "ok", "op": "equals", "value": "yes"})],
        ),
    )
    form, valid = submit(form_schema, {"ok": "yes", "g-0-id": ROW_A, "g-0-t": "kept"})
    assert valid and form.answers["g"][0]["values"] == {"t": "kept"}
    slot = form.layout[1][1][0].layout[0][0]
    assert slot.condition_target == "ok"


def test_a_redacted_answer_is_offered_empty_for_editing():
    from forms.builder import REDACTED

    form = AnswerForm(schema(field("note")), language="sv", answers={"note": REDACTED})
    assert form["note"].value() == ""


def test_no_field_carries_the_html_required_attribute():
    html = str(AnswerForm(schema(field("aim", required=True)), language="sv")["aim"])
    assert "required" not in html
