"""Definition rules: what a form definition must keep to be saved, and more to be published."""

import pytest

from forms.schema import validate_schema

from .schemas import choices, field, schema


def messages(*fields, **kwargs):
    return [(error.field, error.message) for error in validate_schema(schema(*fields), **kwargs)]


def test_a_sound_definition_has_no_errors():
    assert (
        messages(
            field("aim", "long_text", required=True),
            field("decision", "single_choice", options=choices("adopt", "adapt", "abandon")),
            field("why", show_if={"field": "decision", "op": "equals", "value": "abandon"}),
        )
        == []
    )


@pytest.mark.parametrize("key", ["", "Aim", "1aim", "aim-2", "åtgärd", "a" * 41, "aim key"])
def test_a_key_off_the_pattern_is_refused_and_named(key):
    (problem,) = messages(field(key))
    assert "lower-case letter" in problem[1]


def test_duplicate_keys_are_refused_even_inside_groups():
    errors = messages(
        field("cause"),
        field("categories", "group", fields=[field("cause")], options={"max_rows": 5}),
    )
    assert errors == [("cause", "Another field already uses this key.")]


def test_groups_nest_two_deep_at_most():
    innermost = field("c", "group", fields=[field("text")])
    middle = field("b", "group", fields=[innermost])
    errors = messages(field("a", "group", fields=[middle]))
    assert ("c", "Groups can be nested two deep at most.") in errors


def test_a_choice_field_without_choices_is_refused():
    assert messages(field("decision", "single_choice", options={"choices": []})) == [
        ("decision", "Give at least one choice.")
    ]


@pytest.mark.parametrize("kind", ["integer", "decimal"])
def test_smallest_above_largest_is_refused(kind):
    assert messages(field("n", kind, options={"min": 10, "max": 2})) == [
        ("n", "The smallest allowed value is larger than the largest.")
    ]


def test_rows_minimum_above_maximum_is_refused():
    (problem,) = messages(
        field("rows", "group", fields=[field("x")], options={"min_rows": 5, "max_rows": 2})
    )
    assert problem[0] == "rows"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ([field("a", show_if={"field": "nowhere", "op": "not_empty"})], "not a field above"),
        (
            [field("a", show_if={"field": "b", "op": "not_empty"}), field("b")],
            "not a field above",
        ),
        (
            # a loop: each waits for the other; whichever comes first points below itself
            [
                field("a", show_if={"field": "b", "op": "not_empty"}),
                field("b", show_if={"field": "a", "op": "not_empty"}),
            ],
            "not a field above",
        ),
        ([field("a", show_if={"field": "a", "op": "not_empty"})], "cannot depend on itself"),
        ([field("h", "heading"), field("a", show_if={"field": "h", "op": "not_empty"})],
         "field that people answer"),
        ([field("a"), field("b", show_if={"field": "a", "op": "equals", "value": ""})],
         "Say which answer"),
    ],
)  # fmt: skip
def test_conditions_must_point_to_an_answered_field_above(fields, expected):
    errors = messages(*fields)
    assert any(expected in message for _key, message in errors), errors


def test_a_condition_may_not_reach_into_another_group():
    errors = messages(
        field("g1", "group", fields=[field("inner")]),
        field("g2", "group", fields=[field("x", show_if={"field": "inner", "op": "not_empty"})]),
    )
    assert errors and errors[0][0] == "x"


def test_publishing_needs_every_swedish_label():
    fields = [
        {"key": "aim", "type": "short_text", "label": {"en": "Aim"}},
        field(
            "decision",
            "single_choice",
            options={"choices": [{"value": "a", "label": {"en": "A"}}]},
        ),
    ]
    assert messages(*fields) == []  # a draft may still lack them
    assert messages(*fields, publishing=True) == [
        ("aim", "The Swedish label is missing."),
        ("decision", "A choice has no Swedish label."),
    ]


def test_a_key_cannot_come_back_with_another_type():
    errors = messages(field("aim", "integer"), earlier_types={"aim": "long_text"})
    assert errors and errors[0][0] == "aim" and "another type" in errors[0][1]


def test_an_empty_form_is_refused():
    assert [message for _key, message in messages()] == ["The form has no fields."]


def test_a_condition_must_look_for_an_answer_the_field_offers():
    errors = messages(
        field("decision", "single_choice", options=choices("adopt", "abandon")),
        field("why", show_if={"field": "decision", "op": "equals", "value": "drop"}),
    )
    assert errors and errors[0][0] == "why" and "does not offer" in errors[0][1]


def test_a_heading_cannot_be_conditional():
    errors = messages(field("a"), field("h", "heading", show_if={"field": "a", "op": "not_empty"}))
    assert errors == [("h", "A section heading is always shown.")]


def test_conditions_on_a_source_choice_compare_its_stored_value():
    from forms.conditions import condition_met

    condition = {"field": "idea", "op": "equals", "value": "2"}
    assert condition_met(condition, {"idea": {"value": "2", "label": "Checklist"}})
    assert not condition_met(condition, {"idea": {"value": "3", "label": "Other"}})
