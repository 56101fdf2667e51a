"""Invitations by email: the signed, expiring, single-use link; accepting as a new or an
existing person; inviting a list in the admin; sending again and withdrawing."""

import datetime
import re
import threading
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from forum_workflows import invitation_lists, invitations
from forum_workflows.invitation_lists import Outcome
from forum_workflows.models import (
    CoachAssignment,
    Invitation,
    Membership,
    ProgramPage,
    ProgramRole,
)

from .people import LONG_AGO, YESTERDAY, make_cast, make_team

pytestmark = pytest.mark.django_db

User = get_user_model()
BULK = "/admin/invitations/invite/"
LIST = "/admin/forum_workflows/invitation/"
LINK = re.compile(r"http://testserver(/(sv|en)/invitation/[^/\s\"]+/)")
PASSWORD = "Ett-bra-lösen-2026"


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


@pytest.fixture
def invite(cast, django_capture_on_commit_callbacks):
    """Invite someone into the cast's team as the cast's manager; the mail goes out."""

    def make(**kwargs):
        kwargs.setdefault("email", "ny.person@example.org")
        kwargs.setdefault("role", Invitation.Role.MEMBER)
        kwargs.setdefault("program", cast.program)
        if kwargs["role"] in Invitation.TEAM_ROLES:
            kwargs.setdefault("team", cast.team)
        kwargs.setdefault("invited_by", cast.people["manager"])
        kwargs.setdefault("language", "sv")
        with django_capture_on_commit_callbacks(execute=True):
            return invitations.invite(**kwargs)

    return make


def link_in(message):
    """The path of the invitation link in a mail (checked in both its text and HTML parts)."""
    paths = LINK.findall(message.body)
    assert paths, message.body
    html = message.alternatives[0].content
    assert paths[0][0] in html
    return paths[0][0]


def new_person_data(**overrides):
    return {
        "full_name": "Nora Nyberg",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def nothing_granted(email="ny.person@example.org"):
    return (
        not User.objects.filter(email__iexact=email).exists()
        and not Membership.objects.filter(user__email__iexact=email).exists()
    )


class TestAcceptingAsANewPerson:
    def test_a_new_person_sets_name_and_password_and_joins_the_team(
        self, client, cast, invite, mailoutbox
    ):
        invitation = invite(full_name="Nora N")
        assert len(mailoutbox) == 1
        path = link_in(mailoutbox[0])
        assert path.startswith("/sv/invitation/")

        page = client.get(path)
        assert page.status_code == 200
        content = page.content.decode()
        assert "Skapa ditt konto" in content or "Create your account" in content
        assert 'value="Nora N"' in content

        response = client.post(path, new_person_data())
        assert response.status_code == 302
        assert response["Location"] == "/sv/"
        person = User.objects.get(email="ny.person@example.org")
        assert person.get_full_name() == "Nora Nyberg"
        assert person.check_password(PASSWORD)
        assert client.session["_auth_user_id"] == str(person.pk)
        membership = Membership.objects.get(user=person)
        assert (membership.team, membership.role) == (cast.team, Membership.Role.MEMBER)
        assert membership.starts_on == timezone.localdate()
        invitation.refresh_from_db()
        assert invitation.accepted_by == person and invitation.accepted_at
        assert ModelLogEntry.objects.filter(action="forum_workflows.accept_invitation").exists()

    def test_the_welcome_message_says_what_they_joined(self, client, cast, invite, mailoutbox):
        invite()
        path = link_in(mailoutbox[0]).replace("/sv/", "/en/", 1)
        response = client.post(path, new_person_data())
        messages = [str(message) for message in response.wsgi_request._messages]
        assert messages == [f"Welcome! You are now a member of the team {cast.team.name}."]

    def test_accepting_on_the_english_page_makes_english_their_language(
        self, client, invite, mailoutbox
    ):
        from wagtail.users.models import UserProfile

        invite()
        path = link_in(mailoutbox[0]).replace("/sv/", "/en/", 1)
        response = client.post(path, new_person_data())
        assert response["Location"] == "/en/"
        person = User.objects.get(email="ny.person@example.org")
        assert UserProfile.get_for_user(person).preferred_language == "en"

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            (new_person_data(password1="kort", password2="kort"), "password2"),
            (new_person_data(password2="Ett-annat-lösen-2026"), "password2"),
            (new_person_data(password1="12345678901", password2="12345678901"), "password2"),
            (new_person_data(full_name=""), "full_name"),
        ],
        ids=["too-short", "not-the-same", "only-digits", "no-name"],
    )
    def test_a_weak_password_or_missing_name_is_refused_with_a_message(
        self, client, invite, mailoutbox, data, field
    ):
        invitation = invite()
        response = client.post(link_in(mailoutbox[0]), data)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert nothing_granted()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None


