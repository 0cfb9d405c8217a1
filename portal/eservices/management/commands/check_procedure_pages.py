"""List what the public procedure pages show without a link, an amount or a file.

``manage.py check_procedure_pages``: per live procedure, the legal basis and fee resolutions the
directives register does not hold (shown as plain text), fees stated only as "Theo Nghị quyết…",
forms without a file to download. Exit status 1 with ``--fail`` when anything is listed (for CI
or a deploy check); the same list is on each procedure's edit page.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.eservices.catalogue import procedure_problems
from portal.eservices.models import ServicePage


class Command(BaseCommand):
    help = "List procedure pages' unlinked legal references, fees without amounts, missing forms."

    def add_arguments(self, parser):
        parser.add_argument("--fail", action="store_true", help="Exit 1 if anything is listed.")

    def handle(self, *args, fail=False, **options):
        found = 0
        for page in ServicePage.objects.live().order_by("path"):
            problems = procedure_problems(page)
            if not problems:
                continue
            found += len(problems)
            self.stdout.write(f"{page.title} ({page.url_path})")
            for problem in problems:
                self.stdout.write(f"  - {problem}")
        if found and fail:
            raise CommandError(_("%(count)s problem(s) on procedure pages.") % {"count": found})
        if not found and options["verbosity"]:
            self.stdout.write(_("Every procedure page links its references and forms."))
