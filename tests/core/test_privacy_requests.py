"""Data-subject requests: administrators find, export and erase what the portal holds about a
phone or ID number, across every app that registers a provider; every step is audited."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from wagtail import hooks

from portal.core import roles
from portal.core.models import AuditEntry
from portal.core.privacy_requests import HOOK, normalise_phone

URL = "/admin/yeu-cau-du-lieu-ca-nhan/"
PHONE = "0912345678"
ID_NUMBER = "038090001234"


@pytest.fixture
def people(db):
    """Test providers over users: 'visitors' matched by phone (username), 'applicants' by ID
    number (last name) and anonymised rather than deleted, as a kept dossier would be."""
    User = get_user_model()
    User.objects.create(username=PHONE, first_name='=HYPERLINK("http://x")', last_name="")
    User.objects.create(username="0987654321", first_name="Người khác", last_name="")
    User.objects.create(username="applicant-1", first_name="Nguyễn Văn An", last_name=ID_NUMBER)

    def visitors(phone, id_number):
        return User.objects.filter(username=phone) if phone else User.objects.none()

    def applicants(phone, id_number):
        return User.objects.filter(last_name=id_number) if id_number else User.objects.none()

    def anonymise(queryset):
        return queryset.update(first_name="(đã xóa)", last_name="")

    def providers():
        return [("Lượt ghi nhận", visitors), ("Hồ sơ", applicants, anonymise)]

    with hooks.register_temporarily(HOOK, providers):
        yield


def assert_refused(response):
    """The Wagtail admin turns PermissionDenied into a redirect to its dashboard."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    ), response


def privacy_entries():
    """This tool's entries (creating the test users writes account entries too)."""
    return AuditEntry.objects.filter(action__startswith="privacy.")


@pytest.fixture
def admin_client(client, staff_user_factory):
    user = staff_user_factory(groups=[roles.ADMINISTRATOR])
    client.force_login(user)
    return client


@pytest.mark.parametrize("raw", ["0912 345 678", "+84 912.345.678", "84912345678", "0912345678"])
def test_phone_numbers_are_normalised(raw):
    assert normalise_phone(raw) == PHONE


def test_only_administrators_answer_requests(client, staff_user_factory, people):
    for group in (roles.EDITOR, roles.HEALTH_OFFICIAL, roles.ONE_STOP_OFFICER):
        client.force_login(staff_user_factory(groups=[group]))
        assert_refused(client.get(URL, {"phone": PHONE}))
    assert not privacy_entries().exists()


def test_access_follows_the_permission_not_the_group_name(client, staff_user_factory, people):
    from django.contrib.auth.models import Group

    user = staff_user_factory(groups=[roles.ADMINISTRATOR])
    Group.objects.filter(name=roles.ADMINISTRATOR).update(name="Quản trị cổng")
    client.force_login(user)
    assert client.get(URL, {"phone": PHONE}).status_code == 200
    # The permission alone, in no group, is enough; a group named "Quản trị" without it is not.
    client.force_login(
        staff_user_factory(perms=["wagtailadmin.access_admin", "core.handle_privacy_request"])
    )
    assert client.get(URL, {"phone": PHONE}).status_code == 200
    impostor = Group.objects.create(name=roles.ADMINISTRATOR)
    impostor.permissions.set(Group.objects.get(name=roles.EDITOR).permissions.all())
    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    assert_refused(client.get(URL, {"phone": PHONE}))


def test_search_finds_records_in_every_provider_and_is_audited(admin_client, people):
    response = admin_client.get(URL, {"phone": "+84 912 345 678", "id_number": ID_NUMBER})
    assert response.status_code == 200
    # The apps' own providers answer too, with nothing found for these test people.
    results = {r.provider.label: r.count for r in response.context["results"] if r.count}
    assert results == {"Lượt ghi nhận": 1, "Hồ sơ": 1}
    assert "Nguyễn Văn An" in response.content.decode()
    entry = privacy_entries().get()
    assert entry.action == "privacy.search" and entry.record_count == 2
    # The log keeps only the last digits of what was searched.
    assert entry.parameters == {"phone": "***678", "id_number": "***234"}


