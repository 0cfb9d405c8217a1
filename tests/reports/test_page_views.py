"""Page views counted on the server (lượt truy cập): pages served fresh and from the page cache
are counted, robots, HEAD, errors and staff are not; the flush writes PageViewCount rows once; no
personal data is kept; the footer shows the counts; with the cache down pages are still served."""

import datetime
import re
import time
import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, Site

from portal.core import redis_cache
from portal.reports import counting
from portal.reports.models import PageViewCount
from portal.reports.statistics import unit_statistics

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture
def site(demo, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    return demo


@pytest.fixture
def news(site):
    return Page.objects.get(url_path=f"{site.root_page.url_path}tin-tuc/")


def _get(client, path, **extra):
    return client.get(path, HTTP_USER_AGENT=BROWSER, **extra)


def _pending(page):
    return caches["default"].get(counting.count_key(timezone.localdate(), page.pk), 0)


def test_views_are_counted_fresh_and_from_the_page_cache(client, news):
    first = _get(client, "/tin-tuc/")
    assert first.status_code == 200 and first["X-Portal-Cache"] == "miss"
    second = _get(client, "/tin-tuc/")
    assert second["X-Portal-Cache"] == "hit"
    assert _get(client, "/tin-tuc/")["X-Portal-Cache"] == "hit"
    assert _pending(news) == 3


def test_views_are_counted_with_the_page_cache_off(client, news, settings):
    settings.PAGE_CACHE_ENABLED = False
    _get(client, "/tin-tuc/")
    _get(client, "/tin-tuc/")
    assert _pending(news) == 2


def test_robots_head_errors_and_staff_are_not_counted(client, news, staff_user_factory):
    _get(client, "/tin-tuc/")  # stored in the page cache: the rest would be hits
    assert _pending(news) == 1
    for agent in ("Googlebot/2.1", "bingbot", "Baiduspider", "SomeCrawler/1", "Zalo preview"):
        response = client.get("/tin-tuc/", HTTP_USER_AGENT=agent)
        assert response.status_code == 200
    assert client.head("/tin-tuc/", HTTP_USER_AGENT=BROWSER).status_code == 200
    assert _get(client, "/khong-co-trang-nay/").status_code == 404
    assert _get(client, "/tin-tuc").status_code in (301, 302)
    assert _pending(news) == 1

    staff = Client()
    staff.force_login(staff_user_factory(superuser=True))
    assert _get(staff, "/tin-tuc/").status_code == 200  # served fresh to a session, not counted
    assert _pending(news) == 1
    assert not any(
        key.startswith(f":1:{counting.COUNT_PREFIX}") and not key.endswith(f":{news.pk}")
        for key in caches["default"]._cache
        if "footer" not in key
    )


def test_flush_writes_the_rows_once(client, site, news):
    home = site.root_page
    for _ in range(3):
        _get(client, "/tin-tuc/")
    _get(client, "/")
    assert counting.flush() == 4
    rows = {r.page_id: r for r in PageViewCount.objects.all()}
    assert rows[news.pk].views == 3 and rows[home.pk].views == 1
    assert rows[news.pk].site_id == site.pk and rows[news.pk].day == timezone.localdate()
    assert _pending(news) == 0

    assert counting.flush() == 0  # nothing pending: nothing added
    assert PageViewCount.objects.get(page=news).views == 3

    _get(client, "/tin-tuc/")
    assert counting.flush() == 1
    assert PageViewCount.objects.get(page=news).views == 4
    assert PageViewCount.objects.count() == 2


def test_the_beat_task_flushes(client, news, settings):
    from portal.reports.tasks import flush_page_views

    entry = settings.CELERY_BEAT_SCHEDULE["reports-flush-page-views"]
    assert entry["task"] == "portal.reports.tasks.flush_page_views" and entry["schedule"] <= 600
    _get(client, "/tin-tuc/")
    flush_page_views()
    assert PageViewCount.objects.get(page=news).views == 1


def test_nothing_personal_is_stored(client, news):
    fields = {f.name for f in PageViewCount._meta.get_fields()}
    assert fields == {"id", "site", "page", "day", "views"}
    _get(client, "/tin-tuc/", REMOTE_ADDR="203.0.113.7", HTTP_COOKIE="x=1")
    keys = list(caches["default"]._cache)  # the local-memory cache's own keys
    assert not any("203.0.113" in key or "Firefox" in key for key in keys)
    ours = [key for key in keys if counting.COUNT_PREFIX in key]
    assert ours and all(
        re.fullmatch(r":1:portal:views:(\d{8}:\d+|footer:\d+)", key) for key in ours
    ), ours
    counting.flush()
    row = PageViewCount.objects.values().get(page=news)
    assert set(row) == {"id", "site_id", "page_id", "day", "views"}


def test_the_footer_shows_the_visits(client, site, news):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    PageViewCount.objects.create(site=site, page=news, day=yesterday, views=12344)
    _get(client, "/tin-tuc/")  # pending, not flushed
    caches["default"].delete(f"{counting.FOOTER_PREFIX}{site.pk}")
    caches["default"].delete_many(list(caches["default"]._cache))  # no stored pages either
    _get(client, "/tin-tuc/")
    html = _get(client, "/").content.decode()
    assert "Lượt truy cập" in html
    assert 'data-visits="total">12.346<' in html
    assert 'data-visits="today">2<' in html


def test_the_footer_counter_is_cached_five_minutes(client, site, news):
    assert counting.site_totals(site) == {"total": 0, "today": 0}
    PageViewCount.objects.create(site=site, page=news, day=timezone.localdate(), views=5)
    assert counting.site_totals(site) == {"total": 0, "today": 0}
    caches["default"].delete(f"{counting.FOOTER_PREFIX}{site.pk}")
    assert counting.site_totals(site) == {"total": 5, "today": 5}


def test_statistics_show_page_views(site, news):
    from portal.news.models import NewsPage

    day = datetime.date(2021, 9, 2)
    article = NewsPage.objects.live().child_of(news).first()
    PageViewCount.objects.create(site=site, page=news, day=day, views=7)
    PageViewCount.objects.create(site=site, page=article, day=day, views=5)
    PageViewCount.objects.create(site=site, page=site.root_page, day=day, views=11)
    PageViewCount.objects.create(site=site, page=article, day=day.replace(month=10), views=99)
    stats = unit_statistics(site, datetime.date(2021, 9, 1), datetime.date(2021, 9, 30))
    assert stats.value("page_views") == 23
    assert "PageViewCount" in stats.figures["page_views"].query
    sections = stats.tables["page_views_per_section"].rows
    assert sections == [[news.title, 12], [site.root_page.title, 11]]
    top = stats.tables["page_views_top_pages"].rows
    assert top == [[site.root_page.title, 11], [news.title, 7], [article.title, 5]]


def test_admin_screen_shows_page_views(client, site, news, staff_user_factory):
    PageViewCount.objects.create(site=site, page=news, day=datetime.date(2021, 9, 2), views=7)
    client.force_login(staff_user_factory(superuser=True))
    response = client.get(
        "/admin/reports/", {"site": site.pk, "date_from": "2021-09-01", "date_to": "2021-09-30"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-page_views"' in html and 'id="table-page_views_per_section"' in html


@pytest.fixture
def dead_cache(settings, demo):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.redis_cache.FailOpenRedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    redis_cache.reset_stats()
    yield caches["default"]
    redis_cache.reset_stats()


def test_pages_are_served_with_the_cache_down(client, dead_cache):
    for path in ("/", "/tin-tuc/", "/tin-tuc/"):
        response = _get(client, path)
        assert response.status_code == 200, path
        assert "Lượt truy cập" in response.content.decode()
    assert redis_cache.stats()["failures"] > 0
    assert counting.flush() == 0
    assert not PageViewCount.objects.exists()
    assert Site.objects.get(is_default_site=True)


def test_the_web_process_flushes_its_own_local_memory_counts(client, news, monkeypatch):
    """``make run``: the worker cannot see the web process's local-memory cache."""
    # The period began long enough ago (not at 0: a machine may have booted minutes ago).
    monkeypatch.setitem(
        counting._local_flush, "at", time.monotonic() - counting.LOCAL_FLUSH_SECONDS - 1
    )
    _get(client, "/tin-tuc/")
    assert PageViewCount.objects.get(page=news).views == 1
    _get(client, "/tin-tuc/")  # within LOCAL_FLUSH_SECONDS: pending
    assert PageViewCount.objects.get(page=news).views == 1 and _pending(news) == 1


@pytest.fixture
def live_redis(settings, redis_url, demo):
    prefix = f"test-page-views-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.redis_cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    yield caches["default"]
    # Only this test's keys: clear() would empty the whole Redis database, others' keys too.
    client = caches["default"]._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_counts_in_redis_are_flushed(client, live_redis):
    news = Page.objects.get(url_path=f"{demo_root()}tin-tuc/")
    assert _get(client, "/tin-tuc/")["X-Portal-Cache"] == "miss"
    assert _get(client, "/tin-tuc/")["X-Portal-Cache"] == "hit"
    assert _pending(news) == 2
    assert counting.flush() == 2 and counting.flush() == 0
    assert PageViewCount.objects.get(page=news).views == 2


def demo_root():
    return Site.objects.get(is_default_site=True).root_page.url_path