class TestAcceptingWithAnAccount:
    def test_a_signed_in_person_confirms_and_lands_in_their_language(
        self, client, cast, invite, mailoutbox, make_user
    ):
        person = make_user(email="Kim@Example.org", language="en")
        invitation = invite(email="kim@example.org", role=Invitation.Role.LEAD)
        message = mailoutbox[0]
        client.force_login(person)
        path = link_in(message)
        page = client.get(path)
        assert page.status_code == 200
        assert 'name="password1"' not in page.content.decode()
        response = client.post(path)
        assert response.status_code == 302
        assert response["Location"] == "/en/"
        membership = Membership.objects.get(user=person, team=cast.team)
        assert membership.role == Membership.Role.LEAD
        invitation.refresh_from_db()
        assert invitation.accepted_by == person

    def test_a_signed_out_person_with_an_account_is_asked_to_log_in_first(
        self, client, invite, mailoutbox, make_user
    ):
        person = make_user(email="kim@example.org")
        invite(email="kim@example.org")
        path = link_in(mailoutbox[0])
        page = client.get(path)
        assert page.status_code == 200
        content = page.content.decode()
        assert "/sv/accounts/login/?" + urlencode({"next": path}) in content
        assert 'name="password1"' not in content
        refused = client.post(path, new_person_data())
        assert refused.status_code == 403
        assert not Membership.objects.filter(user=person).exists()
        assert person.check_password("a-Good-passw0rd")  # untouched

    def test_a_coach_invitation_makes_a_coach_assignment(
        self, client, cast, invite, mailoutbox, make_user
    ):
        person = make_user(email="coach.ny@example.org")
        invite(email="coach.ny@example.org", role=Invitation.Role.COACH)
        client.force_login(person)
        assert client.post(link_in(mailoutbox[0])).status_code == 302
        assert CoachAssignment.objects.filter(team=cast.team, coach=person).exists()

    def test_a_programme_manager_invitation_gives_the_role_and_opens_the_admin(
        self, client, cast, invite, mailoutbox
    ):
        invite(email="ny.ledare@example.org", role=Invitation.Role.MANAGER)
        client.post(link_in(mailoutbox[0]), new_person_data())
        person = User.objects.get(email="ny.ledare@example.org")
        assert ProgramRole.objects.filter(program=cast.program, user=person, role="manager")
        assert person.groups.filter(name="Programme managers").exists()
        assert client.get("/admin/forum_workflows/team/").status_code == 200

    def test_an_existing_membership_is_kept_not_doubled(self, client, cast, invite, mailoutbox):
        member = cast.people["member"]
        invite(email=member.email)
        client.force_login(member)
        assert client.post(link_in(mailoutbox[0])).status_code == 302
        assert Membership.objects.filter(team=cast.team, user=member).count() == 1


def accept_directly(invitation, person):
    """Accept as ``person`` through the function the page calls."""
    return invitations.accept(invitations.make_token(invitation), person)


def memberships_of(person, team):
    return list(
        Membership.objects.filter(team=team, user=person)
        .order_by("starts_on", "pk")
        .values_list("role", "starts_on", "ends_on")
    )


