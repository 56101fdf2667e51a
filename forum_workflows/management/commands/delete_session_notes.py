"""Empty the notes (dietary needs and the like) of sign-ups for sessions that have ended.

Meant for cron, e.g. nightly: the notes are personal data only needed until the session.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forum_workflows.attendance import delete_ended_notes


class Command(BaseCommand):
    help = _("Delete the notes of sign-ups for sessions that have ended.")

    def handle(self, *args, **options):
        count = delete_ended_notes()
        self.stdout.write(_("Notes deleted: %(count)s.") % {"count": count})
