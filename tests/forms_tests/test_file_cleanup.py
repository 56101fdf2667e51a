"""Files no answer refers to are deleted by a cron command; files in use never are."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from forms.answers import save_draft, save_version
from forms.builder import DRAFT, AnswerForm
from forms.models import StoredFile
from forms.storage import private_storage

from . import files
from .factories import block, make_answer_set, make_definition
from .files import upload

pytestmark = pytest.mark.django_db


def _form(definition, data=None, mode=DRAFT, answers=None, *names):
    from django.utils.datastructures import MultiValueDict

    return AnswerForm(
        definition.latest_version.schema,
        language="en",
        mode=mode,
        data=MultiValueDict(data or {}),
        files=MultiValueDict({"photos": [upload(name, files.pdf()) for name in names]}),
        answers=answers,
    )


def _age_everything(days=2):
    StoredFile.objects.update(uploaded_at=timezone.now() - timedelta(days=days))


def run(*args):
    out = io.StringIO()
    call_command("delete_unused_files", *args, stdout=out)
    return out.getvalue()


def test_only_files_nothing_refers_to_are_deleted(make_user):
    user = make_user()
    definition = make_definition(block("file", "photos", multiple=True, max_files=5, kinds=[]))
    answer_set = make_answer_set(definition)
    version = definition.latest_version
    first = _form(definition, None, "submit", None, "i-version.pdf")
    assert first.is_valid()
    v1 = save_version(answer_set, version, first.answers, user=user, files=first.new_files)
    # A draft attaches two files, then a later draft save removes one of them.
    draft = _form(definition, None, DRAFT, None, "behålls.pdf", "tas-bort.pdf")
    assert draft.is_valid()
    answer_set = save_draft(answer_set, version, draft, user=user, expected_revision=0)
    kept, removed = (ref["file"] for ref in answer_set.draft["photos"])
    again = _form(
        definition,
        {"photos-current": [kept, removed], "photos-remove": [removed]},
        DRAFT,
        answer_set.draft,
    )
    assert again.is_valid()
    save_draft(answer_set, version, again, user=user, expected_revision=1)
    removed_path = Path(StoredFile.objects.get(pk=removed).content.path)

    assert "Deleted: unused files 0," in run()  # everything is younger than a day
    _age_everything()
    assert "Would delete: unused files 1," in run("--dry-run")
    assert StoredFile.objects.count() == 3
    assert "Deleted: unused files 1," in run()
    names = set(StoredFile.objects.values_list("name", flat=True))
    assert names == {"i-version.pdf", "behålls.pdf"}
    assert not removed_path.exists()
    assert StoredFile.objects.get(pk=v1.data["photos"][0]["file"]).content.read()


def test_stored_content_without_a_record_is_deleted_when_old():
    storage = private_storage()
    name = storage.save("answers/ab/" + "ab" * 16, io.BytesIO(b"rolled back"))
    path = Path(storage.path(name))
    assert "stored files without a record 0." in run()
    old = time.time() - 3 * 24 * 3600
    os.utime(path, (old, old))
    assert "stored files without a record 1." in run()
    assert not path.exists()
