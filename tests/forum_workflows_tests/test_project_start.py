"""A team starts its improvement project from the workspace's dashboard."""

import pytest

from forum_workflows.models import ImprovementProject

from .people import make_cast
from .workflows import make_workflow, run_on, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user):
    cast = make_cast(make_user)
    run_on(cast.program, make_workflow(stage("aim"), stage("plan")))
    cast.url = f"/sv/workspace/teams/{cast.team.pk}/start/"
    return cast


def test_a_member_starts_the_project_from_the_dashboard(client, cast):
    client.force_login(cast.people["member"])
    dashboard = client.get("/sv/workspace/").content.decode()
    assert f'action="{cast.url}"' in dashboard
    response = client.post(cast.url, {"title": "Färre fall"})
    project = ImprovementProject.objects.get(team=cast.team)
    assert response.status_code == 302
    assert response["Location"] == f"/sv/workspace/projects/{project.pk}/"
    assert project.title == "Färre fall" and project.started_by == cast.people["member"]
    again = client.post(cast.url, {"title": "Igen"})
    assert again.status_code == 409 and "redan" in again.content.decode()
    assert ImprovementProject.objects.filter(team=cast.team).count() == 1


@pytest.mark.parametrize("role", ["sponsor", "contact", "coach", "other_team_member"])
def test_others_cannot_start_it_and_are_not_offered_to(client, cast, role):
    client.force_login(cast.people[role])
    assert f'action="{cast.url}"' not in client.get("/sv/workspace/").content.decode()
    assert client.post(cast.url, {"title": "x"}).status_code == 403
    assert not ImprovementProject.objects.exists()


def test_a_too_long_title_is_refused_and_kept(client, cast):
    client.force_login(cast.people["member"])
    title = "Ö" * 201
    response = client.post(cast.url, {"title": title})
    assert response.status_code == 400 and title in response.content.decode()
    assert not ImprovementProject.objects.exists()


def test_without_a_workflow_the_team_waits_for_its_programme_manager(client, cast):
    cast.program.workflow_version = None
    cast.program.save()
    client.force_login(cast.people["member"])
    dashboard = client.get("/sv/workspace/").content.decode()
    assert f'action="{cast.url}"' not in dashboard
    assert client.post(cast.url, {"title": "x"}).status_code == 403
    assert client.get(cast.url).status_code == 405
