"""Page views counted on the server (lượt truy cập): no cookie, no address, no user agent kept.

- ``count_view(request, response)`` is called once per response by the page cache middleware
  (``portal.core.cache.PageCacheMiddleware``, registered with ``observe_responses`` when the
  app is ready), the one place that both pages answered from the cache and pages freshly served
  pass. It counts an anonymous visitor's GET answered with a
  200 HTML page of Wagtail's page serving: not HEAD, not errors or redirects, not staff (anyone
  who may use the admin), not previews, and not robots (the user agent is matched against
  ``bot|spider|crawl|preview`` and then forgotten).
- The count is ``cache.incr`` on a key of the page and the local day in the default cache
  (Redis in production, local memory with ``make run``): one cache round trip a view. The page
  cache keeps the page's id in each entry, so a cached hit is counted for its page without
  touching the database or the cache again.
- ``flush()`` (the Celery beat task ``portal.reports.tasks.flush_page_views``, every few
  minutes) adds the pending counts to ``PageViewCount`` rows and takes them off the cache.
  Running it twice adds nothing the second time.

Everything fails open: with the cache down views are not counted, pages are still served.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

logger = logging.getLogger(__name__)

COUNT_PREFIX = "portal:views:"
FOOTER_PREFIX = "portal:views:footer:"
# Pending counts live this long in the cache; the flush looks back as many days.
KEEP_DAYS = 3
FOOTER_SECONDS = 300
BOTS = re.compile(r"bot|spider|crawl|preview", re.IGNORECASE)
# With the local-memory cache (``make run``) the counts live in the web process, which the
# Celery worker cannot see: that process flushes them itself this often.
LOCAL_FLUSH_SECONDS = 300
_local_flush = {"at": time.monotonic(), "lock": threading.Lock()}


def store():
    return caches[getattr(settings, "PAGE_VIEWS_CACHE_ALIAS", "default")]


def count_key(day: datetime.date, page_id: int) -> str:
    return f"{COUNT_PREFIX}{day:%Y%m%d}:{page_id}"


def _counted(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if getattr(request, "is_preview", False):
        return False
    if BOTS.search(request.META.get("HTTP_USER_AGENT", "")):
        return False
    # Only pages answered for a session look at the account: cached hits are anonymous.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return False
    return True


def _page_of(request, response) -> int | None:
    """The page answering: Wagtail's route of a page served now, or the page a cached hit's
    entry was stored for (``portal.core.cache.page_id``)."""
    from portal.core.cache import CACHE_HEADER, page_id

    if response.get(CACHE_HEADER) == "hit" or getattr(request, "_portal_cacheable_view", False):
        return page_id(request)
    return None


def _bump(cache, key: str):
    try:
        cache.incr(key)
    except ValueError:  # the first view of the day, or the cache is down
        if not cache.add(key, 1, KEEP_DAYS * 86400):
            try:
                cache.incr(key)
            except ValueError:
                pass


def count_view(request, response) -> None:
    """Count one view of the page answering ``request``, if it is one; never raises."""
    try:
        if not _counted(request, response):
            return
        cache = store()
        page_id = _page_of(request, response)
        if page_id:
            _bump(cache, count_key(timezone.localdate(), page_id))
            if isinstance(cache, LocMemCache):
                _flush_local()
    except Exception:  # counting must never break a page
        logger.exception("A page view could not be counted")


def _flush_local():
    lock = _local_flush["lock"]
    if time.monotonic() - _local_flush["at"] < LOCAL_FLUSH_SECONDS or not lock.acquire(False):
        return
    try:
        _local_flush["at"] = time.monotonic()
        flush()
    finally:
        lock.release()


# Sites of pages -----------------------------------------------------------------------------


def _site_roots():
    """(root path, site id), deepest first: a page belongs to the innermost site holding it."""
    from wagtail.models import Site

    roots = Site.objects.values_list("root_page__path", "pk")
    return sorted(roots, key=lambda r: -len(r[0]))


def site_for_path(path: str, roots) -> int | None:
    for root, site_id in roots:
        if path.startswith(root):
            return site_id
    return None


def _days(today=None):
    today = today or timezone.localdate()
    return [today - datetime.timedelta(days=n) for n in range(KEEP_DAYS)]


def pending(page_paths: dict[int, str], days) -> dict[tuple[datetime.date, int], int]:
    """Counts in the cache, not yet flushed, of these pages on these days."""
    keys = {count_key(day, pk): (day, pk) for day in days for pk in page_paths}
    found = {}
    names = list(keys)
    cache = store()
    for start in range(0, len(names), 1000):
        found.update(cache.get_many(names[start : start + 1000]))
    return {keys[k]: int(v) for k, v in found.items() if v}


def _add(site_id, page_id, day, views):
    from .models import PageViewCount

    rows = PageViewCount.objects.filter(page_id=page_id, day=day)
    if rows.update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            PageViewCount.objects.create(site_id=site_id, page_id=page_id, day=day, views=views)
    except IntegrityError:  # another flush created it meanwhile
        rows.update(views=F("views") + views)


def flush() -> int:
    """Move the pending counts of the last KEEP_DAYS days to PageViewCount; the views moved."""
    from wagtail.models import Page

    paths = dict(Page.objects.filter(depth__gt=1).values_list("pk", "path"))
    roots = _site_roots()
    cache = store()
    moved = 0
    for (day, page_id), views in pending(paths, _days()).items():
        site_id = site_for_path(paths[page_id], roots)
        if site_id is None:
            continue
        try:
            # Taken off first (atomic in Redis): a view counted meanwhile stays for next time.
            cache.decr(count_key(day, page_id), views)
        except ValueError:
            continue  # expired or the cache went away: nothing taken, nothing added
        _add(site_id, page_id, day, views)
        moved += views
    return moved


# The footer's counter -----------------------------------------------------------------------


def site_totals(site) -> dict[str, int]:
    """Views of the site's pages, all time and today (flushed and pending); cached 5 minutes."""
    key = f"{FOOTER_PREFIX}{site.pk}"
    cache = store()
    found = cache.get(key)
    if found is not None:
        return found
    from wagtail.models import Page

    from .models import PageViewCount

    today = timezone.localdate()
    rows = PageViewCount.objects.filter(site=site)
    total = rows.aggregate(n=Sum("views"))["n"] or 0
    today_total = rows.filter(day=today).aggregate(n=Sum("views"))["n"] or 0
    roots = _site_roots()
    paths = {
        pk: path
        for pk, path in Page.objects.filter(path__startswith=site.root_page.path).values_list(
            "pk", "path"
        )
        if site_for_path(path, roots) == site.pk
    }
    for (day, _page), views in pending(paths, _days(today)).items():
        total += views
        if day == today:
            today_total += views
    found = {"total": total, "today": today_total}
    cache.set(key, found, FOOTER_SECONDS)
    return found
