"""WSGI entry point: `gunicorn forum_site.wsgi` with site/ on the path (see README)."""

import os

from forum_site.env import exit_on_setting_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_site.settings.production")

with exit_on_setting_error():
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
