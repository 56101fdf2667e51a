"""A stage's history page: its submitted versions, the changes between any two, and the review
thread, for those who may see the stage."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms.models import AnswerVersion
from forum_workflows import transitions
from forum_workflows.models import StageComment, StageHistory, StageState
from tests.forms_tests.factories import block, make_definition

from .people import make_cast
from .workflows import filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db
State = StageState.State


def _form():
    return make_definition(
        block("short_text", "text", "Målet", "The aim", required=True),
        block("long_text", "note", "Anteckning", "Note"),
        block("group", "causes", "Orsaker", "Causes", min_rows=0, max_rows=3,
              fields=[block("short_text", "cause", "Orsak", "Cause")]),
    )  # fmt: skip


@pytest.fixture
def setup(make_user):
    cast = make_cast(make_user)
    run_on(
        cast.program,
        make_workflow(
            stage("aim", form=_form(), optional=True), stage("plan", opens_at_start=True)
        ),
    )
    project = transitions.start_project(cast.team, cast.people["member"], title="Färre fall")
    aim = project.stage_states.get(stage_key="aim")
    return cast, aim, f"/sv/workspace/stages/{aim.pk}/history/"


def _fresh(aim):
    return StageState.objects.get(pk=aim.pk)


def _submit(aim, user, **values):
    """Submit the stage as ``user`` with ``values`` (``text`` required)."""
    state = _fresh(aim)
    form = filled(state, **values)
    transitions.submit_stage(state, user, form, expected_revision=state.answer_set.draft_revision)


def _submit_twice(cast, aim):
    """Version 1 by the member, changes requested by the coach, version 2 by the lead."""
    _submit(aim, cast.people["member"], text="Färre fall", note="Nattetid")
    transitions.request_changes(_fresh(aim), cast.people["coach"], comment="Gör målet mätbart")
    _submit(aim, cast.people["lead"], text="Färre fall, hälften till juni", note="Nattetid")


def _page(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _versions_table(soup):
    return soup.find(id="versions-heading").find_parent("section").find("table")


def _diff_rows(soup):
    table = soup.select_one("table.diff-table")
    if table is None:
        return None
    return {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in table.tbody.find_all("tr")
    }


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


# Versions and the comparison -------------------------------------------------------------------


def test_every_submitted_version_is_listed_newest_first_with_its_author(client, setup):
    cast, aim, url = setup
    _submit_twice(cast, aim)
    response = _get(client, cast.people["sponsor"], url)
    assert response.status_code == 200
    rows = _versions_table(_page(response)).tbody.find_all("tr")
    assert [row.th.get_text(strip=True) for row in rows] == ["2", "1"]
    assert [row.find_all("td")[0].get_text(strip=True) for row in rows] == ["Lead", "Member"]
    assert all(row.find("time")["datetime"] for row in rows)


def test_the_latest_version_is_compared_with_the_one_before_by_default(client, setup):
    cast, aim, url = setup
    _submit_twice(cast, aim)
    transitions.request_changes(_fresh(aim), cast.people["coach"], comment="Mer")
    _submit(aim, cast.people["member"], text="Version tre", note="Nattetid")
    soup = _page(_get(client, cast.people["member"], url))
    assert soup.select_one("#compare-from option[selected]")["value"] == "2"
    assert soup.select_one("#compare-to option[selected]")["value"] == "3"
    assert _diff_rows(soup) == {"Målet": ["Färre fall, hälften till juni", "Version tre"]}


def test_the_diff_shows_changed_fields_before_and_after_and_leaves_out_the_rest(
    client, setup, in_english
):
    cast, aim, url = setup
    _submit_twice(cast, aim)
    transitions.request_changes(_fresh(aim), cast.people["coach"], comment="Mer")
    _submit(aim, cast.people["member"], text="Färre fall, hälften till juni", note="")
    url = url.replace("/sv/", "/en/")
    response = _get(client, cast.people["coach"], url, **{"from": "1", "to": "3"})
    assert response.status_code == 200
    assert _diff_rows(_page(response)) == {
        "The aim": ["Färre fall", "Färre fall, hälften till juni"],
        "Note": ["Nattetid", "(empty)"],
    }
    # Any two, also backwards.
    backwards = _diff_rows(_page(client.get(url, {"from": "2", "to": "1"})))
    assert backwards == {"The aim": ["Färre fall, hälften till juni", "Färre fall"]}


def test_each_version_links_to_what_changed_in_it(client, setup):
    cast, aim, url = setup
    _submit_twice(cast, aim)
    table = _versions_table(_page(_get(client, cast.people["member"], url)))
    links = [link["href"] for link in table.find_all("a")]
    assert links == ["?from=1&to=2#compare-heading"]


def test_two_versions_with_the_same_answers_show_that_nothing_changed(client, setup, in_english):
    cast, aim, url = setup
    _submit(aim, cast.people["member"], text="Samma")
    transitions.request_changes(_fresh(aim), cast.people["coach"], comment="Kolla igen")
    _submit(aim, cast.people["member"], text="Samma")
    response = _get(client, cast.people["member"], url.replace("/sv/", "/en/"))
    assert _diff_rows(_page(response)) is None
    assert "Nothing changed from version 1 to version 2." in response.content.decode()


def test_a_single_version_is_shown_read_only_with_nothing_to_compare(client, setup, in_english):
    cast, aim, url = setup
    _submit(aim, cast.people["member"], text="Färre fall nattetid")
    response = _get(client, cast.people["member"], url.replace("/sv/", "/en/"))
    assert response.status_code == 200
    soup = _page(response)
    assert soup.select_one("form.compare-form") is None
    answers = soup.select_one("dl.answers")
    assert answers.dt.get_text(strip=True) == "The aim"
    assert answers.dd.get_text(strip=True) == "Färre fall nattetid"
    assert "there is nothing to compare yet" in soup.get_text()


def test_a_stage_never_submitted_says_so(client, setup, in_english):
    cast, _aim, url = setup
    response = _get(client, cast.people["member"], url.replace("/sv/", "/en/"))
    assert response.status_code == 200
    assert "This stage has not been submitted yet." in response.content.decode()
    assert _versions_table(_page(response)) is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "x", "to": "2"}, "Choose two versions of this stage from the lists."),
        ({"from": "1", "to": ""}, "Choose two versions of this stage from the lists."),
        ({"from": "-1", "to": "2"}, "Choose two versions of this stage from the lists."),
        ({"from": "1", "to": "9"}, "Choose two versions of this stage from the lists."),
        ({"from": "1_0", "to": "2"}, "Choose two versions of this stage from the lists."),
        ({"from": "²", "to": "2"}, "Choose two versions of this stage from the lists."),
        ({"from": "9" * 40, "to": "2"}, "Choose two versions of this stage from the lists."),
        ({"from": "2", "to": "2"}, "Choose two different versions to compare."),
        ({"from": "2"}, "Choose two different versions to compare."),
    ],
)
def test_bad_choices_of_versions_get_a_message_and_a_400(
    client, setup, in_english, params, message
):
    cast, aim, url = setup
    _submit_twice(cast, aim)
    response = _get(client, cast.people["member"], url.replace("/sv/", "/en/"), **params)
    assert response.status_code == 400
    soup = _page(response)
    assert soup.select_one(".error-summary").get_text(strip=True) == message
    assert _diff_rows(soup) is None
    assert len(_versions_table(soup).tbody.find_all("tr")) == 2  # the page is still there


def test_another_stages_version_number_is_refused(client, setup):
    """Numbers are looked up among this stage's versions only."""
    cast, aim, url = setup
    _submit(aim, cast.people["member"])
    plan = aim.project.stage_states.get(stage_key="plan")
    _submit(plan, cast.people["member"])
    transitions.request_changes(_fresh(plan), cast.people["coach"], comment="Mer")
    _submit(plan, cast.people["member"], text="Igen")
    response = _get(client, cast.people["member"], url, **{"from": "1", "to": "2"})
    assert response.status_code == 400


