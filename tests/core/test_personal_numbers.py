"""Phone and identity numbers: one rule (core.personal_numbers) behind every form taking them."""

import pytest
from django.core.exceptions import ValidationError

from portal.checkpoints import codes
from portal.checkpoints.forms import IdNumberField, PhoneField
from portal.core import personal_numbers
from portal.core.privacy_requests import SubjectForm
from portal.eservices import validation


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(0237) 3 870 115", "02373870115"),
        ("+84 237 3870 115", "02373870115"),
        ("0355 555 555", "0355555555"),
        ("", None),
        ("0912 345 67", None),  # too short
        ("09123456789", None),  # too long
        ("0500000000", None),  # 050 was never assigned
        ("0123456789", None),  # an 11-digit mobile prefix retired in 2018, now short
        ("+1 650 253 0000", None),  # not Vietnamese
        ("0912345678x", None),
        ("=0912345678", None),
        ("٠٩١٢٣٤٥٦٧٨", "0912345678"),  # digits of another script read as 0-9
    ],
)
def test_a_phone_number_is_read_one_way_everywhere(typed, stored):
    assert personal_numbers.normalise_phone(typed) == stored
    assert codes.normalise_phone(typed) == stored
    field = PhoneField(required=False)
    if stored is None and typed:
        with pytest.raises(ValidationError):
            field.clean(typed)
        with pytest.raises(ValidationError):
            validation.clean_phone(typed, "Số điện thoại")
    elif stored:
        assert field.clean(typed) == stored
        assert validation.clean_phone(typed, "Số điện thoại") == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("038090001234", "038090001234"),
        ("038 090 001 234", "038090001234"),
        ("038.090.001.234", "038090001234"),
        ("172345678", "172345678"),  # an old 9-digit CMND
        ("099195001234", None),  # 099 is no province
        ("03809000123", None),
        ("03809000123a", None),
        ("０３８０９０００１２３４", "038090001234"),  # full-width digits from a phone keyboard
        ("03809000123²", None),
    ],
)
def test_an_id_number_is_read_one_way_everywhere(typed, stored):
    assert personal_numbers.normalise_id_number(typed) == stored
    assert codes.normalise_id_number(typed) == stored
    field = IdNumberField()
    if stored is None:
        with pytest.raises(ValidationError):
            field.clean(typed)
        with pytest.raises(ValidationError):
            validation.clean_id_number(typed, "Số CCCD")
    else:
        assert field.clean(typed) == stored
        assert validation.clean_id_number(typed, "Số CCCD") == stored


def test_a_cmnd_is_refused_where_only_a_cccd_is_accepted():
    assert personal_numbers.normalise_id_number("172345678", allow_cmnd=False) is None
    with pytest.raises(ValidationError, match="12"):
        validation.clean_id_number("172345678", "Số CCCD", allow_cmnd=False)


def test_the_privacy_request_form_reads_numbers_by_the_same_rule(db):
    form = SubjectForm({"phone": "+84 912 345 678", "id_number": "038 090 001 234"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"phone": "0912345678", "id_number": "038090001234"}
    refused = SubjectForm({"phone": "0500000000", "id_number": "099195001234"})
    assert not refused.is_valid()
    assert set(refused.errors) == {"phone", "id_number"}


def test_the_birth_year_and_sex_are_read_from_a_cccd():
    assert personal_numbers.cccd_birth("038195001234") == (1995, "Nữ")
    assert personal_numbers.cccd_birth("038090001234") == (1990, "Nam")
    assert personal_numbers.cccd_birth("172345678") is None
