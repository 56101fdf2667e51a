"""The workspace's dashboard after login, by role, and a project's page: members see their
team's ramp, what to do next and the open requests for changes; reviewers a queue of what
waits for them, oldest first, with filters; coaches, faculty and programme managers how far
their teams have come; sponsors and organisation contacts their teams' projects to read.
Nobody sees other teams' work, and every list costs the same queries for 5 teams as for 500."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from forum_workflows import dashboards, transitions
from forum_workflows.models import (
    CoachAssignment,
    ImprovementProject,
    Membership,
    StageState,
    Team,
)
from forum_workflows.permissions import can
from forum_workflows.workflow_blocks import Gate

from .bulk import grow, queries
from .people import LONG_AGO, make_cast, make_team
from .workflows import filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db
State = StageState.State
URL = "/sv/workspace/"
TODAY = datetime.date.today()
PAST = TODAY - datetime.timedelta(days=10)
FUTURE = TODAY + datetime.timedelta(days=10)


def ramp_workflow():
    """Three stages: an aim the coach approves, a repeating PDSA stage after it, and a plan
    only a programme manager approves, open from the start."""
    return make_workflow(
        stage("aim", name_sv="Övergripande mål", name_en="Global aim"),
        stage("pdsa", name_sv="PGSA-cykler", name_en="PDSA cycles", repeating=True),
        stage("plan", name_sv="Handlingsplan", gate=Gate.MANAGER, opens_at_start=True),
    )


@pytest.fixture
def cast(make_user):
    cast = make_cast(make_user)
    run_on(cast.program, ramp_workflow())
    return cast


@pytest.fixture
def project(cast):
    return transitions.start_project(cast.team, cast.people["member"], title="Färre fall")


@pytest.fixture
def other_project(cast):
    return transitions.start_project(cast.other_team, cast.people["other_team_member"])


def _stage(project, key, cycle=1):
    return StageState.objects.select_related("project__team__program").get(
        project=project, stage_key=key, cycle=cycle
    )


def submit(project, key, user, cycle=1):
    state = _stage(project, key, cycle)
    revision = state.answer_set.draft_revision
    return transitions.submit_stage(state, user, filled(state), expected_revision=revision)


def page(client, user, url=URL, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def project_links(content):
    return {int(pk) for pk in re.findall(r'href="/(?:sv|en)/workspace/projects/(\d+)/"', content)}


def stage_links(content):
    return [int(pk) for pk in re.findall(r'href="/(?:sv|en)/workspace/stages/(\d+)/"', content)]


def due(day):
    """How the English pages write a due date."""
    with translation.override("en"):
        return f"Due {date_format(day, 'SHORT_DATE_FORMAT')}"


# Signing in -------------------------------------------------------------------------------------


def test_the_dashboard_asks_signed_out_people_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sv/accounts/login/?next=/sv/workspace/")


def test_the_header_links_to_the_workspace_when_signed_in(client, cast, site_tree):
    assert "/sv/workspace/" not in client.get("/sv/").content.decode()
    assert 'href="/sv/workspace/"' in page(client, cast.people["member"], "/sv/")


def test_logging_in_through_the_sites_form_lands_on_the_workspace(client, make_user):
    make_user(email="tove@example.org", password="a-Good-passw0rd")
    response = client.post(
        "/sv/accounts/login/", {"username": "tove@example.org", "password": "a-Good-passw0rd"}
    )
    assert (response.status_code, response["Location"]) == (302, "/sv/workspace/")
    assert client.get(response["Location"]).status_code == 200


# A team member: the ramp -----------------------------------------------------------------------


def test_a_member_sees_every_stage_with_its_state_due_date_and_what_to_do_next(
    client, cast, project
):
    StageState.objects.filter(project=project, stage_key="aim").update(due_on=PAST)
    StageState.objects.filter(project=project, stage_key="plan").update(due_on=FUTURE)
    content = page(client, cast.people["member"], "/en/workspace/")
    aim, plan = (_stage(project, key) for key in ("aim", "plan"))
    assert "Your team: Hemtjänsten Söder" in content and "Färre fall" in content
    # In the workflow's order, the locked stage without a link, the overdue one said in words.
    ramp = content[content.index('class="ramp"') :]
    assert ramp.index("Global aim") < ramp.index("PDSA cycles") < ramp.index("Handlingsplan")
    assert stage_links(ramp) == [aim.pk, plan.pk]
    assert due(PAST) in ramp and due(FUTURE) in ramp
    assert ramp.count("Overdue") == 1
    assert re.search(
        r"Global aim</a></span>\s*<span class=\"ramp__facts\">\s*<span[^>]*>Open<", ramp
    )
    # What to do next: the first stage the team works on.
    next_step = content[content.index("What to do next") : content.index("Open review comments")]
    assert stage_links(next_step) == [aim.pk] and "Work on Global aim" in next_step
    assert "Overdue" in next_step
    assert project_links(content) == {project.pk}


def test_what_to_do_next_moves_on_and_says_when_everything_waits_for_review(client, cast, project):
    member = cast.people["member"]
    submit(project, "aim", member)
    content = page(client, member, "/en/workspace/")
    assert "Work on Handlingsplan" in content
    submit(project, "plan", member)
    content = page(client, member, "/en/workspace/")
    assert "Work on" not in content
    assert "waiting for review" in content


def test_a_member_sees_the_review_comments_not_answered_by_a_new_submission(client, cast, project):
    member, coach = cast.people["member"], cast.people["coach"]
    aim = submit(project, "aim", member)
    transitions.request_changes(aim, coach, comment="Första: skriv mer.")
    submit(project, "aim", member)
    transitions.request_changes(
        _stage(project, "aim"), coach, comment="Mät <b>fallen</b> & skriv\nvarför."
    )
    transitions.add_comment(_stage(project, "aim"), coach, body="Och en kommentar")
    transitions.add_comment(_stage(project, "aim"), member, body="Teamets egen fråga")
    content = page(client, member, "/en/workspace/")
    comments = content[content.index("Open review comments") : content.index('class="ramp"')]
    assert "Mät &lt;b&gt;fallen&lt;/b&gt; &amp; skriv<br>varför." in comments
    assert "changes requested" in comments and "Och en kommentar" in comments
    assert "Första" not in comments  # answered by the second submission
    assert "Teamets egen fråga" not in comments  # the team's own
    assert "Coach" in comments and set(stage_links(comments)) == {aim.pk}
    assert "Work on Global aim" in content  # sent back: the team works on it again
    submit(project, "aim", member)
    content = page(client, member, "/en/workspace/")
    assert "Mät" not in content and "No review comments are waiting for your team." in content
    transitions.approve_stage(_stage(project, "aim"), coach, comment="Bra!")
    assert "Bra!" not in page(client, member, "/en/workspace/")  # an approval asks nothing


def test_a_repeating_stage_lists_each_cycle_on_the_dashboard_and_the_project_page(
    client, cast, project
):
    member, coach = cast.people["member"], cast.people["coach"]
    transitions.approve_stage(submit(project, "aim", member), coach)
    submit(project, "pdsa", member)
    second = transitions.start_cycle(project, "pdsa", member)
    first = _stage(project, "pdsa")
    for url in ("/en/workspace/", f"/en/workspace/projects/{project.pk}/"):
        content = page(client, cast.people["member"], url)
        cycles = content[content.index('class="ramp__cycles"') :]
        cycles = cycles[: cycles.index("</ol>")]
        assert stage_links(cycles) == [first.pk, second.pk]
        assert "Cycle 1" in cycles and "Cycle 2" in cycles
        assert "Submitted" in cycles and "Open" in cycles


def test_the_project_page_shows_due_dates_and_overdue_stages(client, cast, project):
    StageState.objects.filter(project=project, stage_key="plan").update(due_on=PAST)
    content = page(client, cast.people["sponsor"], f"/en/workspace/projects/{project.pk}/")
    assert due(PAST) in content and content.count("Overdue") == 1
    assert "Work on" not in content  # the sponsor reads


def test_a_team_without_a_project_may_start_it_when_the_program_has_a_workflow(client, cast):
    content = page(client, cast.people["member"], "/en/workspace/")
    assert "Your team has not started its improvement project yet." in content
    assert "Start the project" in content
    cast.program.workflow_version = None
    cast.program.save()
    content = page(client, cast.people["member"], "/en/workspace/")
    assert "Start the project" not in content
    assert "Your programme manager will tell you when it can start." in content


def test_a_former_member_and_people_without_a_role_get_a_friendly_text(client, cast, project):
    for role in ("former_member", "editor"):
        content = page(client, cast.people[role], "/en/workspace/")
        assert "You are not part of a team or a program yet." in content
        assert "Hemtjänsten Söder" not in content and not stage_links(content)


def test_members_of_a_team_that_left_read_its_project_without_the_ramp(client, cast, project):
    Team.objects.filter(pk=cast.team.pk).update(status=Team.Status.LEFT)
    content = page(client, cast.people["member"], "/en/workspace/")
    assert "Your team:" not in content and "What to do next" not in content
    assert "Teams whose work you follow" in content and "Left the program" in content
    assert project_links(content) == {project.pk}


def test_everything_people_wrote_is_escaped(client, cast, project):
    Team.objects.filter(pk=cast.team.pk).update(name="<i>Söder</i>")
    ImprovementProject.objects.filter(pk=project.pk).update(title="<script>x()</script>")
    aim = submit(project, "aim", cast.people["member"])
    transitions.request_changes(aim, cast.people["coach"], comment="<img src=x onerror=y()>")
    for role in ("member", "coach", "manager", "sponsor"):
        content = page(client, cast.people[role])
        assert "<i>Söder</i>" not in content and "&lt;i&gt;Söder&lt;/i&gt;" in content
        assert "<script>x()" not in content and "<img src=x" not in content
    assert "&lt;script&gt;x()&lt;/script&gt;" in page(client, cast.people["member"])


# Reviewers: the queue --------------------------------------------------------------------------


def submitted_at(project, key, when):
    StageState.objects.filter(project=project, stage_key=key).update(submitted_at=when)


def queue_part(content):
    start = content.index('id="queue-heading"')
    return content[start : content.index("</section>", start)]


def test_a_coach_reviews_the_stages_of_the_teams_they_coach_oldest_first(
    client, cast, project, other_project
):
    member, now = cast.people["member"], timezone.now()
    aim, plan = submit(project, "aim", member), submit(project, "plan", member)
    other_aim = submit(other_project, "aim", cast.people["other_team_member"])
    submitted_at(project, "aim", now - datetime.timedelta(days=1))
    submitted_at(project, "plan", now - datetime.timedelta(days=3))
    submitted_at(other_project, "aim", now - datetime.timedelta(days=2))
    # The plan waits for a programme manager: not the coach's.
    assert stage_links(queue_part(page(client, cast.people["coach"]))) == [aim.pk]
    assert stage_links(queue_part(page(client, cast.people["other_team_coach"]))) == [other_aim.pk]
    # Faculty steps in for coaches; managers pass both gates; oldest submission first.
    assert stage_links(queue_part(page(client, cast.people["faculty"]))) == [
        other_aim.pk,
        aim.pk,
    ]
    assert stage_links(queue_part(page(client, cast.people["manager"]))) == [
        plan.pk,
        other_aim.pk,
        aim.pk,
    ]
    other_manager = page(client, cast.people["other_manager"], "/en/workspace/")
    assert "Nothing is waiting for your review." in other_manager
    assert not stage_links(other_manager)
    assert 'id="queue-heading"' not in page(client, cast.people["sponsor"])


def test_a_stage_past_its_due_date_is_marked_overdue_for_review(
    client, cast, project, other_project
):
    submit(project, "aim", cast.people["member"])
    submit(other_project, "aim", cast.people["other_team_member"])
    StageState.objects.filter(project=project, stage_key="aim").update(due_on=PAST)
    StageState.objects.filter(project=other_project, stage_key="aim").update(due_on=FUTURE)
    queue = queue_part(page(client, cast.people["faculty"], "/en/workspace/"))
    items = queue.split('<li class="review-queue__item">')[1:]
    assert len(items) == 2
    overdue = [item for item in items if "Overdue for review" in item]
    assert len(overdue) == 1 and "Hemtjänsten Söder" in overdue[0] and due(PAST) in overdue[0]
    assert due(FUTURE) in queue


def test_the_queue_filters_by_team_and_by_stage(client, cast, project, other_project):
    member = cast.people["member"]
    aim, plan = submit(project, "aim", member), submit(project, "plan", member)
    other_aim = submit(other_project, "aim", cast.people["other_team_member"])
    manager = cast.people["manager"]
    everything = queue_part(page(client, manager, "/en/workspace/"))
    assert 'value="aim">Global aim<' in everything and "All teams" in everything
    team_only = queue_part(page(client, manager, f"/en/workspace/?team={cast.team.pk}"))
    assert sorted(stage_links(team_only)) == sorted([aim.pk, plan.pk])
    assert "Show everything waiting" in team_only
    stage_only = queue_part(page(client, manager, "/en/workspace/?stage=aim"))
    assert sorted(stage_links(stage_only)) == sorted([aim.pk, other_aim.pk])
    both = queue_part(page(client, manager, f"/en/workspace/?team={cast.team.pk}&stage=plan"))
    assert stage_links(both) == [plan.pk]
    assert f'<option value="{cast.team.pk}" selected>' in both


@pytest.mark.parametrize(
    "query",
    ["team=abc", "team=99999", "stage=%3Cscript%3Ex()%3C/script%3E", "team=1.5&stage=aim"],
)
def test_a_filter_the_lists_do_not_offer_is_refused_with_a_message(client, cast, project, query):
    aim = submit(project, "aim", cast.people["member"])
    content = page(client, cast.people["coach"], f"/en/workspace/?{query}", status=400)
    assert "The filter could not be used, so the whole queue is shown." in content
    assert stage_links(queue_part(content)) == [aim.pk]
    assert "<script>x()" not in content


def test_a_bad_page_number_shows_a_page_of_the_queue(client, cast, project):
    aim = submit(project, "aim", cast.people["member"])
    for query in ("page=abc", "page=-1", "page=999"):
        content = page(client, cast.people["coach"], f"/en/workspace/?{query}")
        assert stage_links(queue_part(content)) == [aim.pk]


def test_nobody_reviews_their_own_team(client, cast, project, make_user):
    """Not even as the program's faculty or manager."""
    aim = submit(project, "aim", cast.people["member"])
    for role in ("faculty", "manager"):
        Membership.objects.create(team=cast.team, user=cast.people[role], starts_on=LONG_AGO)
    assert aim.pk not in stage_links(queue_part(page(client, cast.people["manager"])))
    assert "Your team: Hemtjänsten Söder" in page(client, cast.people["manager"], "/en/workspace/")


