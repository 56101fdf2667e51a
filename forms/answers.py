"""Storing answers: drafts saved with a compare-and-set, versions numbered under a row lock.

Host apps call these; they decide who may save (the forms engine checks no permissions).
"""

import uuid
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from .file_field import file_refs
from .models import AnswerSet, AnswerVersion, StoredFile


class StaleDraft(Exception):
    """Someone saved the draft after this form was opened. ``current`` holds their version,
    so the newer text can be shown; nothing was overwritten."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            f"Draft of answer set {current.pk} is at revision {current.draft_revision}"
        )


def _check_version(answer_set, form_version):
    if form_version.definition_id != answer_set.definition_id:
        raise ValueError("The form version belongs to another form than the answer set.")


def save_draft(answer_set, form_version, form, *, user, expected_revision):
    """Save a validated draft-mode ``form`` as the draft, if nobody saved in between.

    Values that did not validate are kept as typed (``form.problems``); files uploaded with the
    form are stored with it. Returns the fresh answer set; raises :class:`StaleDraft` when
    ``expected_revision`` is not the current one (and then stores nothing).
    """
    _check_version(answer_set, form_version)
    with _files_written(answer_set, form.new_files, user) as rows, transaction.atomic():
        _check_files(answer_set, [form.answers, form.problems], rows)
        updated = AnswerSet.objects.filter(
            pk=answer_set.pk, draft_revision=expected_revision
        ).update(
            draft=form.answers,
            draft_problems=form.problems,
            draft_form_version=form_version,
            draft_revision=F("draft_revision") + 1,
            draft_saved_at=timezone.now(),
            draft_saved_by=user,
        )
        fresh = AnswerSet.objects.get(pk=answer_set.pk)
        if not updated:
            raise StaleDraft(fresh)
        StoredFile.objects.bulk_create(rows)
    return fresh


def save_version(answer_set, form_version, answers, *, user, files=()):
    """Record ``answers`` (already validated) as the next version of the answer set.

    ``files`` are the form's new uploads (``AnswerForm.new_files``), stored with the version;
    answers that refer to a file neither among them nor already stored are refused. The answer
    set's row is locked first, so two people saving at once get numbers one after the other
    instead of a clash.
    """
    _check_version(answer_set, form_version)
    with _files_written(answer_set, files, user) as rows, transaction.atomic():
        AnswerSet.objects.select_for_update().filter(pk=answer_set.pk).first()
        _check_files(answer_set, [answers], rows)
        StoredFile.objects.bulk_create(rows)
        last = answer_set.versions.aggregate(last=Max("number"))["last"] or 0
        return AnswerVersion.objects.create(
            answer_set=answer_set,
            number=last + 1,
            form_version=form_version,
            data=answers,
            author=user,
        )


@contextmanager
def _files_written(answer_set, files, user):
    """Write new uploads to private storage before any row is locked; yield their unsaved rows.

    Files already stored (a draft's file, now in a version) are skipped. When the save fails,
    the written files are deleted again, so a stale draft or a refused save leaves nothing.
    """
    files = list(files)
    stored = {
        pk.hex
        for pk in StoredFile.objects.filter(pk__in=[f.id for f in files]).values_list(
            "pk", flat=True
        )
    }
    rows = []
    try:
        for prepared in files:
            if prepared.id in stored:
                continue
            row = StoredFile(
                id=uuid.UUID(prepared.id),
                answer_set=answer_set,
                name=prepared.name,
                content_type=prepared.content_type,
                size=prepared.size,
                sha256=prepared.sha256,
                uploaded_by=user,
            )
            row.content.save(prepared.id, prepared.content, save=False)
            rows.append(row)
        yield rows
    except BaseException:
        for row in rows:
            row.content.delete(save=False)
        raise


def _check_files(answer_set, data, rows):
    """Every file the answers refer to is this answer set's, or one being stored now."""
    wanted = set(file_refs(data)) - {row.pk.hex for row in rows}
    if not wanted:
        return
    found = {pk.hex for pk in answer_set.files.filter(pk__in=wanted).values_list("pk", flat=True)}
    if wanted - found:
        raise ValueError(
            "The answers refer to files that were never stored with this answer set: "
            "pass the form's new_files."
        )
