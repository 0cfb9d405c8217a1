"""Template tags of the base layout.

The main menu is the site's own page tree: the live children of the request's site's home page
marked "show in menus" (Wagtail's "Hiển thị trong menu"), in the editors' order and in the visitor's
language, after the home page. Apps add links that are not pages (the work schedule, search,
the QR scanner: views every site serves at the same address) through a hook:

    @hooks.register("portal_nav_items")
    def nav(request): return [{"title": ..., "url": ..., "order": 50}]

Same shape for ``portal_footer_links``; ``portal_feed_links`` items have
``title``, ``url`` and ``type``.
"""

import re
from functools import reduce
from operator import or_

from django import template
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from portal.core import cache as page_cache
from portal.core.models import PortalSettings
from portal.core.sites import site_for_request

register = template.Library()


def _request(context):
    return context.get("request")


def _memo(request, key, compute):
    """Compute once per request: the base template asks for some values twice."""
    if request is None:
        return compute()
    cache = request.__dict__.setdefault("_portal_memo", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _site(request):
    return site_for_request(request)


@register.simple_tag(takes_context=True)
def portal_settings(context):
    request = _request(context)
    site = _site(request)
    if site is None:
        return PortalSettings()
    return _memo(request, "settings", lambda: PortalSettings.for_site(site))


@register.simple_tag(takes_context=True)
def portal_home_url(context):
    return "/en/" if get_language() == "en" else "/"


def _hook_items(request, hook_name):
    items = []
    for fn in hooks.get_hooks(hook_name):
        items.extend(fn(request) or [])
    return sorted(items, key=lambda item: item.get("order", 100))


MENU_KEY_PREFIX = "menu:"


def _site_root_paths(request):
    """Wagtail's roots of every site in every language (cached by Wagtail, kept on the request
    as Wagtail's own page addresses keep them)."""
    paths = getattr(request, "_wagtail_cached_site_root_paths", None)
    if paths is None:
        paths = Site.get_site_root_paths()
        if request is not None:
            request._wagtail_cached_site_root_paths = paths
    return paths


def _menu_pages(request, site) -> list[dict]:
    """The home page and the site's sections marked for menus, in the active language: a
    section without a translation keeps its page in the site's language (English visitors
    still reach it). One query: the roots come from Wagtail's cached site root paths."""
    roots = {
        p.language_code: p.root_path for p in _site_root_paths(request) if p.site_id == site.pk
    }
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    own = roots.get(default) or next(iter(roots.values()), None)
    if own is None:
        return []
    active = roots.get(get_supported_content_language_variant(get_language()), own)
    # Children of a root whose address is "/trang-chu/" are at depth 3 (the tree's root is 1).
    under = reduce(or_, (Q(url_path__startswith=root) for root in {own, active}))
    found = Page.objects.live().in_menu().filter(under, depth=own.count("/") + 1)
    found = list(found.order_by("path").only("title", "url_path", "translation_key"))
    translated = {p.translation_key: p for p in found if p.url_path.startswith(active)}
    sections = [p for p in found if p.url_path.startswith(own)]
    if active != own:
        sections = [translated.get(p.translation_key, p) for p in sections]
    with translation.override(get_language() if active != own else default):
        home_url = reverse("wagtail_serve", args=[""])
    items = [{"title": _("Home"), "url": home_url, "order": 0, "home": True}]
    for page in sections:
        url = page.get_url(request)
        if url:
            items.append({"title": page.title, "url": url, "order": 1})
    return items


def _menu(request) -> list[dict]:
    """``_menu_pages``, kept with the page cache's generation (any publish renews it) per site and
    language: an uncached page then builds its menu without a query."""
    site = _site(request)
    if site is None:
        return []
    key = f"{MENU_KEY_PREFIX}{site.pk}:{get_language()}"
    items = page_cache.kept(request, key, lambda: _menu_pages(request, site))
    return [dict(item) for item in items]


@register.simple_tag(takes_context=True)
def portal_nav_items(context):
    request = _request(context)

    def compute():
        pages = _menu(request)
        links = _hook_items(request, "portal_nav_items")
        items = [*pages, *links]
        path = request.path if request else ""
        for item in items:
            url = item["url"]
            item["active"] = path == url or (not item.get("home") and path.startswith(url))
        return items

    return _memo(request, "nav", compute)


@register.simple_tag(takes_context=True)
def portal_active_nav(context):
    """The address of the navigation item the page is under ("" if none): what the header
    fragment varies on, rather than every address a visitor or a scanner asks for."""
    return next((item["url"] for item in portal_nav_items(context) if item["active"]), "")


@register.simple_tag(takes_context=True)
def portal_footer_links(context):
    request = _request(context)
    return _memo(request, "footer", lambda: _hook_items(request, "portal_footer_links"))


@register.simple_tag(takes_context=True)
def portal_feed_links(context):
    request = _request(context)
    items = _memo(request, "feeds", lambda: _hook_items(request, "portal_feed_links"))
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((i["type"], i["title"], i["url"]) for i in items),
    )


@register.filter
def phone_href(number):
    """'0237 3870 115' -> '02373870115' for tel: links."""
    return re.sub(r"[^0-9+]", "", str(number or ""))


# --- Template fragments ---------------------------------------------------------------------------


class FragmentCacheNode(WagtailCacheNode):
    """Django's ``{% cache %}`` (through Wagtail's, which skips previews), keyed also on the page
    cache's generation, the host and the language: any publish makes every fragment stale."""

    def render(self, context):
        request = context.get("request")
        if request is None or not settings.PAGE_CACHE_ENABLED:
            return self.nodelist.render(context)
        fragment = {
            "seconds": settings.PAGE_CACHE_SECONDS,
            "cache": getattr(settings, "PAGE_CACHE_ALIAS", "default"),
            "generation": page_cache.generation(request),
            "host": request.get_host(),
            "language": get_language(),
        }
        with context.update({"portal_fragment": fragment}):
            return super().render(context)


@register.tag("portalcache")
def portalcache(parser, token):
    """``{% portalcache name [vary_on ...] %}...{% endportalcache %}``: a fragment the same for
    every visitor, kept until the next publish (or ``PAGE_CACHE_SECONDS``). Values set with
    ``as`` inside it are not seen after it."""
    nodelist = parser.parse(("endportalcache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 2:
        raise template.TemplateSyntaxError("'portalcache' needs a fragment name.")
    implicit = ("portal_fragment.generation", "portal_fragment.host", "portal_fragment.language")
    return FragmentCacheNode(
        nodelist,
        parser.compile_filter("portal_fragment.seconds"),
        tokens[1],
        [parser.compile_filter(t) for t in (*implicit, *tokens[2:])],
        parser.compile_filter("portal_fragment.cache"),
    )
