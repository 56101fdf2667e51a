"""Install or update a content pack (default: the improvement ramp). Safe to run again: a
second run reports no changes and writes nothing; what someone edited in the admin is left
alone and reported."""

from django.core.management.base import BaseCommand, CommandError

from forum_workflows.content_pack import PackInvalid, install_pack


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("pack", nargs="?", default="improvement_ramp")

    def handle(self, *args, pack, **options):
        try:
            report = install_pack(pack)
        except (PackInvalid, FileNotFoundError) as problem:
            raise CommandError(f"The pack cannot be installed: {problem}") from None
        for title, items in (
            ("Created", report.created),
            ("Updated", report.updated),
            ("Edited in the admin, left as they are", report.kept),
        ):
            for item in items:
                self.stdout.write(f"{title}: {item}")
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Pack {pack} installed."))
        else:
            self.stdout.write(f"Pack {pack}: no changes ({len(report.unchanged)} items checked).")
