"""A "Programme managers" group: it opens the admin and lets them build forms (DESIGN.md §1).
What they see of programs and people comes from their program roles
(forum_workflows.permissions), not from model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Programme managers"
FORM_ACTIONS = ["add", "change", "delete", "view", "publish"]


def create(apps, schema_editor):
    forms_config = apps.get_app_config("forum_forms")
    forms_config.models_module = True  # historical app configs lack it; create_permissions asks
    create_permissions(forms_config, apps=apps, verbosity=0)
    forms_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    forms_type, _created = ContentType.objects.get_or_create(
        app_label="forum_forms", model="formdefinition"
    )
    # Wagtail adds "publish" for models with drafts after migrating; make sure it exists now.
    Permission.objects.get_or_create(
        content_type=forms_type,
        codename="publish_formdefinition",
        defaults={"name": "Can publish form"},
    )
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        *Permission.objects.filter(
            content_type=forms_type,
            codename__in=[f"{action}_formdefinition" for action in FORM_ACTIONS],
        ),
    )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum_workflows", "0003_people"),
        ("forum_forms", "0002_stored_files"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create, remove)]
