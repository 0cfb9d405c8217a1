"""Report templates (mẫu báo cáo): the text around the figures, kept per unit."""

from django.core.exceptions import ValidationError
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.core.models import BackgroundJob
from portal.core.storage import get_private_storage


class ReportTemplate(models.Model):
    """The text of a unit's report (mẫu báo cáo), around the figures the statistics fill in.

    ``body`` is a Django template: paragraphs are separated by a blank line, a line starting with
    "## " is a section heading, and a line ``[[table KEY]]`` puts the table KEY of the statistics
    there. It sees ``f`` (the figures by key, e.g. ``{{ f.checkins_total }}``,
    ``{{ f.service_satisfied_share }}``), ``stats``, ``units`` (with several units at once, each
    one's statistics: ``{% for u in units %}{{ u.unit_name }}: {{ u.figures.checkins_total }}``),
    ``directives`` and ``own_directives`` (the register's documents of the period; those the unit
    issued), ``unit``, ``unit_short`` ("UBND huyện"), ``date_from`` and ``date_to``.

    A unit's template (``site`` set) is seen and used only by the staff of that site; a shared one
    (no site) by everyone who makes reports, and changed only by district-wide staff
    (``portal.reports.access``).
    """

    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Empty: a template every unit may use."),
    )
    name = models.SlugField(_("name"), max_length=80, allow_unicode=False)
    title = models.CharField(
        _("subject (trích yếu)"), max_length=300, help_text=_("May use the template variables.")
    )
    recipients = models.TextField(_("to (Kính gửi)"), help_text=_("One recipient per line."))
    body = models.TextField(_("body"))
    copies_to = models.TextField(
        _("copies to (Nơi nhận)"), blank=True, help_text=_("One line each; “Như trên;” first.")
    )
    symbol = models.CharField(
        _("symbol of the issuing body"),
        max_length=20,
        default="UBND",
        help_text=_("The XX of BC-XX."),
    )
    signing_for = models.CharField(
        _("signing on behalf of"),
        max_length=120,
        blank=True,
        help_text=_("e.g. TM. ỦY BAN NHÂN DÂN"),
    )
    signer_title = models.CharField(_("signer's position"), max_length=120, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("site"), FieldPanel("name")]),
        FieldPanel("title"),
        FieldPanel("recipients"),
        FieldPanel("body"),
        FieldPanel("copies_to"),
        MultiFieldPanel(
            [
                FieldPanel("symbol"),
                FieldPanel("signing_for"),
                FieldRowPanel([FieldPanel("signer_title"), FieldPanel("signer_name")]),
            ],
            heading=_("Signature"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="report_template_site_name"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(site__isnull=True),
                name="report_template_shared_name",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        for field in ("title", "body"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as error:
                raise ValidationError({field: str(error)}) from error

    @classmethod
    def for_site(cls, site, name):
        """The site's own template of that name, else the shared one."""
        return cls.for_sites([site], name)

    @classmethod
    def for_sites(cls, sites, name):
        """The template of that name of the first of ``sites`` having one, else the shared one."""
        order = [site.pk for site in sites]
        found = cls.objects.filter(name=name).filter(
            models.Q(site__in=order) | models.Q(site__isnull=True)
        )
        ranked = sorted(found, key=lambda t: order.index(t.site_id) if t.site_id else len(order))
        return ranked[0] if ranked else None


class ReportRun(BackgroundJob):
    """A report written in the background (large periods), with its progress and its file."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        PDF = "pdf", "PDF"

    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    # Every unit the report covers when several were picked (``site`` is the first of them).
    sites = models.ManyToManyField(
        "wagtailcore.Site", blank=True, related_name="+", verbose_name=_("units")
    )
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="runs", verbose_name=_("template")
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    file_format = models.CharField(
        _("format"), max_length=4, choices=Format.choices, default=Format.DOCX
    )
    percent = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to="reports/", blank=True
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self):
        return f"{self.template} {self.date_from:%d/%m/%Y}–{self.date_to:%d/%m/%Y}"

    def covered_sites(self) -> list:
        """The sites the report is on: those picked (its ``site`` first), else its one site."""
        picked = self.sites.select_related("root_page").order_by("pk")
        return sorted(picked, key=lambda site: site.pk != self.site_id) or [self.site]

    def delete_file(self):
        """Delete the written file from the private storage (the record stays)."""
        if self.file:
            self.file.delete(save=False)


class PageViewCount(models.Model):
    """Views of a page on one local day, counted on the server (portal.reports.counting).

    Only the number: no address, cookie, user agent or account is stored, here or anywhere on
    the way (the counter in the cache holds the page and the day, nothing else).
    """

    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views of a day")
        verbose_name_plural = _("page views per day")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="page_view_count_page_day"),
        ]
        indexes = [models.Index(fields=["site", "day"], name="page_view_count_site_day")]

    def __str__(self):
        return f"{self.page_id} {self.day:%d/%m/%Y}: {self.views}"
