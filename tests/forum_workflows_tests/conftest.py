import pytest


@pytest.fixture(autouse=True)
def media_in_tmp_path(settings, tmp_path):
    """Images and documents uploaded by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def in_english():
    """Messages checked in English, the source language (tests start in Swedish)."""
    from django.utils import translation

    with translation.override("en"):
        yield
