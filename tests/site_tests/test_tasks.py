"""Background work goes through Django's tasks framework; production queues it in the database."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_holds_wagtails_tasks_until_db_worker_runs_them(site_tree):
    with override_settings(TASKS=DATABASE_QUEUE):
        home = site_tree["sv"]
        home.intro = "Ny inledning"
        home.save_revision().publish()
        queued = DBTaskResult.objects.count()
        assert queued > 0
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}

        call_command("db_worker", batch=True, verbosity=0)

    assert DBTaskResult.objects.count() == queued
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
