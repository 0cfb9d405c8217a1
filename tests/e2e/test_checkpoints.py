"""Checkpoints in a real browser at phone size: a visitor scans a poster and checks in and out (by
touch and with the keyboard alone); commune staff register a checkpoint and print posters; a
health official traces the contacts of a case and exports them."""

import csv
import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest

from tests.e2e.helpers import activate, axe_check, choose_option, log_in, type_into

pytestmark = pytest.mark.e2e

VISITOR = {"full_name": "Hoàng Văn Khánh", "phone": "0905123456"}
DEMO_CASE_PHONE = "0912000111"  # portal/checkpoints/demo.py: Lê Văn Tâm


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found on the poster"
    return results[0].text


@pytest.fixture
def poster_url(portal, db_access):
    """The URL in the QR code of a demo checkpoint's generated A4 poster (PNG)."""
    from portal.checkpoints import posters
    from portal.checkpoints.models import Checkpoint

    # A commune without a site of its own: its QR points at the parent site, which the browser
    # reaches by the test server's address (tests/checkpoints/test_sites_posters.py covers the
    # communes with a site).
    checkpoint = Checkpoint.objects.filter(
        is_active=True, sub_locations__isnull=True, commune__site_settings__isnull=True
    ).first()
    url = decode_qr(posters.poster_png(checkpoint, "A4"))
    assert url.startswith(portal.url + "/c/"), url
    return url


# --- Visitor --------------------------------------------------------------------------------


def check_in_first_time(page, keyboard=False):
    page.locator("form input[name=full_name]").wait_for()
    axe_check(page, what="check-in page")
    send = page.locator("form button[type=submit]").first
    # Sent empty: the errors are listed and linked to their fields.
    if keyboard:
        activate(page, send)
    else:
        send.tap()
    errors = page.locator(".ck-errors")
    errors.wait_for()
    assert page.title().startswith("Lỗi"), page.title()
    axe_check(page, what="check-in page, error state")

    if keyboard:
        activate(page, errors.locator("a").first)  # to the name field
        type_into(page, page.locator("input[name=full_name]"), VISITOR["full_name"])
        type_into(page, page.locator("input[name=phone]"), VISITOR["phone"])
        for question in ("has_symptoms", "had_contact", "travelled"):
            choose_option(page, page.locator(f"input[name={question}][value=no]"))
        choose_option(page, page.locator("input[name=remember]"))
        choose_option(page, page.locator("input[name=consent]"))
        activate(page, page.locator("form button[type=submit]").first)
    else:
        page.locator("input[name=full_name]").fill(VISITOR["full_name"])
        page.locator("input[name=phone]").fill(VISITOR["phone"])
        for question in ("has_symptoms", "had_contact", "travelled"):
            page.locator(f"input[name={question}][value=no]").check()
        page.locator("input[name=remember]").check()
        page.locator("input[name=consent]").check()
        page.locator("form button[type=submit]").first.tap()
    panel = page.locator(".ck-panel")
    panel.wait_for()
    assert VISITOR["full_name"] in panel.inner_text()
    axe_check(page, what="checked in")


def check_out(page, keyboard=False):
    button = page.locator("button.ck-button--out")
    if keyboard:
        activate(page, button)
    else:
        button.tap()
    page.locator(".ck-panel--out").wait_for()
    axe_check(page, what="checked out")


def check_in_again_in_one_tap(page, url, keyboard=False):
    page.goto(url)
    one_tap = page.locator("button.ck-button--big")
    one_tap.wait_for()
    assert VISITOR["full_name"] in page.locator("h1").inner_text()
    # Nothing to fill in: the only control of the form is the button.
    controls = page.locator("form:has(button.ck-button--big) :is(input, select, textarea)")
    assert controls.evaluate_all("els => els.filter(e => e.type !== 'hidden').length") == 0
    axe_check(page, what="check-in, returning visitor")
    if keyboard:
        activate(page, one_tap)
    else:
        one_tap.tap()
    page.locator(".ck-panel").wait_for()
    assert page.locator("button.ck-button--out").is_visible()


def test_visitor_scans_the_poster_checks_in_then_again_in_one_tap_and_checks_out(phone, poster_url):
    phone.goto(poster_url)
    check_in_first_time(phone)
    check_out(phone)
    check_in_again_in_one_tap(phone, poster_url)
    check_out(phone)


def test_keyboard_user_checks_in_then_again_in_one_tap_and_checks_out(phone, poster_url):
    phone.goto(poster_url)
    check_in_first_time(phone, keyboard=True)
    check_out(phone, keyboard=True)
    check_in_again_in_one_tap(phone, poster_url, keyboard=True)
    check_out(phone, keyboard=True)


def test_visitor_without_camera_types_the_short_code(phone, poster_url, db_access):
    from portal.checkpoints.models import Checkpoint

    code = poster_url.rsplit("/", 1)[-1]
    short = Checkpoint.objects.get(code=code).short_code
    phone.goto("/quet-ma/")
    axe_check(phone, what="short code page")
    phone.locator("form button[type=submit]").first.tap()
    phone.locator("[role=alert], .ck-errors, .error-summary").first.wait_for()
    axe_check(phone, what="short code page, error state")
    phone.locator("form input[type=text], form input:not([type])").first.fill(short)
    phone.locator("form button[type=submit]").first.tap()
    phone.wait_for_url(re.compile(rf"/c/{code}"))
    phone.locator("input[name=full_name]").wait_for()


