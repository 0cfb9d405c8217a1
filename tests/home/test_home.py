from portal.home.models import HomePage

from .conftest import get


def test_alert_banner_shows_when_active(demo, client):
    html = get(client, "/").content.decode()
    assert "site-alert--warning" in html and "quét mã QR hoặc khai báo y tế" in html
    assert 'href="/quet-ma/"' in html


def test_alert_banner_hidden_when_switched_off(demo, client):
    home = HomePage.objects.get(locale__language_code="vi", slug="trang-chu")  # the district's
    home.alert_active = False
    home.save_revision().publish()
    assert "site-alert" not in get(client, "/").content.decode()


def test_alert_needs_a_message(demo):
    import pytest
    from django.core.exceptions import ValidationError

    home = HomePage.objects.get(locale__language_code="vi", slug="trang-chu")  # the district's
    home.alert_active, home.alert_message = True, ""
    with pytest.raises(ValidationError):
        home.full_clean()


def test_home_shows_hotlines_featured_and_latest_news(demo, client):
    html = get(client, "/").content.decode()
    assert 'href="tel:02373870115"' in html
    assert "featured-news" in html and "Vĩnh Lộc đẩy mạnh quét mã QR" in html
    assert html.count('class="news-list"') == 1


def test_home_weighs_little(demo, client):
    response = get(client, "/")
    assert len(response.content) < 30_000


def test_english_home_page(demo, client):
    html = get(client, "/en/").content.decode()
    assert '<html lang="en">' in html and "Vinh Loc District web portal" in html
    assert 'href="/en/organisation/"' in html


def _title(response):
    import re

    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_a_home_page_names_its_site_once_and_other_pages_name_it_after_theirs(demo, client):
    from wagtail.models import Site

    assert _title(get(client, "/")) == "Cổng thông tin điện tử huyện Vĩnh Lộc"
    assert _title(get(client, "/en/")) == "Vinh Loc District web portal"
    commune = Site.objects.filter(is_default_site=False).order_by("pk").first()
    assert _title(get(client, "/", HTTP_HOST=commune.hostname)) == commune.root_page.title
    assert _title(get(client, "/tin-tuc/")) == "Tin tức – Cổng thông tin điện tử huyện Vĩnh Lộc"
