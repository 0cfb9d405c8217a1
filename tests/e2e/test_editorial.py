"""The news workflow in the Wagtail admin at phone size: an editor drafts a news item and submits
it for approval, an approver approves it, and the cached home page shows it at once."""

import re
from datetime import datetime

import pytest

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


def footer_action(page, selector):
    """Run an action of the editor's footer menu, opening its drop-down when it is folded."""
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target=toggle]").first.click()
        button.wait_for(state="visible")
    button.click()


@pytest.fixture
def news_index_id(portal, db_access):
    from wagtail.models import Page

    from portal.core.sites import default_site

    return (
        Page.objects.descendant_of(default_site().root_page)
        .get(content_type__model="newsindexpage", locale__language_code="vi")
        .pk
    )


def test_editor_drafts_approver_publishes_and_the_cached_home_page_shows_it(
    new_context, news_index_id, phone
):
    title = f"Tiêm chủng vắc xin Covid-19 mũi 3 tại Trạm Y tế xã ({datetime.now():%H%M%S})"

    # A citizen's visit fills the page cache with the current home page.
    citizen = new_context()
    home = citizen.new_page()
    home.goto("/")
    assert title not in home.locator("main").inner_text()

    # The editor writes the news item and submits it for approval.
    log_in(phone, "bientap")
    phone.goto(f"/admin/pages/add/news/newspage/{news_index_id}/")
    phone.locator("input[name=title]").fill(title)
    phone.locator("textarea[name=summary]").fill(
        "Trạm Y tế xã tổ chức tiêm mũi 3 cho người từ 18 tuổi trở lên vào sáng thứ Bảy."
    )
    phone.locator("[data-streamfield-stream-container] button, .c-sf-add-button").first.click()
    phone.locator(".w-combobox__option").first.click()  # a heading block; its text has focus
    phone.keyboard.type("Người dân mang theo căn cước công dân và sổ tiêm chủng")
    footer_action(phone, "button[name=action-submit]")
    phone.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    phone.locator(".messages, [role=status]").first.wait_for()

    # The approver approves it: one approval task, so it is published.
    approver = new_context().new_page()
    log_in(approver, "duyettin")
    approver.locator("a", has_text=title).first.click()
    approver.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    footer_action(
        approver,
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])",
    )
    approver.locator(".messages").first.wait_for()

    # The citizen's next visit shows it, without waiting for the cache to expire.
    home.reload()
    assert title in home.locator("main").inner_text()
    home.locator("a", has_text=title).first.click()
    assert home.locator("h1").inner_text().strip() == title


@pytest.fixture
def procedure_with_form(portal, db_access):
    from portal.eservices.models import ServicePage

    page = next(p for p in ServicePage.objects.live().order_by("pk") if len(p.online_form) >= 2)
    first_step, second_step = page.online_form[0].value, page.online_form[1].value
    opened = (second_step["title"], second_step["fields"][0].value["label"])
    return page.pk, first_step["fields"][0].value["key"], opened


def test_form_builder_explains_a_duplicate_key_and_keeps_the_edit(
    phone, procedure_with_form, tmp_path
):
    page_id, taken_key, opened = procedure_with_form
    log_in(phone, "bientap")
    phone.goto(f"/admin/pages/{page_id}/edit/")
    # Steps and questions open folded: the editor opens the second step, then its first
    # question, by a click on their headings.
    for heading in opened:
        phone.locator(
            "[data-contentpath=online_form] [data-panel-heading]", has_text=heading
        ).first.click()
    key = phone.locator("input[name='online_form-1-value-fields-0-value-key']")
    key.fill(taken_key)
    footer_action(phone, "button[name=action-submit]")

    error = phone.get_by_text(f"Một trường khác của biểu mẫu đã dùng mã “{taken_key}”.")
    error.wait_for()
    assert phone.get_by_text("Một số mã hoặc điều kiện của biểu mẫu cần sửa.").is_visible()
    # Nothing the editor typed is lost: the form comes back with the value to correct.
    assert phone.locator("input[name='online_form-1-value-fields-0-value-key']").input_value() == (
        taken_key
    )
    error.scroll_into_view_if_needed()
    phone.screenshot(path=str(tmp_path / "form-builder-duplicate-key.png"))
