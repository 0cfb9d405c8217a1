"""Commune staff scan personal QR codes with the phone: the camera's decoder reads a QR image,
and scans made with the network cut wait on the phone and are recorded, at the time they were
made, when it returns. A Chromium with a fake camera playing a QR code scans it end to end."""

import datetime
import os
import shutil
import tempfile

import pytest
from django.utils.dateparse import parse_datetime

from tests.e2e.helpers import BROWSER_ARGS, PHONE, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def visitor(db_access):
    """A health declaration and its personal QR token, and a way to read its check-ins."""
    from portal.eservices.health import personal_qr_token
    from portal.eservices.models import HealthDeclaration

    person = HealthDeclaration.objects.create(
        full_name="Đặng Thị Ngoại Tuyến",
        phone="0912888999",
        id_number="038090005678",
        date_of_birth=datetime.date(1985, 3, 2),
        sex="female",
        address="Thôn 2",
    )
    return person, personal_qr_token(person)


def stays(person):
    from portal.checkpoints.models import CheckIn

    return list(CheckIn.objects.filter(declaration_id=person.pk).order_by("checked_in_at"))


def qr_png(text: str, path: str, scale=8):
    import segno

    segno.make(text, error="m").save(path, kind="png", scale=scale, border=4)


def open_scan_page(page):
    log_in(page, "canboxa")
    page.goto("/admin/checkpoints/scan/")
    page.locator("select[name=checkpoint]").select_option(index=1)
    return page.locator("select[name=checkpoint]").input_value()


def test_scans_made_offline_are_sent_when_the_network_returns(phone, visitor, db_access):
    person, token = visitor
    checkpoint = open_scan_page(phone)
    queue = phone.locator(".ckp-scan__queue")
    phone.context.set_offline(True)
    # The entry point the camera's decoder calls, with the token it would have read.
    phone.evaluate("token => window.ckpScan.onDecoded(token)", token)
    queue.wait_for()
    assert queue.inner_text() == "1 lượt quét chờ gửi"
    shot = os.environ.get("CKP_SCREENSHOTS")
    if shot:
        phone.screenshot(path=os.path.join(shot, "scan-offline.png"), full_page=True)
    assert "Không có mạng" in phone.locator(".ckp-scan__status").inner_text()
    phone.wait_for_timeout(1500)
    # The hand-held scanner's way (typing into the field), also queued: the visitor leaves.
    phone.locator("input[name=token]").fill(token)
    phone.locator("input[name=token]").press("Enter")
    phone.wait_for_function("() => window.ckpScan.queue().length === 2")
    assert queue.inner_text() == "2 lượt quét chờ gửi"
    queued = phone.evaluate("() => window.ckpScan.queue()")
    assert [q["checkpoint"] for q in queued] == [checkpoint, checkpoint]
    assert not stays(person)

    phone.context.set_offline(False)  # the "online" event sends the queue
    phone.wait_for_function("() => window.ckpScan.queue().length === 0", timeout=20_000)
    assert queue.is_hidden()
    assert "đã ra lúc" in phone.locator(".ckp-scan__status").inner_text()
    (stay,) = stays(person)
    made = [parse_datetime(q["scanned_at"]) for q in queued]
    assert stay.checked_in_at == made[0] and stay.checked_out_at == made[1]
    assert str(stay.checkpoint_id) == checkpoint


def test_the_decoder_reads_a_personal_qr_code_from_an_image(phone, visitor, tmp_path):
    _person, token = visitor
    open_scan_page(phone)
    path = tmp_path / "qr.png"
    qr_png(token, str(path), scale=4)
    import base64

    data_url = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    read = phone.evaluate(
        """async (src) => {
            const img = new Image();
            img.src = src;
            await img.decode();
            return window.ckpScan.decodeSource(img);
        }""",
        data_url,
    )
    assert read == token


def y4m_from_png(png_path, y4m_path, width=640, height=480, frames=10):
    """A still video (YUV 4:2:0) of the QR code in the middle of a white frame."""
    from PIL import Image

    qr = Image.open(png_path).convert("L")
    side = min(width, height) - 40
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (width, height), 255)
    frame.paste(qr, ((width - side) // 2, (height - side) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(y4m_path, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + y + chroma + chroma)


@pytest.fixture
def camera_browser(browser, _browser_holder, chromium_path, visitor):
    """A Chromium of its own (from the session's Playwright) whose camera plays a video of the
    visitor's QR code."""
    _person, token = visitor
    folder = tempfile.mkdtemp(prefix="ckp-camera-")
    png, y4m = os.path.join(folder, "qr.png"), os.path.join(folder, "qr.y4m")
    qr_png(token, png)
    y4m_from_png(png, y4m)
    camera = _browser_holder["playwright"].chromium.launch(
        executable_path=chromium_path,
        headless=True,
        args=[
            *BROWSER_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={y4m}",
        ],
    )
    try:
        yield camera
    finally:
        camera.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_phones_camera_scans_a_personal_qr_code(camera_browser, portal, visitor, db_access):
    person, _token = visitor
    context = camera_browser.new_context(base_url=portal.url, locale="vi-VN", **PHONE)
    context.grant_permissions(["camera"], origin=portal.url)
    page = context.new_page()
    try:
        open_scan_page(page)
        page.locator("[data-ckp-camera]").tap()
        page.locator(".ckp-scan__video").wait_for()
        status = page.locator(".ckp-scan__status")
        page.wait_for_function(
            "el => el.textContent.includes('đã vào lúc')",
            arg=status.element_handle(),
            timeout=20_000,
        )
        assert "Đặng Thị Ngoại Tuyến" in status.inner_text()
        page.locator("[data-ckp-camera]").tap()  # stop the camera: one scan, not one per frame
    finally:
        context.close()
    (stay,) = stays(person)
    assert stay.source == "staff" and stay.checked_out_at is None


def test_scans_wait_on_the_phone_when_the_session_has_ended(phone, visitor, db_access):
    person, token = visitor
    open_scan_page(phone)
    phone.context.clear_cookies()  # signed out while the page was open
    phone.evaluate("token => window.ckpScan.onDecoded(token)", token)
    status = phone.locator(".ckp-scan__status")
    phone.wait_for_function(
        "el => el.textContent.includes('đăng nhập lại')", arg=status.element_handle()
    )
    assert phone.locator(".ckp-scan__queue").inner_text() == "1 lượt quét chờ gửi"
    assert not stays(person)
