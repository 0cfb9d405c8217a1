"""The procedure catalogue (thủ tục hành chính): an index page and one page per procedure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.core.pages import PortalPage

from .. import blocks


@register_snippet
class ProcedureArea(models.Model):
    """A field of procedures (lĩnh vực), e.g. Hộ tịch, Chứng thực, Xây dựng."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("procedure field")
        verbose_name_plural = _("procedure fields")

    def __str__(self):
        return self.name


class ServiceIndexPage(PortalPage):
    """The catalogue of procedures (dịch vụ công), grouped by field and level."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["eservices.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("procedure catalogue")

    def get_context(self, request, *args, **kwargs):
        from ..catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request))
        return context


class ServicePage(PortalPage):
    """A procedure (thủ tục hành chính), described as in the national procedure database."""

    class Level(models.TextChoices):
        FULL = "full", _("Fully online")
        PARTIAL = "partial", _("Partially online")
        INFO = "info", _("Information only")

    procedure_code = models.CharField(_("procedure code"), max_length=40, blank=True)
    area = models.ForeignKey(
        ProcedureArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("field"),
    )
    level = models.CharField(
        _("online level"), max_length=10, choices=Level.choices, default=Level.PARTIAL
    )
    summary = models.TextField(_("summary"), blank=True)
    agency = models.CharField(_("implementing agency"), max_length=250, blank=True)
    agency_code = models.CharField(
        _("agency code for dossier codes"),
        max_length=20,
        blank=True,
        help_text=_("Empty: the portal's agency code."),
    )
    applicants = models.TextField(_("eligible applicants"), blank=True)
    steps = StreamField([("step", blocks.StepTextBlock())], blank=True, verbose_name=_("steps"))
    methods = StreamField([("method", blocks.MethodBlock())], blank=True, verbose_name=_("methods"))
    components = StreamField(
        [("case", blocks.DossierCaseBlock())], blank=True, verbose_name=_("dossier components")
    )
    processing_days = models.PositiveSmallIntegerField(
        _("processing time (working days)"),
        default=0,
        help_text=_("Used for the due date; 0 means the same working day."),
    )
    processing_time_text = models.CharField(
        _("processing time (as published)"), max_length=250, blank=True
    )
    fees = models.TextField(_("fees and charges"), blank=True)
    result = models.TextField(_("result"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    legal_basis = StreamField(
        [("document", blocks.LegalBasisBlock())], blank=True, verbose_name=_("legal basis")
    )
    online_form = StreamField(blocks.OnlineFormBlock(), blank=True, verbose_name=_("online form"))
    external_form_url = models.CharField(
        _("online form address"),
        max_length=200,
        blank=True,
        help_text=_("For a built-in form such as the health declaration, e.g. /khai-bao-y-te/."),
    )
    what_happens_next = models.TextField(_("what happens next"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("procedure_code"),
        index.SearchField("summary"),
        index.FilterField("level"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("procedure_code"),
                FieldPanel("area"),
                FieldPanel("level"),
                FieldPanel("summary"),
                FieldPanel("agency"),
                FieldPanel("agency_code"),
                FieldPanel("applicants"),
            ],
            heading=_("Procedure"),
        ),
        FieldPanel("steps"),
        FieldPanel("methods"),
        FieldPanel("components"),
        MultiFieldPanel(
            [
                FieldPanel("processing_days"),
                FieldPanel("processing_time_text"),
                FieldPanel("fees"),
                FieldPanel("result"),
                FieldPanel("conditions"),
            ],
            heading=_("Time, fees and result"),
        ),
        FieldPanel("legal_basis"),
        MultiFieldPanel(
            [
                FieldPanel("online_form"),
                FieldPanel("external_form_url"),
                FieldPanel("what_happens_next"),
            ],
            heading=_("Online filing"),
        ),
    ]
    parent_page_types = ["eservices.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    @property
    def dossier_agency_code(self) -> str:
        return self.agency_code or settings.PORTAL_AGENCY_CODE

    @property
    def accepts_online_filing(self) -> bool:
        return self.level != self.Level.INFO and bool(self.online_form)

    def form_schema(self) -> dict:
        from ..schema import schema_from_stream

        return schema_from_stream(self.online_form)

    def get_context(self, request, *args, **kwargs):
        from ..catalogue import legal_basis_links

        context = super().get_context(request, *args, **kwargs)
        context["legal_documents"] = legal_basis_links(self)
        return context
