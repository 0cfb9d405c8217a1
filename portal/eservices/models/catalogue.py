"""The procedure catalogue (thủ tục hành chính): an index page and one page per procedure.

The catalogue is one canonical list: the procedure pages under the parent site's catalogue page
(the national structure of procedures is per level, not per commune). Every other site's
catalogue page lists, on its own host, the canonical procedures its unit's level performs; a
``ProcedureOffering`` holds what differs on that site (agency, fees, contacts, or "not offered
here"). No procedure page is copied into a commune's tree.
"""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from portal.core.pages import PortalPage

from .. import blocks

# AdministrativeUnit.Level value → the ServicePage field saying that level performs it.
LEVEL_FIELDS = {"province": "at_province", "district": "at_district", "commune": "at_commune"}


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

    def route(self, request, path_components):
        """A site's catalogue also answers ``<slug>/`` for the canonical procedures it offers:
        the citizen stays on the site's host, with its menus (the route is plain, so the
        portal's route cache keeps it)."""
        try:
            return super().route(request, path_components)
        except Http404:
            if len(path_components) != 1 or not self.live:
                raise
        from ..catalogue import is_canonical_index, offered_service

        if (
            is_canonical_index(self, request)
            or offered_service(self, path_components[0], request) is None
        ):
            raise Http404
        return RouteResult(self, kwargs={"procedure": path_components[0]})

    def serve(self, request, *args, **kwargs):
        slug = kwargs.pop("procedure", None)
        if slug is None:
            return super().serve(request, *args, **kwargs)
        from ..catalogue import offered_service

        service = offered_service(self, slug, request)
        if service is None:
            raise Http404
        context = service.get_context(request)
        context["catalogue_page"] = self
        return TemplateResponse(request, service.get_template(request), context)


class ReferenceCheckPanel(Panel):
    """What the public page cannot link (căn cứ pháp lý, nghị quyết về phí), or states without
    an amount or a form file: the same list ``manage.py check_procedure_pages`` prints."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "eservices/admin/procedure_check_panel.html"

        def get_context_data(self, parent_context=None):
            from ..catalogue import procedure_problems

            context = super().get_context_data(parent_context)
            page = self.instance
            context["problems"] = procedure_problems(page) if page.pk else []
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
    # The administrative levels that perform the procedure (cấp thực hiện): each site offers
    # the procedures of its unit's level. None ticked: listed on the parent site only.
    at_province = models.BooleanField(_("province level (cấp tỉnh)"), default=False)
    at_district = models.BooleanField(_("district level (cấp huyện)"), default=False)
    at_commune = models.BooleanField(_("commune level (cấp xã)"), default=False)
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
    fee_items = StreamField(
        [("fee", blocks.FeeBlock())],
        blank=True,
        verbose_name=_("fee amounts"),
        help_text=_(
            "Each fee as an amount in đồng, who pays it, exemptions and the resolution that sets "
            "it: citizens see the amount, not only a reference to a resolution."
        ),
    )
    fees = models.TextField(
        _("fees and charges (note)"),
        blank=True,
        help_text=_("Anything the amounts above do not say; shown under them."),
    )
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
        MultiFieldPanel(
            [FieldPanel("at_province"), FieldPanel("at_district"), FieldPanel("at_commune")],
            heading=_("Levels that perform it"),
            help_text=_(
                "Each commune's (or district's) site lists the procedures of its level, with "
                "its own agency and fees where it has set them."
            ),
        ),
        FieldPanel("steps"),
        FieldPanel("methods"),
        FieldPanel("components"),
        MultiFieldPanel(
            [
                FieldPanel("processing_days"),
                FieldPanel("processing_time_text"),
                FieldPanel("fee_items"),
                FieldPanel("fees"),
                FieldPanel("result"),
                FieldPanel("conditions"),
            ],
            heading=_("Time, fees and result"),
        ),
        FieldPanel("legal_basis"),
        ReferenceCheckPanel(heading=_("Links to check")),
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

    @classmethod
    def can_create_at(cls, parent):
        # Procedures are written once, in the parent site's catalogue; other sites offer them.
        from portal.core.audit import current_request

        from ..catalogue import is_canonical_index

        # Asked for every row of the explorer: the parent site's tree is looked up once a request.
        return super().can_create_at(parent) and is_canonical_index(parent, current_request())

    @property
    def unit_levels(self) -> list[str]:
        """The levels (AdministrativeUnit.Level values) that perform the procedure."""
        return [level for level, field in LEVEL_FIELDS.items() if getattr(self, field)]

    def unit_levels_display(self) -> str:
        names = {
            "province": _("Province level"),
            "district": _("District level"),
            "commune": _("Commune level"),
        }
        return ", ".join(str(names[level]) for level in self.unit_levels)

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
        from ..catalogue import procedure_details

        context = super().get_context(request, *args, **kwargs)
        context.update(procedure_details(self, request))
        return context


class ProcedureOfferingForm(WagtailAdminModelForm):
    """The site is one the editor may edit; the procedure one of the canonical list."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from portal.core.scope import sites_for
        from portal.core.sites import without_parent

        from ..catalogue import canonical_services

        if "procedure" in self.fields:
            self.fields["procedure"].queryset = canonical_services()
        field = self.fields.get("site")
        if field is None or for_user is None:
            return
        field.queryset = without_parent(sites_for(for_user))
        field.empty_label = None
        if self.instance.pk is None and not self.initial.get("site"):
            first = field.queryset.first()
            if first is not None:
                self.initial["site"] = first.pk


class ProcedureOffering(models.Model):
    """How one site offers a canonical procedure (thủ tục tại đơn vị): its own agency, agency
    code, fees and contacts where they differ from the canonical page, or not at all. Editable by
    that site's editors only (core.scope.site_ids_for)."""

    procedure = models.ForeignKey(
        ServicePage,
        on_delete=models.CASCADE,
        related_name="offerings",
        verbose_name=_("procedure"),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="procedure_offerings",
        verbose_name=_("site"),
    )
    not_offered = models.BooleanField(
        _("not offered on this site"),
        default=False,
        help_text=_("The procedure is not listed on this site and cannot be filed there."),
    )
    agency = models.CharField(
        _("implementing agency"),
        max_length=250,
        blank=True,
        help_text=_("Empty: the canonical procedure's agency."),
    )
    agency_code = models.CharField(
        _("agency code for dossier codes"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]+$", _("Use capital letters without diacritics and digits only.")
            )
        ],
        help_text=_("Empty: a code made from the unit's code, e.g. VL15358."),
    )
    fees = models.TextField(
        _("fees and charges"), blank=True, help_text=_("Empty: the canonical procedure's fees.")
    )
    contacts = models.TextField(
        _("contacts"),
        blank=True,
        help_text=_("Where and whom to ask at this unit: address, phone, office hours."),
    )

    base_form_class = ProcedureOfferingForm
    panels = [
        FieldPanel("site"),
        # A plain list of the canonical procedures: the page chooser would open on the editor's
        # own tree, where no procedure lives.
        FieldPanel("procedure", widget=forms.Select),
        FieldPanel("not_offered"),
        FieldPanel("agency"),
        FieldPanel("agency_code"),
        FieldPanel("fees"),
        FieldPanel("contacts"),
    ]

    class Meta:
        verbose_name = _("procedure offered by a site")
        verbose_name_plural = _("procedures offered by sites")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "site"], name="offering_once_per_site")
        ]

    def __str__(self):
        return f"{self.procedure.title} – {self.site.site_name or self.site.hostname}"
