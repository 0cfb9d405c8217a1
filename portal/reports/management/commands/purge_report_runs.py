"""Delete the reports written in the background that are older than the retention, with their files.

manage.py purge_report_runs             # REPORTS_RUN_RETENTION_DAYS (30 by default)
manage.py purge_report_runs --days 7
"""

from django.core.management.base import BaseCommand, CommandError

from portal.reports.retention import purge_old_runs, retention_days


class Command(BaseCommand):
    help = "Delete background report runs and their files older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="Keep this many days instead of REPORTS_RUN_RETENTION_DAYS."
        )

    def handle(self, *args, **options):
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        deleted = purge_old_runs(days=days)
        if options["verbosity"]:
            self.stdout.write(
                f"{deleted} report run(s) older than {days or retention_days()} days deleted"
            )
