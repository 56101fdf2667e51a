"""Editors preview a page with unsaved changes before publishing it."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from forum_workflows.models import ProgramPage

from .factories import make_program, make_session

pytestmark = pytest.mark.django_db


def test_a_program_page_preview_shows_unsaved_changes_and_its_sessions(
    client, make_user, site_tree
):
    program = make_program()
    make_session(program, title="Lärandeseminarium i förhandsvisningen")
    page = ProgramPage(title="Värdeforum 2026", slug="program", program=program)
    site_tree["sv"].add_child(instance=page)
    page.save_revision().publish()
    client.force_login(make_user(is_superuser=True, is_staff=True))

    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = nested_form_data(
        {
            "title": "Värdeforum 2026 (ändrad)",
            "slug": "program",
            "program": program.pk,
            "intro": "En ny inledning som ännu inte är publicerad.",
            "body": streamfield([("rich_text", rich_text("<p>Utkast</p>"))]),
            "contacts": streamfield([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"] is True

    preview = client.get(url)
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "En ny inledning som ännu inte är publicerad." in content
    assert "Lärandeseminarium i förhandsvisningen" in content
    page.refresh_from_db()
    assert page.intro == ""
