"""Checks of Vietnamese identity numbers, phone numbers and uploaded files."""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.core import personal_numbers
from portal.core.storage import detect_type
from portal.core.text import nfc


def clean_id_number(value: str, label: str, allow_cmnd: bool = True) -> str:
    """A CCCD (12 digits, structure checked) or, if allowed, a CMND (9 digits): the rule is
    core.personal_numbers; the messages name the form's field."""
    digits, problem = personal_numbers.id_number_problem(value, allow_cmnd)
    if problem == personal_numbers.NOT_DIGITS:
        raise ValidationError(_("%(label)s must contain digits only.") % {"label": label})
    if problem in (personal_numbers.WRONG_LENGTH, personal_numbers.NO_CMND):
        if allow_cmnd:
            message = _("%(label)s must have 12 digits (CCCD) or 9 digits (CMND).")
        else:
            message = _("%(label)s must have 12 digits.")
        raise ValidationError(message % {"label": label})
    if problem == personal_numbers.UNKNOWN_PROVINCE:
        raise ValidationError(
            _("%(label)s: the first three digits are not a province code.") % {"label": label}
        )
    return digits


cccd_birth = personal_numbers.cccd_birth


def clean_phone(value: str, label: str) -> str:
    """A Vietnamese phone number in its national form (core.personal_numbers)."""
    number = personal_numbers.normalise_phone(value)
    if number is None:
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
