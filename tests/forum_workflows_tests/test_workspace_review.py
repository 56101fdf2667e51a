"""Review, comments, waiving, reopening and cycles from a stage's page: each a POST that comes
back to the page, or shows it again with the reason and what was typed."""

import pytest
from wagtail.log_actions import registry
from wagtail.models import PageLogEntry

from forum_workflows import transitions
from forum_workflows.models import StageComment, StageState
from tests.forms_tests.factories import block, choice, make_definition

from .people import make_cast
from .workflows import filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db
State = StageState.State


def _pdsa_form():
    return make_definition(
        block("short_text", "text", required=True),
        block("single_choice", "decision", "Beslut", role="pdsa_decision", widget="radio",
              choices=[choice("adopt", "Behåll", "Adopt"), choice("adapt", "Anpassa", "Adapt")]),
    )  # fmt: skip


@pytest.fixture
def cast(make_user):
    cast = make_cast(make_user)
    run_on(
        cast.program,
        make_workflow(
            stage("aim"),
            stage("extra", optional=True, depends_on="aim"),
            stage(
                "pdsa", form=_pdsa_form(), repeating=True, depends_on="aim", gate="coach_feedback"
            ),
        ),
    )
    cast.project = transitions.start_project(cast.team, cast.people["member"])
    cast.aim = cast.project.stage_states.get(stage_key="aim")
    return cast


def _fresh(state):
    return StageState.objects.get(pk=state.pk)


def _submitted(cast, text="Minska fallen nattetid"):
    transitions.submit_stage(
        cast.aim, cast.people["member"], filled(cast.aim, text=text), expected_revision=0
    )
    return _fresh(cast.aim)


def _url(state, action):
    return f"/sv/workspace/stages/{state.pk}/{action}/"


def test_the_coach_sees_the_review_form_only_on_a_submitted_stage(client, cast):
    client.force_login(cast.people["coach"])
    assert (
        'name="review-decision"'
        not in client.get(f"/sv/workspace/stages/{cast.aim.pk}/").content.decode()
    )
    _submitted(cast)
    page = client.get(f"/sv/workspace/stages/{cast.aim.pk}/").content.decode()
    assert 'name="review-decision"' in page and "Minska fallen nattetid" in page


def test_the_coach_approves_and_the_next_stages_open(client, cast):
    aim = _submitted(cast)
    client.force_login(cast.people["coach"])
    response = client.post(
        _url(aim, "review"), {"review-decision": "approve", "review-body": "Bra!"}
    )
    assert response.status_code == 302
    assert _fresh(aim).state == State.APPROVED
    assert cast.project.stage_states.get(stage_key="extra").state == State.OPEN
    assert StageComment.objects.get(stage_state=aim).body == "Bra!"


