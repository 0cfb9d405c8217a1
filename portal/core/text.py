"""Vietnamese text helpers: folding for search and lookups.

Citizens often type without diacritics ("khai bao y te"). Folding maps every Vietnamese letter to
its base Latin letter, one character for one character, so a position in the folded text is the
same position in the original (used to highlight matches).
"""

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


def fold(text) -> str:
    """'KHAI BÁO Y TẾ' -> 'khai bao y te'; the result has the NFC text's length."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return "".join(_fold_char(ch) for ch in text)
