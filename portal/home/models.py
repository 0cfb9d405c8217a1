import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from portal.core.blocks import BodyBlock
from portal.core.pages import PortalPage, public

# A link editors type: a path on the portal ("/dich-vu-cong/") or an https address.
link_validator = RegexValidator(
    r"^(/[^\s]*|https?://[^\s]+)$", _("Enter a path starting with / or an http(s) address.")
)


class QuickLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=80)
    url = blocks.CharBlock(label=_("address"), max_length=250, validators=[link_validator])
    description = blocks.CharBlock(label=_("description"), max_length=160, required=False)

    class Meta:
        icon = "link"
        label = _("Quick link")


class HotlineNameBlock(blocks.StructBlock):
    """A hotline of the portal settings named in the page's language (the number is its key)."""

    number = blocks.CharBlock(
        label=_("phone number"),
        max_length=30,
        help_text=_("As written in the portal settings' hotlines."),
    )
    label = blocks.CharBlock(label=_("name in this language"), max_length=120)

    class Meta:
        icon = "mail"
        label = _("Hotline name")


class SectionNameBlock(blocks.StructBlock):
    """A section of the main menu (a page in the site's language) named in the page's language,
    by its address."""

    url = blocks.CharBlock(
        label=_("address"),
        max_length=250,
        validators=[link_validator],
        help_text=_("The section's address as the menu links it, e.g. /tin-tuc/."),
    )
    name = blocks.CharBlock(label=_("name in this language"), max_length=60)

    class Meta:
        icon = "list-ul"
        label = _("Section name")


def _digits(number) -> str:
    return re.sub(r"\D", "", number or "")


def hotlines_for(portal_settings, home=None) -> list[dict]:
    """The site's hotlines (PortalSettings, one list of numbers for every language), each named
    in ``home``'s language where that home page names it, else as the settings name it."""
    names = {}
    if home is not None:
        names = {_digits(b.value["number"]): b.value["label"] for b in home.hotline_names}
    return [
        {
            "label": names.get(_digits(b.value["number"])) or b.value["label"],
            "number": b.value["number"],
        }
        for b in portal_settings.hotlines
    ]


# The services every site serves, at the same address on every host (a new site's home links them).
DEFAULT_QUICK_LINKS = [
    (
        "Dịch vụ công trực tuyến",
        "/dich-vu-cong/",
        "Nộp hồ sơ thủ tục hành chính không cần đến trụ sở",
    ),
    ("Khai báo y tế", "/khai-bao-y-te/", "Khai báo y tế điện tử, nhận mã QR cá nhân"),
    ("Tra cứu hồ sơ", "/tra-cuu-ho-so/", "Xem tình trạng hồ sơ bằng mã hồ sơ"),
    ("Quét mã QR", "/quet-ma/", "Hướng dẫn quét mã QR tại điểm kiểm dịch"),
]


