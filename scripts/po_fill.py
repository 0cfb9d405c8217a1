#!/usr/bin/env python3
"""Fill translations into a .po catalogue from a JSON file {msgid: msgstr}.

    python scripts/po_fill.py locale/vi/LC_MESSAGES/django.po translations.json

Plural entries take a list of strings. Entries filled are no longer fuzzy. Prints what is still
untranslated, so a translator sees the gap at once.
"""

import json
import re
import sys

from babel.messages.pofile import read_po, write_po


def _one_plural_form(po_path):
    """Vietnamese has one plural form: say so in the header and drop empty msgstr[1] lines."""
    with open(po_path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r'"(Plural-Forms|Language): [^"]*"\n', "", text)
    text = text.replace(
        '"Content-Transfer-Encoding: 8bit\\n"\n',
        '"Content-Transfer-Encoding: 8bit\\n"\n"Language: vi\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n',
        1,
    )
    text = re.sub(r'\nmsgstr\[[1-9]\] ""\n', "\n", text)
    with open(po_path, "w", encoding="utf-8") as f:
        f.write(text)


def main(po_path, json_path):
    with open(json_path, encoding="utf-8") as f:
        translations = json.load(f)
    with open(po_path, "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            if "fuzzy" in message.flags:
                message.flags.discard("fuzzy")
    with open(po_path, "wb") as f:
        write_po(f, catalog, width=100)
    if "/vi/" in po_path:
        _one_plural_form(po_path)
    if "/vi/" in po_path:
        with open(po_path, "rb") as f:
            catalog = read_po(f)
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    for m in missing:
        print("untranslated:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
