"""The form builder in the page editor: steps and questions open folded, each headed by what it
holds, open one by one with a click on their heading or all at once, and move with Wagtail's own
buttons; a condition is chosen among the fields asked before it and its value among that field's
answers; a refused key opens its question with the error; an editor tries the draft."""

import re

import pytest

from tests.e2e.helpers import (
    BLOCKING_IMPACTS,
    DESKTOP,
    PHONE,
    axe_check,
    axe_violations,
    format_violations,
    log_in,
)

pytestmark = pytest.mark.e2e

LONGEST = "dang-ky-khai-sinh"  # the demo's longest form: 3 steps, 16 questions
BUILDER = "[data-contentpath=online_form]"
# Before the builder folded its steps and questions, this page was 28,517 px tall at 1280×800
# (the builder alone 18,185 px) and 30,762 px at 360 px; folded, about 10,600 and 11,600 px, most
# of it the procedure's other sections.
PAGE_BOUND = {"desktop": 12_500, "phone": 14_000}
BUILDER_BOUND = 700


@pytest.fixture
def services(portal, db_access):
    from portal.core.sites import default_site
    from portal.eservices.models import ServicePage

    root = default_site().root_page.path
    pages = ServicePage.objects.filter(path__startswith=root)
    slugs = ("xac-nhan-tinh-trang-hon-nhan", LONGEST, "dang-ky-thanh-lap-ho-kinh-doanh")
    return {slug: pages.get(slug=slug).pk for slug in slugs}


def open_editor(page, page_id):
    page.goto(f"/admin/pages/{page_id}/edit/")
    page.locator(f"{BUILDER} [data-es-summary]").first.wait_for(state="attached")


def heading(page, text):
    """The heading of a step or question, as an editor sees it and clicks it."""
    title = page.locator("[data-panel-heading-text]", has_text=re.compile(f"^{re.escape(text)}$"))
    return page.locator(f"{BUILDER} [data-panel-heading]").filter(has=title).first


def text_of(locator):
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def heights(page):
    return page.evaluate(
        """(builder) => [document.querySelector('main').scrollHeight,
                         document.querySelector(builder).getBoundingClientRect().height]""",
        BUILDER,
    )


def axe_open_builder(page, what):
    """axe-core on the builder with fields open. Wagtail's own "add comment" button beside each
    field is partly covered by the field at 360 px (target-size): that one is Wagtail's, not the
    builder's, and is left out; anything else fails."""
    blocking = [
        {**v, "nodes": nodes}
        for v in axe_violations(page, BUILDER)
        if v["impact"] in BLOCKING_IMPACTS
        and (
            nodes := [
                n
                for n in v["nodes"]
                if not (v["id"] == "target-size" and "w-field__comment-button" in n["html"])
            ]
        )
    ]
    assert not blocking, f"axe-core on {what}:\n" + format_violations(blocking)


def save_draft(page):
    page.locator("footer button.action-save").first.click()
    page.locator(".messages").first.wait_for()


OFFERED = """([value, part]) => {
  const input = Array.from(document.querySelectorAll('input[name$="-condition_field"]'))
    .find(i => i.value === value);
  const name = input.name.replace(/-condition_field$/, '-condition_value');
  const target = part === 'field' ? input : document.querySelector(`[name="${name}"]`);
  target.dispatchEvent(new FocusEvent('focusin', {bubbles: true}));
  return Array.from(target.list ? target.list.options : []).map(o => o.value);
}"""


def test_conditions_offer_the_earlier_fields_and_their_answers(desktop, services):
    log_in(desktop, "bientap")
    desktop.goto(f"/admin/pages/{services['xac-nhan-tinh-trang-hon-nhan']}/edit/")
    condition = desktop.locator('input[name$="-condition_field"]').first
    condition.wait_for(state="attached")
    desktop.wait_for_function("() => document.querySelectorAll('input[name$=\"-key\"]').length > 3")
    fields = desktop.evaluate(OFFERED, ["tinh_trang", "field"])
    assert "tinh_trang" in fields
    assert "ban_an_ly_hon" not in fields  # itself, and nothing asked after it
    answers = desktop.evaluate(OFFERED, ["tinh_trang", "value"])
    assert answers == ["Chưa kết hôn", "Đang có vợ/chồng", "Đã ly hôn", "Vợ/chồng đã chết"]
    # The header's menu (kept out of the page until opened) offers the trial of the draft form.
    trial = f"/admin/thu-bieu-mau/{services['xac-nhan-tinh-trang-hon-nhan']}/"
    assert f'href="{trial}"' in desktop.request.get(desktop.url).text()


