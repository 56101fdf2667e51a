"""The demo data command builds a working site and can run again without duplicating anything."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from home.models import HomePage


def counts():
    from forms.models import FormDefinition, FormVersion
    from forum_workflows.models import (
        Attendance,
        CoachAssignment,
        LearningSession,
        Membership,
        MembersOnlyArea,
        Organisation,
        Program,
        ProgramRole,
        Team,
    )
    from home.models import Organiser

    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(), Page, Locale, Site, Organiser,
            Program, LearningSession, FormDefinition, FormVersion,
            Organisation, Team, Membership, CoachAssignment, ProgramRole, Attendance,
            MembersOnlyArea,
        )
    }  # fmt: skip


def test_demo_data_is_idempotent_and_prints_the_logins(db, capsys):
    call_command("load_demo_data")
    first = counts()
    output = capsys.readouterr().out
    call_command("load_demo_data")
    assert counts() == first
    assert first["Locale"] == 2
    assert first["FormVersion"] == 1 and first["LearningSession"] == 7
    assert (first["Program"], first["Organisation"], first["Team"]) == (2, 3, 3)
    assert first["Membership"] == 6 and first["CoachAssignment"] == 2
    assert first["Attendance"] == 5  # the first program's members at its first session
    assert first["MembersOnlyArea"] == 1  # the first program's session materials
    assert "admin@example.org" in output
    assert "team@example.org" in output


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
