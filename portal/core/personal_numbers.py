"""Vietnamese phone numbers and identity numbers (CCCD, CMND): the one rule that every form,
import, lookup, tracing query and privacy request calls.

Phone numbers are read by ``phonenumbers`` (Google's libphonenumber metadata, kept up to date with
the numbering plan: mobile prefixes such as 03x, 05x, 07x, 08x, 09x since the 2018 renumbering, and
fixed lines with their 02xx area codes) and stored in the national form, ``0912345678``, whatever
way they were typed: ``+84 912 345 678``, ``84912345678``, ``0912.345.678``, ``(0237) 3 870 115``.

A citizen identity number (CCCD, and the personal identification number) has 12 digits: the
province of birth registration (Circular 07/2016/TT-BCA, Annex I), the century and sex, the year
of birth and six serial digits. The old identity card (CMND) has 9 digits.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

# --- Phone numbers -------------------------------------------------------------------------------
_PHONE_CHARACTERS = re.compile(r"[\d\s.()+\-]+")
_PHONE_MAX_DIGITS = 15  # E.164


def normalise_phone(text) -> str | None:
    """A Vietnamese phone number in its national form ('0912345678'), or None if ``text`` is
    not one (letters, a foreign number, a prefix that was never assigned, wrong length)."""
    raw = str(text or "").strip()
    if not raw or not _PHONE_CHARACTERS.fullmatch(raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if not digits or len(digits) > _PHONE_MAX_DIGITS:
        return None
    if raw.startswith("+"):
        candidate = "+" + digits
    elif digits.startswith("84") and len(digits) in (11, 12):
        candidate = "+" + digits  # typed with the country code but without the plus
    else:
        candidate = digits
    try:
        number = phonenumbers.parse(candidate, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    return "0" + str(number.national_number)


# --- Identity numbers ----------------------------------------------------------------------------
# Province codes of the 12-digit citizen identity number (Circular 07/2016/TT-BCA, Annex I).
CCCD_PROVINCES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
# The 4th digit: century of birth and sex (0/1: 1900s, 2/3: 2000s, ...; even male, odd female).
CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}

# Why a number is refused; the callers word the message for their screen.
NOT_DIGITS, WRONG_LENGTH, NO_CMND, UNKNOWN_PROVINCE = (
    "not_digits",
    "wrong_length",
    "no_cmnd",
    "unknown_province",
)


def id_number_problem(text, allow_cmnd: bool = True) -> tuple[str, str | None]:
    """(the digits, None) when ``text`` is a valid CCCD (or, if allowed, CMND) number; else
    (the digits, the reason: one of NOT_DIGITS, WRONG_LENGTH, NO_CMND, UNKNOWN_PROVINCE)."""
    typed = re.sub(r"[\s.\-]", "", str(text or ""))
    # Digits of other scripts (full-width ones from some phone keyboards) read as 0-9.
    digits = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in typed)
    if not digits.isdigit() or not digits.isascii():
        return digits, NOT_DIGITS
    if len(digits) == 9:
        return (digits, None) if allow_cmnd else (digits, NO_CMND)
    if len(digits) != 12:
        return digits, WRONG_LENGTH
    if digits[:3] not in CCCD_PROVINCES:
        return digits, UNKNOWN_PROVINCE
    return digits, None


def normalise_id_number(text, allow_cmnd: bool = True) -> str | None:
    """A CCCD (12 digits, province checked) or CMND (9 digits) number without spaces or dots;
    None when invalid."""
    digits, problem = id_number_problem(text, allow_cmnd)
    return None if problem else digits


def cccd_birth(digits: str):
    """(birth year, sex 'Nam'/'Nữ') encoded in a 12-digit CCCD, or None."""
    if len(digits) != 12 or not digits.isdigit():
        return None
    code = int(digits[3])
    return CENTURY[code] + int(digits[4:6]), ("Nữ" if code % 2 else "Nam")
