"""Small ``make_*`` helpers for the plugin's tests: keyword arguments override the defaults."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from forum_workflows.models import LearningSession, Program

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_numbers = itertools.count(1)


def stockholm(year, month, day, hour=9, minute=0):
    """An aware datetime in Swedish time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def make_program(**kwargs):
    number = next(_numbers)
    kwargs.setdefault("name", f"Värdeforum {2020 + number}")
    kwargs.setdefault("slug", f"vardeforum-{number}")
    kwargs.setdefault("starts_on", datetime.date(2026, 1, 15))
    kwargs.setdefault("ends_on", datetime.date(2027, 6, 15))
    return Program.objects.create(**kwargs)


def session_data(program, **kwargs):
    """Field values for a valid session; used by make_session and by bulk_create."""
    number = next(_numbers)
    kwargs.setdefault("program", program)
    kwargs.setdefault("title", f"Lärandeseminarium {number}")
    kwargs.setdefault("kind", LearningSession.Kind.TEAM_LEARNING_SESSION)
    kwargs.setdefault("starts_at", stockholm(2026, 3, 12, 9))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + datetime.timedelta(hours=7))
    kwargs.setdefault("place", "Famna, Götgatan 22, Stockholm")
    return kwargs


def make_session(program=None, **kwargs):
    return LearningSession.objects.create(**session_data(program or make_program(), **kwargs))


def make_image(**kwargs):
    kwargs.setdefault("title", "Team at work")
    kwargs.setdefault("file", get_test_image_file())
    return Image.objects.create(**kwargs)


def make_document(**kwargs):
    kwargs.setdefault("title", "Worksheet: process map")
    document = Document(**kwargs)
    document.file.save("process-map.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.file_size = document.file.size  # as the admin's upload sets it
    document.save()
    return document


def english_home():
    """The English home page (the site skeleton is created if it is missing)."""
    from home.site_tree import ensure_site_tree

    return ensure_site_tree()["en"]
