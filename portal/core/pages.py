"""Serving pages with few queries when the page cache cannot answer (a visitor with a session or
a pending message, a page just purged).

Wagtail finds a page by walking the tree on every request: the site, the locale, the root page,
then one or two queries per level of the address, plus the view restrictions of the page and its
ancestors. The portal keeps what that walk finds instead:

- ``RouteCacheMiddleware`` remembers, per host, language and address, the page (and the site)
  Wagtail's routing found, and hands them to Wagtail's own ``serve`` view the next time through
  ``request._wagtail_route_for_request`` and ``request._wagtail_site``: no query at all. Entries
  carry the page cache's generation (``portal.core.cache``): publishing, unpublishing, moving or
  deleting any page, or changing a site or the portal settings, makes every route stale, as it
  makes every cached page stale. (With the local-memory cache, other processes see that within
  ``PAGE_CACHE_SECONDS``, as for cached pages: Redis in production.)
- ``PortalPage.get_view_restrictions`` answers "no restriction" without a query when no view
  restriction is set on the page or an ancestor (their paths are cached and kept fresh by signals).
- ``public()`` filters listings against the same cached paths.

Everything is switched by ``PAGE_CACHE_ENABLED``, like the page cache and the template fragments.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache as default_cache
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.models import Page, PagePermissionTester, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from . import cache as page_cache
from . import shared_lists, staff_access  # noqa: F401 - made stale by signals

RESTRICTED_PATHS_KEY = "portal:restricted-page-paths"
ROUTE_KEY_PREFIX = "portal:route:"


# --- View restrictions --------------------------------------------------------------------------


def restricted_paths() -> list[str]:
    """Paths of the pages with a view restriction, from the cache (kept fresh by signals)."""
    paths = default_cache.get(RESTRICTED_PATHS_KEY)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        default_cache.set(RESTRICTED_PATHS_KEY, paths, 3600)
    return paths


def forget_restricted_paths(**_kwargs):
    default_cache.delete(RESTRICTED_PATHS_KEY)


def _request_restricted_paths(request) -> list[str]:
    paths = getattr(request, "_portal_restricted_paths", None)
    if paths is None:
        paths = restricted_paths()
        if request is not None:
            request._portal_restricted_paths = paths
    return paths


def public(queryset, request=None):
    """``queryset.public()`` without a query per list: restrictions are rare and cached."""
    paths = _request_restricted_paths(request)
    if not paths:
        return queryset
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private)


class PortalPagePermissionTester(PagePermissionTester):
    """Wagtail's answer to "what may this user do with this page", without a query per row.

    Whether a page may be deleted depends on what would be deleted with it: the page and the pages
    under it. Wagtail asks the database for them even when the page alone decides: a page without
    children, or a live page for a user who may not unpublish what they delete, or another's page
    for a user who may delete only their own. It asks twice per row of the explorer (the move and
    the delete buttons), and once more for the page explored: a commune editor's news section of
    20 items cost 40 queries. The answer is Wagtail's, read from the page where the page decides.
    """

    def can_delete(self, ignore_bulk=False):
        page, user = self.page, self.user
        if not user.is_active or page.depth == 1 or user.is_superuser:
            return super().can_delete(ignore_bulk=ignore_bulk)
        perms = self.permissions
        if page.is_leaf():
            if "change" in perms:
                # Without publish permission, nothing live may go.
                return "publish" in perms or not page.live
            if "add" in perms:
                # Only one's own pages, and without publish permission only drafts.
                return page.owner_id == user.pk and ("publish" in perms or not page.live)
            return False
        if "bulk_delete" not in perms and not ignore_bulk:
            return False  # Wagtail's rule for a page with children
        # The page is among the pages that would be deleted: when it fails the test Wagtail puts
        # to each of them, the answer is known without reading the others.
        if "change" in perms:
            if "publish" not in perms and page.live:
                return False
        elif "add" in perms:
            if page.owner_id != user.pk or ("publish" not in perms and page.live):
                return False
        else:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


def _own_and_sub_type_ids(model) -> frozenset:
    """Content type ids of a page model and its subclasses (what ``.type(model)`` matches)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import get_page_models

    models = [m for m in get_page_models() if issubclass(m, model)]
    return frozenset(ct.pk for ct in ContentType.objects.get_for_models(*models).values())


