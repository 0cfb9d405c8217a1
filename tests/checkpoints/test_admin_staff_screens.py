"""The checkpoint admin screens staff use on phones: the list's row menu, paper entry's labelled
cells, the tracing form's checkpoints grouped by commune, and the scan queue's sync."""

import datetime
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.checkpoints.models import CheckIn
from portal.core import roles
from portal.eservices.health import personal_qr_token
from portal.eservices.models import HealthDeclaration

pytestmark = pytest.mark.django_db

SYNC = "/admin/checkpoints/scan/sync.json"


@pytest.fixture
def staff(communes, staff_user_factory):
    return staff_user_factory(communes=[communes[0]], groups=[roles.COMMUNE_STAFF])


@pytest.fixture
def health(staff_user_factory):
    return staff_user_factory(all_communes=True, groups=[roles.HEALTH_OFFICIAL])


def declaration(**kwargs):
    values = {
        "full_name": "Nguyễn Thị Quét",
        "phone": "0912345678",
        "id_number": "038090001234",
        "date_of_birth": datetime.date(1990, 5, 1),
        "sex": "female",
        "address": "Thôn 1",
    }
    values.update(kwargs)
    return HealthDeclaration.objects.create(**values)


# --- The checkpoint list -----------------------------------------------------------------------


def test_each_row_has_its_posters_and_paper_actions_in_wagtails_row_menu(client, staff, checkpoint):
    client.force_login(staff)
    html = client.get("/admin/checkpoints/diem/").content.decode()
    row = html[html.index(checkpoint.name) :]
    row = row[: row.index("</tr>")]
    menu = row[row.index('data-controller="w-dropdown"') :]
    pk = checkpoint.pk
    for url in (
        f"/admin/checkpoints/posters/{pk}/A4.pdf",
        f"/admin/checkpoints/posters/{pk}/A5.pdf",
        f"/admin/checkpoints/posters/{pk}/A4.png",
        f"/admin/checkpoints/posters/{pk}/A5.png",
        f"/admin/checkpoints/paper/{pk}/to-khai.pdf",
        f"/admin/checkpoints/paper/{pk}/so-theo-doi.pdf",
        f"/admin/checkpoints/paper-entry/{pk}/",
        f"/admin/checkpoints/reissue/{pk}/",
    ):
        assert f'href="{url}"' in menu, url
    assert "Nhập sổ giấy" in menu and "Thu hồi và cấp lại mã" in menu
    assert "Tùy chọn khác cho" in menu  # the menu button's name, in Vietnamese
    assert "ckp-links" not in html  # no column of links running off a phone's screen


def test_the_row_menu_offers_only_what_the_user_may_do(client, health, checkpoint):
    client.force_login(health)  # views checkpoints, does not change them or enter check-ins
    html = client.get("/admin/checkpoints/diem/").content.decode()
    assert f"/admin/checkpoints/posters/{checkpoint.pk}/A4.png" in html
    assert f"/admin/checkpoints/reissue/{checkpoint.pk}/" not in html
    assert f"/admin/checkpoints/paper-entry/{checkpoint.pk}/" not in html


# --- Paper entry -------------------------------------------------------------------------------


def test_every_paper_entry_field_has_its_own_label_for_the_phone_cards(client, staff, checkpoint):
    client.force_login(staff)
    html = client.get(f"/admin/checkpoints/paper-entry/{checkpoint.pk}/?dong=2").content.decode()
    for name in ("row", "time_in", "time_out", "full_name", "phone", "id_number", "risk"):
        for i in (0, 1):
            assert re.search(rf'<label class="ckp-paper__label" for="id_r-{i}-{name}">', html)
    assert "Dòng 2" in html


# --- Tracing -----------------------------------------------------------------------------------


def test_tracing_groups_checkpoints_by_commune_and_shows_the_window(
    client, health, communes, checkpoint_factory
):
    a, b = communes
    checkpoint_factory(commune=a, name="Nhà văn hoá Thôn 3")
    checkpoint_factory(commune=b, name="Nhà văn hoá Thôn 3")
    checkpoint_factory(commune=b, name="Chợ Bồng")
    client.force_login(health)
    html = client.get("/admin/checkpoints/trace/?mode=visitors").content.decode()
    assert f'<optgroup label="{a.name_with_type}">' in html
    assert f'<optgroup label="{b.name_with_type}">' in html
    assert "Khoảng thời gian mặc định là từ đầu ngày hôm qua đến bây giờ" in html
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"00:00 {yesterday}" in html
    # The window is in the form's fields, in the one format a datetime-local input shows.
    start = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert f'name="start" value="{start}T00:00"' in html
    assert 'name="tim"' in html and "checkpoint-filter.js" in html

    # Without JavaScript the search box is sent and the list comes back narrowed, accents aside.
    narrowed = client.get("/admin/checkpoints/trace/?mode=visitors&tim=nha van hoa").content
    narrowed = narrowed.decode()
    select = narrowed[narrowed.index('name="checkpoint"') :]
    select = select[: select.index("</select>")]
    assert select.count("Nhà văn hoá Thôn 3") == 2 and "Chợ Bồng" not in select
    by_commune = client.get(f"/admin/checkpoints/trace/?mode=visitors&tim={b.name}").content
    select = by_commune.decode()[by_commune.decode().index('name="checkpoint"') :]
    assert "Chợ Bồng" in select[: select.index("</select>")]


