"""Sites of the platform: every administrative unit served (the district or province, each of its
communes) is a Wagtail ``Site`` with its own host, page tree and settings.

This module is the one place that answers "the site of this request", "the unit of this site",
"the site of this unit" and "the address of a page of that site". Nothing else looks up
``is_default_site`` or builds an absolute URL from ``BASE_URL``: the parent site (the default one)
stays at ``BASE_URL``; a commune's site is at its own host name, with the scheme (and, on a
development machine, the port) of ``BASE_URL``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page, Site

from .text import fold


def default_site() -> Site | None:
    """The parent site (the district's or province's portal)."""
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


def without_parent(sites):
    """``sites`` (a queryset of ``Site``) without the parent site: the units' own sites."""
    return sites.filter(is_default_site=False)


def default_root_path() -> str | None:
    """The tree path of the parent site's home page, from the kept list of sites (no query
    while no site changes and no home page moves)."""
    from .shared_lists import sites_with_root_paths

    for site in sites_with_root_paths():
        if site.is_default_site:
            return site.portal_root_path
    return None


def site_for_request(request) -> Site | None:
    """The site a request is for (by its host name), once per request; the parent site when the
    host names no site. ``request`` may be None (a task, a command): the parent site."""
    if request is None:
        return default_site()
    memo = request.__dict__.setdefault("_portal_memo", {})
    if "site" not in memo:
        memo["site"] = Site.find_for_request(request) or default_site()
    return memo["site"]


def site_name(site: Site | None) -> str:
    """What the site calls itself (page titles, feeds): its own name, else the installation's."""
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def active_locale_id(request=None) -> int | None:
    """The id of the active language's ``Locale`` (Wagtail's ``Locale.get_active``), kept in the
    process until the next purge (adding or removing a language is one) instead of a query on
    every request that needs it."""
    from wagtail.models import Locale

    from . import cache as page_cache

    def compute():
        try:
            return Locale.get_active().pk
        except Locale.DoesNotExist:
            return None

    return page_cache.kept(request, f"locale:{get_language()}", compute, local=True)


def site_root_in_language(site: Site | None, locale=None, request=None):
    """The site's home page in ``locale`` (the active language by default), else None."""
    from wagtail.models import Page

    if site is None:
        return None
    locale_id = locale.pk if locale is not None else active_locale_id(request)
    root = site.root_page
    if root.locale_id == locale_id:
        return root
    return Page.objects.filter(translation_key=root.translation_key, locale_id=locale_id).first()


def settings_for_site(site):
    from .models import PortalSettings

    return PortalSettings.for_site(site)


def site_hotline(request) -> dict | None:
    """The primary hotline (``{"label", "number"}``) of the site a request is for, the parent
    site's when that site lists none, else None; cached per host for five minutes, as the pages
    that show it (check-in, the personal health QR) must stay cheap under a crowd."""
    key = f"sites:hotline:{request.get_host()}"
    value = cache.get(key)
    if value is None:
        site = site_for_request(request)
        found = settings_for_site(site) if site else None
        if found is None or found.primary_hotline is None:
            parent = default_site()
            found = settings_for_site(parent) if parent else found
        hotline = found.primary_hotline if found else None
        value = dict(hotline) if hotline else {}
        cache.set(key, value, 300)
    return value or None


def unit_for_site(site):
    """The administrative unit a site serves (``PortalSettings.unit``); for the parent site
    without one, the unit of ``PORTAL_UNIT_CODE``."""
    if site is None:
        return None
    unit = settings_for_site(site).unit
    if unit is None and site.is_default_site:
        from .units import served_unit

        unit = served_unit()
    return unit


def place_name(site) -> str:
    """The place a site's documents are dated at (Decree 30's "địa danh"): its unit's name
    without the type ("Vĩnh Lộc" for Thị trấn Vĩnh Lộc); "" when the site serves no unit."""
    unit = unit_for_site(site)
    return unit.name if unit is not None else ""


def unit_for_request(request):
    return unit_for_site(site_for_request(request))


def site_for_unit(unit) -> Site | None:
    """The site serving ``unit``, else the site of its nearest parent unit, else the parent site."""
    from .models import PortalSettings

    seen = 0
    while unit is not None and seen < 5:
        found = (
            PortalSettings.objects.filter(unit=unit).select_related("site", "site__root_page")
        ).first()
        if found is not None:
            return found.site
        if unit.code == settings.PORTAL_UNIT_CODE:
            break
        unit, seen = unit.parent, seen + 1
    return default_site()


SITE_TREE_KEY = "portal:site-tree"


