"""Publishing freezes versions; answers are kept per version, read back and compared."""

import pytest
from wagtail.models import ModelLogEntry

from forms.answers import StaleDraft, save_draft, save_version
from forms.builder import DRAFT, AnswerForm
from forms.display import diff, read_only
from forms.models import DefinitionInvalid, FormVersion
from forms.redaction import redact

from .factories import block, make_answer_set, make_definition, republish

pytestmark = pytest.mark.django_db


def test_publishing_writes_an_immutable_version_with_the_schema(make_user):
    editor = make_user()
    definition = make_definition(
        block("long_text", "aim", "Mål", "Aim", required=True), user=editor
    )
    version = definition.latest_version
    assert version.number == 1
    assert version.published_by == editor
    assert version.schema["format"] == 1
    assert version.schema["fields"][0] == {
        "key": "aim",
        "type": "long_text",
        "label": {"sv": "Mål", "en": "Aim"},
        "help": {},
        "required": True,
        "role": "",
        "show_if": None,
        "options": {"max_length": None},
    }
    version.schema = {}
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_each_publish_adds_a_version_and_old_ones_stay(db):
    definition = make_definition(block("short_text", "aim"))
    definition = republish(definition, block("short_text", "aim"), block("date", "start"))
    assert list(definition.versions.values_list("number", flat=True)) == [1, 2]
    assert [f["key"] for f in definition.versions.get(number=1).schema["fields"]] == ["aim"]


def test_publishing_is_refused_while_a_swedish_label_is_missing(db):
    definition = make_definition(
        block("short_text", "aim", label_sv=" ", label_en="Aim"), publish=False
    )
    revision = definition.latest_revision
    with pytest.raises(DefinitionInvalid, match="Swedish label is missing"):
        revision.publish()
    definition.refresh_from_db()
    assert not definition.live
    assert FormVersion.objects.count() == 0


def test_publishing_an_old_revision_is_checked_too(db):
    """Reverting to a revision and publishing it goes through the same rules."""
    definition = make_definition(block("long_text", "aim"))
    definition.fields = '[{"type": "integer", "value": {"key": "aim", "label": {"sv": "Mål"}}}]'
    bad_revision = definition.save_revision()
    with pytest.raises(DefinitionInvalid, match="another type"):
        bad_revision.publish()
    first_revision = definition.revisions.order_by("created_at").first()
    first_revision.publish()
    assert definition.versions.count() == 2


def test_a_key_cannot_return_with_another_type(db):
    definition = make_definition(block("long_text", "aim"))
    definition = republish(definition, block("short_text", "other"))
    with pytest.raises(DefinitionInvalid, match="another type"):
        republish(definition, block("integer", "aim"))


def answer(version, data, mode="submit", **kwargs):
    form = AnswerForm(version.schema, language="sv", data=data, mode=mode, **kwargs)
    assert form.is_valid(), form.errors
    return form


def test_a_draft_keeps_invalid_text_and_a_stale_save_is_refused(make_user):
    definition = make_definition(block("integer", "count"), block("short_text", "note"))
    version = definition.latest_version
    answers = make_answer_set(definition)
    tove, camilla = make_user(), make_user()

    saved = save_draft(
        answers, version, answer(version, {"count": "tolv", "note": "hej"}, DRAFT),
        user=tove, expected_revision=0,
    )  # fmt: skip
    assert saved.draft == {"note": "hej"}
    assert saved.draft_problems["count"]["value"] == "tolv"
    assert saved.draft_revision == 1

    with pytest.raises(StaleDraft) as stale:
        save_draft(
            answers, version, answer(version, {"note": "min text"}, DRAFT),
            user=camilla, expected_revision=0,
        )  # fmt: skip
    assert stale.value.current.draft == {"note": "hej"}
    answers.refresh_from_db()
    assert answers.draft == {"note": "hej"} and answers.draft_saved_by == tove


def test_an_old_version_reads_with_its_own_schema_after_the_form_changed(make_user):
    definition = make_definition(
        block("single_choice", "decision", "Beslut", widget="radio",
              choices=[{"value": "adopt", "label": {"sv": "Behåll", "en": "Adopt"}}]),
    )  # fmt: skip
    first = definition.latest_version
    answers = make_answer_set(definition)
    save_version(answers, first, answer(first, {"decision": "adopt"}).answers, user=make_user())
    republish(definition, block("short_text", "summary", "Sammanfattning"))

    (item,) = read_only(answers.latest.form_version.schema, answers.latest.data, language="sv")
    assert (item.label, item.text) == ("Beslut", "Behåll")


