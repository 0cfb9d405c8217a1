"""On a phone without JavaScript: "Thông tin này có hữu ích không?" answered under a news page,
with its reason; a returned dossier's service rated from the look-up page. Then the pages are
checked with axe (which needs JavaScript) in an ordinary phone browser."""

import pytest

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.helpers import PHONE, axe_check

pytestmark = pytest.mark.e2e


@pytest.fixture
def no_js_phone(browser, portal):
    context = browser.new_context(
        base_url=portal.url, locale="vi-VN", java_script_enabled=False, **PHONE
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _returned_dossier():
    from wagtail.models import Site

    from portal.core.models import AdministrativeUnit
    from portal.eservices.models import Dossier, FormVersion, ServicePage, Status

    version, _ = FormVersion.objects.get_or_create(
        digest="f" * 64, defaults={"form_key": "e2e", "schema": {"steps": []}}
    )
    service = ServicePage.objects.live().first()
    return Dossier.objects.create(
        code="VL-261204-0999", service=service, service_title=service.title,
        form_version=version, agency_code="VL", applicant_name="Lê Văn Tám",
        applicant_phone="0987654321", site=Site.objects.get(is_default_site=True),
        commune=AdministrativeUnit.objects.communes().served().first(), status=Status.RETURNED,
    )  # fmt: skip


def test_a_phone_without_javascript_answers_useful_and_rates_a_service(
    no_js_phone, phone, db_access
):
    from portal.participation.ratings.models import PageVote, ServiceRating

    page = no_js_phone
    page.goto("/tin-tuc/")
    form = page.locator("form.usefulness")
    assert form.get_by_role("heading").inner_text() == "Thông tin này có hữu ích không?"
    with page.expect_navigation():
        form.get_by_role("button", name="Không").tap()
    assert "/cam-on/" in page.url
    assert page.locator("h1").inner_text() == "Cảm ơn ông/bà đã trả lời"
    page.get_by_label("Thiếu thông tin tôi cần").check()
    page.get_by_label("Ý kiến khác").fill("Chưa có lịch tiếp dân tháng này")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi", exact=True).tap()
    assert "đã được ghi nhận" in page.locator("main").inner_text()
    vote = PageVote.objects.filter(comment="Chưa có lịch tiếp dân tháng này").get()
    assert (vote.useful, vote.reason) == (False, "missing")

    dossier = _returned_dossier()
    page.goto("/tra-cuu-ho-so/")
    page.locator("input[name=code]").fill(dossier.code)
    page.locator("input[name=identity]").fill("0987654321")
    with page.expect_navigation():
        page.locator("input[name=identity]").press("Enter")
    rating = page.locator("section.service-rating")
    assert rating.get_by_role("heading").inner_text() == "Đánh giá dịch vụ"
    with page.expect_navigation():
        rating.get_by_role("button", name="Gửi đánh giá").tap()  # nothing chosen: explained
    assert "Hãy chọn mức độ hài lòng." in page.locator(".error-summary").inner_text()
    page.get_by_label("Không hài lòng").check()
    page.get_by_label("Thời gian giải quyết").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đánh giá").tap()
    assert page.locator("h1").inner_text() == "Cảm ơn ông/bà đã đánh giá dịch vụ"
    from portal.participation.ratings.votes import dossier_ref

    saved = ServiceRating.objects.filter(dossier_ref=dossier_ref(dossier.pk)).get()
    assert (saved.satisfaction, saved.reasons) == ("dissatisfied", ["time"])

    # The same pages, with JavaScript (axe runs in the page), on an ordinary phone.
    phone.goto("/tin-tuc/")
    axe_check(phone, include="form.usefulness", what="the usefulness question")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    with phone.expect_navigation():
        phone.locator("form.usefulness").get_by_role("button", name="Có").tap()
    axe_check(phone, what="the thanks page")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
