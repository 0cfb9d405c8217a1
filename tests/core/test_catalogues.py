"""Every string of the portal's own catalogues is translated (no empty or fuzzy entry)."""

import pytest
from babel.messages.pofile import read_po

from portal.core.management.commands.compile_catalogues import catalogues

CATALOGUES = [p for p in catalogues() if "/vi/" in str(p)]


def test_vietnamese_catalogue_exists():
    assert any(p.name == "django.po" for p in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p).split("portal/")[-1])
def test_catalogue_is_complete(path):
    with path.open("rb") as f:
        catalog = read_po(f)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    untranslated += [
        m.id for m in catalog if m.id and isinstance(m.string, tuple) and not all(m.string)
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {path}: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:20]}"
