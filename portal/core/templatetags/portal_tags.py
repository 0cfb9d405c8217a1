"""Template tags of the base layout. Apps add navigation, footer links and feeds through hooks:

    @hooks.register("portal_nav_items")
    def nav(request): return [{"title": ..., "url": ..., "order": 50}]

Same shape for ``portal_footer_links``; ``portal_feed_links`` items have
``title``, ``url`` and ``type``.
"""

import re

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Site
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from portal.core import cache as page_cache
from portal.core.models import PortalSettings

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
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return _memo(request, "site", lambda: Site.find_for_request(request))


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


@register.simple_tag(takes_context=True)
def portal_nav_items(context):
    request = _request(context)

    def compute():
        items = _hook_items(request, "portal_nav_items")
        path = request.path if request else ""
        for item in items:
            url = item["url"]
            item["active"] = path == url or (url not in ("/", "/en/") and path.startswith(url))
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
