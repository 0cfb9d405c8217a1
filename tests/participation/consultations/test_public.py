"""Drafts open for comment, as a citizen sees them: the dates decide whether the form is there,
comments are taken on the whole draft or one section, wait for moderation, and never show who
sent them."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from portal.participation.consultations.models import (
    Comment,
    CommentStatus,
    ContactRule,
    DraftPage,
    Phase,
)

from .conftest import comment_on, make_draft

pytestmark = pytest.mark.django_db


def _form_url(draft):
    return f"/gop-y-du-thao/{draft.pk}/"


def _post(client, draft, **data):
    fields = {"section": "", "body": "Đề nghị mở cửa chợ từ 4 giờ 30.", **data}
    return client.post(_form_url(draft), fields)


def test_every_unit_site_gets_its_section(town, other):
    for made in (town, other):
        index = made["index"]
        assert index.slug == "lay-y-kien-du-thao" and index.title == "Lấy ý kiến dự thảo"
        assert index.live and index.show_in_menus


def test_the_dates_decide_the_phase(town):
    now = timezone.now()
    draft = make_draft(town["index"], opens_in=1, closes_in=5)
    assert draft.phase(now) == Phase.UPCOMING and not draft.is_open
    assert draft.phase(draft.opens_at) == Phase.OPEN
    assert draft.phase(draft.closes_at - datetime.timedelta(seconds=1)) == Phase.OPEN
    assert draft.phase(draft.closes_at) == Phase.CLOSED


def test_a_draft_must_close_after_it_opens(town):
    draft = DraftPage(
        title="x", drafting_agency="y", summary="z", opens_at=timezone.now(),
        closes_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        draft.clean()
    assert "closes_at" in caught.value.message_dict


def test_an_open_draft_offers_comments_on_the_whole_and_on_each_section(visitor, open_draft):
    body = visitor.get(open_draft.url).content.decode()
    assert "Đang lấy ý kiến" in body and "Phòng Kinh tế và Hạ tầng" in body
    assert f'href="/gop-y-du-thao/{open_draft.pk}/"' in body
    for section in open_draft.sections.all():
        assert f'href="/gop-y-du-thao/{open_draft.pk}/?muc={section.pk}"' in body
    index = visitor.get(open_draft.get_parent().url).content.decode()
    assert open_draft.title in index


def test_before_opening_and_after_closing_a_message_replaces_the_form(visitor, town):
    upcoming = make_draft(town["index"], opens_in=2, closes_in=9, slug="sap-mo")
    closed = make_draft(
        town["index"], opens_in=-20, closes_in=-1, slug="da-dong",
        response="<p>Cơ quan soạn thảo đã tiếp thu ý kiến về giờ mở cửa.</p>",
    )  # fmt: skip
    page = visitor.get(upcoming.url).content.decode()
    assert "Chưa đến thời gian lấy ý kiến" in page and "/gop-y-du-thao/" not in page
    assert "tiếp thu" not in page
    form = visitor.get(_form_url(upcoming)).content.decode()
    assert "Chưa đến thời gian lấy ý kiến" in form and "<textarea" not in form

    page = visitor.get(closed.url).content.decode()
    assert "Đã hết thời gian lấy ý kiến" in page and "/gop-y-du-thao/" not in page
    assert "Ý kiến tiếp thu, giải trình của cơ quan soạn thảo" in page
    assert "đã tiếp thu ý kiến về giờ mở cửa" in page
    response = _post(visitor, closed)
    assert "Đã hết thời gian lấy ý kiến" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_a_section_waits_for_moderation_then_shows_without_its_sender(
    visitor, open_draft
):
    section = open_draft.sections.all()[1]
    form = visitor.get(f"{_form_url(open_draft)}?muc={section.pk}").content.decode()
    assert re.search(rf'value="{section.pk}"[^>]*checked', form)
    assert 'name="csrfmiddlewaretoken"' in form
    response = _post(
        visitor, open_draft, section=str(section.pk), name="Nguyễn Văn Sáu",
        phone="+84 912 345 678", email="sau@vidu.vn", consent="on",
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/gop-y-du-thao/{open_draft.pk}/da-gui/"
    sent = visitor.get(response["Location"]).content.decode()
    assert "Ý kiến của ông/bà đã được gửi" in sent
    comment = Comment.objects.get()
    assert (comment.section, comment.section_heading) == (section, "Điều 2. Giờ mở cửa")
    assert comment.status == CommentStatus.PENDING and comment.site == open_draft.get_site()
    assert (comment.phone, comment.email) == ("0912345678", "sau@vidu.vn")
    assert comment.consented_at is not None

    assert "Đề nghị mở cửa chợ" not in visitor.get(open_draft.url).content.decode()
    comment.status = CommentStatus.APPROVED
    comment.save()
    page = visitor.get(open_draft.url).content.decode()
    shown = page[page.index(f'id="muc-{section.pk}"') :]
    assert "Đề nghị mở cửa chợ từ 4 giờ 30." in shown
    for private in ("Nguyễn Văn Sáu", "0912345678", "912 345 678", "sau@vidu.vn", "Sáu"):
        assert private not in page


def test_an_anonymous_comment_on_the_whole_draft_needs_no_consent(visitor, open_draft):
    assert _post(visitor, open_draft).status_code == 302
    comment = Comment.objects.get()
    assert comment.section is None and comment.where == "Toàn bộ dự thảo"
    assert not comment.has_contact and comment.consented_at is None
    comment_on(open_draft, body="Ý kiến chung đã duyệt")
    page = visitor.get(open_draft.url).content.decode()
    assert "Ý kiến về toàn bộ dự thảo" in page and "Ý kiến chung đã duyệt" in page


def test_a_contact_given_without_consent_is_explained_and_the_text_is_kept(visitor, open_draft):
    response = _post(visitor, open_draft, body="Chợ cần thêm nhà vệ sinh", phone="0912 345 678")
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Lỗi: " in body and 'class="error-summary"' in body
    assert "Hãy đồng ý với thông báo bảo vệ dữ liệu cá nhân" in body
    assert "Chợ cần thêm nhà vệ sinh" in body and 'value="0912 345 678"' in body
    bad = _post(visitor, open_draft, phone="12345", email="khong-phai-thu", consent="on")
    text = bad.content.decode()
    assert (
        "số điện thoại Việt Nam, ví dụ 0912345678" in text
        and "Hãy nhập địa chỉ thư điện tử" in text
    )
    empty = _post(visitor, open_draft, body="   ")
    assert "Hãy viết ý kiến của ông/bà." in empty.content.decode()
    assert not Comment.objects.exists()


def test_a_draft_may_require_the_name_and_a_contact(visitor, town):
    draft = make_draft(town["index"], contact_rule=ContactRule.REQUIRED)
    form = visitor.get(_form_url(draft)).content.decode()
    assert "(không bắt buộc)" not in form.split("Thông tin người góp ý")[1].split("</legend>")[0]
    missing = _post(visitor, draft).content.decode()
    assert "Hãy nhập họ và tên người góp ý." in missing
    assert "Hãy nhập số điện thoại hoặc địa chỉ thư điện tử." in missing
    ok = _post(visitor, draft, name="Lê Thị Tám", email="tam@vidu.vn", consent="on")
    assert ok.status_code == 302
    assert Comment.objects.get().name == "Lê Thị Tám"


def test_a_bot_filling_the_hidden_field_is_answered_but_nothing_is_kept(visitor, open_draft):
    form = visitor.get(_form_url(open_draft)).content.decode()
    assert 'class="comment-trap" aria-hidden="true"' in form and 'tabindex="-1"' in form
    response = _post(visitor, open_draft, trang_web="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/da-gui/")
    assert not Comment.objects.exists()


def test_comments_are_rate_limited(visitor, open_draft, settings):
    settings.RATELIMIT_ENABLE = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "form": "3/m"}
    caches["default"].clear()
    codes = [_post(visitor, open_draft).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Comment.objects.count() == 3
    assert visitor.get(_form_url(open_draft)).status_code == 200  # reading is not limited


def test_another_sites_draft_or_an_unpublished_one_is_not_found(open_draft, other):
    stranger = Client()
    stranger.defaults["HTTP_HOST"] = other["host"]
    assert stranger.get(_form_url(open_draft)).status_code == 404
    assert _post(stranger, open_draft).status_code == 404
    open_draft.unpublish()
    mine = Client()
    mine.defaults["HTTP_HOST"] = open_draft.get_site().hostname
    assert mine.get(_form_url(open_draft)).status_code == 404
    assert not Comment.objects.exists()


def test_the_open_data_api_has_no_comment_and_no_contact(visitor, open_draft):
    comment_on(open_draft, name="Trần Văn Chín", phone="0987654321", email="chin@vidu.vn")
    listing = visitor.get("/api/v2/pages/?type=consultations.DraftPage&fields=*")
    detail = visitor.get(f"/api/v2/pages/{open_draft.pk}/")
    for response in (listing, detail):
        text = response.content.decode()
        assert response.status_code in (200, 400)
        for private in ("Trần Văn Chín", "0987654321", "chin@vidu.vn"):
            assert private not in text


def test_the_draft_page_stays_cacheable(visitor, open_draft, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    first = visitor.get(open_draft.url)
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert visitor.get(open_draft.url)["X-Portal-Cache"] == "hit"
