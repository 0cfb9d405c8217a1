import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from portal.checkpoints import tracing
from portal.checkpoints.models import CheckIn
from portal.core import roles
from portal.core.models import AuditEntry
from portal.core.spreadsheets import safe_text as safe_cell

pytestmark = pytest.mark.django_db

CASE = "0912000111"


def at(hour, minute=0, days_ago=1):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=hour, minutes=minute
    )


@pytest.fixture
def scene(checkpoint_factory, stay_factory):
    market = checkpoint_factory(name="Chợ Bồng")
    school = checkpoint_factory(name="Trường Tiểu học")
    s = {"market": market, "school": school}
    s["case"] = stay_factory(market, at(8), 60, phone=CASE, name="Ca bệnh")
    s["overlap"] = stay_factory(market, at(8, 30), 60, phone="0987000001", name="Trùng giờ")
    s["buffer"] = stay_factory(market, at(9, 20), 20, phone="0987000002", name="Trong đệm")
    s["late"] = stay_factory(market, at(9, 45), 20, phone="0987000003", name="Đến muộn")
    s["elsewhere"] = stay_factory(school, at(8), 60, phone="0987000004", name="Nơi khác")
    # The F1 "Trùng giờ" goes to the school in the afternoon and meets someone there (F2).
    s["f1_later"] = stay_factory(school, at(14), 60, phone="0987000001", name="Trùng giờ")
    s["f2"] = stay_factory(school, at(14, 30), 60, phone="0987000005", name="F2 ở trường")
    # The F2's earlier visit, before the F1 was exposed, must not count.
    s["f1_before"] = stay_factory(school, at(7), 30, phone="0987000001", name="Trùng giờ")
    s["before_f1"] = stay_factory(school, at(7), 30, phone="0987000006", name="Trước phơi nhiễm")
    return s


def test_contacts_overlap_with_the_default_30_minute_buffer(scene):
    result = tracing.contacts(phone=CASE, depth=1)
    names = {c.stay.full_name for c in result.contacts}
    assert names == {"Trùng giờ", "Trong đệm"}
    overlap = next(c for c in result.contacts if c.stay == scene["overlap"])
    assert overlap.overlap_minutes == 30 + 30  # 8:30–9:00 overlapping, widened by the buffer


def test_buffer_is_adjustable(scene):
    assert {
        c.stay.full_name for c in tracing.contacts(phone=CASE, buffer_minutes=0, depth=1).contacts
    } == {"Trùng giờ"}
    wide = tracing.contacts(phone=CASE, buffer_minutes=60, depth=1)
    assert "Đến muộn" in {c.stay.full_name for c in wide.contacts}


def test_depth_two_finds_contacts_of_contacts_after_exposure(scene):
    result = tracing.contacts(phone=CASE, depth=2)
    f2 = {c.stay.full_name for c in result.contacts if c.depth == 2}
    # "Đến muộn" came 15 minutes after the F1 "Trong đệm" left the market: within the buffer.
    assert f2 == {"F2 ở trường", "Đến muộn"}
    assert result.f1_count == 2 and result.f2_count == 2
    via = {c.stay.full_name: c.via for c in result.contacts if c.depth == 2}
    assert via == {"F2 ở trường": "Trùng giờ", "Đến muộn": "Trong đệm"}


def test_visitors_between_two_times(scene):
    names = {s.full_name for s in tracing.visitors(scene["market"], at(9, 10), at(9, 30))}
    assert names == {"Trùng giờ", "Trong đệm"}


def test_open_stays_count_until_automatic_checkout(scene, stay_factory, settings):
    settings.CHECKPOINTS_AUTO_CHECKOUT_HOURS = 4
    stay_factory(scene["market"], at(6), None, phone="0987000009", name="Quên ra")
    names = {s.full_name for s in tracing.visitors(scene["market"], at(9, 30), at(9, 40))}
    assert "Quên ra" in names
    names = {s.full_name for s in tracing.visitors(scene["market"], at(10, 30), at(11))}
    assert "Quên ra" not in names


def test_person_by_phone_or_id_number(scene, stay_factory):
    stay_factory(scene["school"], at(16), 10, phone="", id_number="038090001234", name="Không ĐT")
    assert len(tracing.person_checkins(phone="0987000001")) == 3
    assert [s.full_name for s in tracing.person_checkins(id_number="038090001234")] == ["Không ĐT"]


