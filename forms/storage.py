"""Where files attached to answers are kept: private storage, never under a public URL.

The ``forum_private`` entry of ``STORAGES`` names it; by default a folder (``PRIVATE_ROOT``)
outside ``MEDIA_ROOT``, which no web server serves. Files reach people only through the download
view, after a permission check (see ``views.download_file``).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

STORAGE_ALIAS = "forum_private"


class PrivateStorage(FileSystemStorage):
    """A folder of private files: ``PRIVATE_ROOT`` unless a location is given."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location or settings.PRIVATE_ROOT, **kwargs)

    def url(self, name):
        raise ValueError("Private files have no public URL; link to the download view.")


def private_storage():
    return storages[STORAGE_ALIAS]
