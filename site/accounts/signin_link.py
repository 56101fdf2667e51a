"""Signing in with a link by email, for people who forget passwords or share a tablet.

The link is signed (``django.core.signing``), works for 15 minutes and only once: it carries a
fingerprint of the account's last sign-in time and password, and signing in changes the first.
Using a link locks the account's row, so two clicks at once sign in once. Asking for a link gets
the same answer whether or not an account uses the address, and mails go out a few times an hour
at most per address (``throttle``).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .language import preferred_language
from .throttle import Throttle

SALT = "accounts.signin_link"
#: How long a link works, in seconds.
MAX_AGE = 15 * 60
#: Three links to one address an hour; more requests get the same answer but no mail.
SIGNIN_LINK_THROTTLE = Throttle("signin-link", limit=3, window=60 * 60)


class LinkError(Exception):
    """Why a sign-in link cannot be used; ``reason`` is one of the constants below."""

    BROKEN = "broken"  # cut short or changed
    EXPIRED = "expired"
    USED = "used"  # used already, or the account signed in (or changed password) since
    INACTIVE = "inactive"  # the account was closed since the link was sent

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _fingerprint(user):
    """Changes whenever the person signs in or changes their password."""
    last_login = user.last_login.isoformat() if user.last_login else ""
    state = f"{user.pk}:{last_login}:{user.password}"
    return salted_hmac(SALT, state, algorithm="sha256").hexdigest()[:32]


def make_token(user, next_url=""):
    return signing.dumps({"u": user.pk, "f": _fingerprint(user), "n": next_url}, salt=SALT)


def _payload(token):
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return int(payload["u"]), str(payload["f"]), str(payload.get("n") or "")
    except signing.SignatureExpired:
        raise LinkError(LinkError.EXPIRED) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkError(LinkError.BROKEN) from None


def _check(user, fingerprint):
    if user is None:
        raise LinkError(LinkError.BROKEN)
    if not user.is_active:
        raise LinkError(LinkError.INACTIVE)
    if not constant_time_compare(fingerprint, _fingerprint(user)):
        raise LinkError(LinkError.USED)


def check_token(token):
    """The person a link is for, if it still works, without using it up; else LinkError."""
    pk, fingerprint, _next = _payload(token)
    user = get_user_model()._default_manager.filter(pk=pk).first()
    _check(user, fingerprint)
    return user


def use_token(token):
    """Use a link up: returns ``(user, next_url)`` for the view to sign in; else LinkError.

    The account's row stays locked until the sign-in time is written, so a second click
    waiting for it finds the link used.
    """
    pk, fingerprint, next_url = _payload(token)
    with transaction.atomic():
        user = get_user_model()._default_manager.select_for_update().filter(pk=pk).first()
        _check(user, fingerprint)
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    return user, next_url


def send_link(request, user, next_url=""):
    """Mail ``user`` a sign-in link, in their own language."""
    language = preferred_language(user)
    with translation.override(language):
        link = request.build_absolute_uri(
            reverse("accounts:signin_link", args=[make_token(user, next_url)])
        )
        context = {"user": user, "link": link, "minutes": MAX_AGE // 60, "language": language}
        message = EmailMultiAlternatives(
            subject=" ".join(
                render_to_string("accounts/signin_link_subject.txt", context).split()
            ),
            body=render_to_string("accounts/signin_link_email.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("accounts/signin_link_email.html", context), "text/html"
        )
        message.send()


def safe_next(request, url):
    """``url`` if it stays on this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


class SigninLinkForm(forms.Form):
    """Asks for an email address and mails a sign-in link to the account that uses it, if
    any, and if the address has not had three links within the hour. The answer is the same
    either way."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send(self, request, next_url=""):
        email = self.cleaned_data["email"]
        if SIGNIN_LINK_THROTTLE.is_blocked(email):
            return
        SIGNIN_LINK_THROTTLE.hit(email)
        User = get_user_model()
        user = User._default_manager.filter(email__iexact=email, is_active=True).first()
        if user is not None:
            send_link(request, user, safe_next(request, next_url))
