from django.core.management.base import BaseCommand, CommandError

from portal.core.unit_reform import ReformError, rename_unit


class Command(BaseCommand):
    help = (
        "Rename a unit (its site, settings, groups and collection follow); with --host, move "
        "its site to a new host and keep the old one answering a 301 path for path."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--name", required=True, help='The new name with its type ("Xã Mới").')
        parser.add_argument("--host", help="A new host name for the unit's site.")

    def handle(self, *args, code, name, host=None, **options):
        try:
            result = rename_unit(code, name, host=host)
        except ReformError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines:
            self.stdout.write(line)
