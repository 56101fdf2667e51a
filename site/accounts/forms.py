"""Sign-in and password-reset forms, and the admin's user forms for a model with one full name."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .language import preferred_language
from .throttle import LOGIN_THROTTLE, PASSWORD_RESET_THROTTLE

User = get_user_model()

_FIELDS = ["email", "full_name", "is_superuser", "groups"]


class EmailIgnoringCaseMixin:
    """Refuse an email that differs from another account's only in letter case.

    Wagtail's own check compares case-sensitively; without this the database constraint would
    turn such a form into a server error instead of a message.
    """

    def _clean_username(self):
        email = self.cleaned_data.get("email")
        if not email:
            return None
        others = User._default_manager.filter(email__iexact=email)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            self.add_error(
                "email",
                forms.ValidationError(
                    _("An account with this email address already exists."),
                    code="duplicate_username",
                ),
            )
        return email


class AdminUserCreationForm(EmailIgnoringCaseMixin, UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = _FIELDS


class AdminUserEditForm(EmailIgnoringCaseMixin, UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = [*_FIELDS, "is_active"]


class LoginForm(auth_forms.AuthenticationForm):
    """Sign in with an email address; the wording fits people who are not technical."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "The email address or the password is wrong. Check both and try again."
        ),
        "throttled": _(
            "Too many wrong passwords for this email address. Wait 15 minutes and try again, "
            "or choose a new password with the link below."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        email = self.fields["username"]
        email.label = _("Email address")
        # AuthenticationForm sets max_length after building the field, so no check would run.
        email.max_length = 254
        email.validators.append(MaxLengthValidator(254))
        email.widget.attrs["maxlength"] = 254
        email.widget.attrs.update({"autocomplete": "email", "type": "email"})
        self.fields["password"].label = _("Password")

    def clean(self):
        email = self.cleaned_data.get("username")
        if email and LOGIN_THROTTLE.is_blocked(email):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned_data = super().clean()
        except forms.ValidationError as error:
            if email and error.code == "invalid_login":
                LOGIN_THROTTLE.hit(email)
            raise
        if email:
            LOGIN_THROTTLE.reset(email)
        return cleaned_data

    @property
    def is_throttled(self):
        return any(error.code == "throttled" for error in self.non_field_errors().as_data())


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset mail in the person's own language, a few times an hour at most.

    The answer is the same whether or not a mail went out, so it reveals no accounts.
    """

    def get_users(self, email):
        if PASSWORD_RESET_THROTTLE.is_blocked(email):
            return iter(())
        PASSWORD_RESET_THROTTLE.hit(email)
        return super().get_users(email)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = preferred_language(context["user"])
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
