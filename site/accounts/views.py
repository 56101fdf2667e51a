"""Front-end sign-in, sign-out and password reset in the site's look.

Teams and coaches never need the Wagtail admin; these pages use the site's base template and
speak the language of the URL they are opened in.
"""

from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy

from .forms import LoginForm, PasswordResetForm


def home_url():
    """The home page in the active language (``/sv/`` or ``/en/``)."""
    return reverse("wagtail_serve", args=[""])


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_url()

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
