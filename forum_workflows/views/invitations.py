"""Accepting an invitation from the link in its email.

Opening the link only shows a page (mail scanners open links too); accepting is a POST. A new
person chooses their name and password; someone with an account signs in first and confirms.
A link that no longer works gets a page saying why, with a 4xx status, never an error.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.coreutils import get_supported_content_language_variant

from .. import invitations
from ..invitation_forms import AcceptInvitationForm
from ..invitations import InvitationError
from ..models import ProgramPage
from ..permissions import opens_admin

#: Why a link does not work: the page's status, heading and text.
PROBLEMS = {
    InvitationError.BROKEN: (
        400,
        gettext_lazy("The link does not work"),
        gettext_lazy(
            "The link is incomplete or has been changed. Copy the whole link from the email into "
            "the address bar, or ask your programme manager to send the invitation again."
        ),
    ),
    InvitationError.EXPIRED: (
        410,
        gettext_lazy("The invitation has expired"),
        gettext_lazy(
            "An invitation works for %(days)s days. Ask your programme manager to send it again."
        ),
    ),
    InvitationError.USED: (
        410,
        gettext_lazy("The invitation has already been accepted"),
        gettext_lazy("The link works only once. Log in with your account instead."),
    ),
    InvitationError.REPLACED: (
        410,
        gettext_lazy("There is a newer invitation"),
        gettext_lazy(
            "This invitation was sent again, and only the link in the newest email works. Look "
            "for it in your inbox."
        ),
    ),
    InvitationError.REVOKED: (
        410,
        gettext_lazy("The invitation was withdrawn"),
        gettext_lazy("Ask your programme manager if you think this is a mistake."),
    ),
    InvitationError.CLOSED: (
        403,
        gettext_lazy("The account is closed"),
        gettext_lazy(
            "The account with this email address has been closed, so the invitation cannot be "
            "accepted. Ask your programme manager for help."
        ),
    ),
    InvitationError.WRONG_PERSON: (
        403,
        gettext_lazy("The invitation is for someone else"),
        gettext_lazy(
            "You are logged in with another email address than the one the invitation was sent "
            "to. Log out, then open the link again."
        ),
    ),
    InvitationError.HAS_ACCOUNT: (
        409,
        gettext_lazy("You already have an account"),
        gettext_lazy(
            "An account with this email address exists. Log in to accept the invitation."
        ),
    ),
}
TEMPLATE = "forum_workflows/invitations/accept.html"


def _login_url(request):
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"


def _problem(request, error):
    status, title, text = PROBLEMS[error.reason]
    return TemplateResponse(
        request,
        "forum_workflows/invitations/problem.html",
        {
            "reason": error.reason,
            "title": title,
            "text": text % {"days": invitations.lifetime().days},
            "login_url": _login_url(request),
        },
        status=status,
    )


def welcome_message(invitation):
    Role = invitation.Role
    words = {
        Role.MEMBER: _("Welcome! You are now a member of the team %(target)s."),
        Role.LEAD: _("Welcome! You are now the team lead of %(target)s."),
        Role.COACH: _("Welcome! You are now the improvement coach of the team %(target)s."),
        Role.MANAGER: _("Welcome! You are now a programme manager of %(target)s."),
        Role.FACULTY: _("Welcome! You are now faculty (utvecklingsledare) of %(target)s."),
    }
    return words[invitation.role] % {"target": invitation.target}


def _program_page(program):
    """The live, public ProgramPage showing ``program``: the one in the active language's locale
    if there is one, else any."""
    pages = ProgramPage.objects.live().public().filter(program=program).order_by("path")
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return pages.first()
    return pages.filter(locale__language_code=language).first() or pages.first()


def landing_url(request, invitation, user):
    """Where someone lands after accepting, in the active language.

    Programme managers and faculty work in the admin: its dashboard, when they may open it.
    Everyone else (and faculty without admin access) sees the program's page; without one, the
    start page. (The team's workspace replaces the program page once there is one.)
    """
    if invitation.role in invitation.PROGRAM_ROLES:
        # Fetched afresh: accepting may just have opened the admin, after the permissions of
        # ``user`` were cached.
        fresh = get_user_model()._default_manager.get(pk=user.pk)
        if opens_admin(fresh):
            return reverse("wagtailadmin_home")
    page = _program_page(invitation.program)
    url = page.get_url(request) if page is not None else None
    return url or reverse("wagtail_serve", args=[""])


def _welcome(request, invitation, user):
    """Where the person now belongs, in their language, with a message saying what they now
    are."""
    language = invitations.chosen_language(user) or translation.get_language()
    with translation.override(language):
        messages.success(request, welcome_message(invitation))
        return redirect(landing_url(request, invitation, user))


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    try:
        invitation = invitations.read_token(token)
    except InvitationError as error:
        return _problem(request, error)
    person = invitations.invited_person(invitation)
    if person is not None and not person.is_active:
        return _problem(request, InvitationError(InvitationError.CLOSED, invitation))
    context = {"invitation": invitation, "login_url": _login_url(request)}

    if request.user.is_authenticated:
        if not invitations.is_for(invitation, request.user):
            return _problem(request, InvitationError(InvitationError.WRONG_PERSON, invitation))
        if request.method == "POST":
            try:
                invitations.accept(token, request.user)
            except InvitationError as error:
                return _problem(request, error)
            return _welcome(request, invitation, request.user)
        return TemplateResponse(request, TEMPLATE, {**context, "step": "confirm"})

    if person is not None:
        # An account exists: its owner signs in (password or sign-in link), then confirms.
        status = 403 if request.method == "POST" else 200
        return TemplateResponse(request, TEMPLATE, {**context, "step": "sign_in"}, status=status)

    form = AcceptInvitationForm(
        invitation, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation, user = invitations.accept_as_new(
                    token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    language=translation.get_language(),
                )
            except InvitationError as error:
                return _problem(request, error)
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return _welcome(request, invitation, user)
        return TemplateResponse(
            request, TEMPLATE, {**context, "step": "new", "form": form}, status=400
        )
    return TemplateResponse(request, TEMPLATE, {**context, "step": "new", "form": form})