def test_a_request_needs_a_valid_identifier(admin_client, people):
    response = admin_client.get(URL, {"phone": "", "id_number": ""})
    assert "Nhập số điện thoại, số định danh hoặc cả hai." in response.content.decode()
    response = admin_client.get(URL, {"phone": "12ab", "id_number": "123"})
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "id_number"}
    assert not privacy_entries().exists()


def test_export_json_holds_every_record(admin_client, people):
    response = admin_client.post(
        URL, {"phone": PHONE, "id_number": ID_NUMBER, "operation": "export-json"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = json.loads(response.content)
    sources = {s["source"]: s for s in body["sources"]}
    assert sources["Hồ sơ"]["records"][0]["first_name"] == "Nguyễn Văn An"
    assert sources["Lượt ghi nhận"]["count"] == 1
    assert privacy_entries().get().action == "privacy.export.json"


def test_export_csv_is_excel_friendly_and_safe_from_formulas(admin_client, people):
    response = admin_client.post(URL, {"phone": PHONE, "operation": "export-csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["source", "record", "field", "value"]
    first_names = [r[3] for r in rows if r[2] == "first_name"]
    assert first_names == ['\'=HYPERLINK("http://x")']
    entry = privacy_entries().get()
    assert entry.action == "privacy.export.csv" and entry.record_count == 1


def test_erasure_needs_confirmation(admin_client, people):
    response = admin_client.post(URL, {"phone": PHONE, "operation": "erase"})
    assert response.status_code == 200
    assert "Đánh dấu vào ô để xác nhận việc xóa." in response.content.decode()
    assert get_user_model().objects.filter(username=PHONE).exists()
    assert not AuditEntry.objects.filter(action="privacy.erase").exists()


def test_erasure_deletes_or_anonymises_and_is_audited(admin_client, people):
    User = get_user_model()
    response = admin_client.post(
        URL, {"phone": PHONE, "id_number": ID_NUMBER, "operation": "erase", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(username=PHONE).exists()
    kept = User.objects.get(username="applicant-1")
    assert (kept.first_name, kept.last_name) == ("(đã xóa)", "")
    assert User.objects.filter(username="0987654321").exists()  # someone else's data stays
    entry = AuditEntry.objects.get(action="privacy.erase")
    assert entry.record_count == 2
    erased = {label: n for label, n in entry.parameters["erased"].items() if n}
    assert erased == {"Lượt ghi nhận": 1, "Hồ sơ": 1}
    # Nothing is left to find.
    again = admin_client.get(URL, {"phone": PHONE, "id_number": ID_NUMBER})
    assert again.context["total"] == 0


def test_audit_log_viewer_is_read_only_and_for_administrators(client, staff_user_factory):
    from django.test import RequestFactory

    from portal.core import audit

    request = RequestFactory().get("/")
    request.user = staff_user_factory(groups=[roles.HEALTH_OFFICIAL])
    audit.record(request, "trace.visitors", "Chợ Vĩnh Lộc", {"from": "01/08"}, count=12)
    audit.record(request, "checkin.export", "Trạm y tế", count=3)

    client.force_login(staff_user_factory(groups=[roles.EDITOR]))
    assert_refused(client.get("/admin/nhat-ky-truy-cap/"))

    client.force_login(staff_user_factory(groups=[roles.ADMINISTRATOR]))
    page = client.get("/admin/nhat-ky-truy-cap/")
    assert page.status_code == 200
    assert {"trace.visitors", "checkin.export"} <= {e.action for e in page.context["page_obj"]}
    before = AuditEntry.objects.count()
    filtered = client.get("/admin/nhat-ky-truy-cap/", {"action": "trace"})
    assert [e.action for e in filtered.context["page_obj"]] == ["trace.visitors"]
    by_user = client.get("/admin/nhat-ky-truy-cap/", {"user": "nobody"})
    assert len(by_user.context["page_obj"]) == 0
    dated = client.get(
        "/admin/nhat-ky-truy-cap/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    )
    assert len(dated.context["page_obj"]) == 0
    # No form or URL changes an entry.
    assert client.post("/admin/nhat-ky-truy-cap/", {"action": "x"}).status_code == 405
    assert AuditEntry.objects.count() == before
