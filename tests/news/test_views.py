import datetime
import re

import pytest
from django.utils import timezone

from portal.news.models import Meeting, NewsPage

from .conftest import get

PUBLIC_PAGES = [
    "/",
    "/tin-tuc/",
    "/tin-tuc/vinh-loc-day-manh-quet-ma-qr/",
    "/tin-tuc/ban-tin-phat-thanh-cai-dat-ung-dung/",
    "/van-ban/",
    "/van-ban/cong-van-13341-ubnd-cntt/",
    "/huong-dan-ung-dung/",
    "/huong-dan-ung-dung/pc-covid/",
    "/lich-cong-tac/",
    "/gioi-thieu/",
    "/en/",
    "/en/organisation/",
    "/tim-kiem/?q=ma+qr",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_has_no_inline_script_style_or_handler(demo, client, url):
    response = get(client, url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "event handler attribute"
    assert 'rel="alternate" type="application/rss+xml"' in html  # feeds advertised


def test_home_page_is_reachable_to_every_section(demo, client):
    html = get(client, "/").content.decode()
    for url in ("/tin-tuc/", "/van-ban/", "/lich-cong-tac/", "/huong-dan-ung-dung/",
                "/gioi-thieu/", "/tim-kiem/", "/dich-vu-cong/", "/khai-bao-y-te/",
                "/tra-cuu-ho-so/", "/quet-ma/", "/huong-dan-ung-dung/pc-covid/"):  # fmt: skip
        assert f'href="{url}"' in html, url


def test_news_index_filters_by_category(demo, client):
    html = get(client, "/tin-tuc/?loai=thong-bao").content.decode()
    assert "Thông báo số điện thoại đường dây nóng" in html
    assert "Vĩnh Lộc đẩy mạnh quét mã QR" not in html


def test_news_index_paginates(demo, client):
    index = NewsPage.objects.first().get_parent()
    for n in range(3):
        index.add_child(instance=NewsPage(title=f"Tin thêm {n}", slug=f"tin-them-{n}", summary="x",
                                          date=datetime.date(2020, 1, 1), body=[]))  # fmt: skip
    first = get(client, "/tin-tuc/").content.decode()
    second = get(client, "/tin-tuc/?page=2").content.decode()
    assert 'rel="next"' in first and "Tin thêm 0" not in first
    assert "Tin thêm 0" in second


@pytest.mark.parametrize(
    "query", ["page=99", "page=abc", "page=-1", "page=0", "page=1e9", "page=" + "9" * 400]
)
def test_unknown_page_number_is_a_clean_404(demo, client, query):
    response = get(client, f"/tin-tuc/?{query}")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["loai=xyz", "loai=%3Cscript%3E", "so=%27%20OR%201%3D1%20--", "co_quan=abc",
     "co_quan=99999999999999999999", "nam=20x1", "nam=99999", "so=" + "9" * 2000,
     "so=%3Cb%3E1593%3C%2Fb%3E", "loai=cong-van&nam=1900", "so=15%0093", "so=a%00b&nam=20%0021"],
)  # fmt: skip
def test_bad_directive_filters_give_a_normal_page(demo, client, query):
    response = get(client, f"/van-ban/?{query}")
    assert response.status_code == 200
    assert "<b>1593</b>" not in response.content.decode()


@pytest.mark.parametrize("typed", ["1593", "1593/UBND-VHTT", "số 1593/ubnd-vhtt", "1593/ubnd"])
def test_directive_lookup_by_number(demo, client, typed):
    html = get(client, "/van-ban/", data={"so": typed}).content.decode()
    assert "/van-ban/cong-van-1593-ubnd-vhtt/" in html
    assert "/van-ban/cong-van-1944-ubnd-vhtt/" not in html


def test_directive_filters_by_type_issuer_and_year(demo, client):
    from portal.news.models import Issuer

    province = Issuer.objects.get(name="Chủ tịch UBND tỉnh Thanh Hóa")
    html = get(client, "/van-ban/", data={"loai": "chi-thi", "co_quan": province.pk,
                                           "nam": "2020"}).content.decode()  # fmt: skip
    assert "/van-ban/chi-thi-12-ct-ubnd-2020/" in html
    assert "/van-ban/chi-thi-15-ct-ubnd-2020/" in html
    assert "/van-ban/cong-van-1593-ubnd-vhtt/" not in html
    assert "2 văn bản" in html


def test_directive_page_shows_decree_42_fields_and_links_both_ways(demo, client):
    html = get(client, "/van-ban/cong-van-13341-ubnd-cntt/").content.decode()
    for text in ("Công văn", "13341/UBND-CNTT", "UBND tỉnh Thanh Hóa", "30/08/2021",
                 "Còn hiệu lực", ".pdf"):  # fmt: skip
        assert text in html, text
    assert "Được thực hiện bởi" in html
    assert "/van-ban/bao-cao-ung-dung-cntt-phong-chong-covid-19/" in html
    report = get(client, "/van-ban/bao-cao-ung-dung-cntt-phong-chong-covid-19/").content.decode()
    assert "Thực hiện" in report and "/van-ban/cong-van-13341-ubnd-cntt/" in report
    assert "Lê Văn Tiến" in report


def test_news_page_has_lead_image_srcset_lazy_audio_and_share_links(demo, client):
    html = get(client, "/tin-tuc/ban-tin-phat-thanh-cai-dat-ung-dung/").content.decode()
    assert "<picture>" in html and "srcset=" in html
    assert "<audio controls" in html and ".wav" in html
    assert "https://sp.zalo.me/share_to_zalo?url=http" in html
    assert "https://www.facebook.com/sharer/sharer.php?u=http" in html
    assert "Tin liên quan" in html
    index = get(client, "/tin-tuc/").content.decode()
    assert 'loading="lazy"' in index and "srcset=" in index


def test_app_guide_tabs_work_without_javascript(demo, client):
    html = get(client, "/huong-dan-ung-dung/pc-covid/").content.decode()
    assert 'type="radio" name="platform" id="tab-android" checked' in html
    assert 'for="tab-ios"' in html
    assert "tabs__panel--android" in html and "tabs__panel--ios" in html
    assert "<details" in html  # the FAQ opens without scripts
    assert "play.google.com" in html and "apps.apple.com" in html


def test_every_demo_guide_exists(demo, client):
    html = get(client, "/huong-dan-ung-dung/").content.decode()
    for name in ("PC-Covid", "Bluezone", "VHD", "NCOVI", "Smart Thanh Hóa"):
        assert name in html


def test_schedule_shows_this_week_and_keeps_past_weeks(demo, client):
    html = get(client, "/lich-cong-tac/").content.decode()
    assert "Chào cờ và giao ban lãnh đạo UBND huyện" in html
    past = get(client, "/lich-cong-tac/2021/tuan-36/").content.decode()
    assert "Giao ban trực tuyến Ban Chỉ đạo phòng, chống dịch" in past
    assert "https://hop.vinhloc.thanhhoa.gov.vn/giao-ban" in past
    assert "/lich-cong-tac/2021/tuan-36/" in html  # the archive links to it


@pytest.mark.parametrize("url", ["/lich-cong-tac/2021/tuan-54/", "/lich-cong-tac/1800/tuan-1/",
                                 "/lich-cong-tac/2021/tuan-0/",
                                 "/lich-cong-tac/99999999999999999999/tuan-1/"])  # fmt: skip
def test_impossible_week_is_a_404(demo, client, url):
    assert get(client, url).status_code == 404


def test_icalendar_feed(demo, client):
    response = get(client, "/lich-cong-tac/lich.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") >= 3
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "SUMMARY:Chào cờ và giao ban lãnh đạo UBND huyện" in body.replace("\r\n ", "")


def test_icalendar_escapes_text(demo, client):
    Meeting.objects.create(
        site=demo,
        start=timezone.now(),
        title="Họp; bàn, việc\nmới",
        chair="A",
        place="B",
    )
    body = get(client, "/lich-cong-tac/lich.ics").content.decode().replace("\r\n ", "")
    assert "SUMMARY:Họp\\; bàn\\, việc\\nmới" in body


def test_english_address_without_translation_falls_back_to_vietnamese(demo, client):
    response = get(client, "/en/tin-tuc/")
    assert response.status_code == 302 and response["Location"] == "/tin-tuc/"
    assert get(client, "/en/khong-co-trang-nay/").status_code == 404


def test_english_organisation_page(demo, client):
    html = get(client, "/en/organisation/").content.decode()
    assert '<html lang="en">' in html
    assert "People's Committee of Vinh Loc District" in html
    assert "0237 3870 105" in html


def test_a_restricted_page_is_left_out_of_every_list(demo, client):
    """Listings, search, feeds and the sitemap use the cached restricted paths (core.pages)."""
    from wagtail.models import PageViewRestriction

    page = NewsPage.objects.get(url_path__endswith="/vinh-loc-day-manh-quet-ma-qr/")
    address = "/tin-tuc/vinh-loc-day-manh-quet-ma-qr/"
    lists = ["/tin-tuc/", "/tim-kiem/?q=quet+ma+qr", "/tin-tuc/rss.xml", "/sitemap.xml"]
    assert all(address in get(client, url).content.decode() for url in lists)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    for url in lists:
        assert address not in get(client, url).content.decode(), url


def test_a_directives_file_is_named_once_with_its_type_and_size(demo, client):
    from portal.news.models import DirectivePage

    directive = DirectivePage.objects.live().filter(document__isnull=False).first()
    html = get(client, directive.url).content.decode()
    assert "(PDF) (PDF)" not in html
    assert re.search(r"\(PDF, [\d.,]+\s(?:bytes|byte|KB)\)", html), "type and size"


def test_favicon_ico_leads_to_the_portals_icon(db, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