def _site_tree() -> dict[int, list[tuple]]:
    """{parent site id: its child sites, as plain tuples}, from the cache (one query to rebuild,
    dropped by ``forget_site_tree`` when a site, its settings, a unit or a site's root changes).
    A site's children are the sites of the units whose parent is its unit."""
    from django.core.cache import cache

    tree = cache.get(SITE_TREE_KEY)
    if tree is not None:
        return tree
    unit_fields = ("id", "code", "name", "name_with_type", "level", "kind")
    rows = list(
        Site.objects.values(
            "pk",
            "hostname",
            "port",
            "site_name",
            "is_default_site",
            "root_page_id",
            "root_page__path",
            *(f"portalsettings__unit__{f}" for f in unit_fields),
            *(f"portalsettings__unit__parent__{f}" for f in unit_fields),
        )
    )
    site_of_unit = {r["portalsettings__unit__id"]: r["pk"] for r in rows}
    default = next((r for r in rows if r["is_default_site"]), None)
    tree = {}
    for row in rows:
        parent_unit = row["portalsettings__unit__parent__id"]
        if parent_unit is None:
            continue
        parent_site = site_of_unit.get(parent_unit)
        if (
            parent_site is None
            and default is not None
            and default["portalsettings__unit__id"] is None
            and row["portalsettings__unit__parent__code"] == settings.PORTAL_UNIT_CODE
        ):
            parent_site = default["pk"]  # the parent site serves PORTAL_UNIT_CODE's unit
        if parent_site is not None and parent_site != row["pk"]:
            tree.setdefault(parent_site, []).append(
                (
                    (row["pk"], row["hostname"], row["port"], row["site_name"]),
                    (row["root_page_id"], row["root_page__path"]),
                    tuple(row[f"portalsettings__unit__{f}"] for f in unit_fields),
                    tuple(row[f"portalsettings__unit__parent__{f}"] for f in unit_fields),
                )
            )
    for children in tree.values():
        children.sort(key=lambda child: (fold(child[2][2]).lower(), child[2][1]))
    cache.set(SITE_TREE_KEY, tree, 3600)
    return tree


def forget_site_tree(**_kwargs):
    from django.core.cache import cache

    cache.delete(SITE_TREE_KEY)


def connect_site_tree_signals():
    """Keep ``child_sites`` fresh: sites, their settings, units and moved pages change it."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import post_page_move

    from .models import AdministrativeUnit, PortalSettings

    for model in (Site, PortalSettings, AdministrativeUnit):
        for signal in (post_save, post_delete):
            signal.connect(forget_site_tree, sender=model, dispatch_uid=f"site-tree-{model._meta}")
    post_page_move.connect(forget_site_tree, dispatch_uid="site-tree-page-move")


def child_sites(site) -> list[Site]:
    """The sites of the units directly under ``site``'s unit (a district's communes), ordered by
    name. Each carries its unit as ``site.unit`` (with ``unit.parent``, the unit of ``site``) and
    its root page's path as ``site.root_page.path``. No query once the tree is cached: the
    listings of a parent site call this on every page-cache miss, with 166 communes."""
    from wagtail.models import Page

    from .models import AdministrativeUnit

    if site is None:
        return []
    unit_fields = ("id", "code", "name", "name_with_type", "level", "kind")
    sites = []
    for (pk, hostname, port, name), (root_id, root_path), unit, parent in _site_tree().get(
        site.pk, ()
    ):
        child = Site(pk=pk, hostname=hostname, port=port, site_name=name, is_default_site=False)
        child.root_page = Page(pk=root_id, path=root_path)
        child.unit = AdministrativeUnit(**dict(zip(unit_fields, unit, strict=True)))
        child.unit.parent = AdministrativeUnit(**dict(zip(unit_fields, parent, strict=True)))
        sites.append(child)
    return sites


def parent_site(site) -> Site | None:
    """The site whose ``child_sites`` include ``site`` (a commune's district), else None."""
    if site is None:
        return None
    for parent_id, children in _site_tree().items():
        if any(child[0][0] == site.pk for child in children):
            return Site.objects.filter(pk=parent_id).select_related("root_page").first()
    return None


def site_base_url(site: Site | None) -> str:
    """The absolute root of a site, without a trailing slash.

    The parent site answers at ``BASE_URL``. Another site answers at its host name with the scheme
    and port of ``BASE_URL``: every site is served by the same servers (development:
    ``http://vinh-loc.localhost:8000``; production: ``https://vinhloc.thanhhoa.gov.vn``).
    """
    base = urlsplit(settings.BASE_URL)
    if site is None or site.is_default_site or not site.hostname:
        return settings.BASE_URL
    port = f":{base.port}" if base.port else ""
    return f"{base.scheme or 'https'}://{site.hostname}{port}"


def absolute_url(site: Site | None, path: str) -> str:
    """``path`` (starting with "/") on ``site``."""
    return site_base_url(site) + path


def unit_slug(unit) -> str:
    """The host label of a unit's site: its name with its type, folded ("thi-tran-vinh-loc"), so
    "Xã Vĩnh Lộc" and "Thị trấn Vĩnh Lộc" stay apart."""
    return re.sub(r"[^a-z0-9]+", "-", fold(unit.display_name).lower()).strip("-")


def site_home_path(page) -> str:
    """The tree path of the home page above ``page`` (or ``page`` itself if it is one). Every
    site's home, and each of its translations, is a child of the tree's root, so a page's
    site section is the prefix of its path at depth 2: no query."""
    return page.path[: 2 * Page.steplen]
