"""Checks of Vietnamese identity numbers, phone numbers and uploaded files."""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.core.storage import detect_type
from portal.core.text import nfc

# Province codes of the 12-digit citizen identity number (Circular 07/2016/TT-BCA, Annex I).
CCCD_PROVINCES = {
    "001",
    "002",
    "004",
    "006",
    "008",
    "010",
    "011",
    "012",
    "014",
    "015",
    "017",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "044",
    "045",
    "046",
    "048",
    "049",
    "051",
    "052",
    "054",
    "056",
    "058",
    "060",
    "062",
    "064",
    "066",
    "067",
    "068",
    "070",
    "072",
    "074",
    "075",
    "077",
    "079",
    "080",
    "082",
    "083",
    "084",
    "086",
    "087",
    "089",
    "091",
    "092",
    "093",
    "094",
    "095",
    "096",
}
# The 4th digit: century of birth and sex (0/1: 1900s, 2/3: 2000s, ...; even male, odd female).
CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


def clean_id_number(value: str, label: str, allow_cmnd: bool = True) -> str:
    """A CCCD (12 digits, structure checked) or, if allowed, a CMND (9 digits)."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not digits.isdigit():
        raise ValidationError(_("%(label)s must contain digits only.") % {"label": label})
    if len(digits) == 9 and allow_cmnd:
        return digits
    if len(digits) != 12:
        if allow_cmnd:
            message = _("%(label)s must have 12 digits (CCCD) or 9 digits (CMND).")
        else:
            message = _("%(label)s must have 12 digits.")
        raise ValidationError(message % {"label": label})
    if digits[:3] not in CCCD_PROVINCES:
        raise ValidationError(
            _("%(label)s: the first three digits are not a province code.") % {"label": label}
        )
    return digits


def cccd_birth(digits: str):
    """(birth year, sex 'Nam'/'Nữ') encoded in a 12-digit CCCD, or None."""
    if len(digits) != 12 or not digits.isdigit():
        return None
    code = int(digits[3])
    return CENTURY[code] + int(digits[4:6]), ("Nữ" if code % 2 else "Nam")


def clean_phone(value: str, label: str) -> str:
    """A Vietnamese mobile (0[35789]xxxxxxxx) or landline (02xxxxxxxxx), normalised to 0…"""
    number = re.sub(r"[\s.\-()]", "", value or "")
    if number.startswith("+84"):
        number = "0" + number[3:]
    elif number.startswith("84") and len(number) == 11:
        number = "0" + number[2:]
    if not re.fullmatch(r"0[35789]\d{8}|02\d{9}", number):
        raise ValidationError(
            _("%(label)s must be a Vietnamese phone number, like 0912 345 678.") % {"label": label}
        )
    return number


# Numbers: bounds every numeric answer keeps even when the form builder sets none. Fifteen digits
# hold any sum of money in đồng and stay exact in a browser's double and in a spreadsheet.
NUMBER_LIMIT = Decimal("999999999999999")
NUMBER_DEFAULT_MIN = Decimal(0)
NUMBER_DECIMAL_PLACES = 2
NUMBER_MAX_DECIMAL_PLACES = 6
# Longer input is refused before it is parsed (a 1e100000000 cannot reach decimal arithmetic).
NUMBER_MAX_INPUT = 40
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")


def _bound(value, default: Decimal) -> Decimal:
    if value in (None, ""):
        return default
    try:
        bound = Decimal(str(value))
    except InvalidOperation:
        return default
    return bound if bound.is_finite() else default


def number_bounds(spec: dict) -> tuple[Decimal, Decimal]:
    """(minimum, maximum) of a number field: the editor's, kept within ±NUMBER_LIMIT."""
    low = max(_bound(spec.get("min_value"), NUMBER_DEFAULT_MIN), -NUMBER_LIMIT)
    high = min(_bound(spec.get("max_value"), NUMBER_LIMIT), NUMBER_LIMIT)
    return low, high


