"""Programme managers set up workflows (drafts, revisions, publishing), as they set up forms;
editors do not. Which programs and projects they see stays with the permissions module."""

from django.db import migrations

from ._grants import codenames, grant, revoke

GROUP = "Programme managers"
PERMISSIONS = codenames(["projectworkflow"], ("add", "change", "delete", "view", "publish"))


def grant_managers(apps, schema_editor):
    # Wagtail adds "publish" for models with drafts after migrating; make sure it exists now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    workflow_type, _created = ContentType.objects.get_or_create(
        app_label="forum_workflows", model="projectworkflow"
    )
    Permission.objects.get_or_create(
        content_type=workflow_type,
        codename="publish_projectworkflow",
        defaults={"name": "Can publish workflow"},
    )
    grant(apps, GROUP, "forum_workflows", PERMISSIONS)


def revoke_managers(apps, schema_editor):
    revoke(apps, GROUP, "forum_workflows", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("forum_workflows", "0009_notifications"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant_managers, revoke_managers)]
