"""Send the daily and weekly notification digests that are due.

Meant for cron, hourly (daily works too). Each person's digest goes out at most once a day (a
week); a second run, or two at once, send nothing twice. It also sends the news meant for at
once whose own mail failed.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forum_workflows.notifications import send_digests


class Command(BaseCommand):
    help = _("Send the daily and weekly notification digests that are due.")

    def handle(self, *args, **options):
        count = send_digests()
        self.stdout.write(_("Digests queued: %(count)s.") % {"count": count})