class TestBecomingTeamLead:
    def test_a_member_invited_as_lead_becomes_lead_from_today_and_stays_member_until_yesterday(
        self, client, cast, invite, mailoutbox
    ):
        member = cast.people["member"]
        today = timezone.localdate()
        yesterday = today - datetime.timedelta(days=1)
        invite(email=member.email, role=Invitation.Role.LEAD)
        client.force_login(member)
        assert client.post(link_in(mailoutbox[0])).status_code == 302
        assert memberships_of(member, cast.team) == [
            (Membership.Role.MEMBER, LONG_AGO, yesterday),
            (Membership.Role.LEAD, today, None),
        ]
        leads = Membership.objects.filter(team=cast.team, role=Membership.Role.LEAD)
        assert member not in [row.user for row in leads.current(yesterday)]
        assert member in [row.user for row in leads.current(today)]

    def test_the_promotion_is_in_the_audit_log(self, cast, invite):
        member = cast.people["member"]
        invitation = invite(email=member.email, role=Invitation.Role.LEAD)
        accept_directly(invitation, member)
        ended = Membership.objects.get(team=cast.team, user=member, role=Membership.Role.MEMBER)
        lead = Membership.objects.get(team=cast.team, user=member, role=Membership.Role.LEAD)
        entry = ModelLogEntry.objects.get(action="forum_workflows.promote_to_lead")
        assert (entry.object_id, entry.user_id) == (str(lead.pk), member.pk)
        assert entry.data["invitation"] == invitation.pk
        assert entry.data["ended_membership"] == ended.pk
        assert entry.data["member_until"] == ended.ends_on.isoformat()
        with translation.override("en"):
            assert entry.message == "Became team lead by accepting an invitation (was a member)"
        assert ModelLogEntry.objects.filter(action="forum_workflows.accept_invitation").exists()

    def test_a_member_who_joined_today_just_changes_role(self, cast, invite, make_user):
        person = make_user(email="ny.i.dag@example.org")
        today = timezone.localdate()
        joined = Membership.objects.create(team=cast.team, user=person, starts_on=today)
        invitation = invite(email=person.email, role=Invitation.Role.LEAD)
        accept_directly(invitation, person)
        assert memberships_of(person, cast.team) == [(Membership.Role.LEAD, today, None)]
        entry = ModelLogEntry.objects.get(action="forum_workflows.promote_to_lead")
        assert entry.object_id == str(joined.pk)
        assert entry.data["ended_membership"] is None

    def test_a_planned_end_date_carries_over_to_the_lead_place(self, cast, invite, make_user):
        person = make_user(email="slutar@example.org")
        today = timezone.localdate()
        leaves = today + datetime.timedelta(days=30)
        Membership.objects.create(team=cast.team, user=person, starts_on=LONG_AGO, ends_on=leaves)
        accept_directly(invite(email=person.email, role=Invitation.Role.LEAD), person)
        assert memberships_of(person, cast.team) == [
            (Membership.Role.MEMBER, LONG_AGO, today - datetime.timedelta(days=1)),
            (Membership.Role.LEAD, today, leaves),
        ]

    def test_a_lead_invited_as_member_stays_lead(self, client, cast, invite, mailoutbox):
        lead = cast.people["lead"]
        invitation = invite(email=lead.email, role=Invitation.Role.MEMBER)
        client.force_login(lead)
        assert client.post(link_in(mailoutbox[0])).status_code == 302
        assert memberships_of(lead, cast.team) == [(Membership.Role.LEAD, LONG_AGO, None)]
        assert not ModelLogEntry.objects.filter(action="forum_workflows.promote_to_lead").exists()
        invitation.refresh_from_db()
        assert invitation.accepted_by == lead

    def test_a_lead_invited_as_lead_keeps_their_place_unchanged(self, cast, invite):
        lead = cast.people["lead"]
        accept_directly(invite(email=lead.email, role=Invitation.Role.LEAD), lead)
        assert memberships_of(lead, cast.team) == [(Membership.Role.LEAD, LONG_AGO, None)]
        assert not ModelLogEntry.objects.filter(action="forum_workflows.promote_to_lead").exists()

    def test_a_former_member_invited_as_lead_gets_a_new_lead_place(self, cast, invite):
        former = cast.people["former_member"]
        accept_directly(invite(email=former.email, role=Invitation.Role.LEAD), former)
        assert memberships_of(former, cast.team) == [
            (Membership.Role.MEMBER, LONG_AGO, YESTERDAY),
            (Membership.Role.LEAD, timezone.localdate(), None),
        ]
        assert not ModelLogEntry.objects.filter(action="forum_workflows.promote_to_lead").exists()


def publish_program_page(parent, program, **kwargs):
    kwargs.setdefault("title", "Värdeforum 2026")
    kwargs.setdefault("slug", "program")
    page = ProgramPage(program=program, **kwargs)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def welcome_messages(response):
    return [str(message) for message in response.wsgi_request._messages]


