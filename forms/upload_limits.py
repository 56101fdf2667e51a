"""A real cap on the size of a request that carries files.

``FILE_UPLOAD_MAX_MEMORY_SIZE`` only decides when Django spools an upload to disk, and
``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves files out: neither refuses a huge upload. Views that accept
files are marked with :func:`limit_upload_size`; :class:`UploadLimitMiddleware` refuses a request
to such a view that is larger than ``FORUM_FORMS_MAX_REQUEST_MB`` with 413, before anything reads
its body (it must come before ``CsrfViewMiddleware``, which reads the body to find the token; a
system check says so). A proxy in front should have the same limit (nginx:
``client_max_body_size``).
"""

from functools import wraps

from django.conf import settings
from django.template.response import TemplateResponse

from .uploads import MB

MIDDLEWARE = "forms.upload_limits.UploadLimitMiddleware"


def max_request_bytes():
    return settings.FORUM_FORMS_MAX_REQUEST_MB * MB


def too_large(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # Django reads no body without a valid length
    if length <= max_request_bytes():
        return None
    response = TemplateResponse(
        request,
        "forum_forms/upload_too_large.html",
        {"limit_mb": settings.FORUM_FORMS_MAX_REQUEST_MB},
        status=413,
    )
    return response.render()


def limit_upload_size(view):
    """Mark ``view`` as one that takes files; the middleware enforces the cap before it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return too_large(request) or view(request, *args, **kwargs)

    wrapper.limits_upload_size = True
    return wrapper


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "limits_upload_size", False):
            return too_large(request)
        return None
