import re


def test_base_layout_is_accessible(demo, client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target
    for landmark in ('role="banner"', "<main", 'role="contentinfo"', "<nav"):
        assert landmark in html
    assert 'name="viewport"' in html


def test_no_request_to_another_host(demo, client):
    html = client.get("/").content.decode()
    sources = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    tags = re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=\"(//|https?://)", html)
    assert not tags, sources


def test_english_home_falls_back(demo, client):
    response = client.get("/en/")
    assert response.status_code in (200, 302)


def test_unknown_page_is_a_vietnamese_404(demo, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_robots_txt_names_the_sitemap(demo, client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and "/sitemap.xml" in body


def test_dates_are_day_first(demo):
    import datetime

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2021, 7, 5), "SHORT_DATE_FORMAT") == "05/07/2021"
