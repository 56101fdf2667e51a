"""Wagtail wiring of the plugin: its admin screens."""

from wagtail.snippets.models import register_snippet

from .viewsets import ProgramViewSetGroup

register_snippet(ProgramViewSetGroup)