class TestWhereAcceptingLeads:
    """Programme managers and faculty land in the admin; team people on their program's page
    in their language; without such a page, on the start page. The welcome message comes too."""

    @pytest.fixture
    def program_pages(self, cast, site_tree):
        return {
            language: publish_program_page(site_tree[language], cast.program)
            for language in ("sv", "en")
        }

    def test_a_new_member_lands_on_the_program_page_in_the_language_of_the_link(
        self, client, cast, invite, mailoutbox, program_pages
    ):
        invite()
        path = link_in(mailoutbox[0]).replace("/sv/", "/en/", 1)
        response = client.post(path, new_person_data())
        assert response.status_code == 302
        assert response["Location"] == "/en/program/"
        assert welcome_messages(response) == [
            f"Welcome! You are now a member of the team {cast.team.name}."
        ]
        assert client.get(response["Location"]).status_code == 200

    def test_a_lead_with_an_account_lands_on_the_page_in_their_own_language(
        self, client, cast, invite, mailoutbox, make_user, program_pages
    ):
        person = make_user(email="kim@example.org", language="sv")
        invite(email=person.email, role=Invitation.Role.LEAD)
        client.force_login(person)
        response = client.post(link_in(mailoutbox[0]).replace("/sv/", "/en/", 1))
        assert response["Location"] == "/sv/program/"
        assert len(welcome_messages(response)) == 1

    def test_a_coach_lands_on_the_program_page(
        self, client, cast, invite, mailoutbox, make_user, program_pages
    ):
        person = make_user(email="coach.ny@example.org", language="en")
        invite(email=person.email, role=Invitation.Role.COACH)
        client.force_login(person)
        response = client.post(link_in(mailoutbox[0]))
        assert response["Location"] == "/en/program/"
        assert welcome_messages(response) == [
            f"Welcome! You are now the improvement coach of the team {cast.team.name}."
        ]

    def test_without_a_page_in_their_language_people_land_on_the_one_there_is(
        self, client, cast, invite, mailoutbox, site_tree
    ):
        publish_program_page(site_tree["sv"], cast.program)
        invite()
        response = client.post(
            link_in(mailoutbox[0]).replace("/sv/", "/en/", 1), new_person_data()
        )
        assert response["Location"] == "/sv/program/"

    def test_without_a_live_public_page_of_the_program_people_land_on_the_start_page(
        self, client, cast, invite, mailoutbox, site_tree
    ):
        from wagtail.models import PageViewRestriction

        draft = publish_program_page(site_tree["sv"], cast.program, slug="utkast")
        draft.unpublish()
        private = publish_program_page(site_tree["sv"], cast.program, slug="intern")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        publish_program_page(site_tree["en"], cast.other_program, slug="annat")
        invite()
        response = client.post(
            link_in(mailoutbox[0]).replace("/sv/", "/en/", 1), new_person_data()
        )
        assert response["Location"] == "/en/"
        assert welcome_messages(response) == [
            f"Welcome! You are now a member of the team {cast.team.name}."
        ]

    def test_a_programme_manager_lands_on_the_admin_dashboard(
        self, client, cast, invite, mailoutbox, program_pages
    ):
        invite(email="ny.ledare@example.org", role=Invitation.Role.MANAGER)
        response = client.post(
            link_in(mailoutbox[0]).replace("/sv/", "/en/", 1), new_person_data()
        )
        assert response["Location"] == "/admin/"
        assert welcome_messages(response) == [
            f"Welcome! You are now a programme manager of {cast.program}."
        ]
        assert client.get("/admin/").status_code == 200

    def test_faculty_who_may_open_the_admin_land_on_its_dashboard(
        self, client, cast, invite, mailoutbox, program_pages
    ):
        editor = cast.people["editor"]  # the Editors group opens the admin
        invite(email=editor.email, role=Invitation.Role.FACULTY)
        client.force_login(editor)
        response = client.post(link_in(mailoutbox[0]))
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_faculty_without_admin_access_land_on_the_program_page_not_a_closed_door(
        self, client, cast, invite, mailoutbox, program_pages
    ):
        invite(email="ny.utvecklingsledare@example.org", role=Invitation.Role.FACULTY)
        response = client.post(link_in(mailoutbox[0]), new_person_data())
        assert response["Location"] == "/sv/program/"
        assert len(welcome_messages(response)) == 1


class TestLinksThatNoLongerWork:
    """Each gets a page that says why, with a 4xx status; nothing is created."""

    def test_an_expired_link(self, client, invite, mailoutbox):
        invitation = invite()
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        path = link_in(mailoutbox[0])
        page = client.get(path)
        assert page.status_code == 410
        assert page.context["reason"] == "expired"
        assert client.post(path, new_person_data()).status_code == 410
        assert nothing_granted()

    def test_a_used_link(self, client, invite, mailoutbox):
        invite()
        path = link_in(mailoutbox[0])
        assert client.post(path, new_person_data()).status_code == 302
        client.logout()
        again = client.post(path, new_person_data(full_name="Someone Else"))
        assert again.status_code == 410
        assert again.context["reason"] == "used"
        assert User.objects.filter(email="ny.person@example.org").count() == 1
        assert Membership.objects.filter(user__email="ny.person@example.org").count() == 1

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:],
            lambda path: "/sv/invitation/not-a-token/",
            lambda path: path.replace("/invitation/", "/invitation/x"),
        ],
        ids=["changed-signature", "junk", "changed-payload"],
    )
    def test_a_tampered_link(self, client, invite, mailoutbox, tamper):
        invite()
        path = tamper(link_in(mailoutbox[0]))
        page = client.get(path)
        assert page.status_code == 400
        assert page.context["reason"] == "broken"
        assert client.post(path, new_person_data()).status_code == 400
        assert nothing_granted()

    def test_a_link_signed_for_another_purpose_is_refused(self, client, invite):
        from django.core import signing

        invitation = invite()
        forged = signing.dumps([invitation.pk, invitation.nonce])  # default salt
        assert client.get(f"/sv/invitation/{forged}/").status_code == 400

    def test_a_withdrawn_invitation(self, client, cast, invite, mailoutbox):
        invitation = invite()
        invitations.revoke(invitation, user=cast.people["manager"])
        path = link_in(mailoutbox[0])
        page = client.get(path)
        assert page.status_code == 410
        assert page.context["reason"] == "revoked"
        assert client.post(path, new_person_data()).status_code == 410
        assert nothing_granted()

    def test_an_invitation_to_a_team_that_has_left_the_program(
        self, client, cast, invite, mailoutbox
    ):
        invite()
        cast.team.status = "left"
        cast.team.save()
        page = client.post(link_in(mailoutbox[0]), new_person_data())
        assert page.status_code == 410
        assert page.context["reason"] == "revoked"
        assert nothing_granted()

    def test_an_invitation_for_a_deactivated_account(self, client, cast, invite, mailoutbox):
        closed = cast.people["inactive"]
        invite(email=closed.email, team=make_team(cast.program, name="Nytt team"))
        path = link_in(mailoutbox[0])
        page = client.get(path)
        assert page.status_code == 403
        assert page.context["reason"] == "closed"
        assert client.post(path, new_person_data()).status_code == 403
        assert not Membership.objects.filter(user=closed, team__name="Nytt team").exists()

    def test_someone_signed_in_as_another_person(self, client, cast, invite, mailoutbox):
        invite()
        client.force_login(cast.people["member"])
        path = link_in(mailoutbox[0])
        page = client.get(path)
        assert page.status_code == 403
        assert page.context["reason"] == "wrong_person"
        assert client.post(path).status_code == 403
        assert nothing_granted()

    def test_the_page_says_why_in_the_language_of_the_link(self, client, invite, mailoutbox):
        invitation = invite()
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        path = link_in(mailoutbox[0]).replace("/sv/", "/en/", 1)
        page = client.get(path).content.decode()
        assert '<html lang="en">' in page
        assert "<h1>The invitation was withdrawn</h1>" in page


