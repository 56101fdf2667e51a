"""Front-end sign-in (with a password or a link by email), sign-out and password reset in the
site's look.

Teams and coaches never need the Wagtail admin; these pages use the site's base template and
speak the language of the URL they are opened in.
"""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from . import signin_link
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


def landing_url(language=None):
    """Where signing in lands without a page to go back to: ``LOGIN_REDIRECT_URL`` (a URL name
    is reversed) in the given or the active language."""
    with translation.override(language or translation.get_language()):
        return resolve_url(settings.LOGIN_REDIRECT_URL)


def remember_language(response, language):
    """The bare address and later visits open in the person's language."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class LoginView(InvalidFormIs400, auth_views.LoginView):
    """Signs in; without a ``next`` page, lands on the home page in the person's own language."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        self.language = chosen_language(form.get_user())
        return remember_language(super().form_valid(form), self.language)

    def get_default_redirect_url(self):
        return landing_url(getattr(self, "language", None))

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


class SigninLinkRequestView(InvalidFormIs400, FormView):
    """Asks for an email address and mails a sign-in link; the answer is the same whether or
    not an account uses the address."""

    form_class = signin_link.SigninLinkForm
    template_name = "accounts/signin_link_form.html"

    def next_url(self):
        return signin_link.safe_next(
            self.request, self.request.POST.get("next") or self.request.GET.get("next", "")
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.next_url()}

    def form_valid(self, form):
        form.send(self.request, self.next_url())
        return redirect("accounts:signin_link_sent")


class SigninLinkSentView(TemplateView):
    template_name = "accounts/signin_link_sent.html"


#: Why a sign-in link does not work: the page's status, heading and text.
SIGNIN_LINK_PROBLEMS = {
    signin_link.LinkError.BROKEN: (
        400,
        _("The link does not work"),
        _(
            "The link is incomplete or has been changed. Copy the whole link from the email "
            "into the address bar, or ask for a new link."
        ),
    ),
    signin_link.LinkError.EXPIRED: (
        410,
        _("The link has expired"),
        _("A sign-in link works for 15 minutes. Ask for a new one."),
    ),
    signin_link.LinkError.USED: (
        410,
        _("The link has already been used"),
        _(
            "A sign-in link works once, and only until you log in in another way. Ask for a "
            "new one if you need to."
        ),
    ),
    signin_link.LinkError.INACTIVE: (
        403,
        _("The account is closed"),
        _("This account has been closed. Ask your programme manager for help."),
    ),
}


@method_decorator(never_cache, name="dispatch")
class SigninLinkView(View):
    """Opening the link shows a button (mail scanners open links too); pressing it signs in,
    once, and goes on to the page asked for or the home page in the person's language."""

    def problem(self, error):
        status, title, text = SIGNIN_LINK_PROBLEMS[error.reason]
        return TemplateResponse(
            self.request,
            "accounts/signin_link_problem.html",
            {"title": title, "text": text, "reason": error.reason},
            status=status,
        )

    def get(self, request, token):
        try:
            person = signin_link.check_token(token)
        except signin_link.LinkError as error:
            return self.problem(error)
        return TemplateResponse(request, "accounts/signin_link_confirm.html", {"person": person})

    def post(self, request, token):
        try:
            person, next_url = signin_link.use_token(token)
        except signin_link.LinkError as error:
            return self.problem(error)
        login(request, person, backend=settings.AUTHENTICATION_BACKENDS[0])
        # As a new password does: whoever reads the mailbox may lift a wrong-password pause.
        LOGIN_THROTTLE.reset(person.email)
        language = chosen_language(person)
        target = signin_link.safe_next(request, next_url) or landing_url(language)
        return remember_language(redirect(target), language)
