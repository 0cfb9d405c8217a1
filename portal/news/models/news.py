"""News items (tin tức, tuyên truyền, thông báo) and their index."""

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from portal.core.blocks import BodyBlock
from portal.core.cache import listed_elsewhere
from portal.core.pages import PortalPage, public
from portal.core.sites import (
    absolute_url,
    child_sites,
    parent_site,
    site_for_request,
    site_home_path,
)

from .base import paginate, querystring_without_page, route_to_child, stream_text

# Renditions of the lead image in listings; prefetched in one query for the whole page.
CARD_RENDITIONS = (
    "fill-320x180|format-webp|webpquality-70",
    "fill-640x360|format-webp|webpquality-70",
)


class NewsCategory(models.TextChoices):
    NEWS = "tin-tuc", _("News")
    PROPAGANDA = "tuyen-truyen", _("Public information")
    NOTICE = "thong-bao", _("Notice")


def news_with_cards(queryset):
    """News ready for a card listing: lead images and their renditions in two queries."""
    images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
    return queryset.select_related(None).prefetch_related(Prefetch("lead_image", queryset=images))


def syndication_sources(site):
    """The sites whose marked news ``site`` lists beside its own: those of its unit's children
    (a district's communes). A commune's site has none: nothing is syndicated downwards."""
    return child_sites(site)


def listed_news(request, own, sources, locale_id, source=None):
    """Live public news: the ``own`` ones (a Q) and those of ``sources`` marked for the parent
    portal, newest first. ``source`` (a site of ``sources``, or ``"own"``) keeps only its items.
    The original pages are listed, never copies: unmarking or unpublishing one takes it off."""
    marked = Q()
    for site in sources if source in (None, "") else [s for s in sources if s is source]:
        marked |= Q(path__startswith=site.root_page.path)
    wanted = Q() if source == "own" else marked
    if wanted:
        wanted = Q(wanted, show_on_parent=True, locale_id=locale_id)
    if source in (None, "", "own"):
        wanted = own | wanted if wanted else own
    return public(NewsPage.objects.live().filter(wanted), request).order_by("-date", "-pk")


def mark_sources(request, items, sources):
    """Give each listed item of a source site its ``source_unit`` and ``source_url`` (the original
    page on that site's own host); the site's own items get None."""
    roots = [(site.root_page.path, site) for site in sources]
    for item in items:
        item.source_unit = item.source_url = None
        for path, site in roots:
            if item.path.startswith(path):
                _site_id, _root, page_path = item.get_url_parts(request) or (None, None, None)
                item.source_unit = site.unit
                item.source_url = absolute_url(site, page_path) if page_path else None
                break
    return items


@listed_elsewhere
def parent_listings(page):
    """A commune's news item may be on its district's news index and home (marked now, or until
    this publish): both are purged with it, whatever its mark."""
    if not isinstance(page.specific_deferred, NewsPage):
        return []
    parent = parent_site(page.get_site())
    if parent is None:
        return []
    urls = [absolute_url(parent, "/")]
    for listing in NewsIndexPage.objects.live().descendant_of(parent.root_page):
        url = listing.get_full_url()
        if url:
            urls.append(url)
    return urls


class NewsIndexPage(PortalPage):
    """The news listing (/tin-tuc/), filtered by category, ten to a page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1
    template = "news/news_index_page.html"

    class Meta:
        verbose_name = _("news index")

    def route(self, request, path_components):
        if path_components:
            return route_to_child(self, request, path_components, NewsPage)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("loai", "")
        if category not in NewsCategory.values:
            category = ""  # an unknown category shows every item rather than an error
        sources = syndication_sources(site_for_request(request))
        # ?xa=<unit code>: one commune's marked news, or the site's own (its unit's code);
        # an unknown code shows every item, like an unknown category.
        commune, source, own_unit = request.GET.get("xa", ""), None, None
        if sources:
            own_unit = sources[0].unit.parent
            if commune == own_unit.code:
                source = "own"
            else:
                source = next((s for s in sources if s.unit.code == commune), None)
        if source is None:
            commune = ""
        own = Q(path__startswith=self.path, depth=self.depth + 1)
        items = listed_news(request, own, sources, self.locale_id, source)
        if category:
            items = items.filter(category=category)
        page = paginate(request, news_with_cards(items))
        page.object_list = mark_sources(request, list(page.object_list), sources)
        context.update(
            items=page,
            category=category,
            categories=NewsCategory.choices,
            commune=commune,
            communes=[(s.unit.code, s.unit.display_name) for s in sources],
            own_unit=own_unit,
            querystring=querystring_without_page(request),
        )
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(PortalPage):
    """A news item, a piece of public information or a notice, optionally with a radio bulletin."""

    category = models.CharField(
        _("category"), max_length=20, choices=NewsCategory.choices, default=NewsCategory.NEWS
    )
    date = models.DateField(_("publication date"), default=timezone.localdate, db_index=True)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in listings.")
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("lead image caption"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    audio = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("audio bulletin"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An MP3, M4A, OGG or WAV file, e.g. the commune radio bulletin."),
    )
    featured = models.BooleanField(
        _("featured on the home page"), default=False, help_text=_("Shown first on the home page.")
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("keywords"))
    show_on_parent = models.BooleanField(
        _("Show on the parent portal"),
        default=False,
        help_text=_(
            "A commune's item is also listed in the news of the district or province portal, "
            "linking here."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("date"),
                FieldPanel("featured"),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading=_("Lead image")
        ),
        FieldPanel("body"),
        FieldPanel("audio"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel([FieldPanel("show_on_parent")], heading=_("Parent portal")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "news/news_page.html"
    route_select_related = ("lead_image", "audio")

    def clean(self):
        super().clean()
        if self.audio_id:
            from django.core.exceptions import ValidationError

            from portal.news.audio import document_problem

            problem = document_problem(self.audio)
            if problem:
                raise ValidationError({"audio": problem})

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    @property
    def search_snippet_source(self):
        return f"{self.summary} {stream_text(self.body.raw_data)}"

    def related_news(self, tags=None, limit=3, request=None):
        """Live news of this page's own site sharing the most tags, then the same category;
        newest first. Another commune's news is never offered as related."""
        tag_ids = [t.pk for t in (self.tags.all() if tags is None else tags)]
        candidates = (
            public(NewsPage.objects.live(), request)
            .filter(locale_id=self.locale_id, path__startswith=site_home_path(self))
            .exclude(pk=self.pk)
            .filter(Q(tagged_items__tag_id__in=tag_ids) | Q(category=self.category))
            .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
            .order_by("-shared", "-date")
            .only("title", "url_path", "date", "category", "locale_id")
        )
        return list(candidates[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragment is rendered (portalcache).
        tags = SimpleLazyObject(lambda: list(self.tags.all()))
        context["tags"] = tags
        context["related"] = SimpleLazyObject(lambda: self.related_news(tags, request=request))
        context["full_url"] = SimpleLazyObject(lambda: self.get_full_url(request))
        return context
