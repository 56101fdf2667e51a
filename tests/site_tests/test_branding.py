"""Co-branding and footer contacts come from the site settings editors manage."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from home.models import Organiser, SiteBranding


@pytest.fixture
def branding(site_tree):
    from wagtail.images.models import Image

    site = Site.objects.get(is_default_site=True)
    branding = SiteBranding.for_site(site)
    branding.contact_email = "info@vardeforum.example.se"
    branding.contact_phone = "08 123 45 67"
    branding.contact_address = "Box 1\n111 11 Stockholm"
    branding.save()
    logo = Image.objects.create(title="Famna", file=get_test_image_file())
    Organiser.objects.create(
        branding=branding, name="Famna", logo=logo, url="https://famna.example.org", sort_order=0
    )
    Organiser.objects.create(branding=branding, name="Qulturum", sort_order=1)
    return branding


def test_the_footer_shows_the_organisers_with_their_logos_and_the_contacts(client, branding):
    content = client.get("/sv/").content.decode()
    assert "Arrangeras av" in content
    assert 'alt="Famna"' in content
    assert '<a href="https://famna.example.org">' in content
    assert "Qulturum" in content
    assert 'href="mailto:info@vardeforum.example.se"' in content
    assert 'href="tel:081234567"' in content
    assert "Box 1<br>111 11 Stockholm" in content


def test_the_footer_links_the_accessibility_statement_in_the_current_language(
    client, branding, site_tree
):
    from home.models import HomePage

    statement = site_tree["sv"].add_child(
        instance=HomePage(title="Tillgänglighetsredogörelse", slug="tillganglighet")
    )
    branding.accessibility_statement = statement
    branding.save()
    content = client.get("/sv/").content.decode()
    assert '<a href="/sv/tillganglighet/">Tillgänglighetsredogörelse</a>' in content


def test_the_footer_costs_the_same_queries_with_two_or_twenty_organisers(
    client, branding, django_assert_num_queries
):
    client.get("/sv/")  # the first view makes the logo's rendition
    with CaptureQueriesContext(connection) as two:
        assert client.get("/sv/").status_code == 200
    Organiser.objects.bulk_create(
        Organiser(branding=branding, name=f"Organisation {n}", sort_order=n + 2) for n in range(18)
    )
    with django_assert_num_queries(len(two)):
        client.get("/sv/")
