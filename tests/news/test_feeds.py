import xml.etree.ElementTree as ET

import pytest

from .conftest import get

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("url", ["/tin-tuc/rss.xml", "/van-ban/rss.xml"])
def test_rss_feed_is_valid_rss_2_with_full_content(demo, client, url):
    response = get(client, url)
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) >= 8
    for item in items:
        assert item.findtext("title") and item.findtext("link").startswith("http")
        assert item.findtext("pubDate")
    descriptions = " ".join(item.findtext("description") for item in items)
    assert "<p>" in descriptions  # the body itself, not only a summary


def test_news_feed_carries_the_article_body(demo, client):
    root = ET.fromstring(get(client, "/tin-tuc/rss.xml").content)
    item = next(i for i in root.iter("item") if "đẩy mạnh quét mã QR" in i.findtext("title"))
    assert "tờ khai giấy" in item.findtext("description")


@pytest.mark.parametrize("url", ["/tin-tuc/atom.xml", "/van-ban/atom.xml"])
def test_atom_feed_is_valid_atom(demo, client, url):
    root = ET.fromstring(get(client, url).content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}updated") is not None for e in entries)
    assert all(e.find(f"{ATOM}id") is not None for e in entries)


def test_directive_feed_names_number_and_issuer(demo, client):
    root = ET.fromstring(get(client, "/van-ban/rss.xml").content)
    titles = [i.findtext("title") for i in root.iter("item")]
    assert any("1593/UBND-VHTT" in t for t in titles)


def test_sitemap_lists_both_languages(demo, client):
    response = get(client, "/sitemap.xml")
    root = ET.fromstring(response.content)
    locations = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith("/tin-tuc/vinh-loc-day-manh-quet-ma-qr/") for loc in locations)
    assert any("/en/organisation/" in loc for loc in locations)
    assert any(loc.endswith("/gioi-thieu/") for loc in locations)


def test_feeds_are_advertised_on_every_page(demo, client):
    html = get(client, "/huong-dan-ung-dung/").content.decode()
    for url in ("/tin-tuc/rss.xml", "/tin-tuc/atom.xml", "/van-ban/rss.xml", "/van-ban/atom.xml"):
        assert f'href="{url}"' in html