def test_the_contacts_title_says_the_window_it_searched(client, health, checkpoint, stay_factory):
    stay_factory(checkpoint, timezone.now() - timedelta(hours=3), phone="0912000111")
    client.force_login(health)
    html = client.post(
        "/admin/checkpoints/trace/",
        {"mode": "contacts", "phone": "0912000111", "buffer": 30, "depth": 2, "days": 7},
    ).content.decode()
    since = (timezone.localtime() - timedelta(days=7)).strftime("%d/%m/%Y")
    assert re.search(rf"Người tiếp xúc với 0912000111 .* từ \d\d:\d\d {since}|từ {since}", html)
    assert (
        "Mặc định tìm trong 14 ngày gần nhất"
        in client.get("/admin/checkpoints/trace/?mode=contacts").content.decode()
    )


# --- The scan queue ----------------------------------------------------------------------------


def sync(client, *scans):
    response = client.post(SYNC, json.dumps({"scans": list(scans)}), "application/json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_queued_scans_are_recorded_at_the_time_they_were_made(client, staff, checkpoint):
    person = declaration()
    token = personal_qr_token(person)
    scanned_in = (timezone.now() - timedelta(minutes=50)).replace(microsecond=0)
    scanned_out = scanned_in + timedelta(minutes=35)
    client.force_login(staff)
    results = sync(
        client,
        {
            "id": "a1",
            "checkpoint": checkpoint.pk,
            "token": token,
            "scanned_at": scanned_in.isoformat(),
        },
        {
            "id": "a2",
            "checkpoint": checkpoint.pk,
            "token": token,
            "scanned_at": scanned_out.isoformat(),
        },
    )
    assert [(r["id"], r["ok"], r["action"]) for r in results] == [
        ("a1", True, "in"),
        ("a2", True, "out"),
    ]
    assert results[0]["name"] == "Nguyễn Thị Quét"
    stay = CheckIn.objects.get(declaration_id=person.pk)
    assert stay.checked_in_at == scanned_in and stay.checked_out_at == scanned_out
    assert stay.source == CheckIn.Source.STAFF_SCAN and stay.entered_by == staff


def test_a_scan_sent_twice_is_recorded_once(client, staff, checkpoint):
    person = declaration()
    item = {
        "id": "same-id",
        "checkpoint": checkpoint.pk,
        "token": personal_qr_token(person),
        "scanned_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
    }
    client.force_login(staff)
    first = sync(client, item)
    again = sync(client, item)  # the answer was lost: the phone sends it again
    assert first[0]["ok"] and again[0]["ok"] and again[0].get("repeated")
    # Another phone's copy of the same scan (another id, the same time) is not a check-out.
    other = sync(client, {**item, "id": "other-id"})
    assert other[0]["action"] == "in"
    assert CheckIn.objects.filter(declaration_id=person.pk).count() == 1
    assert CheckIn.objects.get(declaration_id=person.pk).checked_out_at is None


def test_bad_queued_scans_get_a_reason_and_the_good_ones_are_kept(
    client, staff, checkpoint, checkpoint_factory, communes
):
    person = declaration()
    token = personal_qr_token(person)
    elsewhere = checkpoint_factory(commune=communes[1], name="Điểm xã khác")
    old = timezone.now() - timedelta(days=3)
    ahead = timezone.now() + timedelta(hours=2)
    client.force_login(staff)
    results = sync(
        client,
        {"id": "old", "checkpoint": checkpoint.pk, "token": token, "scanned_at": old.isoformat()},
        {"id": "other", "checkpoint": elsewhere.pk, "token": token, "scanned_at": ""},
        {"id": "bad", "checkpoint": checkpoint.pk, "token": "YT1.sai", "scanned_at": ""},
        {"id": "when", "checkpoint": checkpoint.pk, "token": token, "scanned_at": "hôm qua"},
        {
            "id": "ahead",
            "checkpoint": checkpoint.pk,
            "token": token,
            "scanned_at": ahead.isoformat(),
        },
    )
    by_id = {r["id"]: r for r in results}
    assert "quá 48 giờ" in by_id["old"]["error"]
    assert "điểm kiểm dịch đang hoạt động" in by_id["other"]["error"]
    assert "không hợp lệ" in by_id["bad"]["error"]
    assert "giờ quét" in by_id["when"]["error"]
    # A phone whose clock runs ahead: recorded at the time the scan arrived, not in the future.
    assert by_id["ahead"]["ok"]
    stay = CheckIn.objects.get(declaration_id=person.pk)
    assert stay.checked_in_at <= timezone.now() and stay.checkpoint == checkpoint


def test_the_sync_needs_the_right_to_enter_check_ins(client, health, checkpoint):
    client.force_login(health)
    response = client.post(SYNC, json.dumps({"scans": []}), "application/json")
    assert response.status_code in (302, 403)
    assert client.post(SYNC, "[", "application/json").status_code in (302, 403)


def test_an_unreadable_batch_is_refused_in_vietnamese(client, staff):
    client.force_login(staff)
    response = client.post(SYNC, "{not json", "application/json")
    assert response.status_code == 400
    assert "Không đọc được" in response.json()["error"]


def test_the_scan_page_offers_the_camera_and_the_queue(client, staff, checkpoint):
    client.force_login(staff)
    html = client.get("/admin/checkpoints/scan/").content.decode()
    assert 'data-sync-url="/admin/checkpoints/scan/sync.json"' in html
    assert "checkpoints/vendor/jsQR" in html and "checkpoints/scan" in html
    said = html[html.index('id="ckp-scan-text"') :]
    said = json.loads(said[said.index(">") + 1 : said.index("</script>")])
    assert said["waiting"] == "{n} lượt quét chờ gửi"
    # Without JavaScript the form still posts and records the scan, as a hand-held scanner does.
    person = declaration()
    page = client.post(
        "/admin/checkpoints/scan/",
        {"checkpoint": checkpoint.pk, "token": personal_qr_token(person)},
    ).content.decode()
    assert "Nguyễn Thị Quét" in page
    assert CheckIn.objects.filter(declaration_id=person.pk, checkpoint=checkpoint).exists()
