"""Autosave's JSON endpoint: saves the draft, answers with the revision and the time, and
refuses a stale revision without overwriting anything."""

import pytest
from wagtail.log_actions import registry

from forum_workflows import transitions
from forum_workflows.models import StageState

from .people import make_cast
from .workflows import draft, filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user):
    cast = make_cast(make_user)
    run_on(cast.program, make_workflow(stage("aim")))
    project = transitions.start_project(cast.team, cast.people["member"])
    aim = project.stage_states.get(stage_key="aim")
    return cast, aim, f"/sv/workspace/stages/{aim.pk}/autosave/"


def _answer_set(aim):
    return StageState.objects.get(pk=aim.pk).answer_set


def test_an_autosave_saves_the_draft_and_says_when(client, setup):
    cast, aim, url = setup
    client.force_login(cast.people["member"])
    response = client.post(url, {"revision": "0", "text": "Halvfärdig mening"})
    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == 1
    assert body["message"] == f"Utkastet sparades kl. {body['saved_at']}"
    assert _answer_set(aim).draft["text"] == "Halvfärdig mening"
    assert StageState.objects.get(pk=aim.pk).state == StageState.State.DRAFT
    # No audit entry for autosaves, and the page says when the draft was saved.
    assert not registry.get_logs_for_instance(aim).filter(action="forum_workflows.save_draft")
    assert body["saved_at"] in client.get(f"/sv/workspace/stages/{aim.pk}/").content.decode()


def test_a_stale_autosave_overwrites_nothing(client, setup):
    cast, aim, url = setup
    transitions.save_draft(aim, cast.people["lead"], draft(aim, text="Annas"), expected_revision=0)
    client.force_login(cast.people["member"])
    response = client.post(url, {"revision": "0", "text": "Bos"})
    assert response.status_code == 409
    assert response.json()["revision"] == 1 and "Spara utkast" in response.json()["message"]
    assert _answer_set(aim).draft["text"] == "Annas"


@pytest.mark.parametrize("revision", ["", "x", "-1", "²", "9" * 5000, "1.0"])
def test_a_bad_revision_is_a_400(client, setup, revision):
    cast, aim, url = setup
    client.force_login(cast.people["member"])
    response = client.post(url, {"revision": revision, "text": "a"})
    assert response.status_code == 400 and response.json()["message"]
    assert _answer_set(aim).draft_revision == 0


def test_a_value_that_needs_checking_is_not_autosaved(client, setup):
    """A personnummer holds even a draft until confirmed: the script says to save by hand."""
    cast, aim, url = setup
    client.force_login(cast.people["member"])
    response = client.post(url, {"revision": "0", "text": "Klient 19121212-1212"})
    assert response.status_code == 400
    assert _answer_set(aim).draft_revision == 0


def test_readers_and_strangers_cannot_autosave(client, setup):
    cast, aim, url = setup
    for role in ("sponsor", "coach", "other_team_member"):
        client.force_login(cast.people[role])
        assert client.post(url, {"revision": "0", "text": "x"}).status_code == 403
    client.logout()
    signed_out = client.post(url, {"revision": "0", "text": "x"})
    assert signed_out.status_code == 401 and signed_out.json()["message"]  # not the login page
    assert _answer_set(aim).draft_revision == 0


def test_a_submitted_stage_refuses_autosaves(client, setup):
    cast, aim, url = setup
    transitions.submit_stage(aim, cast.people["member"], filled(aim), expected_revision=0)
    client.force_login(cast.people["member"])
    response = client.post(url, {"revision": "1", "text": "Ändrat"})
    assert response.status_code == 409
    assert _answer_set(aim).draft["text"] == "Minska fallen nattetid"


def test_a_confirmed_personal_identity_number_does_not_stop_autosave(client, setup):
    cast, aim, url = setup
    client.force_login(cast.people["member"])
    text = "Personalens eget nummer 19121212-1212"
    posted = {"revision": "0", "text": text, "privacy_confirmed": "on"}
    assert client.post(url, posted).status_code == 200
    assert _answer_set(aim).draft["text"] == text
