import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core.text import fold
from portal.news.models import DirectivePage, Meeting, NewsPage
from portal.news.models.directives import leading_number, reference_key


def test_fold_removes_every_vietnamese_diacritic_and_keeps_length():
    text = "KHAI BÁO Y TẾ, Đẩy mạnh ứng dụng"
    assert fold(text) == "khai bao y te, day manh ung dung"
    assert len(fold(text)) == len(text)


def test_fold_handles_decomposed_input():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Tiến")) == "tien"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1593/UBND-VHTT", "1593/UBND-VHTT"),
        ("số 1593/ubnd-vhtt", "1593/UBND-VHTT"),
        (" 1593 / UBND - VHTT ", "1593/UBND-VHTT"),
        ("42/2022/NĐ-CP", "42/2022/ND-CP"),
    ],
)
def test_reference_key_normalises_what_people_type(typed, key):
    assert reference_key(typed) == key


def test_leading_number_of_a_reference():
    assert leading_number("1593/UBND-VHTT") == "1593"
    assert leading_number("26-KH/BTGTU") == "26"
    assert leading_number("Số 012/CT-UBND") == "12"
    assert leading_number("…/BC-UBND") == ""


def test_directive_stores_its_number_for_lookups(demo):
    directive = DirectivePage.objects.get(slug="cong-van-1593-ubnd-vhtt")
    assert directive.number == "1593"
    assert directive.reference_key == "1593/UBND-VHTT"


def test_implements_links_are_navigable_both_ways(demo):
    provincial = DirectivePage.objects.get(slug="cong-van-13341-ubnd-cntt")
    report = DirectivePage.objects.get(slug="bao-cao-ung-dung-cntt-phong-chong-covid-19")
    assert provincial in report.implements()
    implemented_by = provincial.implemented_by()
    assert report in implemented_by
    assert DirectivePage.objects.get(slug="cong-van-2163-ubnd-vhtt") in implemented_by


def test_unpublished_directive_is_not_listed_as_implementing(demo):
    provincial = DirectivePage.objects.get(slug="cong-van-13341-ubnd-cntt")
    district = DirectivePage.objects.get(slug="cong-van-2163-ubnd-vhtt")
    district.unpublish()
    assert district not in provincial.implemented_by()


def test_related_news_prefers_shared_tags(demo):
    page = NewsPage.objects.get(slug="huong-dan-quet-ma-qr-noi-cong-cong")
    related = page.related_news()
    assert page not in related
    assert len(related) == 3
    # "ban-tin-phat-thanh" shares three tags (VHD, NCOVI, Bluezone): the best match.
    assert related[0].slug == "ban-tin-phat-thanh-cai-dat-ung-dung"


def test_meeting_must_end_after_it_starts(demo):
    start = timezone.now()
    meeting = Meeting(
        site=demo,
        start=start,
        end=start - datetime.timedelta(hours=1),
        title="Họp",
        chair="A",
        place="B",
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert set(error.value.message_dict) == {"end"}


def test_meeting_with_a_link_is_online(demo):
    meeting = Meeting(
        site=demo,
        start=timezone.now(),
        title="Giao ban",
        chair="A",
        place="B",
        online_link="https://x.vn/h",
    )
    meeting.full_clean()
    assert meeting.is_online


def test_demo_has_every_directive_the_report_cites(demo):
    references = set(DirectivePage.objects.live().values_list("reference", flat=True))
    assert {
        "13341/UBND-CNTT",
        "1593/UBND-VHTT",
        "1944/UBND-VHTT",
        "2163/UBND-VHTT",
        "2184/UBND-VHTT",
        "12/CT-UBND",
        "15/CT-UBND",
        "26-KH/BTGTU",
    } <= references
    report = DirectivePage.objects.get(slug="bao-cao-ung-dung-cntt-phong-chong-covid-19")
    assert "Lê Văn Tiến" in report.body and "Bluezone" in report.body
    assert report.document.file.read(5) == b"%PDF-"


def test_demo_directive_pdf_has_vietnamese_text(demo):
    import io

    from pypdf import PdfReader

    directive = DirectivePage.objects.get(slug="cong-van-1593-ubnd-vhtt")
    text = PdfReader(io.BytesIO(directive.document.file.read())).pages[0].extract_text()
    assert "1593/UBND-VHTT" in text
    assert "quét mã QR" in text
