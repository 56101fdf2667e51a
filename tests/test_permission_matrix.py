"""The permission matrix (DESIGN.md §5): every URL that takes an object or a permission, opened
by every role, answers with the exact status code, and for a redirect the exact target.

``URLS`` below is the policy at a glance: each URL names who gets what, built from the named
policies above it (``ANY_MANAGER``: the People admin's lists; ``ITS_MANAGER``: an object of one
program, for that program's managers; and so on). Cells that are wrong today are written as
``bug(expected, reason)``: the test expects what the product should do and is a strict xfail
until the code does it, so fixing the code turns the xfail into a failure that asks for the
``bug(...)`` to be removed.

The data (DESIGN.md §5's cast, pages, sessions and sign-ups, a form with a file a member
uploaded, documents) is built once for the module inside a transaction that is rolled back after
its last test (DESIGN.md §8); each test runs in its own savepoint inside it, so whatever a
request writes (sessions, messages) is gone before the next one.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from forms.answers import save_version
from forms.builder import SUBMIT, AnswerForm
from forum_workflows import transitions
from forum_workflows.models import (
    Attendance,
    CoachNetworkMembership,
    LearningSessionPage,
    MembersOnlyArea,
    ProgramPage,
    SignUp,
    StandardPage,
)
from forum_workflows.workflow_blocks import Gate
from home.site_tree import ensure_site_tree
from tests.forms_tests import files
from tests.forms_tests.factories import block, make_answer_set, make_definition
from tests.forum_workflows_tests.factories import make_session
from tests.forum_workflows_tests.people import make_cast
from tests.forum_workflows_tests.workflows import filled, make_workflow, run_on, stage

pytestmark = pytest.mark.django_db

# Roles (the rows) -------------------------------------------------------------------------------

ROLES = [
    "anonymous",
    "inactive",  # a member of the team whose account is switched off
    "former_member",  # of the team; the membership ended yesterday
    "other_team_member",  # of another team of the same program
    "member",  # of the team; uploaded the file below
    "sponsor",  # of the team
    "contact",  # of the team's organisation
    "other_team_coach",
    "coach",  # of the team; in the coach network
    "faculty",  # of the team's program
    "other_manager",  # programme manager of another program
    "manager",  # programme manager of the team's program
    "editor",  # the "Editors" group
    "superuser",  # the reference
]
ADMIN_USERS = ("other_manager", "manager", "editor", "superuser")  # may open the Wagtail admin
NO_ADMIN_ACCESS = tuple(role for role in ROLES if role not in ADMIN_USERS)
SIGNED_OUT = ("anonymous", "inactive")  # an inactive person's session signs nobody in

# Outcomes (the cells) ---------------------------------------------------------------------------

LOGIN = "302 to /sv/accounts/login/?next=<the URL>"  # the site's own login page
ADMIN_LOGIN = "302 to /admin/login/?next=<the URL>"
REFUSED = "302 to /admin/"  # Wagtail's "Sorry, you do not have permission" inside the admin
LANDING = "302 to /sv/workspace/"  # a signed-in person opening the login page
TO_REGISTER = "302 to /admin/attendance/"  # records are made in the register, not one by one
TO_EDIT = "302 to the edit page"  # a published workflow is kept: deleting it says why
SAVED = "302 to a workspace page"  # a change made: back to the stage (or the new cycle, the log)


@dataclass(frozen=True)
class Bug:
    """What the product should answer and does not yet: a strict xfail with its reason."""

    expected: object
    reason: str


bug = Bug


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, **cells):
    """A site page for signed-in people: the others go to the site's login page."""
    return everyone(outcome) | dict.fromkeys(SIGNED_OUT, LOGIN) | cells


def admin(*, editor, managers, manager=None, superuser=200):
    """An admin page: people without admin access go to the admin's login page.

    ``managers`` is what both programme managers get; ``manager`` overrides it for the manager
    of the cast's program."""
    return dict.fromkeys(NO_ADMIN_ACCESS, ADMIN_LOGIN) | {
        "editor": editor,
        "other_manager": managers,
        "manager": managers if manager is None else manager,
        "superuser": superuser,
    }


