"""Moving a project to a newer workflow version in the admin: preview, confirm, refusals."""

import pytest

from forum_workflows import transitions
from forum_workflows.models import ImprovementProject
from tests.forms_tests.factories import block, make_definition

from .people import make_cast
from .workflows import make_workflow, republish_workflow, run_on, stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def setup(make_user):
    cast = make_cast(make_user)
    form = make_definition(block("short_text", "text", required=True))
    workflow = make_workflow(stage("aim", form=form))
    run_on(cast.program, workflow)
    project = transitions.start_project(cast.team, cast.people["member"])
    newer = republish_workflow(workflow, stage("aim", form=form), stage("plan", form=form))
    return cast, project, newer, f"/admin/projects/{project.pk}/move/"


def _version(project):
    return ImprovementProject.objects.get(pk=project.pk).workflow_version.number


def test_the_manager_sees_the_plan_and_confirms_the_move(client, setup):
    cast, project, newer, url = setup
    client.force_login(cast.people["manager"])
    inspect = client.get(f"/admin/forum_workflows/improvementproject/inspect/{project.pk}/")
    assert url in inspect.content.decode()
    preview = client.get(url)
    assert preview.status_code == 200
    assert "Plan" in preview.content.decode() and _version(project) == 1
    response = client.post(url, {"version": newer.number, "from": project.workflow_version_id})
    assert response.status_code == 302 and "/inspect/" in response["Location"]
    assert _version(project) == 2
    assert project.stage_states.filter(stage_key="plan").exists()


@pytest.mark.parametrize("role", ["other_manager", "coach", "editor"])
def test_others_are_refused(client, setup, role):
    cast, project, newer, url = setup
    client.force_login(cast.people[role])
    response = client.post(url, {"version": newer.number, "from": project.workflow_version_id})
    assert response.status_code == 302
    assert response["Location"] in ("/admin/", f"/admin/login/?next={url}")
    assert _version(project) == 1


def test_a_version_that_is_not_newer_is_not_found_and_a_stale_confirm_is_refused(client, setup):
    cast, project, newer, url = setup
    client.force_login(cast.people["manager"])
    assert client.get(url, {"version": 1}).status_code == 404
    assert client.get(url, {"version": "x"}).status_code == 404
    stale = client.post(url, {"version": newer.number, "from": "999"})
    assert stale.status_code == 409 and _version(project) == 1


def test_a_move_the_plan_refuses_is_answered_with_the_reason(client, setup):
    cast, project, _newer, url = setup
    aim = project.stage_states.get()
    transitions.add_comment(aim, cast.people["coach"], body="Börja här.")
    other = make_definition(block("short_text", "text"))
    dropping = republish_workflow(project.workflow_version.workflow, stage("aim2", form=other))
    client.force_login(cast.people["manager"])
    response = client.post(url, {"version": dropping.number, "from": project.workflow_version_id})
    assert response.status_code == 409
    assert "teamet har arbetat med steget" in response.content.decode()
    assert _version(project) == 1
