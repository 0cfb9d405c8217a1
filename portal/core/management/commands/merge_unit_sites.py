from django.core.management.base import BaseCommand, CommandError

from portal.core.unit_reform import ReformError, merge_units


class Command(BaseCommand):
    help = (
        "Merge the sites of units FROM_CODE... into the site of --into: their pages move under "
        "the merged site's sections, their hosts and paths answer a 301, their staff follow."
    )

    def add_arguments(self, parser):
        parser.add_argument("from_codes", nargs="+", metavar="FROM_CODE")
        parser.add_argument("--into", required=True, metavar="INTO_CODE")
        parser.add_argument("--dry-run", action="store_true", help="Show, change nothing.")

    def handle(self, *args, from_codes, into, dry_run=False, **options):
        try:
            result = merge_units(from_codes, into, dry_run=dry_run)
        except ReformError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines:
            self.stdout.write(line)
