"""Inviting many people at once from a pasted list or an uploaded CSV file.

A row is ``email;full name;team;role``, with commas, semicolons (what Swedish Excel writes) or
tabs between the columns; a row may also be just an email address, which then gets the team and
role chosen on the form. Files may be UTF-8 with or without a byte order mark; a file that is not
UTF-8 is read as Windows-1252, which older Excel versions write.

Every row gets an outcome. Rows that cannot be invited are reported and the others invited, all
in one transaction; a row that meets a concurrent invitation for the same person is reported as
already invited, without undoing the rest.
"""

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import invitations
from .models import CoachAssignment, Invitation, Membership, ProgramRole
from .permissions import can

#: The largest file, and the most rows, one upload may hold.
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000

Role = Invitation.Role
#: Words accepted in the role column, in English and Swedish, compared ignoring case.
ROLE_WORDS = {
    "member": Role.MEMBER,
    "team member": Role.MEMBER,
    "medlem": Role.MEMBER,
    "teammedlem": Role.MEMBER,
    "deltagare": Role.MEMBER,
    "lead": Role.LEAD,
    "team lead": Role.LEAD,
    "teamledare": Role.LEAD,
    "coach": Role.COACH,
    "improvement coach": Role.COACH,
    "förbättringscoach": Role.COACH,
    "manager": Role.MANAGER,
    "programme manager": Role.MANAGER,
    "program manager": Role.MANAGER,
    "programledare": Role.MANAGER,
    "faculty": Role.FACULTY,
    "utvecklingsledare": Role.FACULTY,
}
HEADER_WORDS = {"email", "e-mail", "email address", "e-post", "epost", "e-postadress", "mejl"}


class UnreadableList(ValueError):
    """The list cannot be read at all; the message says why and what to do."""


@dataclass
class Row:
    line: int
    email: str
    full_name: str = ""
    team: str = ""
    role: str = ""
    extra_columns: bool = False


class Outcome(models.TextChoices):
    INVITED = "invited", gettext_lazy("invited")
    INVITED_AGAIN = "invited_again", gettext_lazy("invited again")
    INVITED_TO_LEAD = "invited_to_lead", gettext_lazy("invited to become team lead")
    ALREADY_INVITED = "already_invited", gettext_lazy("already invited")
    ALREADY_MEMBER = "already_member", gettext_lazy("already a member")
    MALFORMED_EMAIL = "malformed_email", gettext_lazy("malformed address")
    UNKNOWN_TEAM = "unknown_team", gettext_lazy("unknown team")
    UNKNOWN_ROLE = "unknown_role", gettext_lazy("unknown role")
    DUPLICATE = "duplicate", gettext_lazy("repeated in the list")
    CLOSED_ACCOUNT = "closed_account", gettext_lazy("account closed")
    MALFORMED_ROW = "malformed_row", gettext_lazy("too many columns")


@dataclass
class RowReport:
    row: Row
    outcome: str
    message: str
    role: str = ""
    team: object = None
    invitation: Invitation = None

    @property
    def invited(self):
        return self.outcome in (Outcome.INVITED, Outcome.INVITED_AGAIN, Outcome.INVITED_TO_LEAD)

    def get_outcome_display(self):
        return Outcome(self.outcome).label


# Reading


