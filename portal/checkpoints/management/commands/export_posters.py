from django.core.management.base import BaseCommand, CommandError

from portal.checkpoints.models import Checkpoint
from portal.checkpoints.posters import write_poster_zip
from portal.core.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Write the posters of the active checkpoints (of one commune, or all) into a zip file."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="Commune code, e.g. 15349 (default: all communes).")
        parser.add_argument("--size", choices=["A4", "A5"], default="A4")
        parser.add_argument("--format", choices=["pdf", "png", "both"], default="pdf")
        parser.add_argument("--out", required=True, help="The zip file to write.")

    def handle(self, *args, commune=None, size="A4", out=None, **options):
        qs = Checkpoint.objects.filter(is_active=True).select_related("commune", "commune__parent")
        if commune:
            unit = AdministrativeUnit.objects.served().filter(code=commune).first()
            if unit is None:
                raise CommandError(f"{commune} is not the code of a commune this portal serves.")
            qs = qs.filter(commune=unit)
        checkpoints = list(qs.order_by("commune__code", "name"))
        if not checkpoints:
            raise CommandError("No active checkpoint to export.")
        with open(out, "wb") as fh:
            count = write_poster_zip(checkpoints, fh, size=size, file_format=options["format"])
        self.stdout.write(self.style.SUCCESS(f"{count} posters written to {out}"))
