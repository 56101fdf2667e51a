"""Removing one identifying value from everywhere the engine stored it.

The value at a path is replaced by a marker in every version of the answer set, in its draft and
in the draft's kept-as-typed problems; files attached there are erased from storage. The audit
log records that a redaction happened and where, never what was removed. Host apps that copied
the text elsewhere (notifications, exports) listen to :data:`value_redacted` and clean their
copies.
"""

from django.db import transaction
from django.dispatch import Signal
from wagtail.log_actions import log

from .builder import REDACTED
from .file_field import file_refs
from .models import AnswerSet

#: Sent after a redaction commits: ``answer_set``, ``path``, ``user``.
value_redacted = Signal()


class NotAnAnswer(ValueError):
    """The path names a group (or nothing): only single answers can be redacted."""


def _are_files(items):
    return bool(items) and len(file_refs(items)) == len(items)


def _redact(values, parts, removed):
    """Replace the answer at ``parts`` (key, or key/row id/key...); True if one was replaced.

    Replaced values are appended to ``removed``.
    """
    key, *rest = parts
    if key not in values:
        return False
    if not rest:
        if isinstance(values[key], list) and not _are_files(values[key]):
            raise NotAnAnswer(f"{key} holds rows, not an answer")
        if values[key] == REDACTED:
            return False
        removed.append(values[key])
        values[key] = REDACTED
        return True
    row_id, *deeper = rest
    if not deeper:
        raise NotAnAnswer("a row id must be followed by the key of a field in the row")
    replaced = False
    for row in values[key] or []:
        if row.get("id") == row_id:
            replaced = _redact(row.get("values", {}), deeper, removed) or replaced
    return replaced


def redact(answer_set, path, *, user):
    """Redact the answer at ``path`` everywhere in ``answer_set``; return how many places.

    Raises :class:`NotAnAnswer` (and changes nothing) when ``path`` names a group.
    """
    parts = path.split("/")
    with transaction.atomic():
        answer_set = AnswerSet.objects.select_for_update().get(pk=answer_set.pk)
        count = 0
        removed = []
        for version in answer_set.versions.all():
            if _redact(version.data, parts, removed):
                version.save(update_fields=["data"])
                count += 1
        if _redact(answer_set.draft, parts, removed):
            count += 1
        problem = answer_set.draft_problems.pop(path, None)
        if problem is not None:
            removed.append(problem.get("value"))
            count += 1
        answer_set.save(update_fields=["draft", "draft_problems"])
        for stored in answer_set.files.filter(pk__in=list(file_refs(removed))):
            stored.erase()
        log(
            instance=answer_set,
            action="forum_forms.redact",
            user=user,
            data={"path": path, "places": count},
        )
        transaction.on_commit(
            lambda: value_redacted.send(
                sender=AnswerSet, answer_set=answer_set, path=path, user=user
            )
        )
    return count
