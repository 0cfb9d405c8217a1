"""The register of directives (văn bản chỉ đạo, điều hành) with the fields of Decree 42/2022/NĐ-CP.

Directives are pages, not snippets: editors get preview, revisions, scheduled publishing and the
page workflow (moderation by a leader) with no extra set-up, each directive has a stable address
for the sitemap, feeds and search, and "implements" links are chosen with the page chooser.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core.pages import PortalPage, public
from portal.core.text import fold, nfc

from .base import paginate, querystring_without_page, route_to_child


class DirectiveType(models.TextChoices):
    LAW = "luat", _("Law")
    OFFICIAL_LETTER = "cong-van", _("Official letter")
    PLAN = "ke-hoach", _("Plan")
    DIRECTIVE = "chi-thi", _("Directive")
    DECISION = "quyet-dinh", _("Decision")
    NOTICE = "thong-bao", _("Notice")
    REPORT = "bao-cao", _("Report")
    RESOLUTION = "nghi-quyet", _("Resolution")
    GUIDANCE = "huong-dan", _("Guidance")
    DECREE = "nghi-dinh", _("Decree")
    CIRCULAR = "thong-tu", _("Circular")


class DirectiveStatus(models.TextChoices):
    IN_FORCE = "in-force", _("In force")
    EXPIRED = "expired", _("Expired")


def reference_key(text) -> str:
    """'Số 1593/UBND-VHTT' and '1593/ubnd-vhtt' -> '1593/UBND-VHTT'; 'NĐ' matches 'ND'."""
    text = nfc(text).strip()
    text = re.sub(r"^(số|so)[\s.:]*", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", "", fold(text)).upper()[:60]


def leading_number(text) -> str:
    match = re.match(r"\s*(?:số|so)?[\s.:]*(\d+)", nfc(text), re.I)
    return match.group(1).lstrip("0") or "0" if match else ""


class Issuer(models.Model):
    """An issuing authority (cơ quan ban hành), e.g. UBND tỉnh Thanh Hóa."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("issuing authority")
        verbose_name_plural = _("issuing authorities")

    def __str__(self):
        return self.name


class DirectiveIndexPage(PortalPage):
    """The register (/van-ban/): filters by type, issuer and year; lookup by number."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.DirectivePage"]
    max_count_per_parent = 1
    template = "news/directive_index_page.html"

    class Meta:
        verbose_name = _("directives register")

    def filtered(self, request):
        """The live directives matching the request's filters, and the cleaned filters."""
        params = request.GET
        items = (
            public(DirectivePage.objects.live().child_of(self), request)
            .select_related("issuer")
            .order_by("-issue_date", "-pk")
        )
        filters = {"type": "", "issuer": "", "year": "", "number": ""}
        doc_type = params.get("loai", "")
        if doc_type in DirectiveType.values:
            items = items.filter(doc_type=doc_type)
            filters["type"] = doc_type
        issuer = params.get("co_quan", "")
        if issuer.isdigit() and len(issuer) < 10:
            items = items.filter(issuer_id=int(issuer))
            filters["issuer"] = issuer
        year = params.get("nam", "")
        if year.isdigit() and len(year) == 4:
            items = items.filter(issue_date__year=int(year))
            filters["year"] = year
        number = params.get("so", "").strip()[:60]
        if number:
            filters["number"] = number
            key = reference_key(number)
            if key.isdigit():
                items = items.filter(number=key.lstrip("0") or "0")
            else:
                items = items.filter(reference_key__startswith=key)
        return items, filters

    def route(self, request, path_components):
        if path_components:
            return route_to_child(self, request, path_components, DirectivePage)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items, filters = self.filtered(request)
        years = (
            DirectivePage.objects.live().child_of(self).dates("issue_date", "year", order="DESC")
        )
        context.update(
            items=paginate(request, items),
            filters=filters,
            types=DirectiveType.choices,
            issuers=list(Issuer.objects.all()),
            years=[d.year for d in years],
            querystring=querystring_without_page(request),
        )
        return context


class DirectivePage(PortalPage):
    """One directive or other administrative document (văn bản chỉ đạo, điều hành)."""

    doc_type = models.CharField(
        _("type of document"), max_length=20, choices=DirectiveType.choices, db_index=True
    )
    reference = models.CharField(
        _("number and symbol"), max_length=60, help_text=_("e.g. 1593/UBND-VHTT or 26-KH/BTGTU")
    )
    number = models.CharField(max_length=12, editable=False, db_index=True, default="")
    reference_key = models.CharField(max_length=60, editable=False, db_index=True, default="")
    issuer = models.ForeignKey(
        Issuer, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="directives"
    )
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=120, blank=True)
    issue_date = models.DateField(_("date of issue"), db_index=True)
    effective_date = models.DateField(_("date of effect"), null=True, blank=True)
    status = models.CharField(
        _("validity"),
        max_length=10,
        choices=DirectiveStatus.choices,
        default=DirectiveStatus.IN_FORCE,
    )
    summary = models.TextField(_("summary (trích yếu)"), max_length=1000)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("attached file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(
        _("full text"),
        blank=True,
        help_text=_("Optional: the text of the document, so that it can be read and searched."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("doc_type"), FieldPanel("reference")]),
                FieldPanel("issuer"),
                FieldRowPanel([FieldPanel("signer"), FieldPanel("signer_title")]),
                FieldRowPanel([FieldPanel("issue_date"), FieldPanel("effective_date")]),
                FieldPanel("status"),
            ],
            heading=_("Document details"),
        ),
        FieldPanel("summary"),
        FieldPanel("document"),
        FieldPanel("body"),
        MultipleChooserPanel(
            "implements_links", chooser_field_name="target", heading=_("Implements")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("reference"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("signer"),
        index.FilterField("doc_type"),
        index.FilterField("issue_date"),
        index.FilterField("number"),
    ]
    parent_page_types = ["news.DirectiveIndexPage"]
    subpage_types = []
    template = "news/directive_page.html"
    route_select_related = ("issuer", "document")

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def save(self, *args, **kwargs):
        self.number = leading_number(self.reference)
        self.reference_key = reference_key(self.reference)
        super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        self.number = leading_number(self.reference)
        self.reference_key = reference_key(self.reference)
        super().full_clean(*args, **kwargs)

    @property
    def type_label(self):
        return DirectiveType(self.doc_type).label if self.doc_type else ""

    @property
    def search_snippet_source(self):
        return f"{self.reference} {self.summary} {self.body}"

    def implements(self):
        """The live directives this one implements (thực hiện)."""
        return [
            link.target
            for link in self.implements_links.select_related("target", "target__issuer")
            if link.target.live
        ]

    def implemented_by(self, request=None):
        """The live directives that implement this one, newest first."""
        return list(
            public(DirectivePage.objects.live(), request)
            .filter(implements_links__target=self)
            .select_related("issuer")
            .order_by("-issue_date")
            .distinct()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["implements"] = self.implements()
        context["implemented_by"] = self.implemented_by(request)
        return context


class DirectiveImplementation(Orderable):
    """A directive implements another (e.g. 2163/UBND-VHTT implements 13341/UBND-CNTT)."""

    directive = ParentalKey(
        DirectivePage, related_name="implements_links", on_delete=models.CASCADE
    )
    target = models.ForeignKey(
        DirectivePage,
        verbose_name=_("implemented directive"),
        on_delete=models.CASCADE,
        related_name="implemented_by_links",
    )

    panels = [FieldPanel("target")]

    class Meta(Orderable.Meta):
        verbose_name = _("implemented directive")
        verbose_name_plural = _("implemented directives")
