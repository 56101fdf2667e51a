"""Export every saved answer to one form, for operators (drafts are never exported).

    manage.py export_answers <form slug> [--format csv|xlsx] [--all-versions] [--pseudonymise]
                                         [--output PATH]

CSV goes to standard output unless ``--output`` is given; XLSX needs ``--output``. A file is
written under a temporary name and renamed when complete, so a failed export leaves no half
file behind. Host apps export only their own answer sets through ``forms.export`` instead.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms.export import csv_chunks, write_xlsx
from forms.models import AnswerSet, FormDefinition

FORMATS = ("csv", "xlsx")


class Command(BaseCommand):
    help = _("Export the saved answers to a form as CSV or XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("the form's identifier"))
        parser.add_argument(
            "--format", default="csv", metavar="{csv,xlsx}", help=_("csv (default) or xlsx")
        )
        parser.add_argument(
            "--all-versions",
            action="store_true",
            help=_("every saved version of each answer set, not only the latest"),
        )
        parser.add_argument(
            "--pseudonymise",
            action="store_true",
            help=_("a stable pseudonym instead of each author's name"),
        )
        parser.add_argument(
            "--output",
            metavar="PATH",
            help=_("the file to write; without it, CSV goes to standard output"),
        )

    def handle(self, *args, **options):
        kind, output = options["format"], options["output"]
        if kind not in FORMATS:
            raise CommandError(
                gettext("Unknown format “%(format)s”: choose csv or xlsx.") % {"format": kind}
            )
        if kind == "xlsx" and not output:
            raise CommandError(gettext("An XLSX export needs --output PATH."))
        definition = FormDefinition.objects.filter(slug=options["slug"]).first()
        if definition is None:
            raise CommandError(
                gettext("No form has the identifier “%(slug)s”.") % {"slug": options["slug"]}
            )
        answer_sets = AnswerSet.objects.filter(definition=definition)
        export_options = {
            "all_versions": options["all_versions"],
            "pseudonymise": options["pseudonymise"],
        }
        if not output:
            # A terminal or a pipe: no byte order mark, which only Excel needs.
            for chunk in csv_chunks(definition, answer_sets, bom=False, **export_options):
                self.stdout.write(chunk, ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(
                gettext("The folder %(folder)s does not exist.") % {"folder": path.parent}
            )
        try:
            self.write(path, kind, definition, answer_sets, export_options)
        except OSError as error:
            raise CommandError(
                gettext("Could not write %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        self.stdout.write(self.style.SUCCESS(gettext("Wrote %(path)s.") % {"path": path}))

    def write(self, path, kind, definition, answer_sets, export_options):
        temporary = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
            dir=path.parent, prefix=f".{path.name}.", delete=False
        )
        try:
            with temporary:
                if kind == "xlsx":
                    write_xlsx(definition, answer_sets, temporary, **export_options)
                else:
                    for chunk in csv_chunks(definition, answer_sets, **export_options):
                        temporary.write(chunk.encode())
            os.replace(temporary.name, path)
        except BaseException:
            Path(temporary.name).unlink(missing_ok=True)
            raise
