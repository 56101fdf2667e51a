"""Storing answers: drafts saved with a compare-and-set, versions numbered under a row lock.

Host apps call these; they decide who may save (the forms engine checks no permissions).
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

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
    with transaction.atomic():
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
        store_files(fresh, form.new_files, user=user)
    return fresh


def save_version(answer_set, form_version, answers, *, user, files=()):
    """Record ``answers`` (already validated) as the next version of the answer set.

    ``files`` are the form's new uploads (``AnswerForm.new_files``), stored in the same
    transaction. The answer set's row is locked first, so two people saving at once get
    numbers one after the other instead of a clash.
    """
    _check_version(answer_set, form_version)
    with transaction.atomic():
        AnswerSet.objects.select_for_update().filter(pk=answer_set.pk).first()
        store_files(answer_set, files, user=user)
        last = answer_set.versions.aggregate(last=Max("number"))["last"] or 0
        return AnswerVersion.objects.create(
            answer_set=answer_set,
            number=last + 1,
            form_version=form_version,
            data=answers,
            author=user,
        )


def store_files(answer_set, files, *, user):
    """Write checked uploads (``uploads.PreparedFile``) to private storage, one row each.

    A file is stored once even when a draft and then a version refer to it.
    """
    for prepared in files:
        if StoredFile.objects.filter(pk=prepared.id).exists():
            continue
        stored = StoredFile(
            id=prepared.id,
            answer_set=answer_set,
            name=prepared.name,
            content_type=prepared.content_type,
            size=prepared.size,
            sha256=prepared.sha256,
            uploaded_by=user,
        )
        stored.content.save(prepared.id, prepared.content, save=False)
        stored.save(force_insert=True)