def decode(data):
    """The text of an uploaded file, or :class:`UnreadableList`."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UnreadableList(
            _(
                "This is an Excel workbook, not a CSV file. In Excel, choose Save as, pick "
                "“CSV UTF-8” and upload that file."
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise UnreadableList(
        _("The file is not a text file we can read. Save it as “CSV UTF-8” and try again.")
    )


def _delimiter(text):
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def read_rows(text):
    """The list's rows, with their line numbers; blank lines and a heading row are left out.

    Raises :class:`UnreadableList` for more than :data:`MAX_ROWS` rows.
    """
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    rows = []
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if not rows and cells[0].casefold() in HEADER_WORDS:
                continue
            padded = [*cells[:4], "", "", "", ""][:4]
            rows.append(Row(reader.line_num, *padded, extra_columns=any(cells[4:])))
            if len(rows) > MAX_ROWS:
                raise UnreadableList(
                    _(
                        "The list has more than %(max)s rows. Split it into smaller lists and "
                        "invite them one at a time."
                    )
                    % {"max": MAX_ROWS}
                )
    except csv.Error:
        raise UnreadableList(
            _("Line %(line)s cannot be read. Check its quotation marks.")
            % {"line": reader.line_num}
        ) from None
    return rows


# Checking and inviting


def _key(role, team):
    """Which pending invitations a new one would clash with (see the model's constraints)."""
    return ("team", team.pk) if role in Invitation.TEAM_ROLES else ("program", role)


class _Teams:
    """The program's teams by name, and which of them ``user`` may invite into."""

    def __init__(self, program, user):
        self.user = user
        self.by_name = {team.name: team for team in program.teams.select_related("program")}
        self.by_folded = {}
        for team in self.by_name.values():
            self.by_folded.setdefault(team.name.casefold(), []).append(team)
        self.allowed = {}

    def find(self, name):
        team = self.by_name.get(name)
        if team is None:
            matches = self.by_folded.get(name.casefold(), [])
            team = matches[0] if len(matches) == 1 else None
        if team is None:
            return None
        if team.pk not in self.allowed:
            self.allowed[team.pk] = can(self.user, "invite", team)
        return team if self.allowed[team.pk] else None


def _check_row(row, program, teams, default_team, default_role):
    """``(role, team)`` for a row that may be invited, or a :class:`RowReport` saying why not."""
    if row.extra_columns:
        return RowReport(
            row,
            Outcome.MALFORMED_ROW,
            _("This row has more than four columns. Use: email; full name; team; role."),
        )
    try:
        if len(row.email) > 254:
            raise ValidationError("too long")
        validate_email(row.email)
    except ValidationError:
        message = (
            _("This is not a valid email address.")
            if row.email
            else _("The email address is missing.")
        )
        return RowReport(row, Outcome.MALFORMED_EMAIL, message)
    role = ROLE_WORDS.get(row.role.casefold(), row.role.casefold()) if row.role else default_role
    if role not in Role.values:
        return RowReport(
            row,
            Outcome.UNKNOWN_ROLE,
            _(
                "Unknown role “%(role)s”. Use member, lead, coach, manager or faculty "
                "(or medlem, teamledare, coach, programledare or utvecklingsledare)."
            )
            % {"role": row.role},
        )
    if role not in Invitation.TEAM_ROLES:
        return role, None  # a program role: the team column does not apply
    if row.team:
        team = teams.find(row.team)
        if team is None:
            return RowReport(
                row,
                Outcome.UNKNOWN_TEAM,
                _("%(program)s has no team called “%(team)s” that you can invite people to.")
                % {"program": program, "team": row.team},
                role=role,
            )
        return role, team
    if default_team is None:
        return RowReport(
            row,
            Outcome.UNKNOWN_TEAM,
            _("No team given, and no team chosen on the form for rows without one."),
            role=role,
        )
    return role, default_team


def _already_has_message(role):
    if role == Role.LEAD:
        return _("Already team lead of this team.")
    if role == Role.MEMBER:
        return _("Already a member of this team.")
    if role == Role.COACH:
        return _("Already coaches this team.")
    return _("Already has this role in the program.")


class _Batch:
    """Invites the checked rows of one list, knowing what already exists for their addresses
    (accounts, roles held, pending invitations: a few queries for the whole list)."""

    def __init__(self, program, invited_by, language, emails):
        self.program, self.invited_by, self.language = program, invited_by, language
        self.now = timezone.now()
        self.seen = {}  # (email, key) -> line first seen on
        User = get_user_model()
        email_field = User.get_email_field_name()
        self.users = {
            getattr(user, email_field).lower(): user
            for user in User._default_manager.annotate(_lower_email=Lower(email_field)).filter(
                _lower_email__in=emails
            )
        }
        ids = [user.pk for user in self.users.values()]
        today = timezone.localdate()
        self.held = set()  # (user id, key, role held)
        self.members = set()  # (user id, key) of plain members: inviting them as lead promotes
        for user_id, team_id, held_role in (
            Membership.objects.current(today)
            .filter(user__in=ids, team__program=program)
            .values_list("user", "team", "role")
        ):
            key = ("team", team_id)
            if held_role == Membership.Role.LEAD:
                # A lead is a member too; an invitation never demotes (see invitations._grant).
                self.held |= {(user_id, key, Role.LEAD), (user_id, key, Role.MEMBER)}
            else:
                self.held.add((user_id, key, Role.MEMBER))
                self.members.add((user_id, key))
        for user_id, team_id in (
            CoachAssignment.objects.current(today)
            .filter(coach__in=ids, team__program=program)
            .values_list("coach", "team")
        ):
            self.held.add((user_id, ("team", team_id), Role.COACH))
        for user_id, role in ProgramRole.objects.filter(user__in=ids, program=program).values_list(
            "user", "role"
        ):
            self.held.add((user_id, ("program", role), role))
        self.pending = {
            (invitation.email.lower(), _key(invitation.role, invitation.team)): invitation
            for invitation in Invitation.objects.pending()
            .filter(program=program)
            .annotate(_lower_email=Lower("email"))
            .filter(_lower_email__in=emails)
            .select_related("team", "program")
        }

    def invite(self, row, role, team):
        email, key = row.email.lower(), _key(role, team)

        def report(outcome, message, invitation=None):
            return RowReport(row, outcome, message, role=role, team=team, invitation=invitation)

        if (email, key) in self.seen:
            return report(
                Outcome.DUPLICATE,
                _("Already earlier in the list (line %(line)s).")
                % {"line": self.seen[email, key]},
            )
        self.seen[email, key] = row.line
        person = self.users.get(email)
        if person is not None and not person.is_active:
            return report(
                Outcome.CLOSED_ACCOUNT,
                _("The account with this address is closed. Ask an administrator to reopen it."),
            )
        if person is not None and (person.pk, key, role) in self.held:
            if role == Role.MEMBER and (person.pk, key, Role.LEAD) in self.held:
                role_held = Role.LEAD
            else:
                role_held = role
            return report(Outcome.ALREADY_MEMBER, _already_has_message(role_held))
        earlier = self.pending.get((email, key))
        if earlier is not None and earlier.expires_at > self.now:
            sent = date_format(timezone.localtime(earlier.created_at), "SHORT_DATE_FORMAT")
            return report(
                Outcome.ALREADY_INVITED,
                _(
                    "An invitation sent %(date)s is waiting for an answer. To remind the person, "
                    "send it again from the list of invitations."
                )
                % {"date": sent},
            )
        try:
            with transaction.atomic():
                if earlier is not None:  # expired: withdrawn and replaced by a new one
                    invitations.revoke(earlier, user=self.invited_by)
                invitation = invitations.create(
                    email=row.email,
                    role=role,
                    program=self.program,
                    team=team,
                    full_name=row.full_name,
                    language=self.language,
                    invited_by=self.invited_by,
                )
        except IntegrityError:  # someone else invited the person a moment ago
            return report(
                Outcome.ALREADY_INVITED, _("An invitation is already waiting for an answer.")
            )
        again = _("The earlier invitation had expired; a new one is on its way.")
        if role == Role.LEAD and person is not None and (person.pk, key) in self.members:
            promotion = _(
                "Already a member of this team: accepting the invitation makes them its team lead."
            )
            message = f"{again} {promotion}" if earlier is not None else promotion
            return report(Outcome.INVITED_TO_LEAD, message, invitation)
        if earlier is not None:
            return report(Outcome.INVITED_AGAIN, again, invitation)
        return report(Outcome.INVITED, _("Invitation on its way."), invitation)


def invite_rows(rows, *, program, invited_by, language, default_team=None, default_role=None):
    """Invite every row that can be; return one :class:`RowReport` per row, in order.

    Raises PermissionDenied (inviting nobody) unless ``invited_by`` may invite into ``program``
    and into ``default_team``; rows naming a team they may not invite into are reported.
    """
    if not can(invited_by, "invite", program):
        raise PermissionDenied
    if default_team is not None and (
        default_team.program_id != program.pk or not can(invited_by, "invite", default_team)
    ):
        raise PermissionDenied
    teams = _Teams(program, invited_by)
    checked = [
        _check_row(row, program, teams, default_team, default_role or Role.MEMBER) for row in rows
    ]
    emails = {
        row.email.lower()
        for row, item in zip(rows, checked, strict=True)
        if isinstance(item, tuple)
    }
    batch = _Batch(program, invited_by, language, emails)
    with transaction.atomic():
        return [
            item if isinstance(item, RowReport) else batch.invite(row, *item)
            for row, item in zip(rows, checked, strict=True)
        ]