# Why cells are bugs today (each is one thing to fix): none at the moment; add a constant with
# the reason here and mark the cells with bug(expected, REASON).

# Policies, named once.
PUBLIC = everyone(200)
ADMIN_HOME = admin(editor=200, managers=200)
SUPERUSER_ONLY = admin(editor=REFUSED, managers=REFUSED)
EDITORS = admin(editor=200, managers=REFUSED)
#: Any programme manager; what they see there is scoped to the programs they manage.
ANY_MANAGER = admin(editor=REFUSED, managers=200)
#: One object of the cast's program: its own programme manager only.
ITS_MANAGER = admin(editor=REFUSED, managers=REFUSED, manager=200)
HISTORY_LEAK = {
    "editor": REFUSED,
    "other_manager": REFUSED,
}
#: Members-only content: the program's teams, coaches, faculty and managers, and editors (who
#: may edit it); not former members, sponsors, organisation contacts or other programs' people.
MEMBERS_ONLY = signed_in(200) | dict.fromkeys(
    ("former_member", "sponsor", "contact", "other_manager"), 403
)
#: The team's work: its members, coach, sponsor, organisation contact, and the program's
#: faculty and managers; nobody else (former members and other teams' people included).
TEAM_SEES = signed_in(403) | dict.fromkeys(
    ("member", "sponsor", "contact", "coach", "faculty", "manager", "superuser"), 200
)
#: A change to the team's work: refused (403) unless a cell says otherwise.
TEAM_READS = signed_in(403)
#: The coach log: the team's coaches and the program's faculty read it; nobody else.
COACHES_ONLY = signed_in(403) | dict.fromkeys(("coach", "faculty", "superuser"), 200)
#: Programs and their sessions: editors run the program site (migration 0002) and managers
#: set up their cohorts.
PROGRAM_SETUP = admin(editor=200, managers=200)
ITS_PROGRAM_SETUP = admin(editor=200, managers=REFUSED, manager=200)
#: Form definitions: programme managers set them up; editors do not.
FORM_SETUP = admin(editor=REFUSED, managers=200)
#: Import, export, versions, JSON Schema: an admin user without the permission gets a 403 that
#: says what is missing (forms/admin_views.py), not Wagtail's redirect.
FORM_TRANSFER = admin(editor=403, managers=200)

