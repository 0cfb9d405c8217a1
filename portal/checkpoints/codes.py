"""Checkpoint codes, poster verification codes and Vietnamese phone numbers.

A checkpoint has two codes printed on its poster:
- ``code``: 22 random URL-safe characters (128 bits) in the QR's URL ``BASE_URL/c/<code>``;
  nobody can enumerate checkpoints from outside and send false check-ins;
- ``short_code``: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), for typing on
  ``/quet-ma/`` when a camera cannot read the QR.

The poster also prints a verification code: an HMAC of the code and its issue date, so the portal
can tell a genuine poster from a forged or outdated one (``/kiem-tra-ap-phich/``).
"""

import hashlib
import hmac
import re
import secrets
from datetime import date

from django.conf import settings

from portal.core import personal_numbers
from portal.core.masking import mask

SHORT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_LENGTH = 6
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")


def new_code() -> str:
    return secrets.token_urlsafe(16)


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def normalise_short_code(text: str) -> str | None:
    """'abc-234', ' ABC 234 ' → 'ABC234'; None when it cannot be a short code."""
    cleaned = re.sub(r"[\s.\-_]", "", str(text or "")).upper()
    if len(cleaned) != SHORT_LENGTH or any(c not in SHORT_ALPHABET for c in cleaned):
        return None
    return cleaned


def format_short_code(code: str) -> str:
    """'ABC234' → 'ABC-234', easier to read aloud and to type."""
    return f"{code[:3]}-{code[3:]}" if len(code) == SHORT_LENGTH else code


def verification_code(code: str, issued: date) -> str:
    """Eight characters printed on the poster; only the portal (with SECRET_KEY) can make them."""
    message = f"poster:{code}:{issued.isoformat()}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(8):
        number, index = divmod(number, len(SHORT_ALPHABET))
        chars.append(SHORT_ALPHABET[index])
    return "".join(chars)


def verification_matches(code: str, issued: date, candidate: str) -> bool:
    cleaned = re.sub(r"[\s.\-_]", "", str(candidate or "")).upper()
    return hmac.compare_digest(verification_code(code, issued), cleaned)


# Phone and identity numbers: the portal's one rule (core.personal_numbers).
normalise_phone = personal_numbers.normalise_phone
normalise_id_number = personal_numbers.normalise_id_number


# What the check-in page shows of the phone the browser remembers: the portal's one masking rule.
mask_phone = mask
