"""Write a unit's report for a period, as DOCX or PDF (the file's extension decides).

    manage.py unit_report --site vinhloc.thanhhoa.gov.vn --from 2021-07-01 --to 2021-09-08 \\
        --template ung-dung-cntt-phong-chong-covid --out bao-cao.docx

Several units at once: ``--site`` once for each (their figures added up, each row counted once,
and listed per unit; the unit above them issues the report).
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from wagtail.models import Site

from portal.reports.document import build_report, render
from portal.reports.models import ReportTemplate


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from error


def _site(hostname):
    found = Site.objects.filter(hostname=hostname).select_related("root_page")
    site = found.order_by("-is_default_site", "port").first()
    if site is None:
        known = ", ".join(Site.objects.order_by("hostname").values_list("hostname", flat=True))
        raise CommandError(f"No site with host {hostname!r} (sites: {known})")
    return site


class Command(BaseCommand):
    help = "Write a unit's report for a period as DOCX or PDF, the figures from the statistics."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            required=True,
            action="append",
            help="Host name of the unit's site; once for each of several units.",
        )
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD, included")
        parser.add_argument("--template", required=True, help="Name of the report template.")
        parser.add_argument("--out", required=True, help="FILE.docx or FILE.pdf")
        parser.add_argument("--date", help="Date of the report (YYYY-MM-DD); today by default.")
        parser.add_argument("--signer", help="The signer's name, if the template has none.")

    def handle(self, *args, **options):
        out = Path(options["out"])
        kind = out.suffix.lower().lstrip(".")
        if kind not in ("docx", "pdf"):
            raise CommandError("--out must end in .docx or .pdf")
        hostnames = options["site"]
        if isinstance(hostnames, str):  # call_command(site="…") passes one host as it is
            hostnames = [hostnames]
        sites = [_site(hostname) for hostname in dict.fromkeys(hostnames)]
        date_from, date_to = _date(options["date_from"]), _date(options["date_to"])
        if date_to < date_from:
            raise CommandError("--to is before --from")
        template = ReportTemplate.for_sites(sites, options["template"])
        if template is None:
            usable = ReportTemplate.objects.filter(Q(site__in=sites) | Q(site__isnull=True))
            names = ", ".join(sorted(set(usable.values_list("name", flat=True))))
            raise CommandError(f"No template {options['template']!r} (templates: {names})")
        if options["signer"]:
            template.signer_name = options["signer"]
        issued_on = _date(options["date"]) if options["date"] else None
        report = build_report(sites, date_from, date_to, template, issued_on)
        out.write_bytes(render(report, kind))
        if options["verbosity"]:
            self.stdout.write(f"{out} ({out.stat().st_size} bytes)")
