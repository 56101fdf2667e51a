"""File answers: stored privately, kept with their answer version, downloaded only when allowed."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from forms.answers import save_draft, save_version
from forms.builder import DRAFT, SUBMIT, AnswerForm
from forms.display import diff, read_only
from forms.downloads import file_links
from forms.models import StoredFile
from forms.permissions import register_file_access, unregister_file_access
from forms.redaction import redact
from forms.schema import validate_schema

from . import files
from .factories import block, make_answer_set, make_definition
from .files import upload
from .schemas import field, schema

pytestmark = pytest.mark.django_db

PHOTOS = field("photos", "file", options={"multiple": True, "max_files": 3})
REPORT = field("report", "file", options={"kinds": ["pdf"], "max_mb": 1})


def uploads(**named):
    return MultiValueDict({name: list(values) for name, values in named.items()})


def _lists(data):
    return {key: v if isinstance(v, list) else [v] for key, v in (data or {}).items()}


def post(form_schema, data=None, *, mode=SUBMIT, answers=None, **named_files):
    form = AnswerForm(
        form_schema,
        language="en",
        mode=mode,
        data=MultiValueDict(_lists(data)),
        files=uploads(**named_files),
        answers=answers,
    )
    return form


@pytest.fixture
def definition():
    return make_definition(
        block("file", "photos", multiple=True, max_files=3, max_mb=10, kinds=[]),
        block("short_text", "note"),
    )


def test_a_file_field_is_checked_when_a_definition_is_saved():
    good = schema(PHOTOS, REPORT)
    assert validate_schema(good, publishing=True) == []
    bad = schema(field("f", "file", options={"kinds": ["exe"], "max_mb": 500}))
    messages = [error.message for error in validate_schema(bad)]
    assert "Unknown kind of file." in messages
    assert "max_mb must be a whole number from 1 to 50." in messages


def test_the_form_accepts_files_and_asks_for_a_multipart_post():
    form = AnswerForm(schema(PHOTOS), language="en")
    assert form.is_multipart()
    html = str(form["photos"])
    assert 'type="file"' in html and " multiple" in html
    assert "image/heic" in html and ".heic" in html  # phones offer their photos and camera
    assert "at most 20 MB per file" in form["photos"].help_text  # the site's cap
    report = AnswerForm(schema(REPORT), language="en")["report"]
    assert report.help_text == "Accepted: PDF documents, at most 1 MB per file."
    assert 'accept="application/pdf,.pdf"' in str(report)


def test_uploads_become_refs_and_wait_to_be_stored():
    form = post(schema(PHOTOS), photos=[upload("a.jpg", files.jpeg_with_location()),
                                        upload("b.pdf", files.pdf())])  # fmt: skip
    assert form.is_valid(), form.errors
    refs = form.answers["photos"]
    assert [ref["name"] for ref in refs] == ["a.jpg", "b.pdf"]
    assert [new.id for new in form.new_files] == [ref["file"] for ref in refs]
    assert StoredFile.objects.count() == 0


def test_a_refused_file_is_a_field_error_and_nothing_is_kept():
    form = post(schema(REPORT), report=[upload("bild.pdf", files.png())])
    assert not form.is_valid()
    assert "bild.pdf is named as a .pdf file but holds a PNG image" in form.errors["report"][0]
    assert form.new_files == []


def test_too_many_files_and_a_required_field():
    form = post(schema(PHOTOS), photos=[upload(f"{n}.pdf", files.pdf()) for n in range(4)])
    assert form.errors["photos"] == ["Attach at most 3 files."]
    required = schema(field("report", "file", required=True))
    assert post(required).errors["report"] == ["This field is required."]


def test_saving_stores_the_files_in_private_storage(definition):
    answer_set = make_answer_set(definition)
    form = post(definition.latest_version.schema, photos=[upload("a.jpg", files.png())])
    assert form.is_valid()  # a PNG named .jpg is renamed
    version = save_version(
        answer_set, definition.latest_version, form.answers, user=None, files=form.new_files
    )
    stored = StoredFile.objects.get()
    assert version.data["photos"][0]["file"] == stored.pk.hex
    assert (stored.name, stored.content_type) == ("a.png", "image/png")
    assert stored.answer_set == answer_set
    path = Path(stored.content.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "a.png" not in str(path)  # the person's file name is not on disk
    with pytest.raises(ValueError, match="no public URL"):
        stored.content.url  # noqa: B018


def test_files_of_a_replaced_answer_stay_with_their_version(definition, make_user):
    user = make_user()
    answer_set = make_answer_set(definition)
    version_schema = definition.latest_version.schema
    first = post(version_schema, photos=[upload("före.pdf", files.pdf())])
    assert first.is_valid()
    v1 = save_version(answer_set, definition.latest_version, first.answers, user=user,
                      files=first.new_files)  # fmt: skip
    old_id = v1.data["photos"][0]["file"]
    # The next save removes the old file and attaches a new one.
    second = post(
        version_schema,
        {"photos-current": old_id, "photos-remove": old_id},
        answers=v1.data,
        photos=[upload("efter.pdf", files.pdf())],
    )
    assert second.is_valid(), second.errors
    v2 = save_version(answer_set, definition.latest_version, second.answers, user=user,
                      files=second.new_files)  # fmt: skip
    assert [ref["name"] for ref in v2.data["photos"]] == ["efter.pdf"]
    v1.refresh_from_db()
    assert v1.data["photos"][0]["file"] == old_id
    assert StoredFile.objects.count() == 2
    assert StoredFile.objects.get(pk=old_id).content.read().startswith(b"%PDF")
    changes = diff(v1, v2, language="en")
    assert [(c.before.split(" (")[0], c.after.split(" (")[0]) for c in changes] == [
        ("före.pdf", "efter.pdf")
    ]


def test_kept_files_stay_and_forged_ids_are_ignored(definition, make_user):
    user = make_user()
    mine = make_answer_set(definition)
    theirs = make_answer_set(definition)
    version_schema = definition.latest_version.schema
    other = post(version_schema, photos=[upload("hemlig.pdf", files.pdf())])
    assert other.is_valid()
    their_version = save_version(theirs, definition.latest_version, other.answers, user=user,
                                 files=other.new_files)  # fmt: skip
    their_id = their_version.data["photos"][0]["file"]
    first = post(version_schema, photos=[upload("min.pdf", files.pdf())])
    assert first.is_valid()
    v1 = save_version(mine, definition.latest_version, first.answers, user=user,
                      files=first.new_files)  # fmt: skip
    my_id = v1.data["photos"][0]["file"]
    again = post(
        version_schema,
        {"photos-current": [my_id, my_id, their_id, "not-an-id"]},
        answers=v1.data,
    )
    assert again.is_valid()
    assert [ref["file"] for ref in again.answers["photos"]] == [my_id]


def test_a_single_file_field_replaces_its_file():
    form_schema = schema(field("report", "file"))
    existing = {"file": "a" * 32, "name": "gammal.pdf", "size": 10, "type": "application/pdf"}
    form = post(
        form_schema,
        {"report-current": "a" * 32},
        answers={"report": [existing]},
        report=[upload("ny.pdf", files.pdf())],
    )
    assert form.is_valid()
    assert [ref["name"] for ref in form.answers["report"]] == ["ny.pdf"]
    two = post(form_schema, report=[upload("a.pdf", files.pdf()), upload("b.pdf", files.pdf())])
    assert two.errors["report"] == ["Choose one file."]


def test_a_draft_keeps_its_files_when_a_new_one_is_refused(definition, make_user):
    user = make_user()
    answer_set = make_answer_set(definition)
    version = definition.latest_version
    first = post(version.schema, {"note": "hej"}, mode=DRAFT,
                 photos=[upload("ok.pdf", files.pdf())])  # fmt: skip
    assert first.is_valid()
    answer_set = save_draft(answer_set, version, first, user=user, expected_revision=0)
    kept_id = answer_set.draft["photos"][0]["file"]
    assert StoredFile.objects.filter(pk=kept_id).exists()
    second = post(
        version.schema,
        {"note": "hej", "photos-current": kept_id},
        mode=DRAFT,
        answers=answer_set.draft,
        photos=[upload("logo.svg", files.SVG_WITH_SCRIPT)],
    )
    assert second.is_valid()
    problem = second.problems["photos"]
    assert problem["value"] == answer_set.draft["photos"]
    assert "logo.svg cannot be attached" in problem["errors"][0]
    answer_set = save_draft(answer_set, version, second, user=user, expected_revision=1)
    # Shown again: the kept file is still attached, the error is shown.
    again = AnswerForm(version.schema, language="en", mode=DRAFT, answers=answer_set.draft,
                       problems=answer_set.draft_problems)  # fmt: skip
    assert "ok.pdf" in str(again["photos"])
    assert StoredFile.objects.count() == 1


def test_a_stale_draft_stores_no_files(definition, make_user):
    from forms.answers import StaleDraft

    answer_set = make_answer_set(definition)
    form = post(definition.latest_version.schema, mode=DRAFT,
                photos=[upload("a.pdf", files.pdf())])  # fmt: skip
    assert form.is_valid()
    on_disk = private_files()
    with pytest.raises(StaleDraft):
        save_draft(answer_set, definition.latest_version, form, user=make_user(),
                   expected_revision=7)  # fmt: skip
    assert StoredFile.objects.count() == 0
    assert private_files() == on_disk


def private_files():
    return {path for path in Path(settings.PRIVATE_ROOT).rglob("*") if path.is_file()}


def test_answers_that_name_files_never_stored_are_refused(definition, make_user):
    answer_set = make_answer_set(definition)
    form = post(definition.latest_version.schema, photos=[upload("a.pdf", files.pdf())])
    assert form.is_valid()
    with pytest.raises(ValueError, match="never stored"):
        save_version(answer_set, definition.latest_version, form.answers, user=make_user())


def test_a_kept_file_cannot_move_to_another_field(make_user):
    definition = make_definition(
        block("file", "report", kinds=["pdf"]), block("file", "photo", kinds=["image"])
    )
    version = definition.latest_version
    answer_set = make_answer_set(definition)
    first = post(version.schema, report=[upload("r.pdf", files.pdf())])
    assert first.is_valid()
    v1 = save_version(answer_set, version, first.answers, user=make_user(),
                      files=first.new_files)  # fmt: skip
    pdf_id = v1.data["report"][0]["file"]
    moved = post(version.schema, {"photo-current": pdf_id}, answers=v1.data)
    assert moved.is_valid()
    assert "photo" not in moved.answers  # a PDF can never slip into the photo field


def test_a_draft_keeps_the_good_file_when_another_is_refused(definition, make_user):
    answer_set = make_answer_set(definition)
    version = definition.latest_version
    chosen = [upload("ok.pdf", files.pdf()), upload("bad.svg", files.SVG_WITH_SCRIPT)]
    form = post(version.schema, mode=DRAFT, photos=chosen)
    assert form.is_valid()
    assert [ref["name"] for ref in form.problems["photos"]["value"]] == ["ok.pdf"]
    answer_set = save_draft(answer_set, version, form, user=make_user(), expected_revision=0)
    assert list(StoredFile.objects.values_list("name", flat=True)) == ["ok.pdf"]
    again = AnswerForm(version.schema, language="en", mode=DRAFT, answers=answer_set.draft,
                       problems=answer_set.draft_problems)  # fmt: skip
    assert "ok.pdf" in str(again["photos"])


def test_a_failed_submit_says_which_files_to_choose_again():
    form = post(schema(REPORT, field("aim", required=True)),
                report=[upload("r.pdf", files.pdf())])  # fmt: skip
    assert not form.is_valid()
    assert form.uploads_to_choose_again == ["r.pdf"]
    assert (
        post(schema(REPORT), report=[upload("r.pdf", files.pdf())]).uploads_to_choose_again == []
    )


def test_plain_dict_data_keeps_attached_files():
    existing = {"file": "b" * 32, "name": "x.pdf", "size": 1, "type": "application/pdf"}
    form = AnswerForm(schema(REPORT), language="en", data={"report-current": "b" * 32},
                      answers={"report": [existing]})  # fmt: skip
    assert form.is_valid()
    assert form.answers["report"] == [existing]


def _saved_file(definition, user, name="rapport.pdf"):
    answer_set = make_answer_set(definition)
    form = post(definition.latest_version.schema, photos=[upload(name, files.pdf())])
    assert form.is_valid()
    version = save_version(answer_set, definition.latest_version, form.answers, user=user,
                           files=form.new_files)  # fmt: skip
    return version, StoredFile.objects.get(pk=version.data["photos"][0]["file"])


def test_download_is_an_attachment_for_permitted_people_only(
    client, definition, make_user, monkeypatch
):
    """The engine's own rule (uploader only) until a host registers rules, which then decide
    alone. The host app installed here registers one; this test sets it aside."""
    import forms.permissions

    monkeypatch.setattr(forms.permissions, "_FILE_ACCESS_RULES", [])
    uploader, stranger, coach = make_user(), make_user(), make_user()
    version, stored = _saved_file(definition, uploader, name="rapport <1>.pdf")
    url = reverse("forum_forms:file", kwargs={"file_id": stored.pk.hex})

    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(stranger)
    assert client.get(url).status_code == 403

    client.force_login(uploader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "rapport" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    def coaches_may(user, stored_file):
        return user == coach and stored_file.answer_set_id == version.answer_set_id

    register_file_access(coaches_may)
    try:
        client.force_login(coach)
        assert client.get(url).status_code == 200
        client.force_login(stranger)
        assert client.get(url).status_code == 403
        # Once the host app has rules, they decide alone: the uploader too needs one.
        client.force_login(uploader)
        assert client.get(url).status_code == 403
    finally:
        unregister_file_access(coaches_may)

    client.force_login(uploader)
    uploader.is_active = False
    uploader.save()
    assert client.get(url).status_code in (302, 403)


def test_a_file_lost_from_storage_is_not_found_rather_than_an_error(client, definition, make_user):
    user = make_user()
    _version, stored = _saved_file(definition, user)
    Path(stored.content.path).unlink()
    client.force_login(user)
    assert (
        client.get(reverse("forum_forms:file", kwargs={"file_id": stored.pk.hex})).status_code
        == 404
    )


def test_unknown_or_malformed_file_ids_are_not_found(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("forum_forms:file", kwargs={"file_id": "f" * 32})).status_code == 404
    assert client.get("/sv/forms/files/not-a-file/").status_code == 404


def test_the_read_only_view_links_files_for_permitted_readers(definition, make_user):
    uploader, stranger = make_user(), make_user()
    version, stored = _saved_file(definition, uploader)
    answers = version.data
    version_schema = definition.latest_version.schema
    linked = read_only(version_schema, answers, language="en",
                       file_url=file_links(uploader, answers))  # fmt: skip
    assert linked[0].files == [
        {"name": "rapport.pdf", "size": stored.size,
         "url": f"/en/forms/files/{stored.pk.hex}/"}
    ]  # fmt: skip
    unlinked = read_only(version_schema, answers, language="en",
                         file_url=file_links(stranger, answers))  # fmt: skip
    assert unlinked[0].files[0]["url"] is None


def test_redaction_erases_the_file_everywhere(
    definition, make_user, client, django_capture_on_commit_callbacks
):
    user = make_user()
    version, stored = _saved_file(definition, user)
    path = Path(stored.content.path)
    assert path.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        redact(version.answer_set, "photos", user=user)
    assert path.exists()  # the bytes go only when the redaction commits
    for callback in callbacks:
        callback()
    stored.refresh_from_db()
    assert stored.redacted_at is not None and stored.name == "" and not stored.content
    assert not path.exists()
    client.force_login(user)
    url = reverse("forum_forms:file", kwargs={"file_id": stored.pk.hex})
    assert client.get(url).status_code == 404
    version.refresh_from_db()
    assert version.data["photos"] == {"redacted": True}


def test_try_form_takes_files_and_refuses_bad_ones(client, make_user):
    from django.contrib.auth.models import Permission

    editor = make_user()
    editor.user_permissions.add(Permission.objects.get(codename="change_formdefinition"))
    definition = make_definition(block("file", "photos", multiple=True, max_files=3, max_mb=1,
                                       kinds=["image"]))  # fmt: skip
    client.force_login(editor)
    url = f"/en/forms/{definition.slug}/try/"
    page = client.get(url)
    assert b'enctype="multipart/form-data"' in page.content
    response = client.post(url, {"photos": upload("foto.jpg", files.jpeg_with_location())})
    assert response.status_code == 200
    assert "foto.jpg" in response.content.decode()
    response = client.post(url, {"photos": upload("sida.jpg", files.HTML)})
    assert response.status_code == 400
    assert "sida.jpg cannot be attached" in response.content.decode()
    assert "Choose these files again" in response.content.decode()
    # Without JavaScript, adding a row re-renders the page: nothing is stored on this page, so
    # no file may show as attached.
    grouped = make_definition(
        block("file", "photos", kinds=[]),
        block("group", "steps", fields=[block("short_text", "step")], min_rows=0, max_rows=5),
    )
    response = client.post(
        f"/en/forms/{grouped.slug}/try/",
        {"photos": upload("a.pdf", files.pdf()), "add_row": "steps"},
    )
    assert response.status_code == 200
    assert "a.pdf" not in response.content.decode()


@override_settings(FORUM_FORMS_MAX_REQUEST_MB=1)
def test_a_request_over_the_cap_is_refused_before_its_body_is_read(make_user):
    from django.contrib.auth.models import Permission
    from django.test import Client

    editor = make_user()
    editor.user_permissions.add(Permission.objects.get(codename="change_formdefinition"))
    definition = make_definition(block("file", "report", max_mb=10, kinds=[]))
    # With CSRF enforced and no token sent: reading the body to look for the token would give
    # 403, so 413 shows the refusal came first.
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = f"/en/forms/{definition.slug}/try/"
    big = files.pdf() + b"\n" * (2 * 1024 * 1024)
    response = client.post(url, {"report": upload("big.pdf", big)})
    assert response.status_code == 413
    assert "at most 1 MB together" in response.content.decode()
    small = client.post(url, {"report": upload("small.pdf", files.pdf())})
    assert small.status_code == 403  # under the cap, the CSRF check runs as usual


def test_the_upload_limit_middleware_must_come_before_the_csrf_check(settings):
    from django.core.management.base import SystemCheckError

    middleware = [
        m for m in settings.MIDDLEWARE if m != "forms.upload_limits.UploadLimitMiddleware"
    ]
    settings.MIDDLEWARE = [*middleware, "forms.upload_limits.UploadLimitMiddleware"]
    with pytest.raises(SystemCheckError, match=r"forum_forms\.E002"):
        call_command("check")


def test_private_files_must_not_live_under_a_public_folder(settings, tmp_path, capsys):
    from django.core.management.base import SystemCheckError

    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_ROOT = tmp_path / "private"
    with pytest.raises(SystemCheckError, match=r"forum_forms\.E001"):
        call_command("check")


def test_a_condition_on_a_file_field_can_only_ask_whether_one_is_attached():
    attached = {"field": "report", "op": "not_empty", "value": ""}
    equals = {"field": "report", "op": "equals", "value": "x"}
    assert validate_schema(schema(REPORT, field("why", show_if=attached))) == []
    errors = validate_schema(schema(REPORT, field("why", show_if=equals)))
    assert [e.message for e in errors] == [
        "A condition on a file field can only ask whether a file is attached."
    ]
    form = post(schema(REPORT, field("why", show_if=attached)), {"why": "för att"})
    assert form.is_valid() and "why" not in form.answers
    form = post(schema(REPORT, field("why", show_if=attached)), {"why": "för att"},
                report=[upload("r.pdf", files.pdf())])  # fmt: skip
    assert form.is_valid() and form.answers["why"] == "för att"
