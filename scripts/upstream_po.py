#!/usr/bin/env python3
"""Complete Vietnamese catalogues of Wagtail and Django, kept under locale/upstream/<name>/.

    python scripts/upstream_po.py extract wagtail/admin wagtail-admin [--domain django]
        Writes locale/upstream/wagtail-admin/vi/LC_MESSAGES/django.po with every msgid of the
        package's English catalogue, the package's own Vietnamese translations filled in, and
        what we already translated kept.
    python scripts/upstream_po.py todo locale/upstream/wagtail-admin/vi/LC_MESSAGES/django.po [N]
        Prints the first N untranslated msgids as JSON {msgid: ""} to translate, then fill them with
        scripts/po_fill.py.

Package paths are relative to site-packages (wagtail/admin, django/contrib/auth, django/conf).
"""

import json
import sys
import sysconfig
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(sysconfig.get_paths()["purelib"])


def _read(path):
    if not path.exists():
        return None
    with path.open("rb") as f:
        return read_po(f)


def extract(package_dir, name, domain="django"):
    source = _read(SITE / package_dir / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po")
    upstream_vi = _read(SITE / package_dir / "locale" / "vi" / "LC_MESSAGES" / f"{domain}.po")
    target = ROOT / "locale" / "upstream" / name / "vi" / "LC_MESSAGES" / f"{domain}.po"
    ours = _read(target)
    catalog = Catalog(locale="vi", project=f"{package_dir} ({domain})", fuzzy=False)
    for message in source:
        if not message.id:
            continue
        string = ""
        for existing in (ours, upstream_vi):
            if existing is None:
                continue
            found = existing.get(message.id, context=message.context)
            if found is not None and found.string and "fuzzy" not in found.flags:
                value = found.string
                if isinstance(value, tuple):
                    value = value[:1] if value[0] else ()
                if value:
                    string = value
                    break
        if isinstance(message.id, tuple) and not isinstance(string, tuple):
            string = (string,) if string else ("",)
        catalog.add(
            message.id,
            string,
            context=message.context,
            flags=[f for f in message.flags if f != "fuzzy"],
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True)
    missing = sum(1 for m in catalog if m.id and not _translated(m))
    print(f"{target.relative_to(ROOT)}: {len(catalog) - 1} messages, {missing} untranslated")


def _translated(message):
    s = message.string
    return all(s) if isinstance(s, tuple) else bool(s)


def todo(path, limit=200):
    catalog = _read(Path(path))
    out = {}
    for m in catalog:
        if m.id and not _translated(m):
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            out[key] = [""] if isinstance(m.id, tuple) else ""
            if len(out) >= int(limit):
                break
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "extract":
        domain = "django"
        if "--domain" in args:
            i = args.index("--domain")
            domain = args[i + 1]
            args = args[:i] + args[i + 2 :]
        extract(*args, domain=domain)
    elif command == "todo":
        todo(*args)
    else:
        sys.exit(__doc__)
