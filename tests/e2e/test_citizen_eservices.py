"""A citizen on a phone files a procedure online and makes a health declaration — by touch, then
with the keyboard alone; every form step and its error state passes axe-core."""

import io
import re
import struct
import zlib

import pytest

from tests.e2e.helpers import (
    activate,
    axe_check,
    choose_option,
    select_by_keyboard,
    type_into,
    upload_by_keyboard,
)

pytestmark = pytest.mark.e2e

SERVICE = "/dich-vu-cong/dang-ky-khai-sinh/"
APPLICANT = {
    "ho_ten": "Nguyễn Thị Lan",
    "ngay_sinh_day": "12",
    "ngay_sinh_month": "4",
    "ngay_sinh_year": "1995",
    "gioi_tinh": "Nữ",
    "so_giay_to": "038195001234",
    "dien_thoai": "0912 345 678",
    "email": "lan@example.com",
    "noi_cu_tru__detail": "Thôn Đông",
}
ADDRESS = {"province": "38", "district": "393", "commune": "15349"}
CHILD = {
    "ten_tre": "Nguyễn Minh An",
    "ngay_sinh_tre_day": "1",
    "ngay_sinh_tre_month": "11",
    "ngay_sinh_tre_year": "2026",
    "gioi_tinh_tre": "Nam",
    "noi_sinh": "Trung tâm Y tế huyện Vĩnh Lộc",
    "dan_toc": "Kinh",
    "quan_he": "Mẹ",
}
HEALTH = {
    "full_name": "Trần Văn Hùng",
    "date_of_birth_day": "3",
    "date_of_birth_month": "2",
    "date_of_birth_year": "1980",
    "sex": "Nam",
    "nationality": "Việt Nam",
    "phone": "0987 654 321",
    "address__detail": "Khu phố 3",
}


