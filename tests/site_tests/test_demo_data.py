"""The demo data command builds a working site and can run again without duplicating anything."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from home.models import HomePage


def counts():
    from forms.models import AnswerSet, AnswerVersion, FormDefinition, FormVersion
    from forum_workflows.models import (
        Attendance,
        CoachAssignment,
        ImprovementProject,
        LearningSession,
        Membership,
        MembersOnlyArea,
        Organisation,
        Program,
        ProgramRole,
        ProjectWorkflow,
        StageComment,
        StageHistory,
        StageState,
        Team,
        WorkflowVersion,
    )
    from home.models import Organiser

    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(), Page, Locale, Site, Organiser,
            Program, LearningSession, FormDefinition, FormVersion,
            Organisation, Team, Membership, CoachAssignment, ProgramRole, Attendance,
            MembersOnlyArea, ProjectWorkflow, WorkflowVersion,
            ImprovementProject, StageState, StageComment, StageHistory, AnswerSet, AnswerVersion,
        )
    }  # fmt: skip


def test_demo_data_is_idempotent_and_prints_the_logins(db, capsys):
    call_command("load_demo_data")
    first = counts()
    output = capsys.readouterr().out
    call_command("load_demo_data")
    assert counts() == first
    assert first["Locale"] == 2
    assert first["LearningSession"] == 7
    # The demo's fishbone worksheet, and the improvement ramp's 14 forms and its workflow.
    assert first["FormVersion"] == 15 and first["WorkflowVersion"] == 1
    assert (first["Program"], first["Organisation"], first["Team"]) == (2, 3, 3)
    assert first["Membership"] == 6 and first["CoachAssignment"] == 2
    assert first["Attendance"] == 5  # the first program's members at its first session
    assert first["MembersOnlyArea"] == 1  # the first program's session materials
    assert "admin@example.org" in output
    assert "team@example.org" in output
    assert first["ImprovementProject"] == 2  # the second program has not started yet


def test_the_demo_projects_show_every_stage_state_and_the_work_behind_it(db, capsys):
    """Two teams' projects, built through the transitions: every state of a stage occurs, with
    the reviews, comments, cycles and measurements a tour of the demo looks for."""
    from forms.models import AnswerVersion
    from forum_workflows.models import Program, StageComment, StageHistory, StageState

    call_command("load_demo_data")
    State = StageState.State
    assert set(StageState.objects.values_list("state", flat=True)) == set(State.values)
    assert not Program.objects.filter(workflow_version=None).exists()

    def stage(team, key, cycle=1):
        return StageState.objects.get(project__team__name=team, stage_key=key, cycle=cycle)

    home_care = "Hemtjänsten Södermalm"
    decisions = [
        AnswerVersion.objects.filter(answer_set=stage(home_care, "pdsa", cycle).answer_set_id)
        .get()
        .data["decision"]
        for cycle in (1, 2)
    ]
    assert decisions == ["adapt", "adopt"]
    assert stage(home_care, "pdsa", 3).state == State.DRAFT
    measurement = stage(home_care, "measurement")
    assert measurement.state == State.APPROVED
    assert measurement.answer_set.versions.count() == 3  # the baseline, then data added twice
    assert stage(home_care, "self_rating").state == State.WAIVED
    reopened = StageHistory.objects.get(to_state=State.REOPENED)
    assert reopened.actor.email == "programledare@example.org" and reopened.reason
    assert stage(home_care, "playbook").state == State.SUBMITTED

    residential = stage("Boendet på Ersta", "global_aim")
    assert residential.state == State.CHANGES_REQUESTED
    request = residential.comments.get(decision=StageComment.Decision.CHANGES)
    assert request.field_key == "expected_results"
    assert StageComment.objects.filter(decision=StageComment.Decision.APPROVE).exclude(body="")
    assert StageComment.objects.filter(decision="", field_key="").exists()
    assert StageComment.objects.filter(decision="").exclude(field_key="").exists()


def test_demo_site_serves_both_languages_and_the_admin_login(client, db):
    call_command("load_demo_data")
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == {"sv", "en"}
    assert Site.objects.get(is_default_site=True).root_page.specific.locale.language_code == "sv"
    assert client.get("/sv/").status_code == 200
    assert client.get("/en/").status_code == 200
    assert client.get("/admin/login/").status_code == 200


def test_demo_logins_work(client, db):
    from home.management.commands.load_demo_data import DEMO_PASSWORD

    call_command("load_demo_data")
    assert client.login(username="redaktor@example.org", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    # The programme manager sees the teams of the programs they manage.
    assert client.login(username="programledare@example.org", password=DEMO_PASSWORD)
    teams = client.get("/admin/forum_workflows/team/")
    assert teams.status_code == 200
    assert "Hemtjänsten Södermalm" in teams.content.decode()
