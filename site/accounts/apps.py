from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"


class WagtailUsersConfig(WagtailUsersAppConfig):
    # Wagtail's user screens assume first and last names; ours has one full name.
    user_viewset = "accounts.viewsets.UserViewSet"
