"""Swedish first, English second: every URL carries its language; admin follows the profile."""

import pytest
from wagtail.models import Locale

pytestmark = pytest.mark.usefixtures("site_tree")


def test_the_bare_address_redirects_to_swedish(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/sv/"


def test_the_bare_address_follows_the_browsers_language(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.url == "/en/"


@pytest.mark.parametrize(
    ("url", "lang", "title", "switch_to"),
    [
        ("/sv/", "sv", "Värdeforum", '<a href="/en/" lang="en" hreflang="en">English</a>'),
        ("/en/", "en", "Forum for Values", '<a href="/sv/" lang="sv" hreflang="sv">Svenska</a>'),
    ],
)
def test_home_page_in_each_language_links_to_the_other(client, url, lang, title, switch_to):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{lang}">' in content
    assert f"<h1>{title}</h1>" in content
    assert switch_to in content


def test_switcher_on_a_page_opens_its_translation(client, site_tree):
    from home.models import HomePage

    sv_home = site_tree["sv"]
    child = sv_home.add_child(instance=HomePage(title="Om programmet", slug="om"))
    english = child.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.slug = "About the program", "about"
    english.save_revision().publish()

    content = client.get("/sv/om/").content.decode()
    assert 'href="/en/about/"' in content


def test_switcher_falls_back_to_the_home_page_without_a_translation(client, site_tree):
    from home.models import HomePage

    site_tree["sv"].add_child(instance=HomePage(title="Bara på svenska", slug="bara-svenska"))
    content = client.get("/sv/bara-svenska/").content.decode()
    assert '<a href="/en/" lang="en" hreflang="en">English</a>' in content


def test_switcher_on_a_non_page_view_keeps_the_path(client):
    content = client.get("/sv/accounts/login/").content.decode()
    assert 'href="/en/accounts/login/"' in content


def test_the_site_uses_stockholm_time(settings):
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.WAGTAIL_I18N_ENABLED


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Dashboard"), ("sv", "Instrumentpanel")]
)
def test_the_admin_speaks_the_persons_preferred_language(client, make_user, language, expected):
    client.force_login(make_user(is_superuser=True, is_staff=True, language=language))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    assert expected in response.content.decode()


def test_an_editor_sends_a_swedish_page_to_translation_with_wagtail_localize(
    client, make_user, site_tree
):
    from django.urls import reverse
    from wagtail_localize.models import Translation

    swedish = site_tree["sv"]
    site_tree["en"].delete()
    english = Locale.objects.get(language_code="en")
    client.force_login(make_user(is_superuser=True, is_staff=True))

    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[swedish.id]),
        {"locales": [english.id]},
    )

    assert response.status_code == 302
    translated = swedish.get_translation(english)
    assert Translation.objects.filter(target_locale=english).count() == 1
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[translated.id]))
    assert editor.status_code == 200
    assert "Värdeforum" in editor.content.decode()
