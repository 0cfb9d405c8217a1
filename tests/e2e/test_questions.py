"""Questions and feedback on a phone without JavaScript: read the answered questions, ask one,
get its code, look it up with the phone number; an officer answers it in the Vietnamese admin;
the citizen reads the published answer. Then axe checks the pages in an ordinary phone browser."""

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


def test_a_citizen_asks_follows_and_reads_the_published_answer(
    no_js_phone, phone, desktop, db_access
):
    from portal.participation.questions.models import Question, Status

    page = no_js_phone
    page.goto("/hoi-dap/")
    assert page.locator("h1").inner_text() == "Hỏi đáp"
    assert page.locator(".qa-list li").count() == 2  # the demo district site's published answers
    with page.expect_navigation():
        page.get_by_role("link", name="Gửi câu hỏi, phản ánh").first.tap()
    page.get_by_label("Tiêu đề", exact=True).fill("Đăng ký thường trú cho con")
    page.get_by_label("Nội dung", exact=True).fill(
        "Con tôi mới sinh, tôi đăng ký thường trú cho cháu ở đâu?"
    )
    page.get_by_label("Họ và tên", exact=True).fill("Phạm Thị Hạnh")
    page.get_by_label("Số điện thoại", exact=True).fill("0978 111 222")
    page.wait_for_timeout(3000)  # a person takes longer than the robots' limit to type it
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi", exact=True).tap()
    # Nothing agreed yet: explained, and what was typed is still there.
    assert "Đồng ý cho cơ quan xử lý dữ liệu" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Tiêu đề", exact=True).input_value() == "Đăng ký thường trú cho con"
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi", exact=True).tap()
    assert page.locator("h1").inner_text() == "Câu hỏi của ông/bà đã được gửi"
    code = page.locator(".es-panel__code").inner_text().strip()
    assert re.fullmatch(r"HD-\d{6}-\d{4}", code)
    question = Question.objects.get(code=code)
    assert question.asker_phone == "0978111222"

    # Another day, another browser: the code and the phone number.
    page.context.clear_cookies()
    page.goto("/hoi-dap/tra-cuu/")
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_label("Số điện thoại đã khai khi gửi").fill("0978111222")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").tap()
    assert "Được tiếp nhận" in page.locator("main").inner_text()

    # The one-stop officer answers it in the admin.
    log_in(desktop, "motcua")
    desktop.goto("/admin/hoi-dap/")
    assert not english_leftovers(desktop), english_leftovers(desktop)
    desktop.get_by_role("link", name=code).click()
    assert "0978111222" in desktop.locator("main").inner_text()
    desktop.get_by_role("radio", name="Gửi câu trả lời").check()
    desktop.locator("textarea[name=answer]").fill("Ông/bà đến công an xã để đăng ký thường trú.")
    desktop.get_by_role("button", name="Lưu và báo cho người gửi").click()
    desktop.wait_for_load_state()
    assert "Đã trả lời" in desktop.locator("main").inner_text()
    assert not english_leftovers(desktop), english_leftovers(desktop)
    assert desktop.locator("input[name=published]").count() == 0  # the desk does not publish
    # A leader publishes it, with the question's text edited for privacy.
    desktop.context.clear_cookies()
    log_in(desktop, "duyettin")
    desktop.goto(f"/admin/hoi-dap/{question.pk}/")
    desktop.locator("input[name=published]").check()
    desktop.locator("textarea[name=public_content]").fill(
        "Hỏi về đăng ký thường trú cho trẻ mới sinh."
    )
    desktop.get_by_role("button", name="Lưu công khai").click()
    desktop.wait_for_load_state()
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.published

    page.goto("/hoi-dap/?q=thuong+tru")
    with page.expect_navigation():
        page.get_by_role("link", name="Đăng ký thường trú cho con").tap()
    body = page.locator("main").inner_text()
    assert "đến công an xã" in body and "Phạm Thị Hạnh" not in body and "0978" not in body

    # With JavaScript, on an ordinary phone: axe and no sideways scroll.
    for path, what in (("/hoi-dap/", "the answers"), ("/hoi-dap/gui/", "the question form"),
                       (f"/hoi-dap/{question.pk}/", "an answer"),
                       ("/hoi-dap/tra-cuu/", "the look-up")):  # fmt: skip
        phone.goto(path)
        axe_check(phone, what=what)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
