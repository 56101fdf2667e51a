"""Giving a group model permissions from a data migration (not a migration itself: Django's
loader skips modules whose name starts with an underscore)."""

from django.contrib.auth.management import create_permissions


def codenames(models, actions=("add", "change", "delete", "view")):
    return [f"{action}_{model}" for model in models for action in actions]


def _permissions(apps, app_label, names):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=names)


def grant(apps, group_name, app_label, names):
    """Give the group ``group_name`` (if it exists) the permissions ``names`` of ``app_label``."""
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # historical app configs lack it; create_permissions asks
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for group in apps.get_model("auth", "Group").objects.filter(name=group_name):
        group.permissions.add(*_permissions(apps, app_label, names))


def revoke(apps, group_name, app_label, names):
    for group in apps.get_model("auth", "Group").objects.filter(name=group_name):
        group.permissions.remove(*_permissions(apps, app_label, names))