def test_a_request_for_changes_needs_a_comment_and_keeps_what_was_chosen(client, cast):
    aim = _submitted(cast)
    client.force_login(cast.people["coach"])
    response = client.post(
        _url(aim, "review"), {"review-decision": "changes_requested", "review-field_key": "text"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "aria-invalid" in content and 'value="text" selected' in content
    assert _fresh(aim).state == State.SUBMITTED


def test_a_request_for_changes_on_one_field_reaches_the_team(client, cast, mailoutbox):
    aim = _submitted(cast)
    client.force_login(cast.people["coach"])
    response = client.post(
        _url(aim, "review"),
        {
            "review-decision": "changes_requested",
            "review-body": "Skriv <b>vilka</b> nätter.",
            "review-field_key": "text",
        },
    )
    assert response.status_code == 302
    assert _fresh(aim).state == State.CHANGES_REQUESTED
    assert StageComment.objects.get(stage_state=aim).field_key == "text"
    client.force_login(cast.people["member"])
    page = client.get(f"/sv/workspace/stages/{aim.pk}/").content.decode()
    assert "Skriv &lt;b&gt;vilka&lt;/b&gt; nätter." in page  # escaped
    assert "Text" in page  # the field's label, not its key


@pytest.mark.parametrize("role", ["member", "sponsor", "other_team_coach"])
def test_people_who_may_not_review_are_refused(client, cast, role):
    aim = _submitted(cast)
    client.force_login(cast.people[role])
    response = client.post(_url(aim, "review"), {"review-decision": "approve"})
    assert response.status_code == 403
    assert _fresh(aim).state == State.SUBMITTED


def test_reviewing_a_stage_that_is_no_longer_submitted_is_a_conflict(client, cast):
    aim = _submitted(cast)
    transitions.approve_stage(aim, cast.people["faculty"])
    client.force_login(cast.people["coach"])
    response = client.post(_url(aim, "review"), {"review-decision": "approve"})
    assert response.status_code == 409
    assert StageComment.objects.filter(stage_state=aim).count() == 1


def test_an_unknown_field_or_decision_is_a_clear_400(client, cast):
    aim = _submitted(cast)
    client.force_login(cast.people["coach"])
    assert client.post(_url(aim, "review"), {"review-decision": "maybe"}).status_code == 400
    response = client.post(
        _url(aim, "review"),
        {"review-decision": "approve", "review-field_key": "nope"},
    )
    assert response.status_code == 400
    assert _fresh(aim).state == State.SUBMITTED


def test_opening_an_action_url_goes_to_the_stage_page(client, cast):
    """A reload or the language switch on a page shown after a refusal lands on the stage."""
    client.force_login(cast.people["coach"])
    for action in ("review", "comments", "waive", "reopen", "cycles"):
        response = client.get(_url(cast.aim, action).replace("/sv/", "/en/"))
        assert response.status_code == 302
        assert response["Location"] == f"/en/workspace/stages/{cast.aim.pk}/"
    assert client.get(_url(cast.aim, "autosave")).status_code == 405


def test_after_a_refused_comment_the_answer_form_still_posts_to_the_stage(client, cast):
    client.force_login(cast.people["member"])
    refused = client.post(_url(cast.aim, "comments"), {"comment-body": ""})
    assert refused.status_code == 400
    assert f'action="/sv/workspace/stages/{cast.aim.pk}/"' in refused.content.decode()


def test_an_approval_may_name_a_field(client, cast):
    aim = _submitted(cast)
    client.force_login(cast.people["coach"])
    client.post(
        _url(aim, "review"),
        {"review-decision": "approve", "review-body": "Tydligt!", "review-field_key": "text"},
    )
    comment = StageComment.objects.get(stage_state=aim)
    assert (comment.decision, comment.field_key) == ("approve", "text")


# Comments ------------------------------------------------------------------------------------


def test_members_and_coaches_comment_on_the_stage_or_a_field(client, cast):
    client.force_login(cast.people["member"])
    response = client.post(_url(cast.aim, "comments"), {"comment-body": "En fråga"})
    assert response.status_code == 302 and response["Location"].endswith("#comments-heading")
    client.force_login(cast.people["coach"])
    client.post(
        _url(cast.aim, "comments"), {"comment-body": "Om texten", "comment-field_key": "text"}
    )
    comments = list(StageComment.objects.filter(stage_state=cast.aim).order_by("pk"))
    assert [(c.body, c.field_key, c.decision) for c in comments] == [
        ("En fråga", "", ""),
        ("Om texten", "text", ""),
    ]
    assert _fresh(cast.aim).state == State.OPEN  # a comment changes no state


def test_an_empty_comment_is_refused_and_sponsors_only_read(client, cast):
    client.force_login(cast.people["coach"])
    response = client.post(_url(cast.aim, "comments"), {"comment-body": "   "})
    assert response.status_code == 400
    client.force_login(cast.people["sponsor"])
    page = client.get(f"/sv/workspace/stages/{cast.aim.pk}/").content.decode()
    assert 'name="comment-body"' not in page
    assert client.post(_url(cast.aim, "comments"), {"comment-body": "Hej"}).status_code == 403
    assert not StageComment.objects.exists()


def test_a_too_long_comment_is_refused_with_the_text_kept(client, cast):
    client.force_login(cast.people["coach"])
    text = "å" * 5001
    response = client.post(_url(cast.aim, "comments"), {"comment-body": text})
    assert response.status_code == 400 and text in response.content.decode()


# Waive and reopen -----------------------------------------------------------------------------


def _approved(cast):
    aim = _submitted(cast)
    transitions.approve_stage(aim, cast.people["coach"])
    return _fresh(aim)


def test_the_manager_waives_an_optional_stage_with_a_reason(client, cast):
    _approved(cast)
    extra = cast.project.stage_states.get(stage_key="extra")
    client.force_login(cast.people["manager"])
    assert (
        'name="waive-reason"' in client.get(f"/sv/workspace/stages/{extra.pk}/").content.decode()
    )
    assert client.post(_url(extra, "waive"), {"waive-reason": ""}).status_code == 400
    response = client.post(_url(extra, "waive"), {"waive-reason": "Gjort i fjol"})
    assert response.status_code == 302
    assert _fresh(extra).state == State.WAIVED
    assert extra.history.last().reason == "Gjort i fjol"


def test_a_required_stage_cannot_be_waived_and_coaches_cannot_waive(client, cast):
    client.force_login(cast.people["manager"])
    assert (
        'name="waive-reason"'
        not in client.get(f"/sv/workspace/stages/{cast.aim.pk}/").content.decode()
    )
    assert client.post(_url(cast.aim, "waive"), {"waive-reason": "x"}).status_code == 409
    extra = cast.project.stage_states.get(stage_key="extra")
    client.force_login(cast.people["coach"])
    assert client.post(_url(extra, "waive"), {"waive-reason": "x"}).status_code == 403
    assert _fresh(extra).state == State.LOCKED


def test_the_manager_reopens_an_approved_stage_with_a_reason_and_it_is_audited(client, cast):
    aim = _approved(cast)
    client.force_login(cast.people["manager"])
    response = client.post(_url(aim, "reopen"), {"reopen-reason": "Nya siffror"})
    assert response.status_code == 302
    assert _fresh(aim).state == State.REOPENED
    entry = registry.get_logs_for_instance(_fresh(aim)).filter(
        action="forum_workflows.reopen_stage"
    )
    assert entry.exists()
    assert not PageLogEntry.objects.filter(action="forum_workflows.reopen_stage").exists()
    # Again: no longer approved.
    assert client.post(_url(aim, "reopen"), {"reopen-reason": "Igen"}).status_code == 409


# Cycles ---------------------------------------------------------------------------------------


def test_a_repeating_stage_lists_its_cycles_with_decisions_and_starts_a_new_one(client, cast):
    _approved(cast)
    pdsa = cast.project.stage_states.get(stage_key="pdsa")
    client.force_login(cast.people["member"])
    assert client.post(_url(pdsa, "cycles")).status_code == 409  # cycle 1 is open and unused
    transitions.submit_stage(
        pdsa,
        cast.people["member"],
        filled(pdsa, text="Test 1", decision="adapt"),
        expected_revision=0,
    )
    response = client.post(_url(pdsa, "cycles"))
    second = cast.project.stage_states.get(stage_key="pdsa", cycle=2)
    assert response.status_code == 302
    assert response["Location"] == f"/sv/workspace/stages/{second.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Cykel 1" in page and "Cykel 2" in page
    assert "beslut: Anpassa" in page
    assert f"/sv/workspace/stages/{pdsa.pk}/" in page  # the other cycle is a link


def test_sponsors_cannot_start_a_cycle(client, cast):
    _approved(cast)
    pdsa = cast.project.stage_states.get(stage_key="pdsa")
    client.force_login(cast.people["sponsor"])
    assert client.post(_url(pdsa, "cycles")).status_code == 403


def test_every_post_needs_the_csrf_token(cast, make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.people["coach"])
    assert client.post(_url(cast.aim, "comments"), {"comment-body": "Hej"}).status_code == 403
    assert not StageComment.objects.exists()
