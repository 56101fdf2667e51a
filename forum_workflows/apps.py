from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumWorkflowsConfig(AppConfig):
    name = "forum_workflows"
    label = "forum_workflows"
    verbose_name = _("Forum for Values")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Forms that ask "which change idea?" get their choices from the running project.
        from forms.permissions import register_file_access

        from . import choice_sources
        from .permissions.projects import may_download

        choice_sources.register()
        # Files attached to a stage's answers follow the stage's permissions.
        register_file_access(may_download)