def test_the_queue_is_exactly_what_the_permissions_module_lets_review(
    cast, project, other_project, make_user
):
    member, other = cast.people["member"], cast.people["other_team_member"]
    submit(project, "aim", member)
    submit(project, "plan", member)
    submit(other_project, "aim", other)
    submit(other_project, "plan", other)
    people = dict(cast.people)
    people["superuser"] = make_user(is_superuser=True)
    people["ended_coach"] = make_user()
    CoachAssignment.objects.create(
        team=cast.team, coach=people["ended_coach"], starts_on=LONG_AGO, ends_on=PAST
    )
    people["faculty_in_team"] = make_user()
    Membership.objects.create(team=cast.team, user=people["faculty_in_team"], starts_on=LONG_AGO)
    cast.program.roles.create(user=people["faculty_in_team"], role="faculty")
    submitted = list(StageState.objects.filter(state=State.SUBMITTED))
    assert len(submitted) == 4
    for role, user in people.items():
        queue = dashboards.review_queue(user, dashboards.workflow_versions(user))
        expected = {state.pk for state in submitted if can(user, "review", state)}
        assert {state.pk for state in queue} == expected, role


def test_the_role_filter_says_what_team_roles_says(cast, make_user):
    from forum_workflows.permissions import team_role_q, team_roles
    from forum_workflows.permissions.people import TEAM_ROLES

    people = {**cast.people, "superuser": make_user(is_superuser=True)}
    for user in people.values():
        for team in (cast.team, cast.other_team):
            found = {
                role
                for role in TEAM_ROLES
                if Team.objects.filter(team_role_q(user, {role}), pk=team.pk).exists()
            }
            assert found == team_roles(user, team) or not user.is_active, (user, team)