def test_a_stage_never_submitted_refuses_any_choice(client, setup):
    cast, _aim, url = setup
    response = _get(client, cast.people["member"], url, **{"from": "1", "to": "2"})
    assert response.status_code == 400


# Who may see it --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("member", 200),
        ("lead", 200),
        ("sponsor", 200),
        ("contact", 200),
        ("coach", 200),
        ("faculty", 200),
        ("manager", 200),
        ("other_team_member", 403),
        ("other_team_coach", 403),
        ("former_member", 403),
        ("other_manager", 403),
        ("editor", 403),
        ("inactive", 302),
    ],
)
def test_those_who_see_the_stage_see_its_history(client, setup, role, status):
    cast, aim, url = setup
    _submit(aim, cast.people["member"])
    assert _get(client, cast.people[role], url).status_code == status
    assert client.get(url, {"from": "x"}).status_code == (400 if status == 200 else status)


def test_signed_out_people_are_asked_to_sign_in(client, setup):
    _cast, _aim, url = setup
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sv/accounts/login/?next=")


def test_an_unknown_stage_is_not_found(client, setup):
    cast, _aim, _url = setup
    missing = StageState.objects.order_by("-pk").first().pk + 1
    response = _get(client, cast.people["member"], f"/sv/workspace/stages/{missing}/history/")
    assert response.status_code == 404


