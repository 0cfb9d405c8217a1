"""RSS 2.0 and Atom feeds of the news and the directives, with full content: the request's site's
own (a commune's feed never carries the district's or another commune's pages)."""

import copy
import datetime

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from portal.core.cache import cache_public
from portal.core.pages import public
from portal.core.sites import absolute_url, site_for_request, site_name

from .models import DirectiveIndexPage, DirectivePage, NewsIndexPage, NewsPage

FEED_SIZE = 20


def _midnight(date):
    return datetime.datetime.combine(
        date, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


class _PageFeed(Feed):
    feed_type = Rss201rev2Feed
    index_model = None

    def __call__(self, request, *args, **kwargs):
        # One shared instance serves every request: give each its own copy to hold the request.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def _site(self):
        return site_for_request(self.request)

    def _pages(self, model):
        """Live pages of ``model`` in the request's site's tree (its own language)."""
        site = self._site()
        if site is None:
            return model.objects.none()
        return public(model.objects.live(), self.request).descendant_of(site.root_page)

    def _index(self):
        if not hasattr(self, "_index_page"):
            self._index_page = self._pages(self.index_model).first()
        return self._index_page

    def _site_name(self):
        return site_name(self._site())

    def link(self):
        index = self._index()
        return index.get_url(self.request) if index else "/"

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return absolute_url(self._site(), f"/?page_id={item.pk}")

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.last_published_at

    def feed_copyright(self):
        return self._site_name()


class NewsFeed(_PageFeed):
    index_model = NewsIndexPage

    def title(self):
        return _("News – %(site)s") % {"site": self._site_name()}

    def description(self):
        return _("News, public information and notices: %(site)s") % {"site": self._site_name()}

    def items(self):
        return (
            self._pages(NewsPage)
            .order_by("-date", "-pk")
            .select_related("lead_image")
            .prefetch_related("tagged_items__tag")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_to_string("news/feed_news_item.html", {"page": item}, request=self.request)

    def item_pubdate(self, item):
        return _midnight(item.date)

    def item_categories(self, item):
        return [item.get_category_display(), *(t.tag.name for t in item.tagged_items.all())]


class DirectiveFeed(_PageFeed):
    index_model = DirectiveIndexPage

    def title(self):
        return _("Directives – %(site)s") % {"site": self._site_name()}

    def description(self):
        return _("Directives and administrative documents: %(site)s") % {"site": self._site_name()}

    def items(self):
        return (
            self._pages(DirectivePage)
            .order_by("-issue_date", "-pk")
            .select_related("issuer", "document")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.type_label} {item.reference}: {item.summary}"

    def item_description(self, item):
        return render_to_string(
            "news/feed_directive_item.html", {"page": item}, request=self.request
        )

    def item_pubdate(self, item):
        return _midnight(item.issue_date)

    def item_categories(self, item):
        return [item.type_label, item.issuer.name]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class NewsAtomFeed(AtomMixin, NewsFeed):
    pass


class DirectiveAtomFeed(AtomMixin, DirectiveFeed):
    pass


news_rss = cache_public(NewsFeed())
news_atom = cache_public(NewsAtomFeed())
directives_rss = cache_public(DirectiveFeed())
directives_atom = cache_public(DirectiveAtomFeed())
