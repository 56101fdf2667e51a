"""A stage's review thread: its comments and decisions and its state changes, in time order.

Two queries whatever the thread's length: one for the comments with their authors, one for the
state changes with who made them.
"""

from dataclasses import dataclass

from .models import StageComment, StageHistory, StageState


def person_name(user):
    """How a person is shown: the full name, else the email; ``""`` for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class Entry:
    """One line of the thread: a comment (``comment``) or a state change (``change``)."""

    at: object
    person: str
    comment: StageComment | None = None
    change: StageHistory | None = None
    #: For a comment on one field: the field's label (its key when the schema lacks it).
    field_label: str = ""
    #: For a decision: the number of the version it was about.
    version_number: int | None = None

    @property
    def reason(self):
        """The reason given for a state change, unless the thread already shows it: a request
        for changes stores its comment as the reason, and that comment is in the thread."""
        change = self.change
        if change is None or change.to_state == StageState.State.CHANGES_REQUESTED:
            return ""
        return change.reason


def review_thread(state, *, labels, version_numbers):
    """Every comment and state change of ``state``, oldest first.

    ``labels`` maps field keys to the labels shown for comments on one field;
    ``version_numbers`` maps answer versions' ids to their numbers, for the version a decision
    was about (the caller has them already: no query per decision).
    """
    comments = state.comments.select_related("author")
    changes = state.history.select_related("actor")
    entries = [
        Entry(
            comment.created_at,
            person_name(comment.author),
            comment=comment,
            field_label=labels.get(comment.field_key, comment.field_key),
            version_number=version_numbers.get(comment.answer_version_id),
        )
        for comment in comments
    ]
    entries += [
        # No actor: the program itself opened the stage or passed a gate that approves on submit.
        Entry(change.at, person_name(change.actor), change=change)
        for change in changes
    ]
    # A decision is written just before the state change it causes; on a tie, comment first.
    return sorted(entries, key=lambda entry: (entry.at, entry.change is not None, _pk(entry)))


def _pk(entry):
    return (entry.comment or entry.change).pk
