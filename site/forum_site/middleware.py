"""Django's LocaleMiddleware, except where URLs carry no language.

Django answers a 404 by redirecting to the same path under ``/sv/`` when that path would match,
and Wagtail's page URLs match any path: so an admin 404 became a redirect to a second 404 page
on the public site. Paths that never carry a language keep their 404.
"""

from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

UNPREFIXED = ("/admin/", "/documents/", "/static/", "/media/")


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