def test_the_page_links_back_to_the_stage(client, setup):
    cast, aim, url = setup
    soup = _page(_get(client, cast.people["member"], url))
    assert soup.find("a", href=f"/sv/workspace/stages/{aim.pk}/")


# Escaping --------------------------------------------------------------------------------------


def test_answers_and_comments_are_escaped(client, setup):
    cast, aim, url = setup
    evil = "<script>alert(1)</script>"
    _submit(aim, cast.people["member"], text=f"Före {evil}", note="a")
    transitions.request_changes(_fresh(aim), cast.people["coach"], comment=f"Nej {evil}")
    _submit(aim, cast.people["member"], text=f"Efter {evil}", note="b")
    single = _get(client, cast.people["member"], url, **{"from": "1", "to": "2"})
    content = single.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert _diff_rows(_page(single))["Målet"] == [f"Före {evil}", f"Efter {evil}"]


def test_a_single_versions_answers_are_escaped(client, setup):
    cast, aim, url = setup
    _submit(aim, cast.people["member"], text="<script>alert(1)</script>")
    content = _get(client, cast.people["member"], url).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# The review thread -----------------------------------------------------------------------------


def _thread(soup):
    entries = soup.find(id="thread-heading").find_parent("section").select("ol > li")
    return [" ".join(entry.get_text(" ", strip=True).split()) for entry in entries]


def test_the_thread_shows_comments_decisions_and_state_changes_in_time_order(
    client, setup, in_english
):
    cast, aim, url = setup
    transitions.add_comment(_fresh(aim), cast.people["coach"], body="Börja med målet")
    _submit(aim, cast.people["member"])
    transitions.request_changes(
        _fresh(aim), cast.people["coach"], comment="Gör målet mätbart", field_key="text"
    )
    transitions.add_comment(_fresh(aim), cast.people["member"], body="Orsak?", field_key="cause")
    _submit(aim, cast.people["member"], text="Hälften färre fall")
    transitions.approve_stage(_fresh(aim), cast.people["coach"], comment="Bra")
    transitions.reopen_stage(_fresh(aim), cast.people["manager"], reason="Ny mätning")
    thread = _thread(_page(_get(client, cast.people["sponsor"], url.replace("/sv/", "/en/"))))
    expected = [
        ("State set to open", "by Member"),
        ("Coach", "Comment", "Börja med målet"),
        ("State changed from open to submitted", "by Member"),
        (
            "Coach",
            "Changes requested",
            "about version 1",
            "on the field “The aim”",
            "Gör målet mätbart",
        ),
        ("State changed from submitted to changes requested", "by Coach"),
        ("Member", "Comment", "on the field “Causes › Cause”", "Orsak?"),
        ("State changed from changes requested to submitted", "by Member"),
        ("Coach", "Approved", "about version 2", "Bra"),
        ("State changed from submitted to approved", "by Coach"),
        ("State changed from approved to reopened", "by Manager", "Reason: Ny mätning"),
    ]
    assert len(thread) == len(expected), thread
    for text, parts in zip(thread, expected, strict=True):
        assert all(part in text for part in parts), (text, parts)
    # A request for changes shows its comment once, not again as the state change's reason.
    assert sum("Gör målet mätbart" in text for text in thread) == 1


