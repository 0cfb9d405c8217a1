"""The audit log reads in words: action labels from one registry, parameters by their labels,
booleans as Có/Không, dropdown filters; listings record the rows they showed."""

import pytest
from django.test import RequestFactory

from portal.core import audit, roles
from portal.core.models import AuditEntry

URL = "/admin/nhat-ky-truy-cap/"


def test_declared_codes_read_as_labels_and_unknown_ones_fall_back_readably():
    from django.utils import translation

    with translation.override("vi"):
        assert audit.action_label("eservices.view_dossier") == "Xem hồ sơ"
        assert audit.action_label("privacy.erase") == "Yêu cầu về dữ liệu cá nhân: xóa dữ liệu"
        # Known only by its family: the family's label and the rest in words.
        assert audit.action_label("checkpoints.trace.visitors.export.csv") == (
            "Truy vết: người đến một điểm kiểm dịch: xuất dữ liệu CSV"
        )
        assert audit.action_label("nobody.knows") == "Thao tác khác (nobody.knows)"


@pytest.mark.django_db
def test_parameters_read_in_words(served_communes):
    from django.utils import translation

    commune = served_communes[0]
    with translation.override("vi"):
        described = dict(
            audit.describe_parameters(
                {"checkpoint__commune": str(commune.pk), "is_staff": True, "is_active": False}
            )
        )
    assert described == {
        "Xã, thị trấn": commune.display_name,
        "Cán bộ": "Có",
        "Đang hoạt động": "Không",
    }


@pytest.fixture
def entries(db, staff_user_factory):
    request = RequestFactory().get("/")
    request.user = staff_user_factory(groups=[roles.HEALTH_OFFICIAL])
    audit.record(request, "checkpoints.trace.visitors", "Chợ Bồng", {"buffer": 15}, count=4)
    audit.record(request, "checkpoints.trace.person", "***111", count=2)
    audit.record(request, "eservices.process_dossier", "VL-1: Đang xử lý → Đã trả kết quả")
    return request.user


def test_the_log_screen_shows_labels_and_dropdowns_not_codes(client, entries, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    html = client.get(URL).content.decode()
    assert "Truy vết: người đến một điểm kiểm dịch" in html
    assert "Chuyển trạng thái hồ sơ" in html
    assert "checkpoints.trace.visitors</" not in html and "<code>" not in html
    for column in ("Thời gian", "Người dùng", "Thao tác", "Số bản ghi hiển thị", "Chi tiết"):
        assert column in html
    assert "Records shown" not in html and "Data accessed" not in html
    # The action and user filters are lists to choose from.
    assert '<select name="action"' in html and '<select name="user"' in html
    assert '<option value="checkpoints.trace">Truy vết (tất cả)</option>' in html
    assert f'<option value="{entries.username}">' in html


def test_a_family_filter_finds_every_code_of_the_family(client, entries, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    page = client.get(URL, {"action": "checkpoints.trace"})
    assert sorted(e.action for e in page.context["object_list"]) == [
        "checkpoints.trace.person",
        "checkpoints.trace.visitors",
    ]
    mine = client.get(URL, {"user": entries.username})
    assert len(mine.context["object_list"]) == 3
    # A date that cannot be read shows nothing rather than the whole log.
    assert len(client.get(URL, {"date_from": "không phải ngày"}).context["object_list"]) == 0


def test_record_listing_counts_the_rows_shown(db, staff_user_factory):
    request = RequestFactory().get("/")
    request.user = staff_user_factory()
    entry = audit.record_listing(request, "x.list", ["a", "b", "c"], {"Xã": "Vĩnh Tiến"})
    assert entry.record_count == 3
    assert AuditEntry.objects.get(pk=entry.pk).parameters == {"Xã": "Vĩnh Tiến"}


def test_the_chosen_filters_read_as_labels(client, entries, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    page = client.get(URL, {"action": "checkpoints.trace", "date_from": "2026-12-01"})
    shown = [(f.field_label, f.value) for f in page.context["view"].active_filters]
    assert [(str(label), value) for label, value in shown] == [
        ("Thao tác", "Truy vết (tất cả)"),
        ("Từ ngày", "01/12/2026"),
    ]


def test_the_data_subject_screen_names_fields_in_vietnamese_and_audits_what_it_showed(
    client, staff_user_factory, monkeypatch
):
    from django.contrib.auth import get_user_model
    from wagtail import hooks

    from portal.core import privacy_requests

    User = get_user_model()
    for n in range(3):
        User.objects.create(username=f"0912345678-{n}", first_name="Lê Văn Tâm", is_staff=False)

    def providers():
        return [
            ("Lượt ghi nhận", lambda phone, id_number: User.objects.filter(first_name="Lê Văn Tâm"))
        ]

    monkeypatch.setattr(privacy_requests, "SHOWN_PER_SOURCE", 2)
    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    with hooks.register_temporarily(privacy_requests.HOOK, providers):
        html = client.get("/admin/yeu-cau-du-lieu-ca-nhan/", {"phone": "0912345678"}).content
    html = html.decode()
    assert "Tên đăng nhập" in html and ">is_staff<" not in html and ">username<" not in html
    assert "<td>Không</td>" in html and "<td>False</td>" not in html
    entry = AuditEntry.objects.filter(action="privacy.search").get()
    assert entry.record_count == 2
    assert entry.parameters["found"] == 3


def test_a_family_typed_in_an_old_link_reads_as_its_label(client, entries, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    page = client.get(URL, {"action": "checkpoints"})
    assert len(page.context["object_list"]) == 2
    assert [f.value for f in page.context["view"].active_filters] == ["Điểm kiểm dịch (tất cả)"]
