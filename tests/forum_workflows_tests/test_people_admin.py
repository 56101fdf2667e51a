"""The programme managers' people admin (wagtail-modeladmin): scoped lists, forms and deletes."""

import pytest
from wagtail.models import ReferenceIndex

from forum_workflows.models import Organisation, Team

from .people import make_cast, make_team

pytestmark = pytest.mark.django_db

TEAMS = "/admin/forum_workflows/team/"


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_manager_lists_only_the_teams_of_their_programs(client, cast):
    foreign = make_team(cast.other_program, name="Annat program")
    page = signed_in(client, cast.people["manager"]).get(TEAMS)
    assert page.status_code == 200
    content = page.content.decode()
    assert cast.team.name in content and cast.other_team.name in content
    assert foreign.name not in content
    other = signed_in(client, cast.people["other_manager"]).get(TEAMS).content.decode()
    assert foreign.name in other and cast.team.name not in other


@pytest.mark.parametrize(
    ("role", "sent_to"),
    [
        ("member", "/admin/login/?next=/admin/forum_workflows/team/"),  # no admin access at all
        ("coach", "/admin/login/?next=/admin/forum_workflows/team/"),
        ("sponsor", "/admin/login/?next=/admin/forum_workflows/team/"),
        ("editor", "/admin/"),  # in the admin, but not a manager: Wagtail's "no permission"
    ],
)
def test_people_who_manage_no_program_may_not_open_the_people_admin(client, cast, role, sent_to):
    response = signed_in(client, cast.people[role]).get(TEAMS)
    assert response.status_code == 302
    assert response["Location"] == sent_to


def test_a_manager_edits_their_own_teams_only(client, cast):
    url = f"{TEAMS}edit/{cast.team.pk}/"
    assert signed_in(client, cast.people["manager"]).get(url).status_code == 200
    refused = signed_in(client, cast.people["other_manager"]).get(url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_the_team_form_offers_only_the_managers_programs(client, cast):
    page = signed_in(client, cast.people["manager"]).get(f"{TEAMS}create/")
    assert page.status_code == 200
    choices = page.context["form"].fields["program"].queryset
    assert list(choices) == [cast.program]
    response = client.post(
        f"{TEAMS}create/",
        {
            "program": cast.other_program.pk,
            "organisation": cast.team.organisation.pk,
            "name": "Smyger in",
            "status": "active",
        },
    )
    assert response.status_code == 200  # the form again, with an error: nothing saved
    assert "program" in response.context["form"].errors
    assert not Team.objects.filter(name="Smyger in").exists()


def test_deleting_an_organisation_with_teams_is_refused_even_with_a_stale_index(client, cast):
    organisation = cast.team.organisation
    ReferenceIndex.objects.all().delete()  # stale: nothing recorded about who refers to what
    url = f"/admin/forum_workflows/organisation/delete/{organisation.pk}/"
    response = signed_in(client, cast.people["manager"]).post(url)
    assert response.status_code == 200
    assert cast.team.name in response.content.decode()
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_deleting_a_team_with_members_is_refused(client, cast):
    url = f"{TEAMS}delete/{cast.team.pk}/"
    response = signed_in(client, cast.people["manager"]).post(url)
    assert response.status_code == 200
    assert Team.objects.filter(pk=cast.team.pk).exists()


def test_a_manager_edits_their_own_programs_sessions_and_cannot_move_them(client, cast):
    from .factories import make_session

    session = make_session(cast.program)
    foreign = make_session(cast.other_program)
    url = "/admin/snippets/forum_workflows/learningsession/"
    listing = signed_in(client, cast.people["manager"]).get(url).content.decode()
    assert session.title in listing and foreign.title not in listing
    page = client.get(f"{url}edit/{session.pk}/")
    assert page.status_code == 200
    assert list(page.context["form"].fields["program"].queryset) == [cast.program]
    refused = client.get(f"{url}edit/{foreign.pk}/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    # Editors keep every program.
    editor_page = signed_in(client, cast.people["editor"]).get(f"{url}edit/{session.pk}/")
    assert editor_page.context["form"].fields["program"].queryset.count() == 2
