"""Vietnamese text rules, in one place: Unicode normalisation, clean names, folding for search.

The same Vietnamese letter can arrive in two forms: precomposed ("ễ", NFC, what most keyboards
send) or as a base letter followed by combining marks ("e" + U+0302 + U+0303, NFD, what some
Vietnamese input methods and phones send). The two look identical but compare unequal, so a name
stored in one form is never found by a search typed in the other. Every text input is brought to
NFC at the request boundary (``portal.core.security.NormaliseInputMiddleware``); code that takes
text from elsewhere (files, commands) calls ``nfc`` itself.

Citizens often type without diacritics ("khai bao y te"). Folding maps every Vietnamese letter to
its base Latin letter, one character for one character, so a position in the folded text is the
same position in the (NFC) original (used to highlight matches).
"""

import re
import unicodedata
from functools import lru_cache

# Invisible characters that have no place in a person's name: zero-width space / non-joiner /
# joiner, word joiner, BOM (zero-width no-break space), soft hyphen, and the bidirectional
# controls (marks, embeddings, overrides, isolates). Copied from a chat or a contact card, they make
# one name look like another (an RLO even displays the rest of the name backwards).
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def nfc(text) -> str:
    """``text`` in Unicode NFC (precomposed) form; never None."""
    text = str(text or "")
    # The check is much cheaper than the normalisation and almost every text is NFC already.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_name(text) -> str:
    """A person's name as it should be stored: NFC, no invisible characters, single spaces."""
    # Removed before composing: one between a letter and its mark would keep them apart.
    return " ".join(nfc(INVISIBLE.sub("", str(text or ""))).split())


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


def unaccent(text) -> str:
    """'Đã tiếp nhận' -> 'Da tiep nhan': the letters without their marks, case kept (text for
    SMS, which carries 160 such characters a message but only 70 with Vietnamese marks)."""
    out = []
    for ch in nfc(text):
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
        elif ch.isascii():
            out.append(ch)
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if base.isascii() else ch)
    return "".join(out)


def fold(text) -> str:
    """'KHAI BÁO Y TẾ' -> 'khai bao y te'; the result has the NFC text's length."""
    return "".join(_fold_char(ch) for ch in nfc(text))


def normalise_stored(model, names=(), texts=(), batch_size=1000) -> int:
    """Bring values stored before input was normalised to the same form: ``names`` through
    ``clean_name``, ``texts`` to NFC. Used by data migrations; returns how many rows changed.

    Only changed rows are kept in memory and written, so it is cheap on tables that are NFC already.
    """
    fields = [*names, *texts]
    changed = []
    for obj in model._base_manager.only("pk", *fields).iterator(chunk_size=batch_size):
        dirty = False
        for name in fields:
            value = getattr(obj, name)
            if not value:
                continue
            new = clean_name(value) if name in names else nfc(value)
            if new != value:
                setattr(obj, name, new)
                dirty = True
        if dirty:
            changed.append(obj)
    model._base_manager.bulk_update(changed, fields, batch_size=batch_size)
    return len(changed)


def fold_stored(model, source: str, target: str, batch_size=2000) -> int:
    """Fill ``target`` with ``fold(source)`` in every row (the folded columns the admin's search
    reads). Used by data migrations; returns how many rows were written."""
    batch, written = [], 0
    rows = model._base_manager.values_list("pk", source).iterator(chunk_size=batch_size)
    for pk, value in rows:
        batch.append(model(pk=pk, **{target: fold(value)}))
        if len(batch) == batch_size:
            model._base_manager.bulk_update(batch, [target])
            written, batch = written + len(batch), []
    if batch:
        model._base_manager.bulk_update(batch, [target])
        written += len(batch)
    return written
