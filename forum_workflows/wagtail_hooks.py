"""Wagtail wiring of the plugin: its admin screens."""

from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from .people_admin import PeopleGroup
from .viewsets import ProgramViewSetGroup

register_snippet(ProgramViewSetGroup)
modeladmin_register(PeopleGroup)
