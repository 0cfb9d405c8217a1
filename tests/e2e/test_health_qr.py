"""On a 360 px phone: a health declaration answered Không/Có, the personal QR kept on the phone
only when asked, reopened as "Mã QR của tôi", the check-in page offering a one-tap check-in, the
printable card, and "forget this phone"."""

import pytest

from tests.e2e.helpers import axe_check
from tests.e2e.test_citizen_eservices import (
    HEALTH,
    _decode_qr,
    assert_error_state,
    expect_step,
    fill,
    fill_address,
    submit,
)

pytestmark = pytest.mark.e2e


def _declare(page):
    page.goto("/khai-bao-y-te/")
    expect_step(page)
    fill(page, HEALTH)
    fill_address(page, "address")
    submit(page)
    fill(page, {"travelled": "no"})
    submit(page)
    expect_step(page)
    submit(page)  # the Có/Không question left unanswered: an error, not "none"
    assert_error_state(page, "health declaration: symptoms")
    fill(page, {"has_symptoms": "yes"})
    page.get_by_label("Sốt", exact=True).check()
    submit(page)
    fill(page, {"had_exposure": "no"})
    submit(page)
    fill(page, {"has_chronic": "no"})
    submit(page)
    page.locator("input[name$=consent]").check()
    submit(page, button=page.locator("form button.button[type=submit]:not([name])").last)
    page.locator("img.es-qr").wait_for()


def test_personal_qr_is_kept_on_request_reopened_printed_and_forgotten(phone, db_access, tmp_path):
    from tests.e2e.pages import _checkin_page

    checkin = _checkin_page()
    _declare(phone)
    assert phone.viewport_size["width"] == 360
    assert "Mã QR của tôi" in phone.locator("h1").inner_text()
    warning = phone.locator(".tag--risk")
    assert warning.count() == 1 and warning.locator("a[href^='tel:']").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(phone, what="my health QR")
    phone.screenshot(path=f"{tmp_path}/qr-page.png", full_page=True)

    phone.get_by_label("Ghi nhớ trên điện thoại này").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lưu trên điện thoại này").tap()
    assert phone.get_by_role("button", name="Quên điện thoại này").count() == 1

    # A new visit (the session cookie dropped, the phone's cookies kept).
    context = phone.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)
    phone.goto("/khai-bao-y-te/")
    phone.screenshot(path=f"{tmp_path}/start-remembered.png", full_page=True)
    axe_check(phone, what="remembered declaration")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Mã QR của tôi").tap()
    png = phone.request.get(phone.locator("img.es-qr").get_attribute("src")).body()
    assert _decode_qr(png).startswith("YT1.")

    phone.goto(checkin)
    phone.screenshot(path=f"{tmp_path}/checkin-prefilled.png", full_page=True)
    assert "***321" in phone.content()

    phone.goto("/khai-bao-y-te/the/")
    phone.screenshot(path=f"{tmp_path}/card-page.png", full_page=True)
    assert "Trần Văn Hùng" in phone.content() and "Có giá trị đến" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.goto("/khai-bao-y-te/ma-qr/")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Quên điện thoại này").tap()
    phone.goto("/khai-bao-y-te/")
    assert phone.get_by_role("button", name="Quên điện thoại này").count() == 0
    assert phone.locator("input[name$=full_name]").count() == 1