#: URL name -> (URL, {role: expected}[, POST data]). ``{...}`` parts are the module's objects
#: (see build()). With POST data the URL is posted to (with the CSRF token's check on, as a
#: browser would), inside the test's savepoint: what one role changes, the next does not see.
URLS = {
    # The public site.
    "home_sv": ("/sv/", PUBLIC),
    "home_en": ("/en/", PUBLIC),
    "program_page": ("/sv/program/", PUBLIC),
    "session_page": ("/sv/program/seminarium/", PUBLIC),
    "program_calendar": ("/sv/calendar/program/{program_slug}.ics", PUBLIC),
    "session_calendar": ("/sv/calendar/session/{session}.ics", PUBLIC),
    # No public page shows the other program: its calendar is nobody's, managers' included.
    "hidden_program_calendar": ("/sv/calendar/program/{other_program_slug}.ics", everyone(404)),
    # ... but a session's calendar goes to those signed up for it (the other manager is).
    "hidden_session_calendar": (
        "/sv/calendar/session/{hidden_session}.ics",
        everyone(404) | {"other_manager": 200},
    ),
    "search": ("/sv/search/?q=V%C3%A4rdeforum", PUBLIC),
    "sitemap": ("/sitemap.xml", PUBLIC),
    "document": ("{document_url}", PUBLIC),
    # In a collection restricted to signed-in people.
    "signed_in_document": (
        "{private_document_url}",
        signed_in(200) | dict.fromkeys(SIGNED_OUT, LOGIN),
    ),
    # Members-only content of the cast's program: a page and a document in a collection.
    "members_only_page": ("/sv/material/", MEMBERS_ONLY),
    "members_only_document": ("{members_only_document_url}", MEMBERS_ONLY),
    # Accounts.
    "login": ("/sv/accounts/login/", signed_in(LANDING, anonymous=200, inactive=200)),
    "logout": ("/sv/accounts/logout/", everyone(405)),  # a GET shows the button to POST
    "password_reset": ("/sv/accounts/password-reset/", PUBLIC),
    "password_reset_forged_link": (
        "/sv/accounts/password-reset/{member_uid}/forged-token/",
        everyone(400),  # a page that says so and offers a new link
    ),
    "signin_link_request": ("/sv/accounts/sign-in-link/", PUBLIC),
    # A forged invitation or sign-in link: a page that says so, whoever opens it.
    "invitation_forged_link": ("/sv/invitation/forged-token/", everyone(400)),
    "signin_forged_link": ("/sv/accounts/sign-in-link/forged-token/", everyone(400)),
    # Learning sessions: the cast's session is a team learning session, open for sign-up. It is
    # for the members and coaches of the program's active teams, and for its faculty and managers.
    "sign_up": (
        "/sv/sessions/{session}/sign-up/",
        signed_in(403)
        | dict.fromkeys(
            ("member", "other_team_member", "coach", "other_team_coach", "faculty", "manager"), 200
        )
        | {"superuser": 200},
    ),
    "my_sessions": ("/sv/my/sessions/", signed_in(200)),
    "notification_settings": ("/sv/my/notifications/", signed_in(200)),
    # The workspace: everyone signed in has a dashboard (what it lists is scoped); the team's
    # project, its stages and their history for everyone who may see the team.
    "workspace": ("/sv/workspace/", signed_in(200)),
    "workspace_project": ("/sv/workspace/projects/{project}/", TEAM_SEES),
    "workspace_stage": ("/sv/workspace/stages/{stage}/", TEAM_SEES),
    "workspace_history": ("/sv/workspace/stages/{stage}/history/", TEAM_SEES),
    # The team's members work on the stages (a POST each; "confirm" with a forged check: 400).
    "workspace_save_post": (
        "/sv/workspace/stages/{stage}/",
        TEAM_READS | dict.fromkeys(("member", "superuser"), SAVED),
        {"action": "save", "revision": "0"},
    ),
    "workspace_confirm_post": (
        "/sv/workspace/stages/{stage}/",
        TEAM_READS | dict.fromkeys(("member", "superuser"), 400),
        {"action": "confirm", "checked": "forged"},
    ),
    "workspace_autosave_post": (
        "/sv/workspace/stages/{stage}/autosave/",
        # The script's JSON endpoint: signed out is a 401 the page explains, not the login page.
        TEAM_READS | dict.fromkeys(SIGNED_OUT, 401) | dict.fromkeys(("member", "superuser"), 200),
        {"revision": "0"},
    ),
    "workspace_new_cycle_post": (
        "/sv/workspace/stages/{cycles_stage}/cycles/",
        TEAM_READS | dict.fromkeys(("member", "superuser"), SAVED),
        {},
    ),
    # Comments: everyone who takes part in the work; sponsors and contacts read.
    "workspace_comment_post": (
        "/sv/workspace/stages/{stage}/comments/",
        TEAM_READS | dict.fromkeys(("member", "coach", "faculty", "manager", "superuser"), SAVED),
        {"comment-body": "Hej"},
    ),
    # Reviews: the team's coach, the program's faculty and managers; never the team itself.
    "workspace_review_post": (
        "/sv/workspace/stages/{submitted_stage}/review/",
        TEAM_READS | dict.fromkeys(("coach", "faculty", "manager", "superuser"), SAVED),
        {"review-decision": "approve"},
    ),
    # Waiving an optional stage and reopening an approved one: the program's managers.
    "workspace_waive_post": (
        "/sv/workspace/stages/{optional_stage}/waive/",
        TEAM_READS | dict.fromkeys(("manager", "superuser"), SAVED),
        {"waive-reason": "Inte aktuellt"},
    ),
    "workspace_reopen_post": (
        "/sv/workspace/stages/{approved_stage}/reopen/",
        TEAM_READS | dict.fromkeys(("manager", "superuser"), SAVED),
        {"reopen-reason": "Nya siffror"},
    ),
    # Starting the team's project: its members and the program's managers (it runs already).
    "workspace_start_project_post": (
        "/sv/workspace/teams/{team}/start/",
        TEAM_READS | dict.fromkeys(("member", "manager", "superuser"), 409),
        {"title": "Färre fall"},
    ),
    # The coach's private log about the team: its coaches and the program's faculty.
    "coach_log": ("/sv/workspace/teams/{team}/coach-log/", COACHES_ONLY),
    "coach_log_post": (
        "/sv/workspace/teams/{team}/coach-log/",
        COACHES_ONLY | dict.fromkeys(("coach", "faculty", "superuser"), SAVED),
        {"body": "Bra möte"},
    ),
    # Forms on the site.
    "form_try": (
        "/sv/forms/{form_slug}/try/",
        signed_in(403, superuser=200) | dict.fromkeys(("manager", "other_manager"), 200),
    ),
    # No project owns an answer set yet, so the forms engine's default rule holds: only the
    # person who uploaded a file downloads it (the superuser too is refused).
    "file_download": ("/sv/forms/files/{file}/", signed_in(403, member=200)),
    # The admin.
    "admin_home": ("/admin/", ADMIN_HOME),
    "admin_users": ("/admin/users/", SUPERUSER_ONLY),
    "program_page_edit": ("/admin/pages/{program_page}/edit/", EDITORS),
    "program_list": ("/admin/snippets/forum_workflows/program/", PROGRAM_SETUP),
    "program_edit": ("/admin/snippets/forum_workflows/program/edit/{program}/", ITS_PROGRAM_SETUP),
    "session_list": ("/admin/snippets/forum_workflows/learningsession/", PROGRAM_SETUP),
    # Which pages and collections are members-only: editors decide, as for private pages.
    "members_only_areas": ("/admin/snippets/forum_workflows/membersonlyarea/", EDITORS),
    # The attendance register: programme managers, for their programs' sessions.
    "attendance_sessions": ("/admin/attendance/", ANY_MANAGER),
    "attendance_register": ("/admin/attendance/{session}/", ITS_MANAGER),
    # Attendance records (People, read-only): made and changed in the register only.
    "people_attendance_list": ("/admin/forum_workflows/attendance/", ANY_MANAGER),
    "people_attendance_inspect": (
        "/admin/forum_workflows/attendance/inspect/{attendance}/",
        ITS_MANAGER,
    ),
    "people_attendance_create": (
        "/admin/forum_workflows/attendance/create/",
        admin(editor=REFUSED, managers=TO_REGISTER, superuser=TO_REGISTER),
    ),
    "people_attendance_edit": (
        "/admin/forum_workflows/attendance/edit/{attendance}/",
        admin(editor=REFUSED, managers=REFUSED, superuser=REFUSED),
    ),
    "people_attendance_history": (
        "/admin/forum_workflows/attendance/history/{attendance}/",
        admin(editor=404, managers=404, superuser=404),
    ),
    # People (wagtail-modeladmin).
    "people_team_list": ("/admin/forum_workflows/team/", ANY_MANAGER),
    "people_team_create": ("/admin/forum_workflows/team/create/", ANY_MANAGER),
    "people_team_edit": ("/admin/forum_workflows/team/edit/{team}/", ITS_MANAGER),
    "people_team_delete": ("/admin/forum_workflows/team/delete/{team}/", ITS_MANAGER),
    "people_team_history": (
        "/admin/forum_workflows/team/history/{team}/",
        ITS_MANAGER | HISTORY_LEAK,
    ),
    "people_membership_list": ("/admin/forum_workflows/membership/", ANY_MANAGER),
    "people_membership_edit": (
        "/admin/forum_workflows/membership/edit/{membership}/",
        ITS_MANAGER,
    ),
    "people_membership_delete": (
        "/admin/forum_workflows/membership/delete/{membership}/",
        ITS_MANAGER,
    ),
    "people_membership_history": (
        "/admin/forum_workflows/membership/history/{membership}/",
        ITS_MANAGER | HISTORY_LEAK,
    ),
    "people_coachassignment_list": ("/admin/forum_workflows/coachassignment/", ANY_MANAGER),
    "people_coachassignment_edit": (
        "/admin/forum_workflows/coachassignment/edit/{coach_assignment}/",
        ITS_MANAGER,
    ),
    "people_organisation_list": (
        "/admin/forum_workflows/organisation/",
        ANY_MANAGER | dict.fromkeys(("manager", "other_manager", "superuser"), 200),
    ),
    "people_organisation_edit": (
        "/admin/forum_workflows/organisation/edit/{organisation}/",
        ITS_MANAGER | {"other_manager": REFUSED},
    ),
    "people_organisation_delete": (
        "/admin/forum_workflows/organisation/delete/{organisation}/",
        ITS_MANAGER | {"other_manager": REFUSED},
    ),
    "people_organisation_history": (
        "/admin/forum_workflows/organisation/history/{organisation}/",
        ITS_MANAGER | HISTORY_LEAK,
    ),
    "people_programrole_list": ("/admin/forum_workflows/programrole/", ANY_MANAGER),
    "people_programrole_edit": (
        "/admin/forum_workflows/programrole/edit/{faculty_role}/",
        ITS_MANAGER,
    ),
    # The coach network belongs to no program: every programme manager keeps it.
    "people_coachnetwork_list": ("/admin/forum_workflows/coachnetworkmembership/", ANY_MANAGER),
    "people_coachnetwork_edit": (
        "/admin/forum_workflows/coachnetworkmembership/edit/{network_membership}/",
        ANY_MANAGER,
    ),
    # Invitations: the list under People, and the bulk invite page.
    "people_invitation_list": ("/admin/forum_workflows/invitation/", ANY_MANAGER),
    "invitations_bulk": ("/admin/invitations/invite/", ANY_MANAGER),
    # Improvement projects (People, read-only): the program's managers look into them.
    "people_project_list": ("/admin/forum_workflows/improvementproject/", ANY_MANAGER),
    "people_project_inspect": (
        "/admin/forum_workflows/improvementproject/inspect/{project}/",
        ITS_MANAGER,
    ),
    "project_move": ("/admin/projects/{project}/move/", ITS_MANAGER),
    "people_project_edit": (
        "/admin/forum_workflows/improvementproject/edit/{project}/",
        admin(editor=REFUSED, managers=REFUSED, superuser=REFUSED),
    ),
    "people_project_history": (
        "/admin/forum_workflows/improvementproject/history/{project}/",
        admin(editor=404, managers=404, superuser=404),
    ),
    # Workflow definitions (a snippet viewset): set up like forms, by programme managers.
    "workflow_list": ("/admin/snippets/forum_workflows/projectworkflow/", FORM_SETUP),
    "workflow_edit": (
        "/admin/snippets/forum_workflows/projectworkflow/edit/{workflow}/",
        FORM_SETUP,
    ),
    "workflow_history": (
        "/admin/snippets/forum_workflows/projectworkflow/history/{workflow}/",
        FORM_SETUP,
    ),
    "workflow_versions": (
        "/admin/snippets/forum_workflows/projectworkflow/versions/{workflow}/",
        FORM_SETUP,
    ),
    "workflow_delete": (
        "/admin/snippets/forum_workflows/projectworkflow/delete/{workflow}/",
        admin(editor=REFUSED, managers=TO_EDIT, superuser=TO_EDIT),
    ),
    # Forms (a snippet viewset with extra views).
    "forms_list": ("/admin/snippets/forum_forms/formdefinition/", FORM_SETUP),
    "form_edit": ("/admin/snippets/forum_forms/formdefinition/edit/{form}/", FORM_SETUP),
    "forms_import": ("/admin/snippets/forum_forms/formdefinition/import/", FORM_TRANSFER),
    "form_export": ("/admin/snippets/forum_forms/formdefinition/export/{form}/", FORM_TRANSFER),
    "form_versions": (
        "/admin/snippets/forum_forms/formdefinition/versions/{form}/",
        FORM_TRANSFER,
    ),
    "form_json_schema": (
        "/admin/snippets/forum_forms/formdefinition/versions/{form}/1/json-schema/",
        FORM_TRANSFER,
    ),
}

