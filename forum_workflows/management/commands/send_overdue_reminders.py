"""Remind teams of stages past their due date, once per stage and due date.

Meant for cron, daily (in the morning): running it again, or twice at once, reminds nobody twice.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forum_workflows.notifications import send_overdue_reminders


class Command(BaseCommand):
    help = _("Remind teams of stages past their due date.")

    def handle(self, *args, **options):
        count = send_overdue_reminders()
        self.stdout.write(_("Stages reminded of: %(count)s.") % {"count": count})
