"""Workflow definitions in the admin (a snippet under Program: drafts, preview, publishing,
versions) and the programme managers' read-only list of improvement projects under People."""

import datetime
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.users.models import UserProfile

from forms.models import AnswerSet
from forum_workflows import transitions
from forum_workflows.models import (
    ImprovementProject,
    ProjectWorkflow,
    StageHistory,
    StageState,
    WorkflowVersion,
)
from forum_workflows.workflow_blocks import Gate
from tests.forms_tests.factories import block, make_definition

from .people import make_cast, make_team
from .workflows import filled, make_workflow, run_on, stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

State = StageState.State
WORKFLOWS = "/admin/snippets/forum_workflows/projectworkflow/"
PROJECTS = "/admin/forum_workflows/improvementproject/"
#: What the data migration gives the "Programme managers" group (granted here until it exists).
MANAGER_CODENAMES = ["add", "change", "delete", "view", "publish"]


@pytest.fixture
def cast(make_user):
    cast = make_cast(make_user)
    workflow_type = ContentType.objects.get_for_model(ProjectWorkflow)
    permissions = [
        Permission.objects.get_or_create(
            content_type=workflow_type,
            codename=f"{action}_projectworkflow",
            defaults={"name": f"Can {action} workflow"},
        )[0]
        for action in MANAGER_CODENAMES
    ]
    Group.objects.get(name="Programme managers").permissions.add(*permissions)
    return cast


def signed_in(client, user):
    """``user`` signed in, with the admin in English (the source language of its strings)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def refused(response):
    """Wagtail's "Sorry, you do not have permission": back to the admin's home page."""
    return (response.status_code, response.get("Location")) == (302, "/admin/")


# Workflow definitions ---------------------------------------------------------------------------


def stage_value(key, form, **options):
    """One stage as the admin's form posts it (checkboxes left out when unticked)."""
    value = {
        "key": key,
        "name_sv": options.pop("name_sv", key.replace("_", " ").capitalize()),
        "name_en": options.pop("name_en", ""),
        "form": form.pk,
        "gate": options.pop("gate", Gate.COACH),
        "guide": "",
        "depends_on": options.pop("depends_on", ""),
        "due_days_after_start": options.pop("due_days_after_start", ""),
        "due_before_session": options.pop("due_before_session", ""),
    }
    for flag in ("opens_at_start", "optional", "repeating", "continuing"):
        if options.pop(flag, False):
            value[flag] = "on"
    assert not options, options
    return ("stage", value)


