"""The admin dashboard shows each role what it needs first, in Vietnamese."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from portal.core import roles
from portal.core.audit import record
from portal.core.dashboard import tracing_label

pytestmark = pytest.mark.django_db


def _dashboard(client, user):
    client.force_login(user)
    with translation.override("vi"):
        response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "first_step"),
    [
        (roles.EDITOR, "Gửi duyệt"),
        (roles.APPROVER, "Xem trước"),
        (roles.COMMUNE_STAFF, "điểm kiểm dịch"),
        (roles.ONE_STOP_OFFICER, "Hồ sơ mới"),
        (roles.HEALTH_OFFICIAL, "Truy vết"),
        (roles.ADMINISTRATOR, "Người dùng"),
    ],
)
def test_each_role_is_welcomed_in_vietnamese_with_its_first_step(
    client, staff_user_factory, served_communes, role, first_step
):
    user = staff_user_factory(groups=[role], communes=served_communes[:1])
    user.last_name, user.first_name = "Lê Thị", "Mai"  # họ và tên đệm, tên
    user.save()
    html = _dashboard(client, user)
    assert "Chào mừng Lê Thị Mai" in html
    assert f"Vai trò của bạn: {role}" in html
    assert first_step in html


def test_commune_officer_is_told_their_unit_with_its_type(
    client, staff_user_factory, served_communes
):
    town = next(c for c in served_communes if c.name_with_type == "Thị trấn Vĩnh Lộc")
    user = staff_user_factory(groups=[roles.COMMUNE_STAFF], communes=[town])
    html = _dashboard(client, user)
    assert "Đơn vị của bạn: Thị trấn Vĩnh Lộc" in html
    assert "Xã của bạn" not in html
    other = next(c for c in served_communes if c != town)
    assert other.name not in html.split('id="portal-welcome-section"')[1].split("</section")[0]


def test_welcome_links_only_to_screens_the_role_may_open(client, staff_user_factory):
    user = staff_user_factory(groups=[roles.ONE_STOP_OFFICER], all_communes=True)
    client.force_login(user)
    html = _dashboard(client, user)
    welcome = html.split('id="portal-welcome-section"')[1]
    links = re.findall(r'<li><a href="([^"]+)"', welcome)
    assert reverse("eservices_admin:list") in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_approver_sees_pages_awaiting_review_before_the_welcome(client, staff_user_factory):
    editor = staff_user_factory(groups=[roles.EDITOR])
    approver = staff_user_factory(groups=[roles.APPROVER])
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Thông báo lịch tiêm", slug="lich-tiem", live=False))
    page.save_revision()
    page.get_workflow().start(page, editor)

    html = _dashboard(client, approver)
    assert page.title in html
    assert html.index(page.title) < html.index('id="portal-welcome-section"')

    html = _dashboard(client, editor)
    assert html.index('id="portal-welcome-section"') < html.index(page.title)


def test_health_official_sees_their_recent_tracing_queries(client, rf, staff_user_factory):
    official = staff_user_factory(groups=[roles.HEALTH_OFFICIAL], all_communes=True)
    colleague = staff_user_factory(groups=[roles.HEALTH_OFFICIAL], all_communes=True)
    for user, subject in ((official, "Ca F0 số 12"), (colleague, "Ca F0 số 99")):
        request = rf.post("/")
        request.user = user
        record(request, "checkpoints.trace.contacts", subject=subject, count=7)
    request = rf.get("/")
    request.user = official
    record(request, "eservices.view_dossier", subject="HS-0001", count=1)

    html = _dashboard(client, official)
    panel = html.split('id="portal-recent-tracing-section"')[1]
    assert "Các lần truy vết gần đây của bạn" in html
    assert "Ca F0 số 12" in panel
    assert "Ai đã tiếp xúc với ca bệnh" in panel
    assert "Ca F0 số 99" not in panel
    assert "HS-0001" not in panel


def test_roles_without_tracing_do_not_get_the_tracing_panel(client, staff_user_factory):
    html = _dashboard(client, staff_user_factory(groups=[roles.EDITOR]))
    assert 'id="portal-recent-tracing-section"' not in html


def test_tracing_labels_read_naturally():
    with translation.override("vi"):
        assert tracing_label("checkpoints.trace.visitors") == "Ai đã có mặt tại điểm kiểm dịch"
        assert (
            tracing_label("checkpoints.trace.person.export.csv")
            == "Một người đã đi những đâu, đã xuất tệp CSV"
        )
        assert tracing_label("trace") == "Tra cứu truy vết"
