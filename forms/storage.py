"""Where files attached to answers are kept: private storage, never under a public URL.

The ``forum_private`` entry of ``STORAGES`` names it; by default a folder (``PRIVATE_ROOT``)
outside ``MEDIA_ROOT``, which no web server serves. Files reach people only through the download
view, after a permission check (see ``views.download_file``).
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
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


@checks.register(checks.Tags.security)
def check_private_root(app_configs, **kwargs):
    """Private files must not sit where the web server serves public files."""
    private = Path(settings.PRIVATE_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and private.is_relative_to(Path(public).resolve()):
            errors.append(
                checks.Error(
                    f"PRIVATE_ROOT ({private}) lies inside {name} ({public}), which is served "
                    "publicly.",
                    hint="Keep private files in a folder of their own.",
                    id="forum_forms.E001",
                )
            )
    return errors
