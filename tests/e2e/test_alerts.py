"""Alerts on a phone without JavaScript: subscribe by e-mail, confirm from the link, stop in one
step; a leader reads the delivery report of the demo's alert in the Vietnamese admin. axe checks
the pages in an ordinary phone browser."""

import re

import pytest

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.helpers import PHONE, axe_check, english_leftovers, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def no_js_phone(browser, portal):
    context = browser.new_context(
        base_url=portal.url, locale="vi-VN", java_script_enabled=False, **PHONE
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_citizen_subscribes_confirms_and_stops_and_a_leader_reads_the_report(
    no_js_phone, phone, desktop, db_access
):
    from portal.notifications.alerts.models import AlertPage, Subscription
    from portal.notifications.models import Notification

    page = no_js_phone
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhận thông báo khẩn").tap()
    assert page.locator("h1").inner_text() == "Đăng ký nhận thông báo khẩn"
    page.get_by_label("Thư điện tử", exact=True).check()
    page.get_by_label("Địa chỉ thư điện tử").fill("nguoidan@example.vn")
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký").tap()
    assert page.locator("h1").inner_text() == "Kiểm tra hộp thư của ông/bà"
    subscription = Subscription.objects.get(address="nguoidan@example.vn")
    message = Notification.objects.get(to="nguoidan@example.vn")
    link = re.search(r"/nhan-tin/xac-nhan/[0-9a-f-]+/", message.body).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận, gửi thông báo cho tôi").tap()
    assert "sẽ nhận được thông báo khẩn" in page.locator("h1").inner_text()
    subscription.refresh_from_db()
    assert subscription.is_active

    page.goto(f"/nhan-tin/huy/{subscription.token}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Hủy nhận thông báo").tap()
    assert page.locator("h1").inner_text() == "Đã hủy nhận thông báo"
    assert not Subscription.objects.filter(address="nguoidan@example.vn").exists()

    alert = AlertPage.objects.get()
    log_in(desktop, "duyettin")
    edit = desktop.goto(f"/admin/pages/{alert.pk}/edit/")
    assert f"/admin/canh-bao/{alert.pk}/" in edit.text()  # the "Báo cáo gửi tin" header action
    desktop.goto(f"/admin/canh-bao/{alert.pk}/")
    email_row = desktop.locator("table.listing tr", has_text="Thư điện tử").inner_text().split()
    assert email_row[-6:] == ["2", "0", "0", "2", "0", "0"]  # subscribers, then per status
    assert not english_leftovers(desktop), english_leftovers(desktop)

    for path, what in (
        ("/nhan-tin/", "the subscription form"),
        (f"/thong-bao-khan/{alert.slug}/", "an alert"),
    ):
        phone.goto(path)
        axe_check(phone, what=what)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