def workflow_data(*stages, publish=False, **fields):
    data = nested_form_data(
        {
            "name": fields.pop("name", "Förbättringsrampen"),
            "slug": fields.pop("slug", "rampen"),
            "description": fields.pop("description", ""),
            "stages": streamfield(list(stages)),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    assert not fields, fields
    return data


@pytest.fixture
def worksheet(db):
    return make_definition(block("short_text", "text", required=True), name="Globalt mål-blad")


def test_a_manager_saves_a_workflow_as_a_draft_then_publishes_a_version(client, cast, worksheet):
    manager = cast.people["manager"]
    client = signed_in(client, manager)
    assert client.get(f"{WORKFLOWS}add/").status_code == 200
    stages = [
        stage_value("global_aim", worksheet, name_sv="Globalt mål", due_days_after_start="30"),
        stage_value("measurement", worksheet, continuing=True, gate=Gate.FEEDBACK),
    ]
    response = client.post(f"{WORKFLOWS}add/", workflow_data(*stages))
    assert response.status_code == 302
    workflow = ProjectWorkflow.objects.get(slug="rampen")
    assert not workflow.live and not WorkflowVersion.objects.exists()

    response = client.post(f"{WORKFLOWS}edit/{workflow.pk}/", workflow_data(*stages, publish=True))
    assert response.status_code == 302
    version = WorkflowVersion.objects.get(workflow=workflow)
    assert (version.number, version.published_by) == (1, manager)
    assert [stage["key"] for stage in version.stages] == ["global_aim", "measurement"]
    assert version.stages[1]["depends_on"] == ["global_aim"]
    assert version.stages[0]["form_version"] == worksheet.latest_version.pk

    # Editing and publishing again makes version 2 and leaves version 1 as it was.
    stages.append(stage_value("pdsa", worksheet, repeating=True, depends_on="global_aim"))
    response = client.post(f"{WORKFLOWS}edit/{workflow.pk}/", workflow_data(*stages, publish=True))
    assert response.status_code == 302
    assert list(workflow.versions.values_list("number", flat=True)) == [1, 2]
    assert len(WorkflowVersion.objects.get(pk=version.pk).stages) == 2


@pytest.mark.parametrize(
    ("stages", "problem"),
    [
        (
            lambda form, unpublished: [
                stage_value("global_aim", form),
                stage_value("pdsa", form, depends_on="measurement"),
                stage_value("measurement", form, depends_on="pdsa"),
            ],
            "The stages wait for each other in a loop and would never open: ",
        ),
        (
            lambda form, unpublished: [stage_value("global_aim", unpublished)],
            "global_aim: Publish the stage&#x27;s form first.",
        ),
    ],
    ids=["loop", "unpublished form"],
)
def test_a_publish_the_rules_refuse_shows_the_problems_and_writes_no_version(
    client, cast, worksheet, stages, problem
):
    unpublished = make_definition(block("short_text", "text"), publish=False)
    workflow = make_workflow(stage("global_aim", form=worksheet), publish=False)
    client = signed_in(client, cast.people["manager"])
    data = workflow_data(*stages(worksheet, unpublished), publish=True)
    response = client.post(f"{WORKFLOWS}edit/{workflow.pk}/", data)
    assert response.status_code == 200
    assert problem in response.content.decode()
    workflow.refresh_from_db()
    assert not workflow.live
    assert not WorkflowVersion.objects.exists()


def test_the_preview_lists_the_stages_and_what_stops_publishing(client, cast, worksheet):
    unpublished = make_definition(block("short_text", "text"), name="Utkastblad", publish=False)
    workflow = make_workflow(stage("global_aim", form=worksheet), publish=False)
    client = signed_in(client, cast.people["manager"])
    url = reverse(
        ProjectWorkflow.snippet_viewset.get_url_name("preview_on_edit"), args=[workflow.pk]
    )
    data = workflow_data(
        stage_value("global_aim", worksheet, name_sv="Globalt mål", name_en="Global aim"),
        stage_value(
            "measurement",
            unpublished,
            name_sv="Mätning",
            gate=Gate.FEEDBACK,
            continuing=True,
            due_days_after_start="30",
        ),
        stage_value(
            "pdsa",
            worksheet,
            name_sv="PDSA",
            gate=Gate.MANAGER,
            depends_on="global_aim,measurement",
            optional=True,
            repeating=True,
            due_before_session="2",
        ),
    )
    assert client.post(url, data).json()["is_valid"] is True

    content = client.get(url).content.decode()
    problems = content.index('id="workflow-problems"')
    # The model lists the problems as the site renders the preview: in its default language.
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext("Publish the stage's form first.")
    assert escape(f"measurement: {message}") in content[problems:]
    assert problems < content.index('id="stage-global_aim"')
    for text in [
        "Globalt mål",
        '<span lang="en">(Global aim)</span>',
        "<code>global_aim</code>",
        "Globalt mål-blad –",
        "published (version 1)",
        "Utkastblad",
        "not published",
        "coach approval",
        "coach feedback: approved when submitted, the coach may comment",
        "programme manager approval",
        "at the start",
        "after Globalt mål (global_aim), Mätning (measurement)",
        "30 days after the program starts",
        "by learning session number 2",
        "no due date",
    ]:
        assert text in content, text
    pdsa = content[content.index('id="stage-pdsa"') :]
    assert "optional" in pdsa and "repeating" in pdsa and "continuing" not in pdsa
    # Nothing was saved: the preview shows unsaved changes.
    assert ProjectWorkflow.objects.get(pk=workflow.pk).stage_specs()[0]["name"]["en"] == ""


def test_the_versions_page_lists_each_published_version(client, cast, worksheet):
    manager = cast.people["manager"]
    workflow = make_workflow(stage("global_aim", form=worksheet), user=manager)
    workflow.stages = json.dumps(
        [
            stage("global_aim", form=worksheet),
            stage("measurement", form=worksheet, depends_on="global_aim"),
        ]
    )
    workflow.save_revision().publish(skip_permission_checks=True)
    run_on(cast.program, workflow)
    url = f"{WORKFLOWS}versions/{workflow.pk}/"

    page = signed_in(client, manager).get(url)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(row["version"].number, row["stage_count"]) for row in rows] == [(2, 2), (1, 1)]
    assert [row["publisher"] for row in rows] == ["", "Manager"]
    assert [row["version"].program_count for row in rows] == [1, 0]
    assert workflow.name in page.content.decode()
    # Reachable from the list and the edit view.
    assert url in client.get(WORKFLOWS).content.decode()
    assert url in client.get(f"{WORKFLOWS}edit/{workflow.pk}/").content.decode()
    assert signed_in(client, cast.people["other_manager"]).get(url).status_code == 200

    draft = make_workflow(stage("global_aim", form=worksheet), publish=False)
    listing = client.get(WORKFLOWS).context["object_list"]
    assert {row.pk: row.latest_version_number for row in listing} == {
        workflow.pk: 2,
        draft.pk: None,
    }
    empty = client.get(f"{WORKFLOWS}versions/{draft.pk}/")
    assert "has not been published yet" in empty.content.decode()
    assert client.get(f"{WORKFLOWS}versions/999999/").status_code == 404


@pytest.mark.parametrize("path", ["", "add/", "edit/{pk}/", "versions/{pk}/", "delete/{pk}/"])
def test_editors_may_not_set_up_workflows(client, cast, worksheet, path):
    workflow = make_workflow(stage("global_aim", form=worksheet))
    url = WORKFLOWS + path.format(pk=workflow.pk)
    assert refused(signed_in(client, cast.people["editor"]).get(url))
    member = signed_in(client, cast.people["member"]).get(url)
    assert (member.status_code, member["Location"]) == (302, f"/admin/login/?next={url}")


def test_a_published_workflow_cannot_be_deleted_and_says_why(client, cast, worksheet):
    workflow = make_workflow(stage("global_aim", form=worksheet))
    client = signed_in(client, cast.people["manager"])
    response = client.post(f"{WORKFLOWS}delete/{workflow.pk}/", follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert ProjectWorkflow.objects.filter(pk=workflow.pk).exists()

    draft = make_workflow(stage("global_aim", form=worksheet), publish=False)
    assert client.post(f"{WORKFLOWS}delete/{draft.pk}/").status_code == 302
    assert not ProjectWorkflow.objects.filter(pk=draft.pk).exists()


def test_a_published_workflow_is_kept_by_the_bulk_delete_too(client, cast, worksheet):
    workflow = make_workflow(stage("global_aim", form=worksheet))
    url = f"/admin/bulk/forum_workflows/projectworkflow/delete/?id={workflow.pk}"
    response = signed_in(client, cast.people["manager"]).post(url, follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert ProjectWorkflow.objects.filter(pk=workflow.pk).exists()


# Improvement projects ---------------------------------------------------------------------------


def _ramp():
    """Globalt mål (coach approval, due at the start: overdue until submitted) → Mätning and
    PDSA (repeating) side by side."""
    return make_workflow(
        stage("global_aim", name_sv="Globalt mål", name_en="Global aim", due_days_after_start=0),
        stage("measurement", name_sv="Mätning", gate=Gate.FEEDBACK, continuing=True,
              depends_on="global_aim"),
        stage("pdsa", name_sv="PDSA", gate=Gate.FEEDBACK, repeating=True, depends_on="global_aim"),
    )  # fmt: skip


def _state(project, key, cycle=1):
    return StageState.objects.get(project=project, stage_key=key, cycle=cycle)


def _submit(project, user, key):
    state = _state(project, key)
    transitions.submit_stage(
        state, user, filled(state), expected_revision=state.answer_set.draft_revision
    )
    return _state(project, key)


@pytest.fixture
def projects(cast, make_user):
    """The team's project: global aim approved (with a comment), measurement submitted, PDSA
    open. The other team's: global aim submitted. A team of the other program: just started."""
    people = cast.people
    run_on(cast.program, _ramp())
    run_on(cast.other_program, _ramp())
    team = transitions.start_project(cast.team, people["member"], title="Färre fall nattetid")
    _submit(team, people["member"], "global_aim")
    transitions.approve_stage(_state(team, "global_aim"), people["coach"], comment="Tydligt mål")
    _submit(team, people["member"], "measurement")
    other = transitions.start_project(
        cast.other_team, people["other_team_member"], title="Rätt läkemedel"
    )
    _submit(other, people["other_team_member"], "global_aim")
    foreign_team = make_team(cast.other_program, name="Boendet i Annat program")
    foreign = transitions.start_project(foreign_team, people["other_manager"], title="Annat")
    return {"team": team, "other": other, "foreign": foreign}


def listed(response):
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_a_manager_lists_the_projects_of_their_programs_only(client, cast, projects, make_user):
    rows = listed(signed_in(client, cast.people["manager"]).get(PROJECTS))
    assert rows == [projects["other"], projects["team"]]  # by team name
    assert listed(signed_in(client, cast.people["other_manager"]).get(PROJECTS)) == [
        projects["foreign"]
    ]
    superuser = make_user(is_superuser=True, is_staff=True)
    assert len(listed(signed_in(client, superuser).get(PROJECTS))) == 3


def test_the_list_shows_team_program_version_current_stages_progress_and_overdue(
    client, cast, projects
):
    page = signed_in(client, cast.people["manager"]).get(PROJECTS)
    team, other = (
        next(row for row in page.context["object_list"] if row.pk == projects[name].pk)
        for name in ("team", "other")
    )
    assert (team.approved_count, team.stage_count, team.overdue_count) == (2, 3, 0)
    assert (other.approved_count, other.stage_count, other.overdue_count) == (0, 3, 0)
    content = page.content.decode()
    version = cast.program.workflow_version
    for text in [
        "Hemtjänsten Söder",
        "Färre fall nattetid",
        "Värdeforum 2026",
        str(version),
        "PDSA",  # the team's current stage (measurement is approved on submit)
        "Global aim",  # the other team's, in the reader's language
        "2 of 3",
        "0 of 3",
    ]:
        assert text in content, text
    assert "Rätt läkemedel" in content and "Annat program" not in content
    assert f'href="{PROJECTS}inspect/{projects["team"].pk}/"' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda cast: {"program": cast.program.pk}, ["other", "team"]),
        (lambda cast: {"program": cast.other_program.pk}, []),  # not theirs: nothing
        (lambda cast: {"stage": "global_aim"}, ["other"]),  # working on it now
        (lambda cast: {"stage": "pdsa"}, ["team"]),
        (lambda cast: {"state": State.SUBMITTED}, ["other"]),
        (lambda cast: {"state": State.APPROVED}, ["team"]),
        (lambda cast: {"stage": "global_aim", "state": State.APPROVED}, ["team"]),
        (lambda cast: {"stage": "pdsa", "state": State.LOCKED}, ["other"]),
        (lambda cast: {"coach": cast.people["coach"].pk}, ["team"]),
        (lambda cast: {"coach": cast.people["other_team_coach"].pk}, ["other"]),
        (lambda cast: {"overdue": "yes"}, ["team"]),
        (lambda cast: {"overdue": "no"}, ["other"]),
        (lambda cast: {"q": "söder"}, ["team"]),  # the team's name
        (lambda cast: {"q": "läkemedel"}, ["other"]),  # the project's title
        (lambda cast: {"q": "annat"}, []),  # another program's project
    ],
    ids=[
        "program", "other program", "stage", "stage pdsa", "state", "state approved",
        "stage and state", "locked stage", "coach", "other coach", "overdue", "not overdue",
        "search team", "search title", "search other program",
    ],
)  # fmt: skip
def test_filters_and_search(client, cast, projects, query, expected):
    # The team's PDSA, open, was due yesterday: the team is behind. The other team's locked
    # PDSA, due as well, is not overdue: it waits for the global aim's review.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    StageState.objects.filter(stage_key="pdsa").update(due_on=yesterday)
    rows = listed(signed_in(client, cast.people["manager"]).get(PROJECTS, query(cast)))
    assert rows == [projects[name] for name in expected]


