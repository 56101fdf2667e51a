"""Links to attached files for one reader: only files they may download get a link."""

from django.urls import reverse

from .file_field import file_refs
from .models import StoredFile
from .permissions import can_download_file


def file_url(ref):
    return reverse("forum_forms:file", kwargs={"file_id": ref["file"]})


def file_links(user, *answer_data):
    """A ``file_url(ref)`` for ``display.read_only``: a link where ``user`` may download.

    Looks up every file the answers refer to in one query.
    """
    ids = list(file_refs(list(answer_data)))
    stored = StoredFile.objects.filter(pk__in=ids, redacted_at__isnull=True)
    allowed = {item.pk.hex for item in stored if can_download_file(user, item)}

    def link(ref):
        return file_url(ref) if ref.get("file") in allowed else None

    return link
