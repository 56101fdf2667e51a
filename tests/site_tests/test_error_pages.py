"""Errors get a page in the site's look and language, never Django's bare pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("site_tree")


@pytest.mark.parametrize(
    ("url", "text"),
    [("/sv/finns-inte/", "Sidan finns inte"), ("/en/does-not-exist/", "Page not found")],
)
def test_a_missing_page_gets_a_translated_404_in_the_site_look(client, url, text):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert f"<h1>{text}</h1>" in content
    assert 'class="skip-link"' in content


def test_an_expired_form_gets_a_friendly_403_not_djangos_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sv/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "Formuläret hade gått ut" in content
    assert 'class="skip-link"' in content


def test_the_500_page_needs_nothing_but_itself():
    from django.template.loader import get_template

    content = get_template("500.html").render({})
    assert "Något gick fel" in content
    assert "{%" not in content


@pytest.mark.django_db
def test_a_missing_admin_or_document_url_stays_a_404(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    for url in (
        "/admin/snippets/forum_forms/formdefinition/edit/999999/",
        "/documents/99999/x.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 404, url  # not a redirect to /sv/admin/...
    # A public path without its language still finds the language version.
    response = client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/login/"
