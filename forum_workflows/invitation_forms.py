"""Forms of the invitation flow: the programme managers' list of people to invite (admin), and
accepting an invitation as a new person (front end)."""

from django import forms as django_forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from .invitation_lists import MAX_BYTES, UnreadableList, decode, read_rows
from .models import Invitation, Team
from .permissions import managed_programs


class TeamChoiceField(django_forms.ModelChoiceField):
    def label_from_instance(self, team):
        return f"{team.name} ({team.program})"


class BulkInviteForm(django_forms.Form):
    """A pasted list or an uploaded CSV file, and what applies to rows that say less."""

    program = django_forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        help_text=_("Team names in the list are looked up in this program."),
    )
    team = TeamChoiceField(
        label=_("Team for rows without one"),
        queryset=None,
        required=False,
        help_text=_("Used for rows that give only an email address, or no team."),
    )
    role = django_forms.ChoiceField(
        label=_("Role for rows without one"),
        choices=Invitation.Role.choices,
        initial=Invitation.Role.MEMBER,
    )
    language = django_forms.ChoiceField(
        label=_("Language of the email"),
        help_text=_(
            "For people without an account. People who have one get the email in the language "
            "they chose."
        ),
    )
    people = django_forms.CharField(
        label=_("People to invite"),
        required=False,
        max_length=MAX_BYTES,
        widget=django_forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=_(
            "One person a line: email; full name; team; role. Or only email addresses, one a "
            "line. Roles: member, lead, coach, manager, faculty."
        ),
    )
    file = django_forms.FileField(
        label=_("Or upload a CSV file"),
        required=False,
        help_text=_(
            "The same columns, separated by commas or semicolons, as Excel saves them with "
            "“CSV UTF-8”. At most 1 MB and 2,000 rows."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programs = managed_programs(user).filter(archived_at__isnull=True)
        self.fields["program"].queryset = programs
        if len(programs) == 1:
            self.fields["program"].initial = programs[0]
        self.fields["team"].queryset = (
            Team.objects.filter(program__in=programs, archived_at__isnull=True)
            .exclude(status=Team.Status.LEFT)
            .select_related("program")
        )
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].initial = settings.LANGUAGE_CODE

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise django_forms.ValidationError(
                _("The file is larger than 1 MB. Split the list into smaller files."),
                code="too_large",
            )
        try:
            return decode(upload.read())
        except UnreadableList as error:
            raise django_forms.ValidationError(str(error), code="unreadable") from None

    def clean(self):
        cleaned = super().clean()
        program, team = cleaned.get("program"), cleaned.get("team")
        if program and team and team.program_id != program.pk:
            self.add_error("team", _("This team belongs to another program."))
        text, uploaded = cleaned.get("people"), cleaned.get("file")
        if self.errors:
            return cleaned
        if text and uploaded:
            raise django_forms.ValidationError(
                _("Paste a list or upload a file, not both."), code="both"
            )
        try:
            rows = read_rows(uploaded or text or "")
        except UnreadableList as error:
            self.add_error("file" if uploaded else "people", str(error))
            return cleaned
        if not rows:
            self.add_error(
                "file" if uploaded else "people",
                _("The list is empty. Paste at least one email address, or upload a file."),
            )
        cleaned["rows"] = rows
        return cleaned


class AcceptInvitationForm(SetPasswordMixin, django_forms.Form):
    """A new person's name and password; Django's password validators apply."""

    full_name = django_forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("As your colleagues know you. It is shown to your team and on certificates."),
        widget=django_forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("The same password again")
    )

    def __init__(self, invitation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["full_name"].initial = invitation.full_name

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        User = get_user_model()
        # Unsaved: lets the similarity validator compare the password with name and address.
        person = User(**{User.get_email_field_name(): self.invitation.email})
        if hasattr(person, "full_name"):
            person.full_name = cleaned.get("full_name", "")
        self.validate_password_for_user(person)
        return cleaned