# How far teams have come -----------------------------------------------------------------------


def table_rows(content, caption):
    """``{row header text: [cell texts]}`` of the table with ``caption``."""
    start = content.index(f">{caption}</caption>")
    table = content[start : content.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if header:
            text = re.sub(r"<[^>]+>", " ", header.group(1))
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            rows[" ".join(text.split())] = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    return rows


@pytest.fixture
def program_at_work(cast, project, other_project):
    """The team is at its PDSA cycles with its plan overdue; the other team waits for review
    of its aim; a new team has not started; a team that left is listed, not counted."""
    member, coach = cast.people["member"], cast.people["coach"]
    transitions.approve_stage(submit(project, "aim", member), coach)
    StageState.objects.filter(project=project, stage_key="plan").update(due_on=PAST)
    submit(other_project, "aim", cast.people["other_team_member"])
    make_team(cast.program, name="Nya teamet")
    make_team(cast.program, name="Gamla teamet", status=Team.Status.LEFT)
    return cast


def test_a_programme_manager_sees_the_teams_by_stage_with_overdue_and_waiting_counts(
    client, program_at_work, project, other_project
):
    cast = program_at_work
    for role in ("manager", "faculty"):
        content = page(client, cast.people[role], "/en/workspace/")
        assert table_rows(content, "Teams by stage they are at") == {
            "Not started": ["1"],
            "Global aim": ["1"],
            "PDSA cycles": ["1"],
            "Handlingsplan": ["0"],
            "All stages done": ["0"],
        }
        teams = table_rows(content, "The teams of Värdeforum 2026")
        assert teams == {
            "Boendet Norr": ["Global aim", "0 of 3", "0", "1"],
            "Gamla teamet Left the program": ["Not started", "–", "–", "–"],
            "Hemtjänsten Söder": ["PDSA cycles", "1 of 3", "1", "0"],
            "Nya teamet": ["Not started", "–", "–", "–"],
            "All teams taking part": ["1", "1"],
        }
        assert project_links(content) == {project.pk, other_project.pk}
        assert "Värdeforum 2027" not in content
    assert "Värdeforum 2026" not in page(client, cast.people["other_manager"])


def test_a_coach_follows_their_teams_progress_and_only_theirs(client, program_at_work, project):
    cast = program_at_work
    content = page(client, cast.people["coach"], "/en/workspace/")
    assert table_rows(content, "How far the teams you coach have come") == {
        "Hemtjänsten Söder Värdeforum 2026": [
            "PDSA cycles",
            "1 of 3",
            "1",
            "0",
            "Coach log of Hemtjänsten Söder",
        ]
    }
    assert project_links(content) == {project.pk}
    assert "Boendet Norr" not in content and "Nya teamet" not in content


@pytest.mark.parametrize("role", ["sponsor", "contact"])
def test_sponsors_and_contacts_read_their_teams_projects(client, program_at_work, project, role):
    content = page(client, program_at_work.people[role], "/en/workspace/")
    assert table_rows(content, "The teams whose work you follow") == {
        "Hemtjänsten Söder Värdeforum 2026": ["PDSA cycles", "1 of 3", "1", "0"]
    }
    assert project_links(content) == {project.pk} and not stage_links(content)
    assert "What to do next" not in content and 'id="queue-heading"' not in content


@pytest.mark.parametrize(
    "role",
    [
        "member",
        "lead",
        "former_member",
        "other_team_member",
        "sponsor",
        "contact",
        "coach",
        "other_team_coach",
        "faculty",
        "manager",
        "other_manager",
        "editor",
    ],
)
def test_the_dashboard_links_exactly_the_projects_the_permissions_module_shows(
    client, cast, project, other_project, make_user, role
):
    other_program_team = make_team(cast.other_program, name="Annat program")
    cast.other_program.workflow_version = cast.program.workflow_version
    cast.other_program.save()
    elsewhere = transitions.start_project(other_program_team, cast.people["other_manager"])
    user = cast.people[role]
    visible = {p.pk for p in (project, other_project, elsewhere) if can(user, "view", p)}
    assert project_links(page(client, user)) == visible


def test_a_member_who_also_coaches_another_team_gets_both_sections(
    client, cast, project, other_project
):
    member = cast.people["member"]
    CoachAssignment.objects.create(team=cast.other_team, coach=member, starts_on=LONG_AGO)
    other_aim = submit(other_project, "aim", cast.people["other_team_member"])
    submit(project, "aim", member)
    content = page(client, member, "/en/workspace/")
    assert "Your team: Hemtjänsten Söder" in content
    assert stage_links(queue_part(content)) == [other_aim.pk]
    assert "How far the teams you coach have come" in content


# The same queries for 5 teams as for 500 -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("member", URL),
        ("coach", URL),
        ("coach", f"{URL}?stage=aim&page=2"),
        ("faculty", URL),
        ("manager", URL),
        ("manager", f"{URL}?stage=aim&team={{team}}"),
        ("sponsor", URL),
        ("contact", URL),
    ],
)
def test_the_dashboard_costs_as_many_queries_for_500_teams_as_for_5(
    client, cast, project, django_assert_num_queries, role, url
):
    """Each role's sections and the review queue (filtered and paged too)."""
    transitions.request_changes(
        submit(project, "aim", cast.people["member"]), cast.people["coach"], comment="Mer."
    )
    teams = grow(cast, 5)
    url = url.format(team=teams[0].pk)
    client.force_login(cast.people[role])
    client.get(url)  # caches filled (the site's root paths, the menu)
    small, content = queries(client, url)
    assert len(project_links(content)) >= (1 if role == "member" else 5)
    teams += grow(cast, 495)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    if role != "member":
        assert len(project_links(response.content.decode())) >= 500
