"""The header's and footer's names in the visitor's language: the main menu's sections that
have no page in it, and the site's hotlines (as the home page in that language names them)."""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant

from portal.core.sites import site_for_request

register = template.Library()


def _home_in_language(request):
    """The request site's home page in the active language when that is a translation (the
    site's language names things as they are: no query), else None; once per request."""
    from ..models import HomePage

    memo = request.__dict__.setdefault("_home_tags_memo", {})
    language = get_supported_content_language_variant(get_language())
    if language == get_supported_content_language_variant(settings.LANGUAGE_CODE):
        return None
    if language not in memo:
        site = site_for_request(request)
        memo[language] = (
            HomePage.objects.live()
            .filter(translation_key=site.root_page.translation_key, locale__language_code=language)
            .first()
            if site is not None
            else None
        )
    return memo[language]


@register.simple_tag(takes_context=True)
def localised_nav(context, items):
    """The main menu's ``items`` with each section the home page in the visitor's language
    names (``HomePage.section_names``) under that name; the others as they are."""
    request = context.get("request")
    home = _home_in_language(request) if request is not None else None
    if home is None or not home.section_names:
        return items
    names = {block.value["url"]: block.value["name"] for block in home.section_names}
    return [{**item, "title": names.get(item["url"], item["title"])} for item in items]


@register.simple_tag(takes_context=True)
def localised_hotlines(context, portal_settings):
    """``portal_settings``' hotlines, each named as the site's home page in the visitor's
    language names it (``HomePage.hotline_names``), else as the settings do. Read inside the
    footer's cached fragment: one query per language until the next publish."""
    from ..models import hotlines_for

    request = context.get("request")
    home = _home_in_language(request) if request is not None else None
    return hotlines_for(portal_settings, home)
