"""Domain rules that live in one module: nothing else writes them out again.

``portal.core.sites`` is the one module that looks up the parent site (``is_default_site``); a
second lookup elsewhere is how a commune's receipt came to name the district, or a catalogue the
wrong tree. This reads the portal's source, so a new copy fails here before it ships.
"""

import re
from pathlib import Path

import portal

PORTAL = Path(portal.__file__).parent
# A lookup by the flag: filter/exclude/get(... is_default_site=...), or Q(is_default_site=...).
DEFAULT_SITE_LOOKUP = re.compile(
    r"\b(?:filter|exclude|get|Q)\((?:[^()]|\([^()]*\))*\bis_default_site\s*=", re.S
)
OWNER = PORTAL / "core" / "sites.py"


def _sources():
    for path in sorted(PORTAL.rglob("*.py")):
        if "migrations" in path.parts or path == OWNER:
            continue
        yield path, path.read_text(encoding="utf-8")


def test_the_pattern_finds_a_lookup():
    assert DEFAULT_SITE_LOOKUP.search("Site.objects.filter(is_default_site=True).first()")
    assert DEFAULT_SITE_LOOKUP.search("qs.filter(\n    hostname=h, is_default_site=False)")
    assert not DEFAULT_SITE_LOOKUP.search("if site.is_default_site:")
    assert not DEFAULT_SITE_LOOKUP.search('Site.objects.order_by("-is_default_site")')


def test_only_core_sites_looks_up_the_parent_site():
    found = [
        f"{path.relative_to(PORTAL.parent)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path, text in _sources()
        for match in DEFAULT_SITE_LOOKUP.finditer(text)
    ]
    assert found == [], "look the parent site up through portal.core.sites: " + ", ".join(found)
