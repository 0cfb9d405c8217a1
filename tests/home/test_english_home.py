"""The English home (/en/) gives an English reader the organisation, its contacts, the hotlines
and the ways to reach the services, in English, with an English header; the Vietnamese home
is unchanged."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from portal.home.models import HomePage

from .conftest import get


def _english_home():
    district = HomePage.objects.get(locale__language_code="vi", slug="trang-chu")
    return district.get_translation(Locale.objects.get(language_code="en")).specific


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _between(html, start, end):
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_english_home_gives_the_organisation_and_its_contacts(demo, client):
    html = get(client, "/en/").content.decode()
    contact = _text(_between(html, 'id="contact-title"', "</section>"))
    assert "People's Committee of Vinh Loc District" in contact.replace("&#x27;", "'")
    assert "Vinh Loc Town, Vinh Loc District, Thanh Hoa Province, Viet Nam" in contact
    assert "0237 3870 105" in contact and "vanphong@vinhloc.thanhhoa.gov.vn" in contact
    assert "one-stop shop" in contact and "0237 3870 199" in contact
    assert 'href="/en/organisation/"' in html


def test_the_english_home_names_the_hotlines_in_english(demo, client):
    html = get(client, "/en/").content.decode()
    hotlines = _text(_between(html, 'id="hotlines-title"', "</section>"))
    assert "Vinh Loc District COVID-19 prevention hotline 0237 3870 115" in hotlines
    assert "Ministry of Health helpline 1900 9095" in hotlines
    assert "Đường dây nóng" not in hotlines
    footer = _text(_between(html, 'id="footer-hotlines"', "</section>"))
    assert "Vinh Loc District Health Centre: 0237 3870 206" in footer
    assert "Trung tâm Y tế" not in footer


def test_the_english_home_shows_how_to_reach_the_services(demo, client):
    html = get(client, "/en/").content.decode()
    for url, title in (
        ("/dich-vu-cong/", "Online public services"),
        ("/khai-bao-y-te/", "Health declaration"),
        ("/tra-cuu-ho-so/", "Track an application"),
    ):
        assert f'<a class="quick-link" href="{url}"><span class="quick-link__title">{title}' in html


def test_the_english_header_is_in_english(demo, client):
    html = get(client, "/en/").content.decode()
    header = _between(html, '<header class="site-header"', "</header>")
    assert "Cổng thông tin" not in header
    assert "Web portal" in header and "People&#x27;s Committee of Vinh Loc District" in header
    nav = _text(_between(header, 'class="site-nav__list"', "</ul>"))
    for name in ("News", "Directives", "App guides", "Public services"):
        assert name in nav
    for vietnamese in ("Tin tức", "Văn bản chỉ đạo", "Dịch vụ công trực tuyến"):
        assert vietnamese not in nav
    assert 'href="/tin-tuc/">News</a>' in header  # the Vietnamese section, named in English
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Cổng thông tin" not in title


def test_the_english_home_lists_the_vietnamese_news_as_such(demo, client):
    html = get(client, "/en/").content.decode()
    assert "No news yet." not in html
    news = _between(html, 'id="news-title"', "</section>")
    assert "News (in Vietnamese)" in news
    assert '<a lang="vi" href="' in news and "quét mã QR" in news


def test_the_vietnamese_home_is_unchanged(demo, client):
    html = get(client, "/").content.decode()
    assert 'id="contact-title"' not in html
    assert "Đường dây nóng phòng, chống dịch huyện Vĩnh Lộc" in html
    header = _between(html, '<header class="site-header"', "</header>")
    assert "Cổng thông tin điện tử huyện Vĩnh Lộc" in header and ">Tin tức</a>" in header
    assert "Vinh Loc District COVID-19" not in html


def test_a_hotline_name_must_name_a_hotline_of_the_settings(demo):
    home = _english_home()
    home.hotline_names = [("hotline", {"number": "0999 999 999", "label": "Unknown"})]
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    assert "0999 999 999" in str(error.value)
    home.hotline_names = [("hotline", {"number": "02373870115", "label": "Hotline"})]
    home.full_clean()  # the same number written without spaces


def test_a_translation_without_names_keeps_the_settings_names(demo, client):
    home = _english_home()
    home.hotline_names = []
    home.section_names = []
    home.save_revision().publish()
    html = get(client, "/en/").content.decode()
    assert "Đường dây nóng phòng, chống dịch huyện Vĩnh Lộc" in html
    assert Locale.objects.filter(language_code="en").exists()
