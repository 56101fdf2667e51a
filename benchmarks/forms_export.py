"""Time and peak Python memory of exporting answers (``forms/export.py``), small and large.

Builds a throwaway SQLite database in a temporary folder, migrates it, bulk-creates one form and
``--answers`` answer sets with one saved version each (one in ten with a row in a repeating
group, which adds a line), then exports the first ``--baseline`` answer sets and all of them as CSV
and as XLSX through ``csv_response`` and ``xlsx_response``, consuming the responses as a
download would. Each export runs twice: once for the time, once under tracemalloc for the peak
(tracemalloc slows Python down, so its time is not the one reported).

Streaming keeps memory flat: the peak ratio of large to small should stay near 1 while the time
ratio follows the number of answers.

    .venv/bin/python benchmarks/forms_export.py [--answers 100000] [--baseline 10000]
"""

import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# As pyproject's [tool.pytest.ini_options] pythonpath: the host project, then the apps.
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

BATCH = 5000
AUTHORS = 200
GROUP_ROW_EVERY = 10


def answers_schema():
    def field(key, kind, **extra):
        return {"key": key, "type": kind, "label": {"sv": key.capitalize()}, **extra}

    choices = {"choices": [{"value": v, "label": {"sv": v}} for v in ("adopt", "adapt", "drop")]}
    return {
        "format": 1,
        "fields": [
            field("aim", "long_text"),
            field("count", "integer"),
            field("share", "decimal"),
            field("start", "date"),
            field("decision", "single_choice", options=choices),
            field("tags", "multiple_choice", options=choices),
            field("causes", "group", fields=[field("cause", "short_text")]),
        ],
    }


def answer(number):
    """Answers to every field; one in ten also has a row in the group, as worksheets do."""
    values = {
        "aim": f"Färre fall på avdelning {number % 40}: mål nummer {number}, mätt varje vecka.",
        "count": number % 1000,
        "share": f"{number % 100}.{number % 10}",
        "start": f"2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
        "decision": ("adopt", "adapt", "drop")[number % 3],
        "tags": ["adopt", "drop"],
    }
    if number % GROUP_ROW_EVERY == 0:
        values["causes"] = [
            {"id": f"{number:032x}", "values": {"cause": f"Orsak {number}: halt golv"}}
        ]
    return values


def lines(count):
    """Header, one line per answer and one per group row."""
    return 1 + count + (count + GROUP_ROW_EVERY - 1) // GROUP_ROW_EVERY


def build(total):
    from django.contrib.auth import get_user_model

    from forms.models import AnswerSet, AnswerVersion, FormDefinition, FormVersion

    User = get_user_model()
    User.objects.bulk_create(
        User(email=f"person{n}@example.org", full_name=f"Person Nummer{n}") for n in range(AUTHORS)
    )
    authors = list(User.objects.values_list("pk", flat=True))
    definition = FormDefinition.objects.create(name="Benchmark", slug="benchmark", live=False)
    form_version = FormVersion.objects.create(
        definition=definition, number=1, schema=answers_schema()
    )
    for start in range(0, total, BATCH):
        sets = AnswerSet.objects.bulk_create(
            AnswerSet(definition=definition) for _ in range(min(BATCH, total - start))
        )
        AnswerVersion.objects.bulk_create(
            AnswerVersion(
                answer_set=answer_set,
                number=1,
                form_version=form_version,
                data=answer(start + offset),
                author_id=authors[(start + offset) % AUTHORS],
            )
            for offset, answer_set in enumerate(sets)
        )
    return definition


def consume(response):
    size = 0
    for chunk in response:
        size += len(chunk)
    response.close()
    return size


def measure(export, definition, answer_sets):
    gc.collect()
    started = time.perf_counter()
    size = consume(export(definition, answer_sets))
    seconds = time.perf_counter() - started

    gc.collect()
    tracemalloc.start()
    consume(export(definition, answer_sets))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=10_000)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="forum-benchmark-") as folder:
        os.environ.pop("DATABASE_URL", None)  # never write benchmark data to a real database
        os.environ["SQLITE_PATH"] = str(Path(folder) / "benchmark.sqlite3")
        os.environ["DJANGO_SETTINGS_MODULE"] = "forum_site.settings.test"  # DEBUG off
        import django

        django.setup()
        from django.core.management import call_command

        from forms.export import csv_response, xlsx_response
        from forms.models import AnswerSet

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        definition = build(arguments.answers)
        print(
            f"Set-up: migrated and created {arguments.answers:,} answer versions "
            f"in {time.perf_counter() - started:.1f} s\n"
        )
        answer_sets = AnswerSet.objects.filter(definition=definition).order_by("pk")
        cut = answer_sets.values_list("pk", flat=True)[arguments.baseline - 1]
        sizes = {
            arguments.baseline: answer_sets.filter(pk__lte=cut),
            arguments.answers: answer_sets,
        }
        print(f"{'format':<7}{'answers':>9}{'lines':>9}{'time s':>9}{'peak MiB':>10}{'MB out':>8}")
        for name, export in (("CSV", csv_response), ("XLSX", xlsx_response)):
            results = []
            for count, chosen in sizes.items():
                seconds, peak, size = measure(export, definition, chosen)
                results.append((seconds, peak))
                print(
                    f"{name:<7}{count:>9,}{lines(count):>9,}{seconds:>9.2f}"
                    f"{peak / 2**20:>10.2f}{size / 1e6:>8.1f}"
                )
            (small_time, small_peak), (large_time, large_peak) = results
            print(
                f"{name:<7}ratio large/small: time {large_time / small_time:.1f}, "
                f"peak memory {large_peak / small_peak:.2f}\n"
            )


if __name__ == "__main__":
    main()
