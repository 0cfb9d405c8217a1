"""Template tags of the base layout. Apps add navigation, footer links and feeds through hooks:

    @hooks.register("portal_nav_items")
    def nav(request): return [{"title": ..., "url": ..., "order": 50}]

Same shape for ``portal_footer_links``; ``portal_feed_links`` items have
``title``, ``url`` and ``type``.
"""

import re

from django import template
from django.utils.html import format_html_join
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Site

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
