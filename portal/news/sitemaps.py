"""sitemap.xml of every language (Wagtail's own covers only the site root's language)."""

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.core.pages import public


class AllLanguagesSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        paths = reduce(or_, (Q(path__startswith=r.path) for r in roots), Q(pk=root.pk))
        # Base pages, not .specific(): one query instead of one per page type; the sitemap
        # needs only addresses and dates.
        return public(Page.objects.live()).filter(paths).order_by("path").defer_streamfields()
