"""The radio bulletins as a podcast: read back with feedparser as podcast apps read it, each
bulletin with its file's address, size, type and duration; per site."""

import feedparser
import pytest
from wagtail.models import Site

from portal.news.models import NewsPage
from portal.news.podcast import duration_text

from .conftest import get


def test_the_district_feed_lists_its_bulletins_with_enclosures(demo, client):
    response = get(client, "/tin-tuc/phat-thanh.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith("Bản tin phát thanh")
    assert feed.namespaces.get("itunes") == "http://www.itunes.com/dtds/podcast-1.0.dtd"
    with_audio = NewsPage.objects.live().filter(audio__isnull=False)
    assert len(feed.entries) == with_audio.descendant_of(demo.root_page).count() >= 1
    for entry in feed.entries:
        page = with_audio.get(title=entry.title)
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith("http") and enclosure.href.endswith(page.audio.url)
        assert int(enclosure.length) == page.audio.get_file_size() > 0
        assert enclosure.type == "audio/wav"
        minutes, seconds = (int(x) for x in entry.itunes_duration.split(":"))
        assert 0 < minutes * 60 + seconds < 60  # the demo's chime lasts a few seconds


def test_each_site_lists_its_own_bulletins_only(demo, client):
    commune = Site.objects.exclude(pk=demo.pk).exclude(root_page=demo.root_page).first()
    district_item = NewsPage.objects.live().filter(audio__isnull=False).first()
    commune_item = NewsPage.objects.live().descendant_of(commune.root_page).first()
    NewsPage.objects.filter(pk=commune_item.pk).update(audio=district_item.audio)
    host = {"HTTP_HOST": f"{commune.hostname}:{commune.port}"}
    commune_titles = {
        e.title
        for e in feedparser.parse(get(client, "/tin-tuc/phat-thanh.xml", **host).content).entries
    }
    district_titles = {
        e.title for e in feedparser.parse(get(client, "/tin-tuc/phat-thanh.xml").content).entries
    }
    assert commune_titles == {commune_item.title}
    assert district_item.title in district_titles and commune_item.title not in district_titles


def test_every_page_advertises_the_podcast(demo, client):
    body = get(client, "/").content.decode()
    assert 'href="/tin-tuc/phat-thanh.xml"' in body


@pytest.mark.parametrize("seconds,text", [(7, "00:07"), (125, "02:05"), (3725, "1:02:05")])
def test_durations_read_as_podcast_apps_expect(seconds, text):
    assert duration_text(seconds) == text
