"""Programme managers build forms in the admin and try them out on the site."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from forms.models import FormDefinition, FormVersion

from .factories import admin_url, block, make_definition

pytestmark = pytest.mark.django_db


def field_value(key, label_sv, kind="short_text", **options):
    value = {
        "key": key,
        "label": {"sv": label_sv, "en": ""},
        "help": {"sv": "", "en": ""},
        "required": False,
        "role": "",
        "show_if": {"field": "", "op": "", "value": ""},
    }
    value.update(options)
    return (kind, value)


def definition_data(*fields, **extra):
    return nested_form_data(
        {"name": "Processkarta", "slug": "processkarta", "description": "",
         "fields": streamfield(list(fields)), **extra}
    )  # fmt: skip


def test_publishing_from_the_admin_writes_a_version(admin_client):
    response = admin_client.post(
        admin_url("add"),
        definition_data(field_value("first_step", "Första steget"), **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    definition = FormDefinition.objects.get(slug="processkarta")
    assert definition.live
    assert definition.latest_version.schema["fields"][0]["key"] == "first_step"


def test_a_draft_may_lack_swedish_labels_but_publishing_names_the_field(admin_client):
    data = definition_data(field_value("first_step", ""))
    assert admin_client.post(admin_url("add"), data).status_code == 302  # saved as a draft
    definition = FormDefinition.objects.get(slug="processkarta")
    assert not definition.live and FormVersion.objects.count() == 0

    response = admin_client.post(
        admin_url("edit", definition.pk),
        definition_data(field_value("first_step", ""), **{"action-publish": "1"}),
    )
    assert response.status_code == 200
    assert "first_step: The Swedish label is missing." in response.content.decode()
    assert FormVersion.objects.count() == 0


def test_duplicate_keys_are_refused_at_save_with_the_key_named(admin_client):
    response = admin_client.post(
        admin_url("add"),
        definition_data(field_value("step", "Steg"), field_value("step", "Steg igen")),
    )
    assert response.status_code == 200
    assert "step: Another field already uses this key." in response.content.decode()
    assert not FormDefinition.objects.exists()


def test_the_preview_uses_the_real_renderer(admin_client):
    definition = make_definition(block("long_text", "aim", "Övergripande mål"))
    url = reverse(
        FormDefinition.snippet_viewset.get_url_name("preview_on_edit"), args=[definition.pk]
    )
    response = admin_client.post(
        url, definition_data(field_value("aim", "Övergripande mål", "long_text"))
    )
    assert response.json()["is_valid"]
    preview = admin_client.get(url)
    assert preview.status_code == 200
    assert 'name="aim"' in preview.content.decode()
    assert "Övergripande mål" in preview.content.decode()


class TestTryOut:
    @pytest.fixture
    def definition(self, db):
        return make_definition(
            block("long_text", "aim", "Mål", "Aim", required=True),
            block("single_choice", "decision", "Beslut", "Decision", widget="radio",
                  choices=[{"value": "adopt", "label": {"sv": "Behåll", "en": "Adopt"}},
                           {"value": "abandon", "label": {"sv": "Överge", "en": "Abandon"}}]),
            block("short_text", "why", "Varför", "Why",
                  show_if={"field": "decision", "op": "equals", "value": "abandon"}),
            block("group", "causes", "Orsaker", "Causes", min_rows=0, max_rows=3,
                  fields=[block("short_text", "cause", "Orsak", "Cause")]),
            slug="prov",
        )  # fmt: skip

    def test_anonymous_people_are_sent_to_log_in_and_others_refused(
        self, client, make_user, definition
    ):
        response = client.get("/en/forms/prov/try/")
        assert response.status_code == 302
        assert response.url.startswith("/en/accounts/login/")
        client.force_login(make_user())
        assert client.get("/en/forms/prov/try/").status_code == 403

    def test_an_unknown_or_unpublished_form_is_not_found(self, admin_client):
        assert admin_client.get("/en/forms/finns-inte/try/").status_code == 404
        make_definition(block("short_text", "x"), slug="utkast", publish=False)
        assert admin_client.get("/en/forms/utkast/try/").status_code == 404

    def test_a_bad_submit_gets_a_400_with_an_error_summary(self, admin_client, definition):
        response = admin_client.post("/en/forms/prov/try/", {"aim": ""})
        assert response.status_code == 400
        content = response.content.decode()
        assert 'id="error-summary"' in content
        assert '<a href="#id_aim">Aim: This field is required.</a>' in content

    def test_a_good_submit_shows_the_read_only_view_without_hidden_answers(
        self, admin_client, definition
    ):
        response = admin_client.post(
            "/en/forms/prov/try/",
            {"aim": "Fewer falls", "decision": "adopt", "why": "posted but hidden"},
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "<dt>Aim</dt>" in content and "Fewer falls" in content
        assert "<dt>Decision</dt>" in content and "Adopt" in content
        assert "posted but hidden" not in content

    def test_adding_a_row_without_javascript_keeps_what_was_typed(self, admin_client, definition):
        response = admin_client.post(
            "/en/forms/prov/try/", {"aim": "Fewer falls", "add_row": "causes"}
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="causes-0-cause"' in content
        assert "Fewer falls" in content
        assert "error-summary" not in content

    def test_oversized_or_crafted_posts_are_answered_not_crashed(self, admin_client, definition):
        crafted = {f"causes-{i}-id": "x" for i in range(300)}
        crafted.update({"aim": "x" * 20_000, "decision": ["adopt", "abandon"], "add_row": ""})
        response = admin_client.post("/en/forms/prov/try/", crafted)
        assert response.status_code == 400
        response = admin_client.post("/en/forms/prov/try/", {"add_row": "no-such-group"})
        assert response.status_code == 200


def test_a_published_form_cannot_be_deleted_and_says_why(admin_client):
    definition = make_definition(block("short_text", "aim"))
    response = admin_client.post(admin_url("delete", definition.pk), follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert FormDefinition.objects.filter(pk=definition.pk).exists()
