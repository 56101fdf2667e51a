from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumWorkflowsConfig(AppConfig):
    name = "forum_workflows"
    label = "forum_workflows"
    verbose_name = _("Forum for Values")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Forms that ask "which change idea?" get their choices from the running project.
        from . import choice_sources

        choice_sources.register()
