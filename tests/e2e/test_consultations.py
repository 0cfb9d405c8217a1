"""On a phone without JavaScript: a citizen reads the district's draft open for comment, comments
on one of its sections (first forgetting the consent the contact needs), and, once staff approve
it, the comment shows under that section without their phone number. Then the same pages are
checked with axe (which needs JavaScript) in an ordinary phone browser."""

import pytest

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.helpers import PHONE, axe_check, english_leftovers

pytestmark = pytest.mark.e2e

COMMENT = "Đề nghị cho phép giữ nguyên các khu mộ dòng họ đã có trước năm 2000."


@pytest.fixture
def no_js_phone(browser, portal):
    context = browser.new_context(
        base_url=portal.url, locale="vi-VN", java_script_enabled=False, **PHONE
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _path(page):
    return page.get_url_parts()[2]


def _demo_draft():
    from portal.participation.consultations import demo
    from portal.participation.consultations.models import DraftPage

    return DraftPage.objects.get(slug=demo.SLUG)


def test_a_phone_without_javascript_comments_on_a_section(no_js_phone, phone, db_access):
    from portal.core.cache import purge_all
    from portal.participation.consultations.models import Comment, CommentStatus

    draft = _demo_draft()
    section = draft.sections.all()[1]
    page = no_js_phone
    page.goto(_path(draft))
    assert page.locator("h1").inner_text() == draft.title
    assert page.locator(".draft-phase").inner_text() == "Đang lấy ý kiến"
    with page.expect_navigation():
        page.locator(f"#muc-{section.pk}").get_by_role("link", name="Góp ý cho phần này").tap()
    assert page.locator("h1").inner_text() == "Góp ý dự thảo"
    assert page.get_by_label(section.heading).is_checked()

    page.get_by_label("Nội dung góp ý").fill(COMMENT)
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi ý kiến").tap()
    summary = page.locator(".error-summary")
    assert "Hãy đồng ý với thông báo bảo vệ dữ liệu cá nhân" in summary.inner_text()
    assert page.title().startswith("Lỗi: ")
    assert page.get_by_label("Nội dung góp ý").input_value() == COMMENT  # what was typed stays
    assert page.get_by_label(section.heading).is_checked()
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi ý kiến").tap()
    assert page.locator("h1").inner_text() == "Ý kiến của ông/bà đã được gửi"

    comment = Comment.objects.get(body=COMMENT)
    assert (comment.section_id, comment.phone) == (section.pk, "0912345678")
    assert comment.status == CommentStatus.PENDING
    page.goto(_path(draft))
    assert COMMENT not in page.locator("main").inner_text()  # waits for moderation

    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    purge_all()  # what moderation in the admin does

    # Another visitor (the first one's browser keeps the page a minute), with JavaScript: axe
    # runs in the page, on an ordinary phone.
    phone.goto(_path(draft))
    assert COMMENT in phone.locator(f"#muc-{section.pk}").inner_text()
    html = phone.content()
    assert "0912345678" not in html and "912 345 678" not in html
    axe_check(phone, what="a draft open for comment")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.goto(f"/gop-y-du-thao/{draft.pk}/?muc={section.pk}")
    axe_check(phone, what="the comment form")
    assert english_leftovers(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_label("Số điện thoại").fill("123")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi ý kiến").tap()
    axe_check(phone, what="the comment form with errors")
    phone.goto(_path(draft.get_parent()))
    axe_check(phone, what="the list of drafts")
