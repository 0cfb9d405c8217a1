"""The portal's catalogues must not change the meaning of Wagtail's or Django's strings.

Django looks a msgid up in one merged catalogue: the portal's catalogues come first, so a portal
string with the same English text as an admin string ("From", "subject", "Filter") replaces the
admin's translation everywhere. Such strings need a context (pgettext) or the same translation.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from portal.core.management.commands.compile_catalogues import catalogues

UPSTREAM = sorted((Path(settings.BASE_DIR) / "locale" / "upstream").glob("*/vi/LC_MESSAGES/*.po"))
PORTAL = [p for p in catalogues() if "/vi/" in str(p) and "/upstream/" not in str(p)]


def _entries(path):
    with path.open("rb") as f:
        catalog = read_po(f)
    domain = path.stem
    for message in catalog:
        if message.id and message.string:
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            string = message.string[0] if isinstance(message.string, tuple) else message.string
            yield (domain, message.context or "", msgid), string


def _upstream():
    merged = {}
    for path in UPSTREAM:
        for key, string in _entries(path):
            merged.setdefault(key, string)
    return merged


@pytest.mark.parametrize("path", PORTAL, ids=lambda p: str(p).split("main/")[-1])
def test_portal_strings_do_not_override_admin_strings(path):
    upstream = _upstream()
    clashes = [
        f"{key[2]!r}: portal {string!r} vs admin {upstream[key]!r}"
        for key, string in _entries(path)
        if key in upstream and upstream[key].strip().lower() != string.strip().lower()
    ]
    assert not clashes, "\n".join(clashes)


def test_the_portals_own_catalogues_agree_with_each_other():
    """Each app has its catalogue, but Django merges them into one: when two apps translate the
    same English text differently, one app silently shows the other's word (an e-mail's
    "Subject" read "Đối tượng", the audit log's word). Same text, same translation, or a context."""
    seen, clashes = {}, []
    for path in PORTAL:
        where = str(path).split("main/")[-1]
        for key, string in _entries(path):
            first = seen.setdefault(key, (where, string))
            if first[1] != string:
                clashes.append(f"{key[2]!r}: {first[0]} {first[1]!r} vs {where} {string!r}")
    assert not clashes, "\n".join(clashes)
