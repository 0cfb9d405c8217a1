"""Compile every .po catalogue of the project to .mo, in pure Python (no GNU gettext needed).

Django's ``compilemessages`` needs ``msgfmt``; a fresh machine with only Python has none.
Fuzzy entries are left out, as msgfmt does.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues():
    roots = [Path(p) for p in settings.LOCALE_PATHS]
    roots += sorted((settings.BASE_DIR / "portal").glob("**/locale"))
    for root in roots:
        yield from sorted(root.glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po -> .mo) without msgfmt."

    def handle(self, *args, **options):
        count = 0
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as f:
                catalog = read_po(f, abort_invalid=True)
            with mo_path.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
            count += 1
        if options["verbosity"]:
            self.stdout.write(f"{count} catalogue(s) compiled.")
