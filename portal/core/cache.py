"""The page cache: anonymous visitors get public pages from the cache, purged on publish.

How it works:

- ``PageCacheMiddleware`` (placed right after WhiteNoise) answers an anonymous GET or HEAD from
  the cache (``CACHES["default"]``: Redis in production, local memory by default) before the
  session, authentication and CSRF middleware run. On a miss it stores the response if it may
  be shared: a 200 from Wagtail's page serving or from a view marked with ``@cache_public``,
  without cookies, without a CSRF token in it and without its own private Cache-Control.
- Visitors with a session (staff, anyone with a pending message) or a ``messages`` cookie are
  never served from the cache and their pages are never stored. A ``@cache_public`` view keeps
  one answer out with ``not_stored(response)`` (a free-text filter).
- Purging: every entry carries the cache "generation"; publishing, unpublishing, moving or
  deleting a page (and saving the non-page content the portal registers) bumps the generation,
  so every stored page is stale at once. Lists, the home page, feeds and the sitemap all show
  other pages' content, so a site-wide purge is the only correct one, and it costs one write.
  Rows that citizens create and public pages show once staff publish them (questions) purge
  only when a shown row changes (``purge_when_shown``): a flood of new ones cannot empty it.
- Shared caches in front (nginx micro-cache, a CDN) get ``Cache-Control: public, max-age=B,
  s-maxage=S``: browsers keep a page B seconds (they cannot be purged), shared caches S seconds,
  and Wagtail's frontend cache backends (``WAGTAILFRONTENDCACHE``) are asked to purge the
  published page, its ancestors and the feeds. ``NginxRefreshBackend`` refreshes nginx's copy
  without the commercial purge module (see deploy/nginx.conf).

With the local-memory cache every gunicorn worker has its own cache and only the worker that
handled the publish sees it at once; the others catch up within ``PAGE_CACHE_SECONDS``. Use
Redis wherever more than one process serves the portal.
"""

import hashlib
import logging
import time
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:pagecache:generation"
KEY_PREFIX = "portal:page:"
CACHE_HEADER = "X-Portal-Cache"
# Paths never served from or stored in the page cache (the admin, files, health checks).
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/healthz")
STORED_STATUS = 200


def _conf(name, default):
    return getattr(settings, name, default)


def store():
    """The cache holding pages, routes and template fragments."""
    return caches[_conf("PAGE_CACHE_ALIAS", "default")]


def cache_public(view):
    """Mark a view whose anonymous GET responses may be stored in the page cache."""
    view.portal_cache_public = True
    return view


def request_may_use_cache(request) -> bool:
    """An anonymous GET/HEAD without a session or pending messages."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    path = request.path
    return not path.startswith(EXCLUDED_PREFIXES)


def cache_key(request) -> str:
    raw = f"{request.get_host()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return KEY_PREFIX + hashlib.blake2b(raw.encode("utf-8", "replace"), digest_size=16).hexdigest()


def is_page_view(view_func) -> bool:
    """Wagtail's page serving (wagtail.views.serve), whatever decorators wrap it."""
    module = getattr(view_func, "__module__", "")
    return module == "wagtail.views" and getattr(view_func, "__name__", "") == "serve"


def _view_is_cacheable(view_func) -> bool:
    return getattr(view_func, "portal_cache_public", False) or is_page_view(view_func)


def not_stored(response):
    """Keep this response of a ``@cache_public`` view out of the page cache (a free-text filter:
    any text makes a new address, which would fill the cache), leaving its Cache-Control."""
    response.portal_not_stored = True
    return response


def response_may_be_stored(request, response) -> bool:
    if not getattr(request, "_portal_cacheable_view", False):
        return False
    if getattr(response, "portal_not_stored", False):
        return False
    if request.method != "GET" or response.status_code != STORED_STATUS:
        return False
    if response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a form with this visitor's CSRF token
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def set_public_cache_control(response):
    """Browsers B seconds, shared caches (nginx, CDN) S seconds: a deliberate choice."""
    if response.has_header("Cache-Control"):
        return  # the view decided
    patch_cache_control(
        response,
        public=True,
        max_age=_conf("PAGE_CACHE_BROWSER_SECONDS", 60),
        s_maxage=_conf("PAGE_CACHE_SHARED_SECONDS", 60),
    )