# The module's data, built once ------------------------------------------------------------------

_numbers = iter(range(1, 1000))


def _make_user(**kwargs):
    kwargs.setdefault("email", f"matrix{next(_numbers)}@example.org")
    return get_user_model().objects.create_user(password="a-Good-passw0rd", **kwargs)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _uploaded_file(uploader):
    """A published form with a file field, and a real PDF ``uploader`` saved in an answer."""
    definition = make_definition(
        block("file", "report", kinds=["pdf"], max_mb=1), name="Rapport", slug="rapport"
    )
    version = definition.latest_version
    form = AnswerForm(
        version.schema,
        language="sv",
        mode=SUBMIT,
        data=MultiValueDict(),
        files=MultiValueDict(
            {"report": [files.upload("rapport.pdf", files.pdf(), "application/pdf")]}
        ),
    )
    assert form.is_valid(), form.errors
    answer = save_version(
        make_answer_set(definition), version, form.answers, user=uploader, files=form.new_files
    )
    return definition, answer.data["report"][0]["file"]


def _document(title, collection):
    document = Document(title=title, collection=collection)
    document.file.save(f"{title.lower()}.pdf", ContentFile(files.pdf()), save=False)
    document.save()
    return document


def build():
    homes = ensure_site_tree()
    cast = make_cast(_make_user)
    people = cast.people | {
        "superuser": _make_user(full_name="Super User", is_superuser=True, is_staff=True)
    }
    # make_cast creates these groups if they are missing, but then without their permissions.
    for name in ("Editors", "Programme managers"):
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()

    program_page = _publish(
        homes["sv"], ProgramPage(title="Värdeforum 2026", slug="program", program=cast.program)
    )
    starts = timezone.now() + datetime.timedelta(days=30)
    session = make_session(
        cast.program,
        title="Lärandeseminarium 1",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
    )
    SignUp.objects.create(session=session, user=people["member"], note="Vegetarisk kost")
    attendance = Attendance.objects.create(session=session, user=people["member"])
    hidden_session = make_session(cast.other_program, starts_at=starts, ends_at=session.ends_at)
    SignUp.objects.create(session=hidden_session, user=people["other_manager"])
    _publish(
        program_page,
        LearningSessionPage(title=session.title, slug="seminarium", learning_session=session),
    )
    definition, file_id = _uploaded_file(people["member"])
    workflow = make_workflow(
        stage("aim", form=definition),
        stage("submitted", opens_at_start=True),
        stage("approved", opens_at_start=True),
        stage("optional", opens_at_start=True, optional=True),
        stage("cycles", opens_at_start=True, repeating=True, gate=Gate.FEEDBACK),
    )
    run_on(cast.program, workflow)
    project = transitions.start_project(cast.team, people["member"])
    stages = {state.stage_key: state for state in project.stage_states.all()}
    for key in ("submitted", "approved", "cycles"):
        transitions.submit_stage(
            stages[key], people["member"], filled(stages[key]), expected_revision=0
        )
    transitions.approve_stage(stages["approved"], people["coach"])
    root = Collection.get_first_root_node()
    internal = root.add_child(name="Internt")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    materials = _publish(homes["sv"], StandardPage(title="Material", slug="material"))
    MembersOnlyArea.objects.create(program=cast.program, page=materials)
    members_only = root.add_child(name="Seminariematerial")
    MembersOnlyArea.objects.create(program=cast.program, collection=members_only)
    ids = {
        "program": cast.program.pk,
        "program_slug": cast.program.slug,
        "other_program_slug": cast.other_program.slug,
        "program_page": program_page.pk,
        "session": session.pk,
        "hidden_session": hidden_session.pk,
        "document_url": _document("Inbjudan", root).url,
        "private_document_url": _document("Internt", internal).url,
        "members_only_document_url": _document("Presentation", members_only).url,
        "member_uid": urlsafe_base64_encode(force_bytes(people["member"].pk)),
        "form": definition.pk,
        "form_slug": definition.slug,
        "file": file_id,
        "team": cast.team.pk,
        "membership": cast.team.memberships.get(user=people["member"]).pk,
        "coach_assignment": cast.team.coach_assignments.get().pk,
        "organisation": cast.team.organisation_id,
        "faculty_role": cast.program.roles.get(user=people["faculty"]).pk,
        "attendance": attendance.pk,
        "workflow": workflow.pk,
        "project": project.pk,
        "stage": stages["aim"].pk,
        "submitted_stage": stages["submitted"].pk,
        "approved_stage": stages["approved"].pk,
        "optional_stage": stages["optional"].pk,
        "cycles_stage": stages["cycles"].pk,
        "network_membership": CoachNetworkMembership.objects.create(user=people["coach"]).pk,
    }
    return SimpleNamespace(people=people, ids=ids)


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """Everything the URLs refer to: built once, rolled back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            with translation.override("sv"):
                data = build()
            yield data
        finally:
            transaction.set_rollback(True)


# The test ---------------------------------------------------------------------------------------

CSRF_SECRET = "matrix" * 5 + "ok"  # 32 letters, as Django's CSRF secrets


def _cases():
    for name, (_url, cells, *_data) in URLS.items():
        assert set(cells) == set(ROLES), f"{name}: a cell for every role"
        for role in ROLES:
            expected, marks = cells[role], ()
            if isinstance(expected, Bug):
                marks = pytest.mark.xfail(strict=True, reason=expected.reason)
                expected = expected.expected
            yield pytest.param(role, name, expected, marks=marks, id=f"{role}-{name}")


def _outcome(expected, url):
    """The (status, Location) an expected cell stands for."""
    next_url = quote(url, safe="/")  # as Django's redirect_to_login writes it
    return {
        LOGIN: (302, f"/sv/accounts/login/?next={next_url}"),
        ADMIN_LOGIN: (302, f"/admin/login/?next={next_url}"),
        REFUSED: (302, "/admin/"),
        LANDING: (302, "/sv/workspace/"),
        TO_REGISTER: (302, "/admin/attendance/"),
        TO_EDIT: (302, url.replace("/delete/", "/edit/")),
    }.get(expected, (expected, None))


@pytest.mark.parametrize(("role", "name", "expected"), list(_cases()))
def test_each_role_gets_exactly_what_the_policy_says(client, matrix, role, name, expected):
    """A (role, URL) pair answers with the table's status, and a redirect goes where it says."""
    url, _cells, *post = URLS[name]
    url = url.format(**matrix.ids)
    if role != "anonymous":
        client.force_login(matrix.people[role])
    if post:
        client.handler.enforce_csrf_checks = True  # as a browser: the form's token and cookie
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        response = client.post(url, {**post[0], "csrfmiddlewaretoken": CSRF_SECRET})
    else:
        response = client.get(url)
    location = response["Location"] if response.status_code in (301, 302) else None
    if expected == SAVED:
        assert response.status_code == 302 and location.startswith("/sv/workspace/")
        return
    assert (response.status_code, location) == _outcome(expected, url)
