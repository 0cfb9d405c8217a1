"""A citizen files a procedure online, gets the code and receipt, and follows it to the result."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from portal.eservices.models import Dossier, DossierFile, Status
from tests.eservices.conftest import pdf_bytes, png_bytes

BIRTH = reverse("eservices:apply_start", kwargs={"slug": "dang-ky-khai-sinh"})
APPLICANT = {
    "ho_ten": "Nguyễn Thị <b>Lan</b>",
    "ngay_sinh_day": "12",
    "ngay_sinh_month": "4",
    "ngay_sinh_year": "1995",
    "gioi_tinh": "Nữ",
    "so_giay_to": "038195001234",
    "dien_thoai": "0912 345 678",
    "email": "lan@example.com",
    "noi_cu_tru__province": "38",
    "noi_cu_tru__district": "393",
    "noi_cu_tru__commune": "15349",
    "noi_cu_tru__detail": "Thôn Đông",
}
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


def file_birth(wizard_for):
    mail.outbox.clear()
    w = wizard_for(BIRTH)
    assert w.step == "nguoi-yeu-cau"
    w.post(APPLICANT)
    assert w.step == "tre-em", w.html
    w.post(CHILD)
    assert w.step == "giay-to"
    w.post(
        {"cap_ban_sao": "yes", "so_ban_sao": "2"},
        {"giay_chung_sinh": SimpleUploadedFile("giấy chứng sinh.png", png_bytes(), "image/png")},
    )
    assert w.step == "kiem-tra", w.html
    return w


@pytest.mark.django_db
def test_citizen_files_online_and_gets_code_receipt_and_email(es_demo, wizard_for, client):
    w = file_birth(wizard_for)
    assert "Nguyễn Thị &lt;b&gt;Lan&lt;/b&gt;" in w.html  # answers shown escaped on the review
    assert "giấy_chứng_sinh.png" in w.html
    w.post({"consent": "on"})
    dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
    today = datetime.date.today()
    assert re.fullmatch(rf"VL-{today:%y%m%d}-\d{{4}}", dossier.code)
    assert dossier.code in w.html
    assert dossier.applicant_phone == "0912345678"
    assert dossier.commune.code == "15349"
    assert dossier.answers["so_ban_sao"] == "2"
    assert dossier.consent_at is not None
    attachment = dossier.files.get()
    assert attachment.original_name == "giấy_chứng_sinh.png"
    assert attachment.file.name.startswith("dossiers/")

    pdf = client.get(reverse("eservices:receipt", kwargs={"code": dossier.code}))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "PHIẾU TIẾP NHẬN" in text and dossier.code in text
    assert "Nguyễn Thị <b>Lan</b>" in text  # drawn as typed, not interpreted as markup
    assert f"{dossier.due_date:%d/%m/%Y}" in text

    assert len(mail.outbox) == 1
    assert dossier.code in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert dossier.emails.get().sent_at is not None


@pytest.mark.django_db
def test_receipt_is_refused_to_another_session(es_demo, wizard_for, client):
    w = file_birth(wizard_for)
    w.post({"consent": "on"})
    code = Dossier.objects.get(service__slug="dang-ky-khai-sinh").code
    client.logout()
    client.cookies.clear()
    assert client.get(reverse("eservices:receipt", kwargs={"code": code})).status_code == 404


@pytest.mark.django_db
def test_officer_moves_dossier_through_stages_and_citizen_sees_each(
    es_demo, wizard_for, client, staff_user_factory
):
    w = file_birth(wizard_for)
    w.post({"consent": "on"})
    dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
    officer = es_demo["demo_users"]["motcua"]
    from django.test import Client

    staff = Client()
    staff.force_login(officer)
    detail = reverse("eservices_admin:detail", kwargs={"pk": dossier.pk})
    assert staff.get(reverse("eservices_admin:list")).status_code == 200
    page = staff.get(detail)
    assert "Nguyễn Thị &lt;b&gt;Lan&lt;/b&gt;" in page.content.decode()

    def act(status, note="", **extra):
        response = staff.post(detail, {"status": status, "note": note, **extra})
        assert response.status_code == 302, response.content.decode()[:3000]
        dossier.refresh_from_db()
        assert dossier.status == status

    def citizen_sees(status_label):
        response = client.post(
            reverse("eservices:lookup"), {"code": dossier.code.lower(), "identity": "038195001234"}
        )
        assert status_label in response.content.decode()
        return response

    act(Status.RECEIVED)
    citizen_sees("Được tiếp nhận")
    act(Status.PROCESSING)
    act(
        Status.SUPPLEMENT,
        "Ảnh giấy chứng sinh bị mờ, đề nghị chụp lại.",
        fields=["giay_chung_sinh"],
    )
    response = citizen_sees("Yêu cầu bổ sung")
    supplement = dossier.open_supplement()
    assert str(supplement.token) in response.content.decode()
    assert str(supplement.token) in mail.outbox[-1].body

    form = client.get(reverse("eservices:supplement", kwargs={"token": supplement.token}))
    html = form.content.decode()
    assert "giay_chung_sinh" in html and "ten_tre" not in html  # only the named field reopens
    response = client.post(
        reverse("eservices:supplement", kwargs={"token": supplement.token}),
        {"bo-sung-giay_chung_sinh": SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf")},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.answers["giay_chung_sinh"] == [{"name": "scan.pdf", "size": len(pdf_bytes())}]
    assert dossier.answers["ten_tre"] == "Nguyễn Minh An"
    assert dossier.files.filter(replaced=True).count() == 1
    again = client.get(reverse("eservices:supplement", kwargs={"token": supplement.token}))
    assert again.status_code == 400  # a used link is refused cleanly

    result = SimpleUploadedFile(
        "giay-khai-sinh.pdf", pdf_bytes("Giay khai sinh"), "application/pdf"
    )
    act(Status.DONE, "Đã ký Giấy khai sinh.", results=[result])
    act(Status.RETURNED, "Đã trả kết quả trực tiếp.")
    response = citizen_sees("Đã trả kết quả")
    result_file = dossier.files.get(kind=DossierFile.Kind.RESULT)
    download = client.get(
        reverse("eservices:result_file", kwargs={"code": dossier.code, "pk": result_file.pk})
    )
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    history = [e.status for e in dossier.events.all()]
    assert history == [
        "new",
        "received",
        "processing",
        "supplement",
        "processing",
        "done",
        "returned",
    ]
    assert all(e.actor_name for e in dossier.events.all())
    assert dossier.finished_at is not None


@pytest.mark.django_db
def test_lookup_with_wrong_identity_is_refused(es_demo, client):
    dossier = Dossier.objects.get()  # the demo report
    response = client.post(
        reverse("eservices:lookup"), {"code": dossier.code, "identity": "0999999999"}
    )
    assert response.status_code == 200
    assert dossier.get_status_display() not in response.content.decode()
    assert "Lỗi: " in response.content.decode()
    ok = client.post(
        reverse("eservices:lookup"), {"code": dossier.code, "identity": "+84912345678"}
    )
    assert "Được tiếp nhận" in ok.content.decode()
