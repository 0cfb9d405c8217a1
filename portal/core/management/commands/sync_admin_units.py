from django.core.management.base import BaseCommand
from django.db import transaction

from portal.core import units
from portal.core.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Load provinces, districts and communes from the configured data package (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--source", choices=sorted(units.SOURCES), default=None)

    @transaction.atomic
    def handle(self, *args, source=None, **options):
        rows = list(units.iter_units(source))
        existing = {u.code: u for u in AdministrativeUnit.objects.all()}
        to_create, to_update = [], []
        for row in rows:
            unit = existing.get(row.code)
            values = {
                "name": row.name,
                "name_with_type": row.name_with_type,
                "level": row.level,
                "kind": row.kind,
            }
            if unit is None:
                to_create.append(AdministrativeUnit(code=row.code, **values))
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                to_update.append(unit)
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            AdministrativeUnit.objects.bulk_update(
                to_update, ["name", "name_with_type", "level", "kind"], batch_size=2000
            )
        # Parents in a second pass: every unit exists by now.
        ids = dict(AdministrativeUnit.objects.values_list("code", "id"))
        parents = dict(AdministrativeUnit.objects.values_list("code", "parent_id"))
        relink = []
        for row in rows:
            parent_id = ids.get(row.parent_code) if row.parent_code else None
            if parents.get(row.code) != parent_id:
                relink.append(AdministrativeUnit(id=ids[row.code], parent_id=parent_id))
        AdministrativeUnit.objects.bulk_update(relink, ["parent"], batch_size=2000)
        units.clear_cache()
        if options["verbosity"]:
            self.stdout.write(
                f"{len(rows)} units: {len(to_create)} created, {len(to_update)} updated, "
                f"{len(relink)} re-linked."
            )
