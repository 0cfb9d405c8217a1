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
        ids = {code: unit.pk for code, unit in existing.items()}
        to_update, created = [], 0
        # New units level by level, parents first, each created with its parent (a table loaded
        # from empty, as after migrate or a test database's flush, needs no second pass).
        for level_rows in _by_level(rows):
            to_create = []
            for row in level_rows:
                values = {
                    "name": row.name,
                    "name_with_type": row.name_with_type,
                    "level": row.level,
                    "kind": row.kind,
                }
                unit = existing.get(row.code)
                if unit is None:
                    parent_id = ids.get(row.parent_code) if row.parent_code else None
                    to_create.append(
                        AdministrativeUnit(code=row.code, parent_id=parent_id, **values)
                    )
                elif any(getattr(unit, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(unit, k, v)
                    to_update.append(unit)
            if to_create:
                # PostgreSQL and SQLite give the new rows their ids (RETURNING): no query.
                AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
                created += len(to_create)
                ids.update((unit.code, unit.pk) for unit in to_create)
        if to_update:
            AdministrativeUnit.objects.bulk_update(
                to_update, ["name", "name_with_type", "level", "kind"], batch_size=2000
            )
        # Units whose parent changed (a unit moved or merged in the data package).
        parents = dict(AdministrativeUnit.objects.values_list("code", "parent_id"))
        relink = []
        for row in rows:
            parent_id = ids.get(row.parent_code) if row.parent_code else None
            if parents.get(row.code) != parent_id:
                relink.append(AdministrativeUnit(id=ids[row.code], parent_id=parent_id))
        if relink:
            AdministrativeUnit.objects.bulk_update(relink, ["parent"], batch_size=2000)
        units.clear_cache()
        if options["verbosity"]:
            self.stdout.write(
                f"{len(rows)} units: {created} created, {len(to_update)} updated, "
                f"{len(relink)} re-linked."
            )


def _by_level(rows):
    """The rows in groups by level, provinces first: a unit's parent is of a level above."""
    order = {level: n for n, level in enumerate(AdministrativeUnit.Level.values)}
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(order.get(row.level, len(order)), []).append(row)
    return [groups[n] for n in sorted(groups)]
