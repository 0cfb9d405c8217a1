import io
import zipfile

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from portal.checkpoints import posters
from portal.checkpoints.models import PosterExport
from portal.core import roles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_png_poster_qr_decodes_to_the_checkin_url(checkpoint, size, settings):
    png = posters.poster_png(checkpoint, size)
    image = Image.open(io.BytesIO(png))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [settings.BASE_URL + "/c/" + checkpoint.code]
    # Scanning from a metre: the QR is at least 9 cm wide on paper (A5) and 12 cm on A4.
    dpi = posters.PNG_DPI[size]
    barcode = zxingcpp.read_barcodes(image)[0]
    width_cm = (barcode.position.top_right.x - barcode.position.top_left.x) / dpi * 2.54
    assert width_cm >= (10 if size == "A4" else 7)


def test_png_poster_still_scans_when_printed_small(checkpoint):
    image = Image.open(io.BytesIO(posters.poster_png(checkpoint, "A5"))).convert("L")
    small = image.resize((image.width // 3, image.height // 3))
    assert [r.text for r in zxingcpp.read_barcodes(small)] == [checkpoint.checkin_url]


@pytest.mark.parametrize("size, width_pt", [("A4", 595), ("A5", 420)])
def test_pdf_poster_carries_vietnamese_text_code_date_and_hotline(demo, checkpoint, size, width_pt):
    pdf = PdfReader(io.BytesIO(posters.poster_pdf(checkpoint, size)))
    page = pdf.pages[0]
    assert round(float(page.mediabox.width)) == width_pt
    text = " ".join(page.extract_text().split())  # lines wrapped on the poster, joined again
    assert "ĐIỂM KIỂM DỊCH" in text
    assert checkpoint.name in text
    assert "Quét mã QR bằng camera điện thoại để khai báo y tế và ghi nhận ra/vào" in text
    assert checkpoint.short_code_display in text
    assert checkpoint.code_issued_on.strftime("%d/%m/%Y") in text
    assert checkpoint.verification_code[:4] in text
    # The first hotline of the site of the checkpoint's commune (the demo's communes list their
    # health station's), the parent site's when the commune has none.
    from portal.core.models import PortalSettings
    from portal.core.sites import site_for_unit

    hotline = PortalSettings.for_site(site_for_unit(checkpoint.commune)).primary_hotline
    assert hotline["number"] in text
    fonts = {f.get("/BaseFont") for f in page["/Resources"]["/Font"].values()}
    assert any("BeVietnamPro" in str(f) for f in fonts)


def test_decomposed_input_is_drawn_composed(checkpoint):
    import unicodedata

    checkpoint.name = unicodedata.normalize("NFD", "Trường Mầm non Vĩnh Hưng")
    text = PdfReader(io.BytesIO(posters.poster_pdf(checkpoint))).pages[0].extract_text()
    assert "Trường Mầm non Vĩnh Hưng" in text


def test_paper_forms_have_the_qr_and_numbered_rows(checkpoint):
    log = PdfReader(io.BytesIO(posters.visitor_log_pdf(checkpoint, sheets=2)))
    assert len(log.pages) == 2
    text = log.pages[1].extract_text()
    assert "SỔ THEO DÕI NGƯỜI RA, VÀO" in text and "Tờ số: 2" in text and "20" in text
    form = PdfReader(io.BytesIO(posters.declaration_form_pdf(checkpoint))).pages[0].extract_text()
    assert "TỜ KHAI Y TẾ" in form and checkpoint.short_code_display in form


def test_commune_staff_downloads_a_poster_from_the_admin(client, checkpoint, staff_user_factory):
    user = staff_user_factory(communes=[checkpoint.commune], groups=[roles.COMMUNE_STAFF])
    client.force_login(user)
    response = client.get(f"/admin/checkpoints/posters/{checkpoint.pk}/A5.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [checkpoint.checkin_url]
    assert (
        client.get(f"/admin/checkpoints/paper/{checkpoint.pk}/so-theo-doi.pdf").status_code == 200
    )


def test_bulk_export_builds_a_zip_with_progress(
    client, checkpoint_factory, communes, staff_user_factory, django_capture_on_commit_callbacks
):
    first, second = communes
    mine = [checkpoint_factory(commune=first) for _ in range(3)]
    checkpoint_factory(commune=second)
    checkpoint_factory(commune=first, is_active=False)
    user = staff_user_factory(communes=[first], groups=[roles.COMMUNE_STAFF])
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/checkpoints/exports/", {"size": "A5", "file_format": "both"})
    export = PosterExport.objects.get()
    assert response.status_code == 302
    # Celery runs eagerly in tests: the export was built when the request's transaction committed.
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<progress" in html and "core/job-progress.js" in html
    status = client.get(f"/admin/checkpoints/exports/{export.pk}/status.json").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["total"] == 3
    download = client.get(status["download_url"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 6 and all(c.short_code in " ".join(names) for c in mine)
    # Someone else's export is not theirs to see.
    other = staff_user_factory(communes=[first], groups=[roles.COMMUNE_STAFF])
    client.force_login(other)
    assert client.get(f"/admin/checkpoints/exports/{export.pk}/").status_code == 404


def test_progress_page_refreshes_itself_without_javascript(client, checkpoint, staff_user_factory):
    user = staff_user_factory(communes=[checkpoint.commune], groups=[roles.COMMUNE_STAFF])
    export = PosterExport.objects.create(created_by=user, total=10, done=4, status="running")
    client.force_login(user)
    html = client.get(f"/admin/checkpoints/exports/{export.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert 'value="40"' in html


def test_export_posters_command_writes_a_zip(checkpoint_factory, communes, tmp_path):
    checkpoint_factory(commune=communes[0])
    checkpoint_factory(commune=communes[1])
    out = tmp_path / "posters.zip"
    call_command("export_posters", "--commune", communes[0].code, "--size", "A5", "--out", str(out))
    names = zipfile.ZipFile(out).namelist()
    assert len(names) == 1 and names[0].startswith(communes[0].code) and names[0].endswith("A5.pdf")


def test_export_posters_command_refuses_an_unknown_commune(tmp_path, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_posters", "--commune", "99999", "--out", str(tmp_path / "x.zip"))
