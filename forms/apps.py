from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    # "forms" alone would read as Django's own forms module in labels and permissions.
    label = "forum_forms"
    verbose_name = _("Structured forms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
