import pytest

from portal.checkpoints import codes


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0237 3870 115", "02373870115"),
        ("0123456789", None),  # 01x prefixes were retired in 2018
        ("091234567", None),
        ("+1 912 345 678", None),
        ("09123456789", None),
        ("abc", None),
        ("=0912345678", None),
        ("", None),
    ],
)
def test_vietnamese_phone_numbers_are_normalised_or_refused(raw, expected):
    assert codes.normalise_phone(raw) == expected


def test_short_codes_are_typeable_and_forgiving():
    code = codes.new_short_code()
    assert len(code) == 6 and set(code) <= set(codes.SHORT_ALPHABET)
    assert codes.normalise_short_code("abc-234") == "ABC234"
    assert codes.normalise_short_code(" ABC 234 ") == "ABC234"
    assert codes.normalise_short_code("ABO234") is None  # O is not in the alphabet
    assert codes.normalise_short_code("ABC23") is None


def test_checkin_codes_are_long_and_random():
    a, b = codes.new_code(), codes.new_code()
    assert a != b and codes.CODE_RE.match(a)


def test_verification_code_depends_on_code_and_issue_date():
    from datetime import date

    v = codes.verification_code("x" * 22, date(2026, 1, 1))
    assert codes.verification_matches("x" * 22, date(2026, 1, 1), v.lower())
    assert not codes.verification_matches("x" * 22, date(2026, 1, 2), v)
    assert not codes.verification_matches("y" * 22, date(2026, 1, 1), v)
