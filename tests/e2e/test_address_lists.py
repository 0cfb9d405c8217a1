"""Address lists on a phone with JavaScript: choosing a province or a district fills the next list
in place (no reload, focus kept, the "Update the lists" button hidden); without JavaScript the
button still reloads the step with the next list."""

import pytest

from tests.e2e.helpers import PHONE, axe_check

pytestmark = pytest.mark.e2e

STEP = "/dich-vu-cong/nop/dang-ky-khai-sinh/"
PREFIX = '[name$="-noi_cu_tru__'


def _select(page, part):
    return page.locator(f'{PREFIX}{part}"]')


def _wait_for(page, part, value, present=True):
    page.wait_for_function(
        "([sel, value, present]) => present === "
        "Array.from(document.querySelector(sel).options).some(o => o.value === value)",
        arg=[f'{PREFIX}{part}"]', value, present],
    )


def _options(select):
    return select.evaluate("s => Array.from(s.options).map(o => o.value).filter(Boolean)")


def test_the_lists_update_in_place_and_keep_focus(phone):
    phone.goto(STEP)
    district, commune = _select(phone, "district"), _select(phone, "commune")
    assert phone.locator("button[name=_refresh]").is_hidden()
    phone.evaluate("window.__sameDocument = true")
    # Another district of the province: its communes, in place.
    other = next(code for code in _options(district) if code != "393")
    district.focus()
    district.select_option(other)
    _wait_for(phone, "commune", "15349", present=False)
    phone.wait_for_function(
        "([sel]) => document.querySelector(sel).options.length > 1", arg=[f'{PREFIX}commune"]']
    )
    assert phone.evaluate("window.__sameDocument") is True  # no reload
    assert phone.evaluate("document.activeElement.name").endswith("noi_cu_tru__district")
    status = phone.locator("fieldset.es-address [role=status]").inner_text()
    assert "lựa chọn" in status
    # Back to Vĩnh Lộc: its communes again; choosing the province empties the lists below it.
    district.select_option("393")
    _wait_for(phone, "commune", "15349")
    commune.select_option("15349")
    _select(phone, "province").select_option("01")
    phone.wait_for_function(
        "([sel]) => document.querySelector(sel).options.length > 1", arg=[f'{PREFIX}district"]']
    )
    assert "393" not in _options(district)
    assert _options(commune) == []
    assert phone.evaluate("window.__sameDocument") is True
    axe_check(phone, what="address lists after an update in place")


def test_without_javascript_the_button_reloads_the_step_with_the_next_list(new_context):
    context = new_context({**PHONE, "java_script_enabled": False})
    page = context.new_page()
    page.goto(STEP)
    button = page.locator("button[name=_refresh]")
    assert button.is_visible()
    other = next(code for code in _options_nojs(page, "district") if code != "393")
    _select(page, "district").select_option(other)
    button.click()
    page.wait_for_load_state("load")
    assert "15349" not in _options_nojs(page, "commune")
    assert _options_nojs(page, "commune")


def _options_nojs(page, part):
    options = page.locator(f'{PREFIX}{part}"] option').all()
    return [value for option in options if (value := option.get_attribute("value"))]