class HomePage(PortalPage):
    """The portal's home page (trang chủ): alert, quick links, news, guides, hotlines."""

    class AlertLevel(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Urgent")

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    alert_active = models.BooleanField(_("show the alert"), default=False)
    alert_level = models.CharField(
        _("alert level"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.WARNING
    )
    alert_message = models.CharField(_("alert message"), max_length=300, blank=True)
    alert_link_url = models.CharField(
        _("alert link"), max_length=250, blank=True, validators=[link_validator]
    )
    alert_link_text = models.CharField(_("alert link text"), max_length=80, blank=True)
    quick_links = StreamField(
        [("link", QuickLinkBlock())], blank=True, verbose_name=_("quick links")
    )
    # For a translation of the home page (the English one): what a reader who cannot read the
    # rest of the portal needs. Empty on the Vietnamese home, which shows neither.
    visit_info = RichTextField(
        _("how to reach us"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_(
            "On a translation of the home page: where and when to come in person, which "
            "services are online, in the page's language. Shown with the organisation's contacts."
        ),
    )
    section_names = StreamField(
        [("section", SectionNameBlock())],
        blank=True,
        verbose_name=_("menu section names in this language"),
        help_text=_(
            "On a translation of the home page: the main menu's sections that have no page in "
            "this language (they open in the site's language), named in this page's language."
        ),
    )
    hotline_names = StreamField(
        [("hotline", HotlineNameBlock())],
        blank=True,
        verbose_name=_("hotline names in this language"),
        help_text=_(
            "On a translation of the home page: the portal settings' hotlines named in this "
            "page's language, on every page in it. A hotline not named here keeps its name."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("alert_active"),
                FieldPanel("alert_level"),
                FieldPanel("alert_message"),
                FieldPanel("alert_link_url"),
                FieldPanel("alert_link_text"),
            ],
            heading=_("Alert banner"),
        ),
        FieldPanel("intro"),
        FieldPanel("quick_links"),
        MultiFieldPanel(
            [FieldPanel("visit_info"), FieldPanel("section_names"), FieldPanel("hotline_names")],
            heading=_("For readers of a translation"),
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.alert_active and not self.alert_message:
            raise ValidationError({"alert_message": _("Write the message the alert shows.")})
        # The site is looked up only when there are names to check (each save validates).
        site = self.get_site() if self.pk and self.hotline_names else None
        if site is not None:
            from portal.core.models import PortalSettings

            known = {_digits(b.value["number"]) for b in PortalSettings.for_site(site).hotlines}
            unknown = [
                b.value["number"]
                for b in self.hotline_names
                if _digits(b.value["number"]) not in known
            ]
            if unknown:
                raise ValidationError(
                    {
                        "hotline_names": _(
                            "Not a hotline of the portal settings: %(numbers)s. Add it there "
                            "first; this list only names the settings' hotlines."
                        )
                        % {"numbers": ", ".join(unknown)}
                    }
                )

    @property
    def show_alert(self):
        return self.alert_active and bool(self.alert_message)

    def route(self, request, path_components):
        """An English address without an English page sends the reader to the Vietnamese one."""
        try:
            return super().route(request, path_components)
        except Http404:
            default = Locale.get_default()
            if not path_components or self.locale_id == default.pk:
                raise
            original = self.get_translation_or_none(default)
            if original is None:
                raise
            found = original.specific.route(request, path_components)
            url = found.page.get_url(request)
            if not url:
                raise
            return RouteResult(self, kwargs={"fallback_url": url})

    def serve(self, request, *args, fallback_url=None, **kwargs):
        if fallback_url:
            return HttpResponseRedirect(fallback_url)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from portal.core.sites import site_base_url, site_for_request
        from portal.news.models import AppGuidePage, NewsPage
        from portal.news.models.guides import guides_with_icons
        from portal.news.models.news import listed_news, mark_sources, syndication_sources

        context = super().get_context(request, *args, **kwargs)
        site = site_for_request(request)
        # Served in another language than the site's (no query: the request's language).
        translated = get_supported_content_language_variant(
            get_language()
        ) != get_supported_content_language_variant(settings.LANGUAGE_CODE)
        # This site's own news, and its communes' news marked for the parent portal. A
        # translation without news of its own lists the site language's, marked as such.
        own = Q(path__startswith=self.path)
        news_locale, news_language = self.locale_id, None
        if (
            translated
            and not NewsPage.objects.live().filter(own, locale_id=self.locale_id).exists()
        ):
            default = Locale.get_default()
            original = self.get_translation_or_none(default)
            if original is not None:
                own = Q(path__startswith=original.path)
                news_locale, news_language = default.pk, default.language_code
        news = public(NewsPage.objects.live().filter(own, locale_id=news_locale), request)
        featured = news.filter(featured=True).select_related("lead_image")
        featured = list(featured.order_by("-date", "-pk")[:1]) if news_language is None else []
        communes = syndication_sources(site)
        latest = listed_news(request, own, communes, news_locale)
        latest = latest.exclude(pk__in=[p.pk for p in featured])
        latest = latest.only("title", "path", "url_path", "date", "category", "summary")
        context.update(
            translated=translated,
            news_language=news_language,
            organisation_page=(
                OrganisationPage.objects.live().child_of(self).first() if translated else None
            ),
            featured=featured[0] if featured else None,
            latest=mark_sources(request, list(latest[:6]), communes),
            communes=[
                {"name": site.unit.display_name, "url": site_base_url(site)} for site in communes
            ],
            # The site's own guides: a commune's home does not show the district's.
            guides=guides_with_icons(
                public(AppGuidePage.objects.live().descendant_of(self), request)
            ),
        )
        return context


class ContactBlock(blocks.StructBlock):
    unit = blocks.CharBlock(label=_("unit"), max_length=150)
    name = blocks.CharBlock(label=_("person's name"), max_length=120, required=False)
    position = blocks.CharBlock(label=_("position"), max_length=120, required=False)
    tasks = blocks.TextBlock(label=_("functions and tasks"), required=False)
    phone = blocks.CharBlock(label=_("phone"), max_length=30, required=False)
    email = blocks.EmailBlock(label=_("e-mail"), required=False)

    class Meta:
        icon = "user"
        label = _("Unit or contact person")


class OrganisationPage(PortalPage):
    """Organisation and contact (giới thiệu, liên hệ), in Vietnamese and English (Decree 42)."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("functions and structure"))
    contacts = StreamField(
        [("contact", ContactBlock())], blank=True, verbose_name=_("units and contact persons")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("contacts"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("contacts"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "home/organisation_page.html"

    class Meta:
        verbose_name = _("organisation and contact page")