def test_the_diff_lists_changed_added_and_removed_answers(make_user):
    definition = make_definition(
        block("short_text", "aim", "Mål"), block("integer", "count", "Antal"),
        block("group", "causes", "Orsaker", min_rows=0, max_rows=5,
              fields=[block("short_text", "cause", "Orsak")]),
    )  # fmt: skip
    version = definition.latest_version
    answers = make_answer_set(definition)
    row = "c" * 32
    first = save_version(
        answers, version,
        answer(version, {"aim": "Färre fall", "count": "3", "causes-0-id": row,
                         "causes-0-cause": "Halt golv"}).answers,
        user=make_user(),
    )  # fmt: skip
    second = save_version(
        answers, version,
        answer(version, {"aim": "Färre fall på natten", "causes-0-id": row,
                         "causes-0-cause": "Halt golv"}).answers,
        user=make_user(),
    )  # fmt: skip
    changes = diff(first, second, language="sv")
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Mål", "Färre fall", "Färre fall på natten"),
        ("Antal", "3", ""),
    ]


def test_redaction_removes_a_value_from_every_version_and_the_draft(make_user):
    manager = make_user()
    definition = make_definition(
        block("group", "notes", "Anteckningar", min_rows=0, max_rows=5,
              fields=[block("long_text", "text", "Text")]),
        block("short_text", "aim", "Mål"),
    )  # fmt: skip
    version = definition.latest_version
    answers = make_answer_set(definition)
    row = "d" * 32
    data = {"notes-0-id": row, "notes-0-text": "Anna Andersson 19121212-1212", "aim": "Trygghet"}
    # The person confirmed past the personnummer warning: exactly what redaction is for.
    slipped = answer(version, data, privacy_confirmed=True).answers
    for _ in range(2):
        save_version(answers, version, slipped, user=manager)
    draft = answer(version, data, DRAFT, privacy_confirmed=True)
    save_draft(answers, version, draft, user=manager, expected_revision=0)

    places = redact(answers, f"notes/{row}/text", user=manager)

    assert places == 3
    answers.refresh_from_db()
    for stored in [*answers.versions.values_list("data", flat=True), answers.draft]:
        assert "19121212" not in str(stored)
        assert stored["aim"] == "Trygghet"
    entry = ModelLogEntry.objects.get(action="forum_forms.redact")
    assert "19121212" not in str(entry.data) and entry.user == manager
    texts = [
        i.text for i in read_only(version.schema, answers.latest.data, language="en")[0].rows[0][1]
    ]
    assert texts == ["[removed]"]


def test_a_scheduled_publish_writes_its_version_when_it_goes_live(db):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    definition = make_definition(block("short_text", "aim"), publish=False)
    definition.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = definition.save_revision()
    revision.publish(skip_permission_checks=True)
    assert definition.versions.count() == 0

    # An hour later (moved back instead of waiting): the time has come.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    assert list(definition.versions.values_list("number", flat=True)) == [1]


def test_versions_cannot_be_changed_or_deleted_in_bulk_either(db):
    definition = make_definition(block("short_text", "aim"))
    with pytest.raises(ValueError, match="immutable"):
        FormVersion.objects.filter(definition=definition).update(schema={})
    with pytest.raises(ValueError, match="immutable"):
        FormVersion.objects.filter(definition=definition).delete()
    with pytest.raises(ValueError, match="immutable"):
        definition.latest_version.delete()


def test_redacting_a_whole_group_is_refused_and_changes_nothing(make_user):
    from forms.redaction import NotAnAnswer

    definition = make_definition(
        block("group", "notes", "Anteckningar", min_rows=0, max_rows=5,
              fields=[block("long_text", "text", "Text")]),
    )  # fmt: skip
    version = definition.latest_version
    answers = make_answer_set(definition)
    row = "e" * 32
    stored = save_version(
        answers, version, answer(version, {"notes-0-id": row, "notes-0-text": "x"}).answers,
        user=make_user(),
    )  # fmt: skip
    for path in ("notes", f"notes/{row}"):
        with pytest.raises(NotAnAnswer):
            redact(answers, path, user=None)
    stored.refresh_from_db()
    assert stored.data["notes"][0]["values"] == {"text": "x"}
