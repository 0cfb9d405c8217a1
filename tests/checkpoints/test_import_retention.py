import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from portal.checkpoints.models import CheckIn, Checkpoint, RetentionRun
from portal.checkpoints.tasks import purge_personal_data
from portal.core import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, communes, staff_user_factory):
    user = staff_user_factory(communes=[communes[0]], groups=[roles.COMMUNE_STAFF])
    client.force_login(user)
    return user


def upload(client, content, name="diem.csv"):
    return client.post(
        "/admin/checkpoints/import/", {"file": SimpleUploadedFile(name, content)}
    ).content.decode()


def test_csv_import_keeps_good_rows_and_reports_each_refused_row(client, clerk, communes):
    mine, other = communes
    Checkpoint.objects.create(commune=mine, name="Đã có sẵn", address="x")
    rows = [
        "ten,loai,ma_xa,dia_chi,nguoi_phu_trach,dien_thoai",
        f"Trường THCS {mine.name},trường học,{mine.code},Thôn 1,Lê Văn A,+84912000001",
        f"Chợ {mine.name},chợ,{mine.name_with_type},Thôn 2,,",
        f"Chợ {mine.name},chợ,{mine.code},Thôn 2,,",
        "Nhà văn hoá,khác,99999,Thôn 3,,",
        f"Trạm Y tế,cơ sở y tế,{other.code},Thôn 4,,",
        f'=HYPERLINK("http://x"),khác,{mine.code},Thôn 5,,',
        f"Đã có sẵn,khác,{mine.code},Thôn 6,,",
        f"Cửa hàng A,tiệm vàng,{mine.code},Thôn 7,,0123",
    ]
    html = upload(client, "\n".join(rows).encode("utf-8"))
    created = set(Checkpoint.objects.filter(commune=mine).values_list("name", flat=True))
    assert created == {f"Trường THCS {mine.name}", f"Chợ {mine.name}", "Đã có sẵn"}
    assert Checkpoint.objects.get(name=f"Trường THCS {mine.name}").responsible_phone == "0912000001"
    for message in [
        "trùng với dòng 3",
        "“99999” không phải là xã của huyện",
        "bạn không được thêm điểm kiểm dịch ở xã",
        "có thể là công thức bảng tính",
        "điểm kiểm dịch này đã có ở xã đó",
        "loại “tiệm vàng” không rõ",
        "số điện thoại “0123” không hợp lệ",
    ]:
        assert message in html, message
    assert "6 dòng bị từ chối" in html


def test_import_with_wrong_columns_imports_nothing(client, clerk, communes):
    html = upload(client, b"name;commune;addr\nA;15349;x\n")
    assert "Các cột không đúng mẫu" in html and "thiếu cột: ten, ma_xa, dia_chi" in html
    assert not Checkpoint.objects.exists()


def test_xlsx_import_and_non_spreadsheet_files(client, clerk, communes):
    wb = Workbook()
    ws = wb.active
    ws.append(["Tên", "Loại", "Mã xã", "Địa chỉ"])
    ws.append(["Trường Mầm non", "trường học", communes[0].code, "Thôn 1"])
    ws.append(["Công thức", "khác", communes[0].code, "=1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    html = upload(client, buf.getvalue(), "diem.xlsx")
    assert list(Checkpoint.objects.values_list("name", flat=True)) == ["Trường Mầm non"]
    assert "có thể là công thức bảng tính" in html
    html = upload(client, b"PK\x03\x04garbage", "diem.xlsx")
    assert "Không đọc được tệp như một bảng tính Excel" in html


def test_retention_deletes_old_checkins_and_declarations_and_logs_it(
    checkpoint, stay_factory, settings
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 21
    now = timezone.now()
    stay_factory(checkpoint, now - timedelta(days=22))
    stay_factory(checkpoint, now - timedelta(days=30))
    kept = stay_factory(checkpoint, now - timedelta(days=20))
    from portal.eservices.models import HealthDeclaration

    purge_personal_data()
    assert list(CheckIn.objects.all()) == [kept]
    run = RetentionRun.objects.get()
    assert run.checkins_deleted == 2
    assert run.declarations_deleted == 0
    assert HealthDeclaration.objects.count() == 0


def test_dashboard_panel_shows_chart_and_dormant_checkpoints(
    client, communes, checkpoint_factory, stay_factory, staff_user_factory
):
    busy = checkpoint_factory(commune=communes[0], name="Điểm đông người")
    checkpoint_factory(commune=communes[0], name="Điểm vắng")
    checkpoint_factory(commune=communes[1], name="Điểm xã khác")
    stay_factory(busy, timezone.now() - timedelta(hours=1))
    user = staff_user_factory(communes=[communes[0]], groups=[roles.COMMUNE_STAFF])
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "Lượt ra/vào trong 7 ngày qua" in html and "<svg" in html
    assert "Điểm vắng" in html and "Điểm xã khác" not in html
    assert "Điểm đông người</a>" not in html