class PortalPage(Page):
    """The portal's page types: Wagtail's page, with view restrictions checked from the cache."""

    # Foreign keys the page's template reads, loaded with the page when it is routed.
    route_select_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return PortalPagePermissionTester(user, self)

    def get_parent(self, update=False):
        """The parent page, read once per request that only reads: a chooser's rows share their
        parent, and Wagtail's chooser asks each row for it."""
        from .audit import current_request

        request = current_request()
        if update or request is None or request.method not in ("GET", "HEAD") or self.depth <= 1:
            return super().get_parent(update=update)
        if not hasattr(self, "_cached_parent_obj"):
            parents = request.__dict__.setdefault("_portal_parent_pages", {})
            path = self.path[: -self.steplen]
            if path not in parents:
                parents[path] = super().get_parent()
            self._cached_parent_obj = parents[path]
        return self._cached_parent_obj

    @classmethod
    def can_create_at(cls, parent):
        """Wagtail's answer, with ``max_count_per_parent`` read from one query of the parent's
        children's types per reading request, not one count per section type: the explorer of a
        site's home asks it of every type that may go there (seven sections, seven counts)."""
        from .audit import current_request

        request = current_request()
        if (
            cls.max_count_per_parent is None
            or cls.max_count is not None
            or request is None
            or request.method not in ("GET", "HEAD")
        ):
            return super().can_create_at(parent)
        if not (cls.is_creatable and cls.can_exist_under(parent)):
            return False
        counts = request.__dict__.setdefault("_portal_child_types", {})
        if parent.pk not in counts:
            types = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            counts[parent.pk] = list(types.values_list("content_type_id", flat=True))
        mine = _own_and_sub_type_ids(cls)
        return sum(1 for t in counts[parent.pk] if t in mine) < cls.max_count_per_parent

    def get_view_restrictions(self):
        # An alias takes its source's restrictions: Wagtail resolves those.
        if self.alias_of_id is None and not any(
            self.path.startswith(path) for path in restricted_paths()
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- Routes -------------------------------------------------------------------------------------


def _route_key(request, path: str) -> str:
    raw = f"{request._get_raw_host()}|{get_language()}|{path}"
    return (
        ROUTE_KEY_PREFIX
        + hashlib.blake2b(raw.encode("utf-8", "replace"), digest_size=16).hexdigest()
    )


def _plain(value) -> bool:
    return value is None or isinstance(value, (str, int, bool))


def _load_page(content_type_id: int, page_id: int):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    queryset = model._default_manager.filter(pk=page_id, live=True)
    related = getattr(model, "route_select_related", ())
    if related:
        queryset = queryset.select_related(*related)
    return queryset.first()


class RouteCacheMiddleware:
    """Remember which page answers an address; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_portal_route_key", None)
        if key is not None and response.status_code == 200:
            self._store(request, key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE_ENABLED or not page_cache.is_page_view(view_func):
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        key = _route_key(request, path)
        generation = getattr(request, "_portal_cache_generation", None)
        if generation is None:  # the page cache did not look: one round trip for both
            found = page_cache.store().get_many([page_cache.GENERATION_KEY, key])
            generation = request._portal_cache_generation = page_cache.current_generation(
                found.get(page_cache.GENERATION_KEY)
            )
            entry = found.get(key)
        else:
            entry = page_cache.store().get(key)
        if entry is not None and entry[0] == generation:
            _generation, site, page, kwargs = entry
            request._wagtail_site = site
            request._wagtail_route_for_request = RouteResult(page, (), kwargs)
            return None
        request._portal_route_key = key
        return None

    @staticmethod
    def _store(request, key):
        route = getattr(request, "_wagtail_route_for_request", None)
        site = getattr(request, "_wagtail_site", None)
        if route is None or site is None:
            return
        page, args, kwargs = route
        if args or not all(_plain(v) for v in kwargs.values()):
            return  # routable pages hand a view to serve(): not worth remembering
        # A fresh copy, without what serving the page attached to it.
        page = _load_page(page.content_type_id, page.pk)
        if page is None:
            return
        entry = (
            request._portal_cache_generation,
            Site(
                pk=site.pk,
                hostname=site.hostname,
                port=site.port,
                site_name=site.site_name,
                root_page_id=site.root_page_id,
                is_default_site=site.is_default_site,
            ),
            page,
            dict(kwargs),
        )
        page_cache.store().set(key, entry, settings.PAGE_CACHE_SECONDS)