def test_a_waived_stage_shows_the_reason(client, setup, in_english):
    cast, aim, url = setup
    transitions.waive_stage(_fresh(aim), cast.people["manager"], reason="Görs i annat projekt")
    thread = _thread(_page(_get(client, cast.people["member"], url.replace("/sv/", "/en/"))))
    assert "State changed from open to waived" in thread[-1]
    assert "Reason: Görs i annat projekt" in thread[-1]


def test_a_change_the_program_made_itself_says_so(client, setup, in_english):
    cast, aim, url = setup
    StageHistory.objects.create(stage_state=aim, from_state=State.OPEN, to_state=State.WAIVED)
    thread = _thread(_page(_get(client, cast.people["member"], url.replace("/sv/", "/en/"))))
    assert "automatically" in thread[-1]


def test_a_comment_on_a_field_no_longer_in_the_form_shows_its_key(client, setup):
    cast, aim, url = setup
    StageComment.objects.create(
        stage_state=aim, author=cast.people["coach"], body="Gammalt", field_key="old_field"
    )
    thread = _thread(_page(_get(client, cast.people["member"], url)))
    assert "old_field" in thread[-1]


# Queries ---------------------------------------------------------------------------------------


def _add_rounds(cast, aim, rounds):
    """``rounds`` more versions, field comments, decisions and state changes, in bulk."""
    state = _fresh(aim)
    first = state.answer_set.versions.get(number=1)
    last = state.answer_set.versions.count()
    start = timezone.now()
    AnswerVersion.objects.bulk_create(
        AnswerVersion(
            answer_set=state.answer_set,
            number=last + index,
            form_version=first.form_version,
            data={"text": f"Mål {index}", "note": f"Anteckning {index}"},
            author=cast.people["member" if index % 2 else "lead"],
        )
        for index in range(1, rounds + 1)
    )
    moment = [start + datetime.timedelta(seconds=index) for index in range(rounds)]
    StageComment.objects.bulk_create(
        StageComment(
            stage_state=state,
            author=cast.people["coach"],
            body=f"Kommentar {index}",
            field_key="note" if index % 2 else "",
            decision=StageComment.Decision.CHANGES if index % 3 == 0 else "",
            answer_version=first if index % 3 == 0 else None,
            created_at=moment[index],
        )
        for index in range(rounds)
    )
    StageHistory.objects.bulk_create(
        StageHistory(
            stage_state=state,
            from_state=State.SUBMITTED,
            to_state=State.CHANGES_REQUESTED,
            actor=cast.people["coach"] if index % 2 else None,
            at=moment[index],
            reason=f"Skäl {index}",
        )
        for index in range(rounds)
    )


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"from": "1", "to": "2"}])
def test_the_page_makes_as_many_queries_for_thirty_versions_and_comments_as_for_two(
    client, setup, django_assert_num_queries, params
):
    cast, aim, url = setup
    _submit(aim, cast.people["member"])
    transitions.add_comment(_fresh(aim), cast.people["coach"], body="Första", field_key="text")
    _add_rounds(cast, aim, 1)  # two versions, two comments
    client.force_login(cast.people["coach"])
    client.get(url)  # the first request warms caches (site root paths) that later ones reuse
    small = _queries(client, url, **params)
    _add_rounds(cast, aim, 28)
    assert _fresh(aim).answer_set.versions.count() == 30
    assert _fresh(aim).comments.count() == 30
    with django_assert_num_queries(small):
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(_versions_table(_page(response)).tbody.find_all("tr")) == 30
