"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL is set (see scripts/test)."""

import tempfile
from pathlib import Path

from .base import *

SECRET_KEY = "test-only-secret-key"  # noqa: S105 - never used outside the test suite
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads made by tests go to a temporary folder, never into the working tree.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="forum-test-media-"))
PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="forum-test-private-"))
WAGTAILADMIN_BASE_URL = "http://testserver"
