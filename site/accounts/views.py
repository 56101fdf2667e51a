"""Front-end sign-in, sign-out and password reset in the site's look.

Teams and coaches never need the Wagtail admin; these pages use the site's base template and
speak the language of the URL they are opened in.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy
from django.utils import translation

from .forms import LoginForm, PasswordResetForm
from .language import chosen_language


def home_url(language=None):
    """The home page in the given or the active language (``/sv/`` or ``/en/``)."""
    with translation.override(language or translation.get_language()):
        return reverse("wagtail_serve", args=[""])


class LoginView(auth_views.LoginView):
    """Signs in; without a ``next`` page, lands on the home page in the person's own language."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        self.language = chosen_language(form.get_user())
        response = super().form_valid(form)
        if self.language:
            # The bare address and later visits open in the person's language.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                self.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def get_default_redirect_url(self):
        return home_url(getattr(self, "language", None))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def get_default_redirect_url(self):
        return home_url()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
