"""One rule for what is kept of a phone or ID number where the whole number must not be.

The audit log is append-only and an erasure request cannot reach it, so it never holds a full phone
or CCCD: tracing, personal-data requests and searches record them masked. Screens that show a
citizen what the portal remembers about them use the same rule.
"""

import re

# Nine digits or more, possibly grouped by spaces or dots and with a leading +: a phone (10–11
# digits, or +84…), a CMND (9) or a CCCD (12). Dates and dossier codes have shorter runs.
_NUMBER_RE = re.compile(r"\+?\d(?:[ .]?\d){8,}")


def mask(value) -> str:
    """'0912345678' → '***678': only the last three characters are kept."""
    value = str(value or "")
    return f"***{value[-3:]}" if value else ""


def mask_numbers(text) -> str:
    """Free text (a search box, a query string) with every phone or ID number in it masked."""
    return _NUMBER_RE.sub(lambda m: mask(re.sub(r"\D", "", m.group())), str(text or ""))