class TestResendAndRevoke:
    def test_sending_again_makes_older_links_stop_working(
        self, client, cast, invite, mailoutbox, django_capture_on_commit_callbacks
    ):
        invitation = invite()
        old = link_in(mailoutbox[0])
        client.force_login(cast.people["manager"])
        url = f"/admin/invitations/{invitation.pk}/resend/"
        assert client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == LIST
        assert len(mailoutbox) == 2
        new = link_in(mailoutbox[1])
        assert new != old
        client.logout()
        stale = client.get(old)
        assert stale.status_code == 410
        assert stale.context["reason"] == "replaced"
        assert client.post(new, new_person_data()).status_code == 302
        invitation.refresh_from_db()
        assert invitation.sent_count == 2 and invitation.accepted_at

    def test_sending_an_expired_invitation_again_gives_it_new_time(self, cast, invite):
        invitation = invite()
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        invitation = invitations.resend(invitation, user=cast.people["manager"])
        assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)

    def test_a_manager_withdraws_an_invitation(self, client, cast, invite):
        invitation = invite()
        client.force_login(cast.people["manager"])
        url = f"/admin/invitations/{invitation.pk}/revoke/"
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert invitation.status == Invitation.Status.REVOKED
        assert ModelLogEntry.objects.filter(action="forum_workflows.revoke_invitation").exists()

    @pytest.mark.parametrize("action", ["resend", "revoke"])
    def test_the_manager_of_another_program_may_not(self, client, cast, invite, action):
        invitation = invite()
        client.force_login(cast.people["other_manager"])
        url = f"/admin/invitations/{invitation.pk}/{action}/"
        for response in (client.get(url), client.post(url)):
            # Wagtail's answer to PermissionDenied: back to the dashboard, with a message.
            assert (response.status_code, response["Location"]) == (302, "/admin/")
        invitation.refresh_from_db()
        assert invitation.revoked_at is None and invitation.sent_count == 1
        with pytest.raises(PermissionDenied):
            getattr(invitations, action)(invitation, user=cast.people["other_manager"])

    def test_an_accepted_invitation_cannot_be_sent_again_or_withdrawn(
        self, client, cast, invite, mailoutbox
    ):
        invitation = invite()
        client.post(link_in(mailoutbox[0]), new_person_data())
        client.force_login(cast.people["manager"])
        for action in ("resend", "revoke"):
            response = client.post(f"/admin/invitations/{invitation.pk}/{action}/")
            assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is None and len(mailoutbox) == 1

    def test_the_list_shows_only_the_managers_programs_with_their_actions(
        self, client, cast, invite
    ):
        ours = invite()
        theirs = invite(
            email="annan@example.org",
            program=cast.other_program,
            team=make_team(cast.other_program, name="Annat team"),
            invited_by=cast.people["other_manager"],
        )
        client.force_login(cast.people["manager"])
        page = client.get(LIST)
        assert page.status_code == 200
        content = page.content.decode()
        assert ours.email in content and theirs.email not in content
        assert f"/admin/invitations/{ours.pk}/resend/" in content
        assert f"/admin/invitations/{ours.pk}/revoke/" in content
        assert BULK in content  # the add button invites people
        assert client.get(f"{LIST}create/")["Location"] == BULK
        assert client.get(f"{LIST}edit/{ours.pk}/").status_code == 302  # never edited

    def test_a_second_pending_invitation_to_the_same_team_is_refused(self, invite):
        invite(email="dubbel@example.org")
        with pytest.raises(IntegrityError), transaction.atomic():
            invite(email="DUBBEL@example.org", role=Invitation.Role.LEAD)


