"""The wizard engine: navigation keeps input, errors, change links, drafts and resume."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.storage import private_storage
from portal.eservices.models import Dossier, Draft
from portal.eservices.tasks import purge_drafts
from tests.eservices.conftest import png_bytes
from tests.eservices.test_filing_flow import APPLICANT, BIRTH, CHILD, file_birth

MARRIAGE = reverse("eservices:apply_start", kwargs={"slug": "xac-nhan-tinh-trang-hon-nhan"})


@pytest.mark.django_db
def test_errors_show_summary_title_prefix_and_field_names(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    assert "Lỗi: " not in w.html
    w.post(
        {
            **APPLICANT,
            "ho_ten": "",
            "dien_thoai": "12345",
            **{"ngay_sinh_day": "31", "ngay_sinh_month": "02", "ngay_sinh_year": "1990"},
        }
    )
    assert w.step == "nguoi-yeu-cau"
    html = w.html
    assert "<title>Lỗi: " in html
    assert 'class="error-summary"' in html
    assert "Vui lòng nhập Họ, chữ đệm và tên." in html
    assert "Số điện thoại di động phải là số điện thoại Việt Nam" in html
    assert "Ngày sinh phải là một ngày có thật" in html
    # The date's error links to its day input, and the page keeps the day, month and year typed.
    assert 'href="#id_nguoi-yeu-cau-ngay_sinh_0"' in html
    for part, typed in (("day", "31"), ("month", "02"), ("year", "1990")):
        assert f'name="nguoi-yeu-cau-ngay_sinh_{part}" value="{typed}"' in html
    assert 'href="#id_nguoi-yeu-cau-ho_ten"' in html
    assert 'value="Thôn Đông"' in html  # what was accepted is kept


@pytest.mark.django_db
def test_cccd_is_checked_against_birth_year_and_sex(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    w.post({**APPLICANT, "so_giay_to": "038095001234"})  # 0 = male born 19xx, 95 ≠ 1995? sex Nữ
    assert "không khớp với giới tính đã khai (Nữ)" in w.html
    w.post({**APPLICANT, "so_giay_to": "038196001234"})
    assert "không khớp với năm sinh 1995" in w.html
    w.post({**APPLICANT, "so_giay_to": "099195001234"})
    assert "ba chữ số đầu không phải là mã tỉnh" in w.html
    w.post({**APPLICANT, "so_giay_to": "173456789"})  # a 9-digit CMND is accepted
    assert w.step == "tre-em"


@pytest.mark.django_db
def test_back_keeps_what_was_typed_even_if_incomplete(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post({"ten_tre": "Nguyễn Minh An", "dan_toc": ""}, wizard_goto_step="nguoi-yeu-cau")
    assert w.step == "nguoi-yeu-cau"
    assert 'value="038195001234"' in w.html
    assert "Lỗi: " not in w.html
    w.post(APPLICANT)
    assert w.step == "tre-em"
    assert 'value="Nguyễn Minh An"' in w.html


@pytest.mark.django_db
def test_change_link_returns_to_review(es_demo, wizard_for, client):
    w = file_birth(wizard_for)
    assert "?quay-lai=kiem-tra" in w.html
    change = reverse("eservices:apply_step", kwargs={"slug": "dang-ky-khai-sinh", "step": "tre-em"})
    w.response = client.get(change + "?quay-lai=kiem-tra")
    w.url = change
    w.post({**CHILD, "ten_tre": "Nguyễn Minh Khôi"})
    assert w.step == "kiem-tra"
    assert "Nguyễn Minh Khôi" in w.html
    assert "giấy_chứng_sinh.png" in w.html  # the uploaded file survived the detour


@pytest.mark.django_db
def test_condition_hides_field_until_answer_matches(es_demo, wizard_for):
    w = wizard_for(MARRIAGE)
    w.post(APPLICANT)
    w.post({"tinh_trang": "Chưa kết hôn", "muc_dich": "Đăng ký kết hôn"})
    assert w.step == "kiem-tra", w.html
    w.post({}, wizard_goto_step="hon-nhan")
    w.post({"tinh_trang": "Đã ly hôn", "muc_dich": "Đăng ký kết hôn"})
    assert "Vui lòng đính kèm Bản án, quyết định ly hôn." in w.html


@pytest.mark.django_db
def test_upload_checked_by_content_size_and_count(es_demo, wizard_for):
    w = wizard_for(
        reverse("eservices:apply_start", kwargs={"slug": "cap-giay-phep-xay-dung-nha-o-rieng-le"})
    )
    w.post(APPLICANT)
    w.post(
        {
            "dia_diem_xd__province": "38",
            "dia_diem_xd__district": "393",
            "dia_diem_xd__commune": "15349",
            "dia_diem_xd__detail": "Thôn 3",
            "thua_dat": "thửa 12, tờ 4",
            "dien_tich": "80,5",
            "so_tang": "2",
        }
    )
    assert w.step == "giay-to", w.html
    fake_pdf = SimpleUploadedFile("ban-ve.pdf", png_bytes(), "application/pdf")  # PNG named .pdf
    w.post(
        {},
        {
            "giay_to_dat": SimpleUploadedFile("so-do.png", png_bytes(), "image/png"),
            "ban_ve": fake_pdf,
        },
    )
    assert "Bản vẽ thiết kế: tệp phải có định dạng PDF." in w.html
    too_many = [SimpleUploadedFile(f"{i}.png", png_bytes(), "image/png") for i in range(4)]
    w.post({}, {"giay_to_dat": too_many})
    assert "chỉ được đính kèm tối đa 3 tệp" in w.html
    empty = SimpleUploadedFile("rong.png", b"", "image/png")
    w.post({}, {"giay_to_dat": empty})
    assert "không có nội dung" in w.html or "Vui lòng đính kèm" in w.html


@pytest.mark.django_db
def test_file_names_are_sanitised(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post(CHILD)
    evil = SimpleUploadedFile("../../etc/<script>x.png.exe", png_bytes(), "image/png")
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": evil})
    assert w.step == "kiem-tra"
    assert "scriptx.png" in w.html or "script_x.png" in w.html or "scriptxpng.png" in w.html
    assert "<script>" not in w.html


@pytest.mark.django_db
def test_address_lists_reload_without_javascript(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    w.post({"noi_cu_tru__province": "01", "noi_cu_tru__district": "", "_refresh": "1"})
    assert w.step == "nguoi-yeu-cau"
    assert "Quận Ba Đình" in w.html  # Hà Nội's districts now listed
    assert "Lỗi: " not in w.html


@pytest.mark.django_db
def test_double_submission_creates_one_dossier(es_demo, wizard_for, client):
    w = file_birth(wizard_for)
    before = Dossier.objects.count()
    review_url, prefix = w.url, w.prefix
    payload = {f"{prefix}-current_step": "kiem-tra", "kiem-tra-consent": "on"}
    first = client.post(review_url, payload)
    second = client.post(review_url, payload)  # the browser re-sends
    assert Dossier.objects.count() == before + 1
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_expired_session_gets_clear_message(es_demo, wizard_for, client):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    Draft.objects.all().delete()  # the draft expired and was purged
    w.post(CHILD)
    assert "Phiên làm việc đã hết hạn" in w.html
    assert w.step == "nguoi-yeu-cau"


@pytest.mark.django_db
def test_save_and_resume_by_link_and_email(es_demo, wizard_for, client):
    mail.outbox.clear()
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post({"ten_tre": "Lê Văn Bình"}, _save="1")
    assert "Đã lưu biểu mẫu" in w.html
    link = next(part for part in w.html.split('"') if "/dich-vu-cong/tiep-tuc/" in part)
    response = client.post(w.url, {"email": "lan@example.com"})
    assert "Đường dẫn đang được gửi" in response.content.decode()
    emailed = next(w for w in mail.outbox[-1].body.split() if "/dich-vu-cong/tiep-tuc/" in w)
    assert emailed.split("/tiep-tuc/")[1].split(":")[0] == link.split("/tiep-tuc/")[1].split(":")[0]

    other = Client()  # another device
    response = other.get(link, follow=True)
    assert 'value="Lê Văn Bình"' in response.content.decode()
    tampered = link.rstrip("/")[:-3] + "xyz/"
    refused = other.get(tampered)
    assert refused.status_code == 400
    assert "Không dùng được đường dẫn này" in refused.content.decode()


@pytest.mark.django_db
def test_abandoned_drafts_and_their_files_are_deleted(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post(CHILD)
    w.post(
        {"cap_ban_sao": "no"},
        {"giay_chung_sinh": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
    )
    draft = Draft.objects.get()
    _dirs, files = private_storage.listdir(draft.file_folder)
    assert len(files) == 1
    Draft.objects.filter(pk=draft.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert purge_drafts() == 1
    assert not Draft.objects.exists()
    assert private_storage.listdir(draft.file_folder)[1] == []
