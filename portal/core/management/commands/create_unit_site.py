from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.core import units
from portal.core.models import AdministrativeUnit
from portal.core.sites import site_base_url
from portal.core.unit_sites import UnitSiteError, ensure_unit_site, units_source_loaded

SOURCE_NAMES = {"pre2025": "trước 01/7/2025", "post2025": "sau 01/7/2025"}


class Command(BaseCommand):
    help = (
        "Create (or repair) the site of an administrative unit: host, home page and sections, "
        "settings, editors' and approvers' groups, a collection, a workflow. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="The unit's code (e.g. 15349).")
        parser.add_argument(
            "--children-of", metavar="CODE", help="Create a site for every child unit of CODE."
        )
        parser.add_argument(
            "--host", help="Host name (default: <unit slug>.<the parent site's host>)."
        )
        parser.add_argument(
            "--units-source",
            choices=sorted(units.SOURCES),
            default=None,
            help="Administrative units before (pre2025) or after (post2025) the 2025 reform.",
        )

    def handle(self, *args, code=None, children_of=None, host=None, units_source=None, **options):
        from django.conf import settings

        if bool(code) == bool(children_of):
            raise CommandError("Cho biết mã một đơn vị, hoặc --children-of MÃ (không cả hai).")
        if children_of and host:
            raise CommandError("--host chỉ dùng khi tạo trang của một đơn vị.")
        source = units_source or settings.PORTAL_UNITS_SOURCE
        wanted = children_of or code
        self._ensure_units(source, wanted, options["verbosity"])

        if children_of:
            parent = AdministrativeUnit.objects.get(code=children_of)
            targets = list(parent.children.order_by("code"))
            if not targets:
                raise CommandError(f"{parent.display_name} không có đơn vị cấp dưới.")
            if options["verbosity"]:
                self.stdout.write(
                    f"Tạo trang cho {len(targets)} đơn vị thuộc {parent.display_name}…"
                )
        else:
            targets = [AdministrativeUnit.objects.get(code=code)]

        made = repaired = 0
        for number, unit in enumerate(targets, start=1):
            try:
                result = ensure_unit_site(unit, hostname=host)
            except UnitSiteError as exc:
                raise CommandError(f"{unit.display_name}: {exc}") from exc
            if "site" in result.created:
                made += 1
                verb = "Đã tạo"
            elif result.created:
                repaired += 1
                verb = "Đã bổ sung"
            else:
                verb = "Đã có sẵn"
            if options["verbosity"]:
                self.stdout.write(
                    f"[{number}/{len(targets)}] {verb} trang {unit.display_name}: "
                    f"{site_base_url(result.site)}/"
                )
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Xong: {made} trang mới, {repaired} trang được bổ sung, "
                    f"{len(targets) - made - repaired} trang không đổi."
                )
            )

    def _ensure_units(self, source, code, verbosity):
        """Load the units of ``source`` when the table is empty or lacks ``code``; refuse when it
        holds the other source: the two reuse the same commune codes for different communes
        (e.g. 15442 is Xã Yên Lạc before the reform, Xã Yên Ninh after), so loading one over the
        other would rename and re-parent the units the existing sites, checkpoints and staff
        scopes point at."""
        loaded = units_source_loaded()
        if loaded is not None and loaded != source:
            raise CommandError(
                f"Danh mục đơn vị hành chính đang là danh mục {SOURCE_NAMES[loaded]} ({loaded}); "
                f"không nạp chung danh mục {SOURCE_NAMES[source]} ({source}) vì hai danh mục "
                "dùng trùng mã cho các xã khác nhau. Dùng --units-source "
                f"{loaded}, hoặc một cơ sở dữ liệu mới với PORTAL_UNITS_SOURCE={source}."
            )
        if loaded is None or not AdministrativeUnit.objects.filter(code=code).exists():
            if verbosity:
                self.stdout.write(f"Nạp danh mục đơn vị hành chính {SOURCE_NAMES[source]}…")
            call_command("sync_admin_units", source=source, verbosity=0)
        if not AdministrativeUnit.objects.filter(code=code).exists():
            raise CommandError(f"Không có đơn vị hành chính mã {code} trong danh mục {source}.")