def number_decimal_places(spec: dict) -> int:
    if spec.get("whole"):
        return 0
    places = spec.get("decimal_places")
    if places in (None, ""):
        return NUMBER_DECIMAL_PLACES
    return max(0, min(int(places), NUMBER_MAX_DECIMAL_PLACES))


def clean_number(value: str, label: str, spec: dict) -> str:
    """A number as people in Việt Nam type it (12,5 or 12.5; 1.500.000 grouped), within the
    field's bounds and decimal places; returned as plain digits ("1500000", "12.5")."""
    text = re.sub(r"[\s\u00a0\u202f_]", "", str(value or ""))
    whole = bool(spec.get("whole"))
    not_a_number = ValidationError(
        _("%(label)s must be a number, like 1500 or 12,5.") % {"label": label}
    )
    if len(text) > NUMBER_MAX_INPUT:
        raise not_a_number
    if _GROUPED_NUMBER.fullmatch(text) and (text.count(".") > 1 or whole or "," in text):
        # Dots group thousands: 1.500.000 đồng (one dot in a whole number: 1.500).
        text = text.replace(".", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise not_a_number  # words, exponents, NaN, Infinity
    number = Decimal(text.replace(",", "."))
    low, high = number_bounds(spec)
    if number < low:
        raise ValidationError(
            _("%(label)s must be at least %(min)s.") % {"label": label, "min": _plain(low)}
        )
    if number > high:
        raise ValidationError(
            _("%(label)s must be at most %(max)s.") % {"label": label, "max": _plain(high)}
        )
    places = number_decimal_places(spec)
    if number != 0 and -number.normalize().as_tuple().exponent > places:
        if places == 0:
            raise ValidationError(_("%(label)s must be a whole number.") % {"label": label})
        raise ValidationError(
            _("%(label)s: at most %(places)s digits after the decimal comma.")
            % {"label": label, "places": places}
        )
    return _plain(number)


def _plain(number: Decimal) -> str:
    """Digits without exponent or trailing zeros; -0 is 0."""
    if number == 0:
        return "0"
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


MIME_BY_TYPE = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_type(uploaded) -> str | None:
    """The file's real type from its content (not its name): one of MIME_BY_TYPE or None."""
    kind = detect_type(uploaded)
    if kind is None:
        return None
    ext = {"jpeg": "jpg"}.get(kind.extension, kind.extension)
    return ext if ext in MIME_BY_TYPE else None


def safe_filename(name: str, ext: str) -> str:
    """The uploaded name without path, control or odd characters, with the real extension."""
    stem = Path(nfc(name).replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^\w\- ]+", "", stem, flags=re.UNICODE).strip().replace(" ", "_")
    stem = re.sub(r"_+", "_", stem)[:80].strip("._-") or "tep"
    return f"{stem}.{ext}"


def check_uploads(files, label: str, allowed: list, max_size_mb: int, max_count: int):
    """Check content type, size and count; returns [(uploaded, type, safe name)]."""
    if len(files) > max_count:
        raise ValidationError(
            _("%(label)s: attach at most %(count)s files.") % {"label": label, "count": max_count}
        )
    checked = []
    for uploaded in files:
        if uploaded.size > max_size_mb * 1024 * 1024:
            raise ValidationError(
                _("%(label)s: %(name)s is larger than %(size)s MB.")
                % {
                    "label": label,
                    "name": safe_filename(uploaded.name, "")[:-1],
                    "size": max_size_mb,
                }
            )
        if uploaded.size == 0:
            raise ValidationError(_("%(label)s: the selected file is empty.") % {"label": label})
        kind = sniff_type(uploaded)
        if kind is None or kind not in allowed:
            names = ", ".join(t.upper() for t in allowed)
            raise ValidationError(
                _("%(label)s: the file must be %(types)s.") % {"label": label, "types": names}
            )
        checked.append((uploaded, kind, safe_filename(uploaded.name, kind)))
    return checked