# --- Staff ------------------------------------------------------------------------------------


def download(page, link):
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as f:
        return info.value.suggested_filename, f.read()


def test_commune_staff_registers_a_checkpoint_prints_its_poster_and_bulk_exports(phone, portal):
    log_in(phone, "canboxa")
    phone.goto("/admin/checkpoints/diem/")
    # At phone width the list keeps the name, the code and the posters; names wrap between words.
    assert phone.locator("td.title").first.bounding_box()["width"] >= 140
    assert not phone.locator("th.ckp-wide").first.is_visible()
    phone.locator("a[href$='/admin/checkpoints/diem/new/']").first.click()
    form = phone.locator("form:has(input[name=name])")
    form.locator("input[name=name]").wait_for()
    name = "Nhà văn hóa thôn Đông Môn"
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=kind]").select_option(index=1)
    commune = form.locator("select[name=commune]")
    options = commune.locator("option:not([value=''])")
    assert options.count() == 1, "commune staff see only their own commune"
    commune.select_option(options.first.get_attribute("value"))
    form.locator("input[name=address]").fill("Thôn Đông Môn, thị trấn Vĩnh Lộc")
    form.locator("button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r"/admin/checkpoints/diem/"))

    row = phone.locator("tr").filter(has_text=name)
    row.wait_for()
    # On a phone the poster links are in the row's menu.
    row.locator("[data-controller='w-dropdown'] button").first.click()
    link = phone.locator("[data-w-dropdown-target='content'] a[href$='/A4.png']")
    filename, png = download(phone, link.first)
    assert filename.endswith(".png")
    url = decode_qr(png)
    # Thị trấn Vĩnh Lộc has a site of its own: the QR names its host, on the portal's port.
    assert url.startswith(f"http://thi-tran-vinh-loc.localhost:{portal.port}/c/"), url
    # The poster's code opens the new checkpoint's check-in page (the same path on every site).
    phone.goto(urlsplit(url).path)
    assert name in phone.locator("main").inner_text()

    phone.goto("/admin/checkpoints/exports/")
    export_form = phone.locator("form:has(select[name=size])")
    export_form.locator("select[name=commune]").select_option(index=1)
    export_form.locator("select[name=size]").select_option("A5")
    export_form.locator("select[name=file_format]").select_option("pdf")
    export_form.locator("button[type=submit]").click()
    # Tasks run eagerly in the test settings: the answer comes once every PDF is drawn, which
    # takes longer than a page on a loaded CI machine (the worker path: tests/integration).
    phone.wait_for_url(re.compile(r"/admin/checkpoints/exports/\d+/"), timeout=90_000)
    progress = phone.locator("progress#ckp-progress")
    phone.wait_for_function("el => el.value >= 100", arg=progress.element_handle())
    link = phone.locator("#ckp-download a")
    link.wait_for()
    filename, data = download(phone, link)
    assert filename.endswith(".zip")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) >= 2 and all(n.endswith(".pdf") for n in names), names


def test_health_official_traces_the_contacts_of_a_case_and_exports_them(phone):
    log_in(phone, "yte")
    phone.goto("/admin/checkpoints/trace/?mode=contacts")
    form = phone.locator("form:has(input[name=mode])")
    form.locator("input[name$=phone]").fill(DEMO_CASE_PHONE)
    form.locator("button[type=submit]:not([name])").click()
    table = phone.locator("table.listing")
    table.wait_for()
    text = table.inner_text()
    assert "Phạm Thị Hoa" in text  # at Chợ Bồng with the case (F1)
    assert "Vũ Đức Nam" in text  # at the school with Phạm Thị Hoa afterwards (F2)

    filename, data = download(phone, phone.locator("button[name=export][value=csv]"))
    assert filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) >= 3
    assert any("Phạm Thị Hoa" in cell for row in rows for cell in row)


def test_visitor_checks_that_a_poster_is_genuine(phone, poster_url, db_access):
    from portal.checkpoints.models import Checkpoint

    checkpoint = Checkpoint.objects.get(code=poster_url.rsplit("/", 1)[-1])
    phone.goto("/kiem-tra-ap-phich/")
    axe_check(phone, what="poster verification")
    phone.locator("main form button[type=submit]").first.tap()
    phone.locator(".ck-errors").wait_for()
    assert phone.title().startswith("Lỗi"), phone.title()
    axe_check(phone, what="poster verification, error state")
    phone.locator("input[name=code]").fill(checkpoint.short_code_display)
    phone.locator("input[name=verification]").fill(checkpoint.verification_code)
    phone.locator("main form button[type=submit]").first.tap()
    panel = phone.locator(".ck-panel[role=status]")
    panel.wait_for()
    assert checkpoint.name in phone.locator("main").inner_text()
    axe_check(phone, what="poster verification, genuine")