class TestEmailLanguage:
    def test_a_new_person_gets_the_language_the_manager_chose(self, invite, mailoutbox):
        invite(language="en")
        message = mailoutbox[0]
        assert "Forum for Values" in message.subject and "Invitation" in message.subject
        assert "/en/invitation/" in message.body
        assert "When you accept, you choose your password." in message.body
        assert message.alternatives[0].mimetype == "text/html"
        assert '<html lang="en">' in message.alternatives[0].content

    def test_swedish_is_the_default(self, cast, invite, mailoutbox):
        invite(language=None)
        message = mailoutbox[0]
        assert "/sv/invitation/" in message.body
        assert '<html lang="sv">' in message.alternatives[0].content

    def test_someone_with_an_account_gets_their_own_language(self, invite, mailoutbox, make_user):
        make_user(email="camilla@example.org", full_name="Camilla Ek", language="en")
        invite(email="camilla@example.org", language="sv")
        message = mailoutbox[0]
        assert "/en/invitation/" in message.body
        assert "Hello Camilla Ek," in message.body
        assert "You already have an account" in message.body

    def test_someone_with_an_account_but_no_chosen_language_gets_the_managers_choice(
        self, invite, mailoutbox, make_user
    ):
        make_user(email="tove@example.org")
        invite(email="tove@example.org", language="en")
        assert "/en/invitation/" in mailoutbox[0].body

    def test_the_mail_waits_for_the_commit(
        self, cast, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            invitations.invite(
                email="later@example.org",
                role=Invitation.Role.MEMBER,
                program=cast.program,
                team=cast.team,
                invited_by=cast.people["manager"],
            )
        assert mailoutbox == [] and len(callbacks) == 1
        callbacks[0]()
        assert [message.to for message in mailoutbox] == [["later@example.org"]]
        assert Invitation.objects.get().sent_count == 1

    def test_a_mail_queued_before_a_resend_is_not_sent(self, cast, invite, mailoutbox):
        invitation = invite()
        old_nonce = invitation.nonce
        invitations.resend(invitation, user=cast.people["manager"])  # its mail is not run
        assert invitations.send_invitation.call(invitation.pk, old_nonce) is False
        assert len(mailoutbox) == 1


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="text/csv")


