"""Delete attached files that no answer refers to any more. Meant for cron, e.g. nightly.

A file uploaded to a draft and removed again before any version was saved is referred to by
nothing; so is a file written to storage by a save that was then rolled back. Files any answer
version, draft or kept-as-typed problem refers to are never touched, however old.
"""

from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.file_field import file_refs
from forms.models import AnswerSet, StoredFile
from forms.storage import private_storage


class Command(BaseCommand):
    help = _("Delete attached files that no answer refers to any more.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=24,
            help=_("Leave files younger than this alone (default 24): someone may be saving."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Only report."))

    def handle(self, *args, older_than_hours, dry_run, **options):
        cutoff = timezone.now() - timedelta(hours=older_than_hours)
        unused = list(unused_files(cutoff))
        if not dry_run:
            for stored in unused:
                storage, name = stored.content.storage, stored.content.name
                stored.delete()  # the row first: a file without a row is cleaned up next time
                storage.delete(name)
        strays = list(stray_files(cutoff.timestamp()))
        if not dry_run:
            for path in strays:
                path.unlink(missing_ok=True)
        message = (
            _("Would delete: unused files %(files)s, stored files without a record %(strays)s.")
            if dry_run
            else _("Deleted: unused files %(files)s, stored files without a record %(strays)s.")
        )
        self.stdout.write(message % {"files": len(unused), "strays": len(strays)})


def unused_files(cutoff):
    candidates = StoredFile.objects.filter(uploaded_at__lt=cutoff, redacted_at__isnull=True)
    answer_sets = AnswerSet.objects.filter(pk__in=candidates.values("answer_set"))
    answer_sets = answer_sets.prefetch_related("versions")
    for answer_set in answer_sets.iterator(chunk_size=200):
        used = set(file_refs([answer_set.draft, answer_set.draft_problems]))
        for version in answer_set.versions.all():
            used.update(file_refs(version.data))
        for stored in candidates.filter(answer_set=answer_set):
            if stored.pk.hex not in used:
                yield stored


def stray_files(cutoff_timestamp):
    """Files in private storage that no StoredFile row names (a save that was rolled back)."""
    storage = private_storage()
    if not hasattr(storage, "location"):
        return  # not a folder (an object store): its own lifecycle rules apply
    root = Path(storage.location) / "answers"
    if not root.is_dir():
        return
    known = set(StoredFile.objects.exclude(content="").values_list("content", flat=True))
    for path in root.glob("*/*"):
        name = path.relative_to(storage.location).as_posix()
        if name not in known and path.stat().st_mtime < cutoff_timestamp:
            yield path
