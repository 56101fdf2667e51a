#!/usr/bin/env python
"""Entry point of the host project; puts site/ on sys.path (see DESIGN.md §2)."""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent / "site"


def main():
    sys.path.insert(0, str(SITE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_site.settings.dev")

    from forum_site.env import exit_on_setting_error

    with exit_on_setting_error():
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module now, not inside Django

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