def test_the_longest_form_opens_folded_with_each_step_and_question_summarised(
    new_context, services
):
    page = new_context({**DESKTOP, "viewport": {"width": 1280, "height": 800}}).new_page()
    log_in(page, "bientap")
    open_editor(page, services[LONGEST])
    whole, builder = heights(page)
    assert builder < BUILDER_BOUND, f"the builder is {builder:.0f} px tall"
    assert whole < PAGE_BOUND["desktop"], f"the edit page is {whole} px tall"

    # Folded: each step says its heading and how many questions it asks; no question shows.
    assert page.locator(f"{BUILDER} input[name$='-value-key']:visible").count() == 0
    step = heading(page, "Thông tin về trẻ")
    assert text_of(step) == ("Bước của biểu mẫu Thông tin về trẻ · 6 câu hỏi")

    # A click on a step's heading opens it: its questions, still folded, each say their type,
    # question, key, whether an answer is required, and their condition.
    heading(page, "Giấy tờ kèm theo").click()
    copies = heading(page, "Số bản sao trích lục")
    copies.wait_for()
    assert text_of(copies) == (
        "Số Số bản sao trích lục · so_ban_sao · bắt buộc · chỉ hiện khi cap_ban_sao là “yes”"
    )
    assert not page.locator("input[name$='-value-fields-0-value-key']:visible").count()
    heading(page, "Người yêu cầu").click()
    assert "Thư điện tử · email · không bắt buộc" in text_of(heading(page, "Thư điện tử"))

    # All at once: every step and question opens, then folds again.
    page.get_by_role("button", name="Mở tất cả các bước và câu hỏi").click()
    keys = page.locator(f"{BUILDER} input[name$='-value-key']")
    assert keys.count() == 16 + 3
    page.wait_for_function(
        "(n) => Array.from(document.querySelectorAll('input[name$=\"-value-key\"]'))"
        ".filter(i => i.checkVisibility()).length >= n",
        arg=16 + 3,
    )
    assert heights(page)[1] > 5 * BUILDER_BOUND
    page.get_by_role("button", name="Thu gọn tất cả các bước và câu hỏi").click()
    assert page.locator(f"{BUILDER} input[name$='-value-key']:visible").count() == 0
    assert heights(page)[1] < BUILDER_BOUND


def test_steps_move_with_wagtails_buttons_and_save_in_their_new_order(new_context, services):
    from portal.eservices.models import ServicePage

    page = new_context({**DESKTOP, "viewport": {"width": 1280, "height": 800}}).new_page()
    log_in(page, "bientap")
    open_editor(page, services[LONGEST])
    step = page.locator(f"{BUILDER} [data-streamfield-child]").filter(
        has=page.locator("[data-panel-heading]", has_text="Thông tin về trẻ")
    )
    step.first.locator("[data-streamfield-action=MOVE_UP]").first.click()
    titles = page.locator(f"{BUILDER} [data-streamfield-child] [data-panel-heading-text]")
    page.wait_for_function(
        "() => document.querySelector('[data-contentpath=online_form] [data-panel-heading-text]')"
        ".textContent.includes('Thông tin về trẻ')"
    )
    assert "Thông tin về trẻ" in titles.first.inner_text()
    save_draft(page)

    draft = ServicePage.objects.get(pk=services[LONGEST]).get_latest_revision_as_object()
    assert [s.value["key"] for s in draft.online_form] == ["tre-em", "nguoi-yeu-cau", "giay-to"]
    # Reopened, the editor sees the new order, still folded.
    open_editor(page, services[LONGEST])
    assert "Thông tin về trẻ" in titles.first.inner_text()
    assert page.locator(f"{BUILDER} input[name$='-value-key']:visible").count() == 0


def test_the_folded_builder_fits_a_phone_and_passes_axe(new_context, services):
    phone = new_context(PHONE).new_page()
    log_in(phone, "bientap")
    open_editor(phone, services["dang-ky-thanh-lap-ho-kinh-doanh"])
    whole, builder = heights(phone)
    assert builder < BUILDER_BOUND, f"the builder is {builder:.0f} px tall at 360 px"
    assert whole < PAGE_BOUND["phone"], f"the edit page is {whole} px tall at 360 px"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # A folded step's summary is read in full on the phone, not cut off at the heading's end.
    step = heading(phone, "Thông tin hộ kinh doanh")
    summary = step.locator("[data-es-summary]")
    assert text_of(summary) == "· 5 câu hỏi"
    assert phone.evaluate(
        """([h, s]) => s.getBoundingClientRect().right <= h.getBoundingClientRect().right + 1
                       && s.getBoundingClientRect().right <= innerWidth""",
        [step.element_handle(), summary.element_handle()],
    )
    axe_check(phone, include=BUILDER, what="form builder, folded, at 360 px")
    heading(phone, "Thông tin hộ kinh doanh").click()
    heading(phone, "Tên hộ kinh doanh").click()
    phone.locator("input[name='online_form-1-value-fields-0-value-key']").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    axe_open_builder(phone, "form builder, a step and a question open, at 360 px")


def test_a_refused_key_opens_its_question_with_the_error_and_keeps_the_edit(phone, services):
    """The editors' walkthrough: open a step and a question by their headings, give the question
    a key another question uses, save; the question comes back open with the error."""
    log_in(phone, "bientap")
    open_editor(phone, services["dang-ky-thanh-lap-ho-kinh-doanh"])
    heading(phone, "Thông tin hộ kinh doanh").click()
    heading(phone, "Tên hộ kinh doanh").click()
    key = phone.locator("input[name='online_form-1-value-fields-0-value-key']")
    key.wait_for()
    key.fill("ho_ten")  # the applicant's name, asked in the first step
    save_draft(phone)

    error = phone.get_by_text("Một trường khác của biểu mẫu đã dùng mã “ho_ten”.")
    error.wait_for()
    assert phone.get_by_text("Một số mã hoặc điều kiện của biểu mẫu cần sửa.").is_visible()
    # Nothing the editor typed is lost, and the question to correct is open.
    assert key.is_visible()
    assert key.input_value() == "ho_ten"
    # Steps and questions without an error stay folded.
    assert not phone.locator("input[name='online_form-0-value-fields-0-value-key']").is_visible()