def set_private_cache_control(response):
    """Pages for one visitor (staff, forms with a CSRF token) are never kept by shared caches."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True, max_age=0)


# Callables (request, response) called for every response of the page cache middleware, cached
# hits included; each must never raise. Apps register theirs when ready (reports: page views).
RESPONSE_OBSERVERS = []


def observe_responses(observer):
    if observer not in RESPONSE_OBSERVERS:
        RESPONSE_OBSERVERS.append(observer)
    return observer


def page_id(request) -> int | None:
    """The id of the Wagtail page that answered the request: from its route, or for a page
    answered from the cache, from the cache entry (kept with the page, no lookup)."""
    if getattr(request, "_portal_page_id", None) is not None:
        return request._portal_page_id
    route = getattr(request, "_wagtail_route_for_request", None)
    return route[0].pk if route is not None else None


class PageCacheMiddleware:
    """Serve anonymous visitors from the cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._respond(request)
        # The one place that both pages answered from the cache and pages freshly served pass:
        # apps that watch them (reports: page views) registered with ``observe_responses``.
        for observer in RESPONSE_OBSERVERS:
            observer(request, response)
        return response

    def _respond(self, request):
        if not settings.PAGE_CACHE_ENABLED or not request_may_use_cache(request):
            response = self.get_response(request)
            if getattr(request, "_portal_cacheable_view", False):
                set_private_cache_control(response)
            return response

        cache = store()
        key = cache_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = request._portal_cache_generation = current_generation(
            found.get(GENERATION_KEY)
        )
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            _generation, status, headers, content, *page = entry
            request._portal_page_id = page[0] if page else None
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers[CACHE_HEADER] = "hit"
            return response

        response = self.get_response(request)
        if response_may_be_stored(request, response):
            set_public_cache_control(response)
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            cache.set(
                key,
                (generation, response.status_code, headers, response.content, page_id(request)),
                _conf("PAGE_CACHE_SECONDS", 600),
            )
            response.headers[CACHE_HEADER] = "miss"
        elif getattr(request, "_portal_cacheable_view", False):
            if response.status_code == STORED_STATUS and not response.has_header("Cache-Control"):
                set_private_cache_control(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._portal_cacheable_view = _view_is_cacheable(view_func)


def _new_generation() -> int:
    # Time-based, in nanoseconds: never a value an entry stored before it carries (each purge
    # adds one to the generation it finds).
    return time.time_ns()


def current_generation(found) -> int:
    """The generation ``found`` in the cache, or, when it has none (a fresh or restarted cache,
    the key evicted), a new one, stored for every process: a fixed default would match entries
    stored under it long ago, such as the values a process keeps for itself (``kept``), which
    outlive a restart of the cache."""
    if found is not None:
        return found
    fresh = _new_generation()
    cache = store()
    if cache.add(GENERATION_KEY, fresh, None):
        return fresh
    return cache.get(GENERATION_KEY, fresh)


def generation(request=None) -> int:
    """The current generation, read once per request: routes and fragments carry it too."""
    value = getattr(request, "_portal_cache_generation", None)
    if value is None:
        value = current_generation(store().get(GENERATION_KEY))
        if request is not None:
            request._portal_cache_generation = value
    return value


KEPT_PREFIX = "portal:kept:"
_kept_locally: dict = {}
# Functions that drop what a process keeps for itself of the shared cache's content (see
# ``forget_process_copies``).
_process_copies = [_kept_locally.clear]


def process_copy(forget):
    """Register ``forget()``, which drops a copy this process keeps of something in the shared
    cache (a memo read instead of a round trip); returns it unchanged."""
    if forget not in _process_copies:
        _process_copies.append(forget)
    return forget


def forget_process_copies():
    """Drop every copy this process keeps of the shared cache's content: such a copy lives on
    when the cache is emptied (a restart; in the tests, every test's start), and each one
    expires on its own clock, so without this a test's queries would depend on when the last
    copy was made by an earlier test."""
    for forget in _process_copies:
        forget()


def kept(request, key, compute, *, local=False):
    """``compute()``, a value derived from published content alone (the same for every visitor),
    kept until the next purge, like the pages that show it: ``key`` names it (site, language...).

    It is kept in the shared cache (``PAGE_CACHE_SECONDS`` at most); ``local=True`` keeps it in
    this process instead, for a small value read on every request (no round trip at all: the
    generation is read once per request anyway). Without the page cache, or outside a request,
    it is computed every time."""
    if not settings.PAGE_CACHE_ENABLED or request is None:
        return compute()
    current = generation(request)
    if local:
        entry = _kept_locally.get(key)
        if entry is not None and entry[0] == current:
            return entry[1]
        value = compute()
        _kept_locally[key] = (current, value)
        return value
    full_key = KEPT_PREFIX + key
    entry = store().get(full_key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    store().set(full_key, (current, value), settings.PAGE_CACHE_SECONDS)
    return value


def purge_all(**_kwargs):
    """Make every stored page stale: now, and again once the transaction commits (a reader may
    have stored the old page in between)."""

    def bump():
        cache = store()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            # No generation yet (or it was evicted): any new value invalidates old entries,
            # which carry the previous one; a time-based value avoids going back to an old one.
            cache.set(GENERATION_KEY, _new_generation(), None)

    bump()
    transaction.on_commit(bump)


def _frontend_cache_urls(page):
    """The published page, its ancestors (their listings show it) and the feeds, all on the
    page's own site: a commune's article purges the commune's feeds, not the district's."""
    from .sites import site_base_url

    urls = set()
    for ancestor in page.get_ancestors(inclusive=True).filter(depth__gt=1).specific(defer=True):
        url = ancestor.get_full_url()
        if url:
            urls.add(url)
    base = site_base_url(page.get_site())
    urls.update(f"{base}{path}" for path in _conf("PAGE_CACHE_ALWAYS_PURGE", ()))
    for provider in LISTED_ELSEWHERE:
        urls.update(provider(page))
    return sorted(urls)


# Functions ``(page) -> absolute URLs`` of pages on other sites that list ``page`` (a district's
# news lists its communes' marked articles): they are purged with it. See ``listed_elsewhere``.
LISTED_ELSEWHERE = []


def listed_elsewhere(provider):
    """Register ``provider`` (a decorator): its URLs are purged from the shared caches whenever
    a page is published or unpublished, like the page's own ancestors."""
    LISTED_ELSEWHERE.append(provider)
    return provider


def purge_frontend_caches(instance=None, **_kwargs):
    """Ask nginx or the CDN (WAGTAILFRONTENDCACHE) to drop the page and what lists it."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None) or instance is None:
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = _frontend_cache_urls(instance)

    def purge():
        try:
            purge_urls_from_cache(urls)
        except Exception:  # a CDN outage must never fail a publish
            logger.exception("Frontend cache purge failed for %s", urls)

    transaction.on_commit(purge)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge_all()


_connected = False


def purge_on_change(*models):
    """Purge on every page publish/unpublish/move/delete, and when ``models``, the portal
    settings, a site or a view restriction change."""
    global _connected
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from portal.core.models import PortalSettings

    # Sites, languages and view restrictions change which page answers, and to whom
    # (portal.core.pages).
    for model in (*models, PortalSettings, Site, Locale, PageViewRestriction):
        post_save.connect(purge_all, sender=model, dispatch_uid=f"pagecache-save-{model._meta}")
        post_delete.connect(purge_all, sender=model, dispatch_uid=f"pagecache-del-{model._meta}")
    if _connected:
        return
    _connected = True
    for signal in (page_published, page_unpublished):
        signal.connect(purge_all, dispatch_uid="pagecache-page")
        signal.connect(purge_frontend_caches, dispatch_uid="pagecache-frontend")
    post_page_move.connect(purge_all, dispatch_uid="pagecache-move")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-delete")


def purge_when_shown(model, shown, fields):
    """Purge when a row of ``model`` that public pages show (``shown(row)``, reading only
    ``fields``) is saved or deleted, or a row they showed stops being shown. A row nobody sees
    (a citizen's new question) leaves the cache alone: a flood of those cannot empty it."""
    key = f"pagecache-shown-{model._meta}"

    def shown_now(instance):
        if instance.get_deferred_fields() & set(fields):
            return True  # not loaded: decide as if shown (reading them would cost a query)
        return bool(shown(instance))

    def loaded(sender, instance, **kwargs):
        instance._portal_shown_before = instance.pk is not None and shown_now(instance)

    def changed(sender, instance, **kwargs):
        now = shown_now(instance)
        if now or getattr(instance, "_portal_shown_before", False):
            purge_all()
        instance._portal_shown_before = now

    post_init.connect(loaded, sender=model, weak=False, dispatch_uid=f"{key}-init")
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{key}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{key}-delete")


class NginxRefreshBackend:
    """A Wagtail frontend cache backend for nginx without the purge module.

    It requests the page again with ``X-Cache-Refresh: 1``; deploy/nginx.conf lets that header
    bypass its cache (only from the internal network) and stores the fresh response in place of
    the old one. Django's own cache has already been purged, so the response is the new page.
    Configure: ``WAGTAILFRONTENDCACHE = {"nginx": {"BACKEND":
    "portal.core.cache.NginxRefreshBackend", "LOCATION": "http://nginx"}}``.
    """

    def __init__(self, params):
        location = urlsplit(params["LOCATION"])
        if location.scheme not in ("http", "https"):
            raise ImproperlyConfigured("The nginx refresh LOCATION must be an http(s) address.")
        self.scheme, self.netloc = location.scheme, location.netloc
        self.hostnames = params.get("HOSTNAMES", ["*"])
        self.timeout = params.get("TIMEOUT", 5)

    def invalidates_hostname(self, hostname) -> bool:
        from django.http.request import validate_host

        return validate_host(hostname, self.hostnames)

    def purge(self, url) -> None:
        parts = urlsplit(url)
        target = urlunsplit([self.scheme, self.netloc, parts.path, parts.query, ""])
        host = parts.netloc
        headers = {"Host": host, "X-Cache-Refresh": "1", "X-Forwarded-Proto": parts.scheme}
        try:
            with urlopen(Request(target, headers=headers), timeout=self.timeout) as response:  # noqa: S310  # nosec B310 - http(s) only, checked in __init__
                response.read()
        except (URLError, OSError) as exc:
            logger.warning("Could not refresh %s in nginx: %s", url, exc)

    def purge_batch(self, urls) -> None:
        for url in urls:
            self.purge(url)
