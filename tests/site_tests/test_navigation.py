"""Finding one's way: main menu, breadcrumbs, site search and the sitemap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from home.models import HomePage


def add_page(parent, title, slug, live=True, **kwargs):
    """A page under ``parent``; a HomePage stands in for the plugin's content pages here."""
    page = parent.add_child(
        instance=HomePage(title=title, slug=slug, live=live, locale=parent.locale, **kwargs)
    )
    if live:
        page.save_revision().publish()
    return page


@pytest.fixture
def homes(site_tree):
    return site_tree


def test_the_main_menu_lists_the_live_pages_marked_for_menus(client, homes):
    add_page(homes["sv"], "Programmet", "programmet", show_in_menus=True)
    add_page(homes["sv"], "Utkast i menyn", "utkast", live=False, show_in_menus=True)
    add_page(homes["sv"], "Inte i menyn", "inte-i-menyn")
    content = client.get("/sv/").content.decode()
    assert '<nav class="main-menu" aria-label="Huvudmeny">' in content
    assert '<a href="/sv/programmet/">Programmet</a>' in content
    assert "Utkast i menyn" not in content
    assert "Inte i menyn" not in content


def test_the_main_menu_marks_the_section_the_visitor_is_in(client, homes):
    section = add_page(homes["sv"], "Programmet", "programmet", show_in_menus=True)
    add_page(section, "Lärandeseminarier", "seminarier")
    content = client.get("/sv/programmet/seminarier/").content.decode()
    assert '<a href="/sv/programmet/" aria-current="page">Programmet</a>' in content


def test_breadcrumbs_show_the_way_down_from_home(client, homes):
    section = add_page(homes["sv"], "Programmet", "programmet")
    add_page(section, "Lärandeseminarier", "seminarier")
    content = client.get("/sv/programmet/seminarier/").content.decode()
    assert '<nav class="breadcrumbs container" aria-label="Du är här">' in content
    assert '<li><a href="/sv/">Värdeforum</a></li>' in content
    assert '<li><a href="/sv/programmet/">Programmet</a></li>' in content
    assert '<li aria-current="page">Lärandeseminarier</li>' in content
    assert "breadcrumbs" not in client.get("/sv/programmet/").content.decode()


def test_the_menu_costs_the_same_queries_with_three_or_thirty_items(
    client, homes, django_assert_num_queries
):
    for number in range(3):
        add_page(homes["sv"], f"Sida {number}", f"sida-{number}", show_in_menus=True)
    client.get("/sv/")
    with CaptureQueriesContext(connection) as three:
        client.get("/sv/")
    for number in range(3, 30):
        add_page(homes["sv"], f"Sida {number}", f"sida-{number}", show_in_menus=True)
    with django_assert_num_queries(len(three)):
        client.get("/sv/")


class TestSearch:
    def results(self, client, url):
        response = client.get(url)
        assert response.status_code == 200
        return [page.title for page in response.context["results"]]

    def test_finds_live_public_pages_in_the_current_language_only(self, client, homes):
        add_page(homes["sv"], "Kvalitetsrådet", "kvalitetsradet")
        add_page(homes["sv"], "Kvalitetsrådet utkast", "utkast", live=False)
        private = add_page(homes["sv"], "Kvalitetsrådet internt", "internt")
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.LOGIN
        )
        add_page(homes["en"], "Kvalitetsrådet in English", "quality-council")

        assert self.results(client, "/sv/search/?q=Kvalitetsrådet") == ["Kvalitetsrådet"]
        assert self.results(client, "/en/search/?q=Kvalitetsrådet") == [
            "Kvalitetsrådet in English"
        ]

    def test_an_empty_or_strange_query_gets_a_page_not_an_error(self, client, homes):
        assert self.results(client, "/sv/search/") == []
        assert self.results(client, "/sv/search/?q=%00%27%22") == []
        assert self.results(client, "/sv/search/?q=" + "x" * 5000) == []
        response = client.get("/sv/search/?q=Värdeforum&page=abc")
        assert response.status_code == 200

    def test_the_count_is_translated(self, client, homes):
        content = client.get("/sv/search/?q=Värdeforum").content.decode()
        assert "1 träff för ”Värdeforum”" in content

    def test_costs_the_same_queries_with_few_or_many_matches(
        self, client, homes, django_assert_num_queries
    ):
        for number in range(12):
            add_page(homes["sv"], f"Mätning {number}", f"matning-{number}")
        client.get("/sv/search/?q=Mätning")
        with CaptureQueriesContext(connection) as few:
            client.get("/sv/search/?q=Mätning")
        for number in range(12, 40):
            add_page(homes["sv"], f"Mätning {number}", f"matning-{number}")
        with django_assert_num_queries(len(few)):
            client.get("/sv/search/?q=Mätning")


def test_the_sitemap_lists_live_public_pages_in_every_language(client, homes):
    add_page(homes["sv"], "Programmet", "programmet")
    add_page(homes["sv"], "Utkast", "utkast", live=False)
    add_page(homes["en"], "The program", "program")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    content = response.content.decode()
    for path in ("/sv/", "/en/", "/sv/programmet/", "/en/program/"):
        assert f"{path}</loc>" in content
    assert "/sv/utkast/" not in content


def test_the_sitemap_survives_a_locale_without_pages(client, homes):
    Locale.objects.get_or_create(language_code="en")
    assert client.get("/sitemap.xml").status_code == 200
