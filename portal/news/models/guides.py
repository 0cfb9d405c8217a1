"""App installation guides (hướng dẫn cài đặt ứng dụng): PC-Covid, Bluezone, VHD, NCOVI..."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from portal.core.pages import PortalPage, public

from .base import route_to_child, stream_text


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])
    screenshot = ImageChooserBlock(label=_("screenshot"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(
        label=_("answer"), features=["bold", "italic", "link", "ul", "ol"]
    )

    class Meta:
        icon = "help"
        label = _("Question")


class AppGuideIndexPage(PortalPage):
    """The list of app guides (/huong-dan-ung-dung/)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.AppGuidePage"]
    max_count_per_parent = 1
    template = "news/app_guide_index_page.html"

    class Meta:
        verbose_name = _("app guide index")

    def route(self, request, path_components):
        if path_components:
            return route_to_child(self, request, path_components, AppGuidePage)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = guides_with_icons(
            public(AppGuidePage.objects.live().child_of(self), request)
        )
        return context


ICON_RENDITION = "fill-96x96|format-webp"


def guides_with_icons(queryset):
    images = get_image_model().objects.prefetch_renditions(ICON_RENDITION)
    return list(queryset.prefetch_related(models.Prefetch("icon", queryset=images)))


class AppGuidePage(PortalPage):
    """How to install and use one app, step by step for Android and for iOS."""

    icon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("icon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publisher = models.CharField(_("published by"), max_length=200)
    purpose = RichTextField(_("what it is for"), features=["bold", "italic", "link", "ul"])
    android_url = models.URLField(_("Google Play link"), blank=True)
    ios_url = models.URLField(_("App Store link"), blank=True)
    web_url = models.URLField(_("website"), blank=True)
    android_steps = StreamField(
        [("step", StepBlock())], blank=True, verbose_name=_("steps on Android")
    )
    ios_steps = StreamField([("step", StepBlock())], blank=True, verbose_name=_("steps on iOS"))
    faq = StreamField(
        [("question", QuestionBlock())], blank=True, verbose_name=_("frequently asked questions")
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("icon"), FieldPanel("publisher"), FieldPanel("purpose")],
            heading=_("About the app"),
        ),
        MultiFieldPanel(
            [FieldPanel("android_url"), FieldPanel("ios_url"), FieldPanel("web_url")],
            heading=_("Where to get it"),
        ),
        FieldPanel("android_steps"),
        FieldPanel("ios_steps"),
        FieldPanel("faq"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("publisher"),
        index.SearchField("purpose"),
        index.SearchField("android_steps"),
        index.SearchField("ios_steps"),
        index.SearchField("faq"),
    ]
    parent_page_types = ["news.AppGuideIndexPage"]
    subpage_types = []
    template = "news/app_guide_page.html"
    route_select_related = ("icon",)

    class Meta:
        verbose_name = _("app guide")
        verbose_name_plural = _("app guides")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_steps"] = [("android", self.android_steps), ("ios", self.ios_steps)]
        return context

    @property
    def search_snippet_source(self):
        return " ".join(
            [
                self.purpose,
                stream_text(self.android_steps.raw_data),
                stream_text(self.faq.raw_data),
            ]
        )
