"""Editors translate the plugin's pages with wagtail-localize; a page may stay Swedish only."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import String, Translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site_tree, capsys):
    call_command("load_demo_data")
    capsys.readouterr()
    return site_tree


def test_a_page_using_every_block_can_be_sent_to_translation(client, make_user, demo):
    about = Page.objects.get(locale__language_code="sv", slug="om")
    english = Locale.objects.get(language_code="en")
    assert about.get_translation_or_none(english) is None  # Swedish only, and served
    assert client.get("/sv/om/").status_code == 200

    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[about.pk]),
        {"locales": [english.pk]},
    )

    assert response.status_code == 302
    translation = Translation.objects.get(target_locale=english)
    texts = set(
        String.objects.filter(segments__source=translation.source).values_list("data", flat=True)
    )
    # Tables (TypedTableBlock) are copied as they are: wagtail-localize has no segments for them.
    for text in (
        "Så arbetar vi",
        "Vanliga frågor",
        "Vem kan delta?",
    ):
        assert any(text in value for value in texts), text
    editor = client.get(
        reverse("wagtailadmin_pages:edit", args=[about.get_translation(english).pk])
    )
    assert editor.status_code == 200
