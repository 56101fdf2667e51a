"""A real cap on the size of a request that carries files.

``FILE_UPLOAD_MAX_MEMORY_SIZE`` only decides when Django spools an upload to disk, and
``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves files out: neither refuses a huge upload. Views that accept
files are wrapped in :func:`limit_upload_size`, which refuses a request larger than
``FORUM_FORMS_MAX_REQUEST_MB`` with 413 before its body is read. A proxy in front should have
the same limit (nginx: ``client_max_body_size``).
"""

from functools import wraps

from django.conf import settings
from django.template.response import TemplateResponse

from .uploads import MB


def max_request_bytes():
    return settings.FORUM_FORMS_MAX_REQUEST_MB * MB


def limit_upload_size(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            return TemplateResponse(
                request,
                "forum_forms/upload_too_large.html",
                {"limit_mb": settings.FORUM_FORMS_MAX_REQUEST_MB},
                status=413,
            )
        return view(request, *args, **kwargs)

    return wrapper