def png_bytes(width=64, height=64) -> bytes:
    """A small valid PNG (a scanned birth certificate stand-in)."""
    raw = b"".join(b"\x00" + b"\xc8\xc8\xc8" * width for _ in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def field(page, key):
    return page.locator(f'[name$="-{key}"]')


def continue_button(page):
    return page.locator("form button.button[type=submit]:not([name])").first


def expect_step(page, heading: str | None = None):
    page.locator("h1").wait_for()
    if heading:
        assert heading in page.locator("h1").inner_text(), page.locator("h1").inner_text()
    # Every step, its error state and what follows fit a 360 px phone: nothing sideways.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def fill(page, values: dict, keyboard: bool = False):
    """Answer the fields of a step; with ``keyboard`` only Tab, typing, arrows and Space."""
    for key, value in values.items():
        target = field(page, key)
        tag = target.first.evaluate("el => el.tagName.toLowerCase()")
        kind = target.first.get_attribute("type") or ""
        if tag == "select":
            label = target.locator(f'option[value="{value}"]').inner_text().strip()
            if keyboard:
                select_by_keyboard(page, target, label)
            else:
                target.select_option(value)
        elif kind in ("radio", "checkbox"):
            option = page.locator(f'[name$="-{key}"][value="{value}"]')
            if keyboard:
                choose_option(page, option)
            else:
                option.check()
        elif kind == "file":
            files = [{"name": "giấy chứng sinh.png", "mimeType": "image/png", "buffer": value}]
            if keyboard:
                upload_by_keyboard(page, target, files)
            else:
                target.set_input_files(files)
        elif keyboard:
            type_into(page, target, value)
        else:
            target.fill(value)


def fill_address(page, key: str, keyboard: bool = False):
    """Province, district, commune: the lists update after each choice (script or button)."""
    for part in ("province", "district", "commune"):
        select = field(page, f"{key}__{part}")
        if select.input_value() == ADDRESS[part]:
            continue
        fill(page, {f"{key}__{part}": ADDRESS[part]}, keyboard)
        if part != "commune":
            # eservices.js reloads the step with the matching lists.
            page.wait_for_load_state("load")
            field(page, f"{key}__{part}").wait_for()
    assert field(page, f"{key}__commune").input_value() == ADDRESS["commune"]


def submit(page, keyboard: bool = False, button=None):
    button = button or continue_button(page)
    if keyboard:
        activate(page, button)
    else:
        button.tap()
    page.wait_for_load_state("load")


def assert_error_state(page, what: str):
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.title().startswith("Lỗi"), page.title()
    assert summary.locator("li").count() >= 1
    for link in summary.locator("a").all():
        # Each message links to its field.
        target = link.get_attribute("href")
        assert target.startswith("#") and page.locator(target).count() == 1, target
    axe_check(page, what=f"{what}, error state")


def file_birth_registration(page, keyboard: bool = False) -> str:
    """The whole procedure journey; returns the dossier code."""
    page.goto(SERVICE)
    axe_check(page, what="procedure page")
    start = page.locator('a[href*="/dich-vu-cong/nop/dang-ky-khai-sinh/"]').first
    if keyboard:
        activate(page, start)
    else:
        start.tap()
    expect_step(page)
    axe_check(page, what="procedure step 1")

    # Step 1 sent empty: an error summary linking to the fields, nothing lost after.
    submit(page, keyboard)
    assert_error_state(page, "procedure step 1")
    if keyboard:
        # The summary's first link moves focus to the field in error.
        activate(page, page.locator(".error-summary a").first)
    fill(page, APPLICANT, keyboard)
    fill_address(page, "noi_cu_tru", keyboard)
    submit(page, keyboard)

    expect_step(page)
    axe_check(page, what="procedure step 2")
    fill(page, CHILD, keyboard)
    submit(page, keyboard)

    expect_step(page)
    axe_check(page, what="procedure step 3 (upload)")
    fill(page, {"giay_chung_sinh": png_bytes(), "cap_ban_sao": "yes"}, keyboard)
    fill(page, {"so_ban_sao": "2"}, keyboard)
    submit(page, keyboard)

    # Review page, then back one step: the upload is kept.
    page.locator(".summary-list").first.wait_for()
    axe_check(page, what="procedure review")
    back = page.locator("button[name=wizard_goto_step]")
    submit(page, keyboard, button=back)
    assert "giấy_chứng_sinh.png" in page.locator(".es-kept").inner_text()
    assert field(page, "so_ban_sao").input_value() == "2"
    submit(page, keyboard)

    # Change the child's name from the review page; the journey returns to the review.
    page.locator(".summary-list").first.wait_for()
    change = page.locator(".summary-list > div").filter(has_text="Nguyễn Minh An").locator("a")
    if keyboard:
        activate(page, change)
    else:
        change.tap()
    page.wait_for_load_state("load")
    fill(page, {"ten_tre": "Nguyễn Minh Anh"}, keyboard)
    submit(page, keyboard)
    review = page.locator("main")
    page.locator("input[name$=consent]").wait_for()
    assert "Nguyễn Minh Anh" in review.inner_text()
    assert "giấy_chứng_sinh.png" in review.inner_text()

    # Sending without the declaration ticked is an error state too.
    send = page.locator("form button.button[type=submit]:not([name])").last
    submit(page, keyboard, button=send)
    assert_error_state(page, "procedure review")
    consent = page.locator("input[name$=consent]")
    if keyboard:
        choose_option(page, consent)
    else:
        consent.check()
    submit(page, keyboard, button=page.locator("form button.button[type=submit]:not([name])").last)

    code_box = page.locator(".es-panel__code")
    code_box.wait_for()
    code = code_box.inner_text().strip()
    assert re.fullmatch(r"[A-Z]+-\d{6}-\d{4}", code), code
    axe_check(page, what="dossier sent")
    return code


def download_receipt(page, keyboard: bool = False) -> bytes:
    """Follow the receipt link; the PDF may open in the phone's viewer or download."""
    link = page.locator('a[href$="phieu-tiep-nhan.pdf"]').first
    with page.expect_response(lambda r: r.url.endswith("phieu-tiep-nhan.pdf")) as info:
        if keyboard:
            activate(page, link)
        else:
            link.tap()
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = page.context.request.get(response.url).body()
    if page.url.endswith(".pdf"):
        page.go_back()
    page.locator(".es-panel__code").wait_for()
    return body


def look_up_status(page, code: str, keyboard: bool = False):
    link = page.locator('a[href*="/tra-cuu-ho-so/"]').first
    if keyboard:
        activate(page, link)
    else:
        link.tap()
    page.locator("form").last.wait_for()
    axe_check(page, what="status lookup")
    code_input = page.locator("input[name=code]")
    if code_input.input_value() != code:
        fill_plain(page, code_input, code, keyboard)
    fill_plain(page, page.locator("input[name=identity]"), "038195001234", keyboard)
    submit(page, keyboard, button=page.locator("main form button[type=submit]"))
    heading = page.locator("h1")
    heading.wait_for()
    assert code in heading.inner_text()
    assert "Mới đăng ký" in page.locator(".summary-list").inner_text()
    axe_check(page, what="status lookup result")


def fill_plain(page, locator, text, keyboard):
    if keyboard:
        type_into(page, locator, text)
    else:
        locator.fill(text)


def test_citizen_files_a_procedure_with_upload_changes_an_answer_and_follows_it(phone):
    code = file_birth_registration(phone)
    receipt = download_receipt(phone)
    assert receipt.startswith(b"%PDF-")
    look_up_status(phone, code)


def test_keyboard_user_files_a_procedure_and_follows_it(phone):
    code = file_birth_registration(phone, keyboard=True)
    assert download_receipt(phone, keyboard=True).startswith(b"%PDF-")
    look_up_status(phone, code, keyboard=True)


def test_status_lookup_with_a_wrong_code_shows_an_accessible_error(phone):
    phone.goto("/tra-cuu-ho-so/")
    phone.locator("input[name=code]").fill("VL-000000-0000")
    phone.locator("input[name=identity]").fill("038195001234")
    phone.locator("main form button[type=submit]").tap()
    assert_error_state(phone, "status lookup")


# --- Health declaration -------------------------------------------------------------------------


def declare_health(page, keyboard: bool = False):
    page.goto("/khai-bao-y-te/")
    expect_step(page)
    axe_check(page, what="health declaration step 1")
    submit(page, keyboard)
    assert_error_state(page, "health declaration step 1")
    fill(page, HEALTH, keyboard)
    fill_address(page, "address", keyboard)
    submit(page, keyboard)

    expect_step(page)
    axe_check(page, what="health declaration: travel")
    submit(page, keyboard)  # a yes/no question left unanswered
    assert_error_state(page, "health declaration: travel")
    fill(page, {"travelled": "no"}, keyboard)
    submit(page, keyboard)
    for what, question in (
        ("symptoms", "has_symptoms"),
        ("exposures", "had_exposure"),
        ("chronic conditions", "has_chronic"),
    ):
        expect_step(page)
        axe_check(page, what=f"health declaration: {what}")
        fill(page, {question: "no"}, keyboard)  # an explicit "Không", not a blank list
        submit(page, keyboard)

    consent = page.locator("input[name$=consent]")
    consent.wait_for()
    axe_check(page, what="health declaration review")
    if keyboard:
        choose_option(page, consent)
    else:
        consent.check()
    submit(page, keyboard, button=page.locator("form button.button[type=submit]:not([name])").last)

    qr = page.locator("img.es-qr")
    qr.wait_for()
    # The image really loads (a broken image has no natural width).
    page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=qr.element_handle())
    axe_check(page, what="personal QR")
    png = page.request.get(qr.get_attribute("src"))
    assert png.ok and png.headers["content-type"] == "image/png"
    return png.body()


def _decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found in the image"
    return results[0].text


def test_citizen_declares_health_and_gets_a_personal_qr(phone):
    payload = _decode_qr(declare_health(phone))
    assert payload and "Trần" not in payload  # no personal data in clear


def test_keyboard_user_declares_health_and_gets_a_personal_qr(phone):
    assert _decode_qr(declare_health(phone, keyboard=True))
