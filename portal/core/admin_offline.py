"""The admin fetches and links nothing on another host.

Staff work on closed government networks and must not be tracked by third parties: no Gravatar
(``WAGTAIL_GRAVATAR_PROVIDER_URL = None``), no external fonts, and none of Wagtail's links to its
English online guide. Our own Vietnamese editors' guide is in ``docs/huong-dan-bien-tap.md``.
"""

from urllib.parse import urlparse

from wagtail import hooks


def is_external(url):
    return bool(url) and bool(urlparse(url).netloc)


@hooks.register("construct_help_menu")
def hide_external_help(request, menu_items):
    """Drop Wagtail's "What's new" and "Editor Guide" (guide.wagtail.org); keep the shortcuts."""
    menu_items[:] = [item for item in menu_items if not is_external(getattr(item, "url", ""))]
