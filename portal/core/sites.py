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
from wagtail.models import Site

from .text import fold


def default_site() -> Site | None:
    """The parent site (the district's or province's portal)."""
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


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


def site_root_in_language(site: Site | None, locale=None):
    """The site's home page in ``locale`` (the active language by default), else None."""
    from wagtail.models import Locale, Page

    if site is None:
        return None
    locale = locale or Locale.get_active()
    root = site.root_page
    if root.locale_id == locale.pk:
        return root
    return Page.objects.filter(translation_key=root.translation_key, locale=locale).first()


def settings_for_site(site):
    from .models import PortalSettings

    return PortalSettings.for_site(site)


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
