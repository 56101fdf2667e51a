"""Front-end sign-in, sign-out and password reset in the site's look.

Teams and coaches never need the Wagtail admin; these pages use the site's base template and
speak the language of the URL they are opened in.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import translation

from .forms import LoginForm, PasswordResetForm
from .language import chosen_language
from .throttle import LOGIN_THROTTLE


class InvalidFormIs400:
    """A form sent back with errors is a client error (400), with the errors shown."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def home_url(language=None):
    """The home page in the given or the active language (``/sv/`` or ``/en/``)."""
    with translation.override(language or translation.get_language()):
        return reverse("wagtail_serve", args=[""])


class LoginView(InvalidFormIs400, auth_views.LoginView):
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

    def get_redirect_url(self):
        # "Back to the login page" after logging in would loop; go home instead.
        url = super().get_redirect_url()
        return "" if url.split("?")[0] == self.request.path else url

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    """Logs out on POST; a plain visit (e.g. a bookmarked link) gets a page with the button."""

    def get_default_redirect_url(self):
        return home_url()

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = TemplateResponse(request, "accounts/logout.html", status=405)
        response["Allow"] = "POST"
        return response


class PasswordResetView(InvalidFormIs400, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(InvalidFormIs400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            response.status_code = 400  # an expired or used link
        return response

    def form_valid(self, form):
        # The way out the throttle message promises: a new password lifts the pause.
        LOGIN_THROTTLE.reset(form.user.email)
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