def test_filters_offer_only_the_managers_programs_and_coaches(client, cast, projects, make_user):
    stranger = make_user(full_name="Coach I Annat Program")
    foreign = projects["foreign"].team
    foreign.coach_assignments.create(coach=stranger)
    content = signed_in(client, cast.people["manager"]).get(PROJECTS).content.decode()
    assert f"?program={cast.program.pk}" in content
    assert f"?program={cast.other_program.pk}" not in content
    assert f"?coach={cast.people['coach'].pk}" in content
    assert f"?coach={stranger.pk}" not in content
    assert "?stage=measurement" in content and "?state=submitted" in content


@pytest.mark.parametrize(
    ("role", "sent_to"),
    [
        ("member", f"/admin/login/?next={PROJECTS}"),  # no admin access at all
        ("coach", f"/admin/login/?next={PROJECTS}"),
        ("faculty", f"/admin/login/?next={PROJECTS}"),
        ("editor", "/admin/"),  # in the admin, but not a manager: Wagtail's "no permission"
    ],
)
def test_people_who_manage_no_program_may_not_open_the_project_list(client, cast, role, sent_to):
    response = signed_in(client, cast.people[role]).get(PROJECTS)
    assert (response.status_code, response["Location"]) == (302, sent_to)


def test_the_record_shows_stages_timeline_and_comments(client, cast, projects):
    project = projects["team"]
    people = cast.people
    transitions.add_comment(_state(project, "pdsa"), people["coach"], body="Börja smått")
    page = signed_in(client, people["manager"]).get(f"{PROJECTS}inspect/{project.pk}/")
    assert page.status_code == 200

    timeline = page.context["timeline"]
    changes = [entry for entry in timeline if entry.kind == "change"]
    assert len(changes) == StageHistory.objects.filter(stage_state__project=project).count()
    actions = [entry for entry in timeline if entry.kind == "action"]
    translation.activate("en")  # the request left the admin's language active; lazy texts follow
    assert [entry.what for entry in actions] == [
        "Project started",
        "Stage submitted",
        "Stage approved",
        "Stage submitted",
        "Comment written",
    ]
    assert [entry.at for entry in timeline] == sorted(entry.at for entry in timeline)
    approval = next(entry for entry in changes if entry.what == "submitted → approved")
    assert (approval.stage, approval.who) == ("Global aim", "Coach")
    opened = next(entry for entry in changes if entry.stage == "PDSA" and "→ open" in entry.what)
    assert opened.who == "automatic"  # opened when the global aim was approved
    assert actions[0].stage == "" and actions[0].who == "Member"

    comments = page.context["comments"]
    assert [(c["stage"], c["who"], c["decision"], c["body"]) for c in comments] == [
        ("Global aim", "Coach", "approved", "Tydligt mål"),
        ("PDSA", "Coach", "", "Börja smått"),
    ]
    content = page.content.decode()
    for text in ["Timeline", "Tydligt mål", "Börja smått", "Project started", "Hemtjänsten Söder"]:
        assert text in content, text


