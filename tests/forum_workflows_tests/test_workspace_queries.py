"""A stage's page and its history cost as many queries in a program of 500 teams as in one of
5, for the team, its coach (with the review form) and the programme manager."""

import pytest

from forum_workflows import transitions
from forum_workflows.models import StageState

from .bulk import grow, queries
from .people import make_cast
from .workflows import filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user):
    cast = make_cast(make_user)
    run_on(
        cast.program,
        make_workflow(
            stage("aim"),
            stage("extra", optional=True, opens_at_start=True),
            stage("pdsa", repeating=True, opens_at_start=True),
        ),
    )
    project = transitions.start_project(cast.team, cast.people["member"])
    cast.aim = project.stage_states.get(stage_key="aim")
    transitions.submit_stage(
        cast.aim, cast.people["member"], filled(cast.aim), expected_revision=0
    )
    transitions.add_comment(cast.aim, cast.people["coach"], body="Bra början", field_key="text")
    cast.pdsa = project.stage_states.get(stage_key="pdsa")
    return cast


@pytest.mark.parametrize(
    ("role", "path", "shows"),
    [
        ("member", "aim", "Bra början"),
        ("coach", "aim", 'name="review-decision"'),
        ("manager", "extra", 'name="waive-reason"'),
        ("member", "pdsa", "Starta en ny cykel"),
        ("sponsor", "aim/history", "Minska fallen nattetid"),
    ],
)
def test_a_stage_page_costs_as_many_queries_for_500_teams_as_for_5(
    client, cast, django_assert_num_queries, role, path, shows
):
    key, _slash, rest = path.partition("/")
    state = cast.aim if key == "aim" else cast.pdsa if key == "pdsa" else None
    state = state or StageState.objects.get(project=cast.aim.project_id, stage_key=key)
    url = f"/sv/workspace/stages/{state.pk}/" + (f"{rest}/" if rest else "")
    grow(cast, 3)  # with the cast's two teams: 5
    client.force_login(cast.people[role])
    client.get(url)  # caches filled (the site's root paths, the menu)
    small, content = queries(client, url)
    assert shows in content
    grow(cast, 495)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200
