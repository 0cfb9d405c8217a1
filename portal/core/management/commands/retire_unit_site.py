from django.core.management.base import BaseCommand, CommandError

from portal.core.unit_reform import ReformError, retire_unit


class Command(BaseCommand):
    help = (
        "Stop serving a unit's site: its host answers a 301 to the parent site (or the site of "
        "--redirect-to), its pages are unpublished and kept, its editors lose their permissions."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--redirect-to", metavar="CODE")

    def handle(self, *args, code, redirect_to=None, **options):
        try:
            result = retire_unit(code, redirect_to=redirect_to)
        except ReformError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines:
            self.stdout.write(line)