def test_paper_records_entered_by_staff_appear_in_tracing(client, scene, staff_user_factory):
    clerk = staff_user_factory(communes=[scene["market"].commune], groups=[roles.COMMUNE_STAFF])
    client.force_login(clerk)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = {
        "day": day,
        "r-TOTAL_FORMS": "3",
        "r-INITIAL_FORMS": "0",
        "r-0-row": "1/1",
        "r-0-time_in": "08:40",
        "r-0-time_out": "09:10",
        "r-0-full_name": "Bà Giấy",
        "r-0-phone": "0387000010",
        "r-1-row": "1/2",
        "r-1-time_in": "08:45",
        "r-1-full_name": "Sai Số",
        "r-1-phone": "12345",
    }
    response = client.post(f"/admin/checkpoints/paper-entry/{scene['market'].pk}/", data)
    assert response.status_code == 200  # the bad row is shown again
    html = response.content.decode()
    assert "Sai Số" in html and "số điện thoại Việt Nam" in html
    paper = CheckIn.objects.get(full_name="Bà Giấy")
    assert paper.source == "paper" and paper.entered_by == clerk
    assert "Bà Giấy" in {c.stay.full_name for c in tracing.contacts(phone=CASE).contacts}


def test_console_queries_and_exports_are_audited_and_formula_safe(
    client, scene, staff_user_factory, stay_factory
):
    stay_factory(scene["market"], at(8, 10), 30, phone="0987000007", name='=HYPERLINK("x")')
    official = staff_user_factory(all_communes=True, groups=[roles.HEALTH_OFFICIAL])
    client.force_login(official)
    page = client.post(
        "/admin/checkpoints/trace/",
        {"mode": "contacts", "phone": CASE, "buffer": 30, "depth": 2, "days": 14},
    )
    assert page.status_code == 200 and "Trùng giờ" in page.content.decode()
    entry = AuditEntry.objects.get(action="checkpoints.trace.contacts")
    assert entry.user == official and entry.record_count == 7
    assert entry.parameters["person"] == "***111"

    csv_response = client.post(
        "/admin/checkpoints/trace/",
        {"mode": "contacts", "phone": CASE, "buffer": 30, "depth": 2, "days": 14, "export": "csv"},
    )
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    names = [r[1] for r in rows]
    assert len(rows) == 1 + 7
    assert '\'=HYPERLINK("x")' in names
    assert AuditEntry.objects.filter(
        action="checkpoints.trace.contacts.export.csv", record_count=7
    ).exists()

    xlsx = client.post(
        "/admin/checkpoints/trace/",
        {
            "mode": "visitors",
            "checkpoint": scene["market"].pk,
            "start": at(7).strftime("%Y-%m-%dT%H:%M"),
            "end": at(12).strftime("%Y-%m-%dT%H:%M"),
            "export": "xlsx",
        },
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("x")' in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert AuditEntry.objects.filter(action="checkpoints.trace.visitors.export.xlsx").exists()


@pytest.mark.parametrize(
    "mode, field, value, stored",
    [
        ("person", "phone", "0912 000 111", "0912000111"),
        ("person", "id_number", "038090001234", "038090001234"),
        ("contacts", "phone", "+84 912 000 111", "0912000111"),
        ("contacts", "id_number", "038090001234", "038090001234"),
    ],
)
def test_tracing_writes_no_full_phone_or_id_number_into_the_audit_log(
    client, scene, staff_user_factory, mode, field, value, stored
):
    official = staff_user_factory(all_communes=True, groups=[roles.HEALTH_OFFICIAL])
    client.force_login(official)
    data = {"mode": mode, field: value, "buffer": 30, "depth": 2, "days": 14}
    for export in ("", "csv"):
        response = client.post("/admin/checkpoints/trace/", {**data, "export": export})
        assert response.status_code == 200
    if mode == "person" and field == "phone":
        assert "0912000111" in response.content.decode()  # the export itself is complete
    entries = AuditEntry.objects.filter(action__startswith=f"checkpoints.trace.{mode}")
    assert entries.count() == 2
    for entry in entries.values():
        text = " ".join(str(v) for v in entry.values())
        assert stored not in text and stored[-3:] in text, entry


def test_console_refuses_bad_input_with_vietnamese_messages(client, staff_user_factory):
    official = staff_user_factory(all_communes=True, groups=[roles.HEALTH_OFFICIAL])
    client.force_login(official)
    html = client.post("/admin/checkpoints/trace/", {"mode": "person"}).content.decode()
    assert "Nhập số điện thoại hoặc số CCCD/CMND" in html
    html = client.post(
        "/admin/checkpoints/trace/", {"mode": "person", "phone": "123"}
    ).content.decode()
    assert "số điện thoại Việt Nam" in html
    assert not AuditEntry.objects.filter(action__startswith="checkpoints.trace").exists()


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", " =1"])
def test_formula_like_cells_are_neutralised(value):
    assert safe_cell(value).startswith("'")


def test_demo_content_lets_tracing_find_contacts(demo):
    from portal.checkpoints.demo import DEMO_CASE

    result = tracing.contacts(phone=DEMO_CASE["phone"])
    assert result.f1_count >= 3 and result.f2_count >= 1