class TestBulkInvitation:
    @pytest.fixture
    def manager_client(self, client, cast):
        from wagtail.users.models import UserProfile

        manager = cast.people["manager"]
        # The admin speaks the person's language: English, so messages can be read here.
        UserProfile.objects.update_or_create(user=manager, defaults={"preferred_language": "en"})
        client.force_login(manager)
        return client

    def post(self, client, cast, capture, **data):
        data.setdefault("program", cast.program.pk)
        data.setdefault("role", "member")
        data.setdefault("language", "sv")
        with capture(execute=True):
            return client.post(BULK, data)

    def test_the_page_opens_for_a_manager(self, manager_client):
        page = manager_client.get(BULK)
        assert page.status_code == 200
        assert 'name="people"' in page.content.decode()

    @pytest.mark.parametrize("role", ["member", "coach", "sponsor", "editor", "faculty"])
    def test_people_who_manage_no_program_may_not_invite(self, client, cast, role):
        client.force_login(cast.people[role])
        # Without admin access: the admin's login page; in the admin but managing nothing
        # (an editor): Wagtail's "no permission", back to the dashboard.
        sent_to = "/admin/" if role == "editor" else f"/admin/login/?next={BULK}"
        for response in (client.get(BULK), client.post(BULK, {"people": "x@example.org"})):
            assert (response.status_code, response["Location"]) == (302, sent_to)
        assert not Invitation.objects.exists()

    def test_a_csv_with_good_and_bad_rows_reports_each_row(
        self,
        manager_client,
        cast,
        invite,
        make_user,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        invite(email="redan@example.org")  # an open invitation
        mailoutbox.clear()
        lead = cast.people["lead"]
        rows = [
            "e-post;namn;team;roll",
            "anna@example.org;Anna Andersson;Hemtjänsten Söder;medlem",
            "bo@example.org;Bo Berg;hemtjänsten söder;lead",
            "inte-en-adress;Cilla;Hemtjänsten Söder;member",
            "dan@example.org;Dan;Finns Inte;member",
            "eva@example.org;Eva;Hemtjänsten Söder;chef",
            "redan@example.org;;Hemtjänsten Söder;member",
            f"{lead.email.upper()};;Hemtjänsten Söder;member",
            "ANNA@example.org;Anna igen;Hemtjänsten Söder;member",
            f"{cast.people['inactive'].email};;Boendet Norr;member",
            "fia@example.org;Fia;Boendet Norr;coach;extra",
            "",
            "gun@example.org",
        ]
        content = ("\r\n".join(rows) + "\r\n").encode("utf-8-sig")
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            file=upload("lista.csv", content),
            team=cast.other_team.pk,
        )
        assert response.status_code == 200
        reports = response.context["reports"]
        assert [(report.row.line, report.outcome) for report in reports] == [
            (2, Outcome.INVITED),
            (3, Outcome.INVITED),
            (4, Outcome.MALFORMED_EMAIL),
            (5, Outcome.UNKNOWN_TEAM),
            (6, Outcome.UNKNOWN_ROLE),
            (7, Outcome.ALREADY_INVITED),
            (8, Outcome.ALREADY_MEMBER),
            (9, Outcome.DUPLICATE),
            (10, Outcome.CLOSED_ACCOUNT),
            (11, Outcome.MALFORMED_ROW),
            (13, Outcome.INVITED),
        ]
        invited = Invitation.objects.filter(invited_by=cast.people["manager"]).exclude(
            email="redan@example.org"
        )
        assert sorted(invited.values_list("email", "role", "team__name")) == [
            ("anna@example.org", "member", "Hemtjänsten Söder"),
            ("bo@example.org", "lead", "Hemtjänsten Söder"),
            ("gun@example.org", "member", "Boendet Norr"),  # the form's team and role
        ]
        assert Invitation.objects.get(email="anna@example.org").full_name == "Anna Andersson"
        assert sorted(message.to[0] for message in mailoutbox) == [
            "anna@example.org",
            "bo@example.org",
            "gun@example.org",
        ]
        text = response.content.decode()
        assert "3 people invited." in text
        assert "8 rows were not invited" in text

    def test_a_pasted_list_of_addresses_gets_the_chosen_team_and_role(
        self, manager_client, cast, django_capture_on_commit_callbacks, mailoutbox
    ):
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people="ett@example.org\n\ntva@example.org\n",
            team=cast.team.pk,
            role="coach",
            language="en",
        )
        assert response.status_code == 200
        assert [report.outcome for report in response.context["reports"]] == [
            Outcome.INVITED,
            Outcome.INVITED,
        ]
        assert set(Invitation.objects.values_list("role", "team", "language")) == {
            ("coach", cast.team.pk, "en")
        }
        assert all("/en/invitation/" in message.body for message in mailoutbox)

    def test_comma_separated_and_windows_1252_files_are_read(
        self, manager_client, cast, django_capture_on_commit_callbacks
    ):
        content = "asa@example.org,Åsa Öberg,Hemtjänsten Söder,member\n".encode("cp1252")
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            file=upload("lista.csv", content),
        )
        assert response.status_code == 200
        assert Invitation.objects.get().full_name == "Åsa Öberg"

    def test_a_program_role_row_needs_no_team(
        self, manager_client, cast, django_capture_on_commit_callbacks
    ):
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people="ny.chef@example.org;Ny Chef;;programledare",
        )
        assert response.context["reports"][0].outcome == Outcome.INVITED
        invitation = Invitation.objects.get()
        assert (invitation.role, invitation.team, invitation.program) == (
            "manager",
            None,
            cast.program,
        )

    def test_an_expired_invitation_is_replaced_by_a_new_one(
        self, manager_client, cast, invite, django_capture_on_commit_callbacks
    ):
        old = invite(email="sen@example.org")
        Invitation.objects.filter(pk=old.pk).update(
            expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people="sen@example.org",
            team=cast.team.pk,
        )
        assert response.context["reports"][0].outcome == Outcome.INVITED_AGAIN
        old.refresh_from_db()
        assert old.revoked_at is not None
        assert Invitation.objects.open().get(email="sen@example.org").pk != old.pk

    def test_a_member_listed_as_lead_is_invited_to_become_team_lead(
        self, manager_client, cast, django_capture_on_commit_callbacks, mailoutbox
    ):
        member, lead = cast.people["member"], cast.people["lead"]
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people="\n".join(
                [
                    f"{member.email};;Hemtjänsten Söder;lead",
                    f"{lead.email};;Hemtjänsten Söder;member",
                    f"{cast.people['other_team_member'].email};;Boendet Norr;member",
                ]
            ),
        )
        reports = response.context["reports"]
        assert [(report.outcome, report.message) for report in reports] == [
            (
                Outcome.INVITED_TO_LEAD,
                "Already a member of this team: accepting the invitation makes them its team "
                "lead.",
            ),
            (Outcome.ALREADY_MEMBER, "Already team lead of this team."),
            (Outcome.ALREADY_MEMBER, "Already a member of this team."),
        ]
        assert reports[0].invited
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role, invitation.team) == (
            member.email,
            Invitation.Role.LEAD,
            cast.team,
        )
        assert [message.to for message in mailoutbox] == [[member.email]]
        text = response.content.decode()
        assert "Invited to become team lead" in text
        assert "1 person invited." in text and "2 rows were not invited" in text

    def test_a_lead_listed_as_lead_already_has_that_place(
        self, manager_client, cast, django_capture_on_commit_callbacks
    ):
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people=f"{cast.people['lead'].email};;Hemtjänsten Söder;teamledare",
        )
        [report] = response.context["reports"]
        assert (report.outcome, report.message) == (
            Outcome.ALREADY_MEMBER,
            "Already team lead of this team.",
        )
        assert not Invitation.objects.exists()

    def test_a_member_whose_invitation_expired_is_invited_again_to_become_team_lead(
        self, manager_client, cast, invite, django_capture_on_commit_callbacks
    ):
        member = cast.people["member"]
        old = invite(email=member.email, role=Invitation.Role.LEAD)
        Invitation.objects.filter(pk=old.pk).update(
            expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people=f"{member.email};;Hemtjänsten Söder;lead",
        )
        [report] = response.context["reports"]
        assert report.outcome == Outcome.INVITED_TO_LEAD
        assert report.message.startswith("The earlier invitation had expired")
        assert report.message.endswith("accepting the invitation makes them its team lead.")
        old.refresh_from_db()
        assert old.revoked_at is not None

    def test_the_manager_of_another_program_cannot_invite_into_this_team(
        self, client, cast, django_capture_on_commit_callbacks
    ):
        other = cast.people["other_manager"]
        make_team(cast.other_program, name="Eget team")
        client.force_login(other)
        # Naming this program's team while inviting into their own program:
        response = self.post(
            client,
            cast,
            django_capture_on_commit_callbacks,
            program=cast.other_program.pk,
            people=f"x@example.org;X;{cast.team.name};member",
        )
        assert response.status_code == 200
        assert response.context["reports"][0].outcome == Outcome.UNKNOWN_TEAM
        # Choosing this program or its team on the form:
        for data in (
            {"program": cast.program.pk, "people": "x@example.org", "team": cast.team.pk},
            {"program": cast.other_program.pk, "people": "x@example.org", "team": cast.team.pk},
        ):
            refused = self.post(client, cast, django_capture_on_commit_callbacks, **data)
            assert refused.status_code == 400
        # And through the functions themselves:
        with pytest.raises(PermissionDenied):
            invitations.invite(
                email="x@example.org",
                role="member",
                program=cast.program,
                team=cast.team,
                invited_by=other,
            )
        with pytest.raises(PermissionDenied):
            invitation_lists.invite_rows(
                [invitation_lists.Row(1, "x@example.org")],
                program=cast.program,
                invited_by=other,
                language="sv",
                default_team=cast.team,
            )
        assert not Invitation.objects.exists()

    def test_a_team_that_has_left_takes_no_invitations(
        self, manager_client, cast, django_capture_on_commit_callbacks
    ):
        make_team(cast.program, name="Slutat", status="left")
        response = self.post(
            manager_client,
            cast,
            django_capture_on_commit_callbacks,
            people="x@example.org;;Slutat;member",
        )
        assert response.context["reports"][0].outcome == Outcome.UNKNOWN_TEAM
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"people": ""}, "The list is empty"),
            ({"people": "a@example.org", "file": "both"}, "not both"),
            ({"file": b"PK\x03\x04rest-of-a-zip"}, "Excel workbook"),
            ({"file": b"\x00\x01\x02binary"}, "not a text file"),
            ({"file": b"x" * (1024 * 1024 + 1)}, "larger than 1 MB"),
            ({"people": "\n".join(f"p{n}@example.org" for n in range(2001))}, "2000 rows"),
        ],
        ids=["empty", "both", "xlsx", "binary", "too-large", "too-many-rows"],
    )
    def test_a_list_that_cannot_be_read_gets_a_clear_message_and_invites_nobody(
        self, manager_client, cast, django_capture_on_commit_callbacks, mailoutbox, data, message
    ):
        if "file" in data:
            content = b"b@example.org" if data["file"] == "both" else data["file"]
            data["file"] = upload("lista.csv", content)
        response = self.post(
            manager_client, cast, django_capture_on_commit_callbacks, team=cast.team.pk, **data
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Invitation.objects.exists()
        assert mailoutbox == []

    def test_two_thousand_rows_are_read_and_one_more_is_refused(self):
        rows = "\n".join(f"p{n}@example.org" for n in range(2000))
        assert len(invitation_lists.read_rows(rows)) == 2000
        with pytest.raises(invitation_lists.UnreadableList):
            invitation_lists.read_rows(rows + "\nett.till@example.org")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_create_one_membership(make_user, django_capture_on_commit_callbacks):
    """Two clicks on the same link at the same moment: one accepts, the other finds it used."""
    from django.contrib.auth.models import Group

    for name in ("Programme managers", "Editors"):  # a flush by an earlier test removes them
        Group.objects.get_or_create(name=name)
    cast = make_cast(make_user)
    person = make_user(email="samtidig@example.org")
    invitation = invitations.invite(
        email=person.email,
        role=Invitation.Role.MEMBER,
        program=cast.program,
        team=cast.team,
        invited_by=cast.people["manager"],
    )
    token = invitations.make_token(invitation)
    barrier = threading.Barrier(2)
    results = [None, None]

    def work(index):
        try:
            invitations.read_token(token)  # each thread has read the invitation
            barrier.wait()
            results[index] = invitations.accept(token, person)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    accepted = [result for result in results if isinstance(result, Invitation)]
    refused = [result for result in results if isinstance(result, invitations.InvitationError)]
    assert len(accepted) == 1 and len(refused) == 1, results
    assert refused[0].reason == invitations.InvitationError.USED
    assert Membership.objects.filter(team=cast.team, user=person).count() == 1
