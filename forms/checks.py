"""System checks for the settings the forms engine relies on."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from .upload_limits import MIDDLEWARE

CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


@checks.register(checks.Tags.security)
def check_private_root(app_configs, **kwargs):
    """Private files must not sit where the web server serves public files."""
    private = Path(settings.PRIVATE_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and private.is_relative_to(Path(public).resolve()):
            errors.append(
                checks.Error(
                    f"PRIVATE_ROOT ({private}) lies inside {name} ({public}), which is served "
                    "publicly.",
                    hint="Keep private files in a folder of their own.",
                    id="forum_forms.E001",
                )
            )
    return errors


@checks.register(checks.Tags.security)
def check_upload_limit_middleware(app_configs, **kwargs):
    """Without the middleware, early enough, a huge upload is read before it is refused."""
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE in middleware and (
        CSRF_MIDDLEWARE not in middleware
        or middleware.index(MIDDLEWARE) < middleware.index(CSRF_MIDDLEWARE)
    ):
        return []
    return [
        checks.Error(
            f"{MIDDLEWARE} is not in MIDDLEWARE before {CSRF_MIDDLEWARE}.",
            hint="Without it, a request over FORUM_FORMS_MAX_REQUEST_MB is read in full "
            "before it is refused.",
            id="forum_forms.E002",
        )
    ]