def test_the_record_keeps_reasons_and_shows_overdue_stages(client, cast, projects):
    project = projects["team"]
    aim = _state(project, "global_aim")
    transitions.reopen_stage(aim, cast.people["manager"], reason="Målet behöver ett datum")
    StageState.objects.filter(pk=aim.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    page = signed_in(client, cast.people["manager"]).get(f"{PROJECTS}inspect/{project.pk}/")
    reopened = [entry for entry in page.context["timeline"] if entry.what == "approved → reopened"]
    assert [(entry.who, entry.reason) for entry in reopened] == [
        ("Manager", "Målet behöver ett datum")
    ]
    stages = {stage["key"]: stage for stage in page.context["stages"]}
    assert stages["global_aim"]["overdue"] and not stages["pdsa"]["overdue"]
    assert stages["global_aim"]["state"] == "reopened"


def test_only_the_programs_managers_open_a_projects_record(client, cast, projects, make_user):
    url = f"{PROJECTS}inspect/{projects['team'].pk}/"
    superuser = make_user(is_superuser=True, is_staff=True)
    for user in (cast.people["manager"], superuser):
        assert signed_in(client, user).get(url).status_code == 200
    for role in ("other_manager", "editor"):
        assert refused(signed_in(client, cast.people[role]).get(url))
    member = signed_in(client, cast.people["member"]).get(url)
    assert (member.status_code, member["Location"]) == (302, f"/admin/login/?next={url}")


def test_projects_are_read_only_here_even_for_a_superuser(client, cast, projects, make_user):
    """Projects change through the team's work and its reviews only: no add, edit, delete or
    history page of their own (the record shows the audit entries)."""
    project = projects["team"]
    superuser = make_user(is_superuser=True, is_staff=True)
    for user in (cast.people["manager"], superuser):
        client = signed_in(client, user)
        for path in ("create/", f"edit/{project.pk}/", f"delete/{project.pk}/"):
            assert refused(client.get(PROJECTS + path)), path
            assert refused(client.post(PROJECTS + path, {"title": "Ändrad"})), path
        assert client.get(f"{PROJECTS}history/{project.pk}/").status_code == 404
    assert ImprovementProject.objects.get(pk=project.pk).title == "Färre fall nattetid"


def test_the_list_reads_with_the_same_queries_for_few_and_many(
    client, cast, projects, django_assert_num_queries
):
    client = signed_in(client, cast.people["manager"])
    client.get(PROJECTS)  # warm Wagtail's per-process caches

    with CaptureQueriesContext(connection) as few:
        assert client.get(PROJECTS).status_code == 200

    version = cast.program.workflow_version
    organisation = cast.team.organisation
    teams = [
        make_team(cast.program, organisation, name=f"Team {number:03}") for number in range(60)
    ]
    made = ImprovementProject.objects.bulk_create(
        ImprovementProject(team=team, workflow_version=version, started_by=cast.people["member"])
        for team in teams
    )
    answer_sets = AnswerSet.objects.bulk_create(
        AnswerSet(definition_id=spec["form"]) for _project in made for spec in version.stages
    )
    answers = iter(answer_sets)
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    StageState.objects.bulk_create(
        StageState(
            project=project,
            stage_key=spec["key"],
            state=[State.APPROVED, State.DRAFT, State.LOCKED][position],
            answer_set=next(answers),
            due_on=overdue,
        )
        for project in made
        for position, spec in enumerate(version.stages)
    )

    with django_assert_num_queries(len(few)):
        response = client.get(PROJECTS)
    assert len(response.context["object_list"]) == 2 + 60  # every row rendered
    row = next(row for row in response.context["object_list"] if row.team.name == "Team 000")
    assert (row.approved_count, row.stage_count, row.overdue_count) == (1, 3, 1)  # the draft
