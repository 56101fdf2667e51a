"""A stage's submitted versions, the differences between any two, and its review thread.

Those who may see the stage may see its history. The two versions compared come from a plain
GET form (``from``, ``to``), so it works without JavaScript; without them the latest version is
compared with the one before. A bad choice gets a message and a 400, and the page around it.

The page makes the same number of queries however many versions and comments the stage has:
the list of versions leaves their answers out, and only the one or two versions shown are
loaded whole.
"""

import re

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from forms.display import diff, read_only

from ..review_thread import person_name, review_thread
from ..stage_fields import field_labels
from ..transitions import form_version_of
from .stage_common import language as current_language
from .stage_common import stage_or_404

_NUMBER = re.compile(r"[0-9]{1,9}")


class BadChoice(ValueError):
    """The versions asked for cannot be compared; the message says why."""


@login_required
def history(request, pk):
    state = stage_or_404(request, pk)
    language = current_language()
    versions = _versions(state)
    context, status = _comparison(state, versions, request.GET, language=language)
    labels = field_labels(
        form_version_of(state).schema,
        *(version.form_version.schema for version in reversed(context["shown"])),
        language=language,
    )
    context.update(
        state=state,
        stage_name=state.name(language),
        versions=versions,
        thread=review_thread(
            state,
            labels=labels,
            version_numbers={version.pk: version.number for version in versions},
        ),
    )
    return TemplateResponse(
        request, "forum_workflows/workspace/history.html", context, status=status
    )


def _versions(state):
    """The stage's versions, newest first, without their answers; each knows its author's name
    and the number of the version before it."""
    versions = list(
        state.answer_set.versions.select_related("author").defer("data").order_by("-number")
    )
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        version.author_name = person_name(version.author)
        version.previous_number = older.number if older else None
    return versions


def _comparison(state, versions, query, *, language):
    """``(context, status)`` for the versions ``query`` asks for: their changes, or the only
    version's answers; on a bad choice a message, status 400 and the default choice."""
    context = {"message": None, "changes": None, "single": None}
    status = 200
    try:
        numbers = _chosen(versions, query)
    except BadChoice as bad:
        context["message"] = str(bad)
        status = 400
        numbers = _defaults(versions)
    shown = _loaded(state, numbers)
    context.update(
        shown=shown,
        chosen_from=numbers[0] if numbers else None,
        chosen_to=numbers[-1] if numbers else None,
    )
    if status == 200 and len(shown) == 2:
        old, new = shown
        context.update(old=old, new=new, changes=diff(old, new, language=language))
    elif status == 200 and len(shown) == 1:
        only = shown[0]
        context.update(
            single=only,
            answers=read_only(only.form_version.schema, only.data, language=language),
        )
    return context, status


def _defaults(versions):
    """The previous and the latest version's numbers; the only one's; none."""
    return [version.number for version in reversed(versions[:2])]


def _chosen(versions, query):
    """The numbers of the versions to show: ``[from, to]``, ``[only]`` or ``[]``; a missing
    parameter takes its default. Raises :class:`BadChoice` for anything else."""
    defaults = _defaults(versions)
    if "from" not in query and "to" not in query:
        return defaults
    fallback = defaults or [None]
    values = [query.get("from", fallback[0]), query.get("to", fallback[-1])]
    numbers = {version.number for version in versions}
    if not all(_is_one_of(value, numbers) for value in values):
        raise BadChoice(_("Choose two versions of this stage from the lists."))
    chosen = [int(value) for value in values]
    if chosen[0] == chosen[1]:
        raise BadChoice(_("Choose two different versions to compare."))
    return chosen


def _is_one_of(value, numbers):
    return value is not None and bool(_NUMBER.fullmatch(str(value))) and int(value) in numbers


def _loaded(state, numbers):
    """The versions numbered ``numbers``, in that order, with their answers and form version."""
    if not numbers:
        return []
    found = {
        version.number: version
        for version in state.answer_set.versions.select_related("form_version").filter(
            number__in=numbers
        )
    }
    return [found[number] for number in numbers]
