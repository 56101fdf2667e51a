"""A stage's page in the workspace, without JavaScript: the team saves a draft, checks it and
confirms the submission, reviewers read, and a stale save keeps both texts."""

import pytest

from forum_workflows import transitions
from forum_workflows.models import StageState

from .people import make_cast
from .workflows import draft, filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db
State = StageState.State


@pytest.fixture
def setup(make_user):
    cast = make_cast(make_user)
    run_on(cast.program, make_workflow(stage("aim"), stage("plan")))
    project = transitions.start_project(cast.team, cast.people["member"], title="Färre fall")
    aim = project.stage_states.get(stage_key="aim")
    return cast, project, aim, f"/sv/workspace/stages/{aim.pk}/"


def _state(aim):
    return StageState.objects.get(pk=aim.pk)


def test_the_project_page_lists_the_stages_with_their_states(client, setup):
    cast, project, _aim, url = setup
    client.force_login(cast.people["sponsor"])
    response = client.get(f"/sv/workspace/projects/{project.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert url in content  # open: a link
    plan = project.stage_states.get(stage_key="plan")
    assert f"/sv/workspace/stages/{plan.pk}/" not in content  # locked: no link


def test_a_member_saves_a_draft_then_submits(client, setup):
    cast, _project, aim, url = setup
    client.force_login(cast.people["member"])
    assert client.get(url).status_code == 200
    saved = client.post(url, {"action": "save", "revision": "0", "text": "Första utkast"})
    assert saved.status_code == 302
    assert _state(aim).state == State.DRAFT
    assert _state(aim).answer_set.draft["text"] == "Första utkast"
    assert "Första utkast" in client.get(url).content.decode()
    incomplete = client.post(url, {"action": "submit", "revision": "1", "text": ""})
    assert incomplete.status_code == 400 and _state(aim).state == State.DRAFT
    checking = client.post(url, {"action": "submit", "revision": "1", "text": "Färre fall"})
    assert checking.status_code == 200  # the confirmation step: saved, not yet submitted
    assert "Färre fall" in checking.content.decode()
    assert _state(aim).state == State.DRAFT
    assert _state(aim).answer_set.draft["text"] == "Färre fall"
    confirmed = client.post(url, {"action": "confirm", "checked": checking.context["checked"]})
    assert confirmed.status_code == 302
    assert _state(aim).state == State.SUBMITTED
    assert _state(aim).answer_set.latest.data["text"] == "Färre fall"


def _checked(client, url, revision, text="Färre fall"):
    response = client.post(url, {"action": "submit", "revision": str(revision), "text": text})
    assert response.status_code == 200
    return response.context["checked"]


def test_a_confirmation_is_refused_when_the_draft_changed_since_it_was_checked(client, setup):
    cast, _project, aim, url = setup
    client.force_login(cast.people["member"])
    checked = _checked(client, url, 0)
    transitions.save_draft(
        aim, cast.people["lead"], draft(aim, text="Leads text"), expected_revision=1
    )
    response = client.post(url, {"action": "confirm", "checked": checked})
    assert response.status_code == 409
    assert "Leads text" in response.content.decode()  # in the form, to check again
    assert _state(aim).state == State.DRAFT and _state(aim).answer_set.latest is None


@pytest.mark.parametrize("forgery", ["", "not-signed", "someone else's"])
def test_a_forged_or_borrowed_confirmation_is_refused(client, setup, forgery):
    cast, _project, aim, url = setup
    client.force_login(cast.people["lead"])
    checked = _checked(client, url, 0)
    client.force_login(cast.people["member"])
    token = checked if forgery == "someone else's" else forgery
    response = client.post(url, {"action": "confirm", "checked": token})
    assert response.status_code == 400
    assert _state(aim).state == State.DRAFT


def test_an_incomplete_draft_cannot_be_confirmed_by_replaying_an_old_check(client, setup):
    """The check vouches for one revision: a later draft save without the required answer
    makes it stale."""
    cast, _project, aim, url = setup
    client.force_login(cast.people["member"])
    checked = _checked(client, url, 0)
    client.post(url, {"action": "save", "revision": "1", "text": ""})
    assert client.post(url, {"action": "confirm", "checked": checked}).status_code == 409
    assert _state(aim).state == State.DRAFT


def test_a_stale_save_shows_both_texts_and_loses_neither(client, setup):
    cast, _project, aim, url = setup
    client.force_login(cast.people["lead"])
    client.post(url, {"action": "save", "revision": "0", "text": "Annas text"})
    client.force_login(cast.people["member"])
    response = client.post(url, {"action": "save", "revision": "0", "text": "Bos text"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Annas text" in content and "Bos text" in content
    assert _state(aim).answer_set.draft["text"] == "Annas text"
    assert (
        'name="revision" value="1"' in content
    )  # saving again is a choice made with both in view


def test_readers_see_the_answers_and_cannot_post(client, setup):
    cast, _project, aim, url = setup
    transitions.submit_stage(
        aim, cast.people["member"], filled(aim, text="Färre fall"), expected_revision=0
    )
    client.force_login(cast.people["sponsor"])
    page = client.get(url)
    assert page.status_code == 200 and "Färre fall" in page.content.decode()
    assert 'name="action"' not in page.content.decode()
    assert client.post(url, {"action": "save", "revision": "1", "text": "x"}).status_code == 403
    assert _state(aim).answer_set.draft_revision == 1


@pytest.mark.parametrize("role", ["other_team_member", "other_manager", "former_member"])
def test_other_people_are_refused(client, setup, role):
    cast, project, _aim, url = setup
    client.force_login(cast.people[role])
    assert client.get(url).status_code == 403
    assert client.get(f"/sv/workspace/projects/{project.pk}/").status_code == 403


def test_signed_out_people_are_asked_to_sign_in_and_bad_revisions_are_refused(client, setup):
    cast, _project, aim, url = setup
    assert client.get(url)["Location"].startswith("/sv/accounts/login/?next=")
    client.force_login(cast.people["member"])
    assert client.post(url, {"action": "save", "revision": "x", "text": "a"}).status_code == 400
    assert _state(aim).state == State.OPEN


def test_a_submitted_stage_is_not_edited_and_says_so(client, setup):
    cast, _project, aim, url = setup
    transitions.submit_stage(aim, cast.people["member"], filled(aim), expected_revision=0)
    client.force_login(cast.people["member"])
    response = client.post(url, {"action": "save", "revision": "1", "text": "Ändrat"})
    assert response.status_code == 409
    assert _state(aim).answer_set.draft["text"] == "Minska fallen nattetid"


def test_adding_a_row_keeps_the_revision_the_page_was_opened_with(client, setup):
    """So a save after it still notices that someone saved in between."""
    cast, _project, aim, url = setup
    transitions.save_draft(aim, cast.people["lead"], draft(aim), expected_revision=0)
    client.force_login(cast.people["member"])
    response = client.post(url, {"add_row": "none", "revision": "0", "text": "Mitt utkast"})
    assert response.status_code == 200
    assert 'name="revision" value="0"' in response.content.decode()
    assert "Mitt utkast" in response.content.decode()


def test_a_second_click_on_confirm_lands_on_the_submitted_stage(client, setup):
    cast, _project, aim, url = setup
    client.force_login(cast.people["member"])
    checked = _checked(client, url, 0)
    assert client.post(url, {"action": "confirm", "checked": checked}).status_code == 302
    again = client.post(url, {"action": "confirm", "checked": checked})
    assert again.status_code == 302 and again["Location"] == url
    assert _state(aim).answer_set.versions.count() == 1


@pytest.mark.parametrize("revision", ["²", "9" * 5000])
def test_a_revision_that_is_no_number_is_a_400(client, setup, revision):
    cast, _project, aim, url = setup
    client.force_login(cast.people["member"])
    for action in ("save", "submit"):
        response = client.post(url, {"action": action, "revision": revision, "text": "a"})
        assert response.status_code == 400
    assert _state(aim).answer_set.draft_revision == 0


def test_a_page_with_unsaved_answers_says_so_and_a_conflict_pauses_autosave(client, setup):
    cast, _project, aim, url = setup
    client.force_login(cast.people["member"])
    added = client.post(url, {"add_row": "none", "revision": "0", "text": "Skrivet"})
    assert " data-unsaved>" in added.content.decode()
    assert "data-autosave-paused" not in added.content.decode()
    transitions.save_draft(aim, cast.people["lead"], draft(aim, text="Annas"), expected_revision=0)
    stale = client.post(url, {"action": "save", "revision": "0", "text": "Bos"})
    assert stale.status_code == 409
    assert " data-unsaved data-autosave-paused>" in stale.content.decode()
    assert " data-unsaved>" not in client.get(url).content.decode()
