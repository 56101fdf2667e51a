"""Editors manage programs and learning sessions in the admin (they run the program site)."""

from django.db import migrations

from ._grants import codenames, grant, revoke

PERMISSIONS = codenames(["program", "learningsession"])


def grant_editors(apps, schema_editor):
    grant(apps, "Editors", "forum_workflows", PERMISSIONS)


def revoke_editors(apps, schema_editor):
    revoke(apps, "Editors", "forum_workflows", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("forum_workflows", "0001_add_programs_and_pages"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
