"""Two people saving at once (PostgreSQL, real threads; DESIGN.md §8)."""

import threading

import pytest
from django.db import connection

from forms.answers import StaleDraft, save_draft, save_version
from forms.builder import DRAFT, AnswerForm
from forms.models import AnswerSet, AnswerVersion

from .factories import block, make_answer_set, make_definition

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def run_together(work, count=2):
    """Run ``work(index)`` in threads released together; return results or exceptions."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            results[index] = work(index, barrier)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_versions_saved_at_once_get_consecutive_numbers(make_user):
    definition = make_definition(block("short_text", "aim"))
    version = definition.latest_version
    answers = make_answer_set(definition)
    people = [make_user(), make_user()]

    def work(index, barrier):
        fresh = AnswerSet.objects.get(pk=answers.pk)  # each thread has read the row
        barrier.wait()
        return save_version(fresh, version, {"aim": f"text {index}"}, user=people[index])

    results = run_together(work)
    assert all(isinstance(result, AnswerVersion) for result in results), results
    assert sorted(answers.versions.values_list("number", flat=True)) == [1, 2]


def test_two_drafts_saved_at_once_exactly_one_wins(make_user):
    definition = make_definition(block("short_text", "aim"))
    version = definition.latest_version
    answers = make_answer_set(definition)
    people = [make_user(), make_user()]

    def work(index, barrier):
        fresh = AnswerSet.objects.get(pk=answers.pk)
        form = AnswerForm(version.schema, language="sv", mode=DRAFT, data={"aim": f"text {index}"})
        assert form.is_valid()
        barrier.wait()
        return save_draft(
            fresh, version, form, user=people[index], expected_revision=fresh.draft_revision
        )

    results = run_together(work)
    winners = [r for r in results if isinstance(r, AnswerSet)]
    losers = [r for r in results if isinstance(r, StaleDraft)]
    assert len(winners) == 1 and len(losers) == 1, results
    answers.refresh_from_db()
    assert answers.draft_revision == 1
    assert losers[0].current.draft == answers.draft  # the loser is shown the winner's text
