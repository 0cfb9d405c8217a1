"""A date people know is typed as day, month and year in the Vietnamese order (the GOV.UK date
input): three numeric inputs in a fieldset with an example; errors in words that keep what was
typed."""

import datetime

import pytest
from django.utils import timezone, translation

from portal.eservices.forms import DayMonthYearField, StepForm

STEP = {
    "key": "ca-nhan",
    "title": "Thông tin cá nhân",
    "fields": [
        {"key": "ngay_sinh", "type": "date", "label": "Ngày sinh", "required": True,
         "period": "past", "is_birth_date": True, "help": ""},
        {"key": "ngay_cap", "type": "date", "label": "Ngày cấp", "required": False,
         "period": "past", "help": ""},
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _form(**typed):
    data = {f"s-{key}": value for key, value in typed.items()}
    return StepForm(data, step=STEP, prefix="s")


def _errors(form, key="ngay_sinh"):
    form.is_valid()
    return form.errors.get(key, [])


def test_a_real_date_typed_as_day_month_year_is_kept_as_a_date():
    form = _form(ngay_sinh_day="27", ngay_sinh_month="3", ngay_sinh_year="1985")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ngay_sinh"] == "1985-03-27"
    assert form.cleaned_data["ngay_cap"] == ""


def test_leading_zeros_and_spaces_are_fine():
    form = _form(ngay_sinh_day=" 07 ", ngay_sinh_month="09", ngay_sinh_year="2001 ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ngay_sinh"] == "2001-09-07"


def test_a_date_that_does_not_exist_is_refused_in_words():
    form = _form(ngay_sinh_day="31", ngay_sinh_month="2", ngay_sinh_year="1990")
    assert _errors(form) == ["Ngày sinh phải là một ngày có thật."]
    assert _errors(_form(ngay_sinh_day="12", ngay_sinh_month="13", ngay_sinh_year="1990")) == [
        "Ngày sinh phải là một ngày có thật."
    ]
    assert _errors(_form(ngay_sinh_day="ba", ngay_sinh_month="3", ngay_sinh_year="1990")) == [
        "Ngày sinh phải là một ngày có thật."
    ]


def test_a_year_of_two_digits_is_refused():
    form = _form(ngay_sinh_day="27", ngay_sinh_month="3", ngay_sinh_year="85")
    assert _errors(form) == ["Năm sinh phải có 4 chữ số."]
    other = _form(
        ngay_sinh_day="1", ngay_sinh_month="1", ngay_sinh_year="1990",
        ngay_cap_day="1", ngay_cap_month="1", ngay_cap_year="21",
    )  # fmt: skip
    assert _errors(other, "ngay_cap") == ["Ngày cấp: năm phải có 4 chữ số."]


def test_a_date_of_birth_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = _form(
        ngay_sinh_day=str(tomorrow.day),
        ngay_sinh_month=str(tomorrow.month),
        ngay_sinh_year=str(tomorrow.year),
    )
    (message,) = _errors(form)
    assert message.startswith("Ngày sinh phải là hôm nay")


def test_a_missing_part_is_named_and_a_missing_date_is_asked_for():
    assert _errors(_form(ngay_sinh_day="27", ngay_sinh_year="1985")) == ["Ngày sinh phải có tháng."]
    assert _errors(_form(ngay_sinh_year="1985")) == ["Ngày sinh phải có ngày và tháng."]
    (missing,) = _errors(_form())
    assert "Ngày sinh" in missing


def test_the_page_keeps_what_was_typed_and_shows_three_numeric_inputs():
    form = _form(ngay_sinh_day="31", ngay_sinh_month="2", ngay_sinh_year="1990")
    form.is_valid()
    html = str(form["ngay_sinh"])
    for name, value in (("day", "31"), ("month", "2"), ("year", "1990")):
        assert f'name="s-ngay_sinh_{name}"' in html
        assert f'value="{value}"' in html
        assert f'autocomplete="bday-{name}"' in html
    assert html.count('inputmode="numeric"') == 3 and 'type="date"' not in html
    # Ngày / Tháng / Năm, in that order, each input labelled.
    assert html.index(">Ngày<") < html.index(">Tháng<") < html.index(">Năm<")
    assert 'for="id_s-ngay_sinh_0"' in html and 'id="id_s-ngay_sinh_0"' in html
    # The error summary links to the day.
    assert form.error_links()[0][0] == "id_s-ngay_sinh_0"


def test_a_stored_answer_is_shown_back_in_its_three_parts():
    form = StepForm(initial={"ngay_sinh": "1985-03-27"}, step=STEP, prefix="s")
    html = str(form["ngay_sinh"])
    assert 'value="27"' in html and 'value="3"' in html and 'value="1985"' in html


def test_one_value_posted_by_an_older_page_is_still_read():
    form = _form(ngay_sinh="1985-03-27")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ngay_sinh"] == "1985-03-27"
    assert _errors(_form(ngay_sinh="31/02/1990")) == ["Ngày sinh phải là một ngày có thật."]


def test_the_example_fits_the_date_asked():
    assert DayMonthYearField(label="Ngày sinh", birth=True).example() == "27 3 1985"
    next_year = timezone.localdate().year + 1
    assert DayMonthYearField(label="Ngày hẹn", period="future").example() == f"27 3 {next_year}"
