"""Drafts open for public comment (lấy ý kiến dự thảo) and the comments on them.

A site's editors publish a ``DraftPage`` under the site's ``ConsultationIndexPage``: the draft's
text in sections, its file, who drafted it and when comments are taken. Between the opening and
the closing time anyone may comment on the whole draft or on one section; a comment shows on the
page once staff approve it, never with the commenter's name or contact. The contact is kept for
the drafting agency's questions and erased ``CONSULTATIONS_CONTACT_RETENTION_DAYS`` after the
draft closes (``retention.py``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core.pages import PortalPage, public

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class Phase(models.TextChoices):
    """Where a draft stands against its dates."""

    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open for comment")
    CLOSED = "closed", _("Closed")


class ContactRule(models.TextChoices):
    OPTIONAL = "optional", _("Name and contact are optional")
    REQUIRED = "required", _("Name and contact are required")


class ConsultationIndexPage(PortalPage):
    """The site's list of drafts (/lay-y-kien-du-thao/): open ones first, then coming, then
    closed."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.DraftPage"]
    max_count_per_parent = 1
    template = "consultations/consultation_index_page.html"

    class Meta:
        verbose_name = _("drafts for comment index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        drafts = list(
            public(DraftPage.objects.live().child_of(self), request).order_by("-opens_at", "-pk")
        )
        context["open_drafts"] = [d for d in drafts if d.phase(now) == Phase.OPEN]
        context["upcoming_drafts"] = [d for d in drafts if d.phase(now) == Phase.UPCOMING]
        context["closed_drafts"] = [d for d in drafts if d.phase(now) == Phase.CLOSED]
        return context


class DraftPage(PortalPage):
    """One draft document put to the public (dự thảo lấy ý kiến)."""

    drafting_agency = models.CharField(_("drafting agency"), max_length=255)
    summary = models.TextField(_("summary"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("draft file"),
    )
    opens_at = models.DateTimeField(_("comments open at"))
    closes_at = models.DateTimeField(_("comments close at"))
    contact_rule = models.CharField(
        _("name and contact"),
        max_length=10,
        choices=ContactRule,
        default=ContactRule.OPTIONAL,
        help_text=_("Whether a commenter must give their name and a phone number or e-mail."),
    )
    response = RichTextField(
        _("drafting agency's response"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("How the comments were taken into account; shown once comments close."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("drafting_agency"),
        FieldPanel("summary"),
        FieldPanel("document"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("contact_rule"),
            ],
            heading=_("Comment period"),
        ),
        InlinePanel("sections", label=_("Sections"), heading=_("Sections of the draft")),
        FieldPanel("response"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("drafting_agency"),
    ]
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types = []
    route_select_related = ("document",)
    template = "consultations/draft_page.html"

    class Meta:
        verbose_name = _("draft for comment")
        verbose_name_plural = _("drafts for comment")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Comments must close after they open.")})

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN

    @property
    def is_open(self) -> bool:
        return self.phase() == Phase.OPEN

    @property
    def contact_required(self) -> bool:
        return self.contact_rule == ContactRule.REQUIRED

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = list(self.sections.all())
        approved = list(
            self.comments.filter(status=CommentStatus.APPROVED).order_by("created_at", "pk")
        )
        by_section = {}
        for comment in approved:
            by_section.setdefault(comment.section_id, []).append(comment)
        for section in sections:
            section.approved_comments = by_section.get(section.pk, [])
        context.update(
            phase=self.phase(),
            sections=sections,
            general_comments=by_section.get(None, []),
            approved_count=len(approved),
        )
        return context


class DraftSection(Orderable):
    """A part of the draft (chương, điều, mục) that can be commented on by itself."""

    page = ParentalKey(DraftPage, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(_("heading"), max_length=255)
    body = RichTextField(_("text"), features=RICH_FEATURES)

    panels = [FieldPanel("heading"), FieldPanel("body")]

    class Meta(Orderable.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.heading

    @property
    def anchor(self) -> str:
        return f"muc-{self.pk}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("consultation", "Waiting for moderation")
    APPROVED = "approved", pgettext_lazy("consultation", "Approved")
    REJECTED = "rejected", pgettext_lazy("consultation", "Rejected")


class CommentQuerySet(models.QuerySet):
    def with_contact(self):
        return self.exclude(name="", phone="", email="")


class Comment(models.Model):
    """A citizen's comment (ý kiến góp ý) on a draft or one of its sections."""

    page = models.ForeignKey(
        DraftPage,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=pgettext_lazy("consultation", "draft"),
    )
    section = models.ForeignKey(
        DraftSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name=_("section"),
    )
    # The heading when the comment was sent: the export still names it if the section goes.
    section_heading = models.CharField(_("section heading"), max_length=255, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("consultation", "site"),
    )
    body = models.TextField(pgettext_lazy("consultation", "comment"))
    name = models.CharField(_("full name"), max_length=120, blank=True)
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consented_at = models.DateTimeField(_("agreed to the privacy notice at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus, default=CommentStatus.PENDING
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("moderated by"),
    )
    contact_erased_at = models.DateTimeField(
        _("contact erased at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "status"])]
        permissions = [("view_contact", _("Can see the names and contacts of commenters"))]

    def __str__(self):
        words = " ".join(self.body.split())
        return words if len(words) <= 60 else words[:59] + "…"

    @property
    def where(self) -> str:
        """What the comment is on: the section's heading, or the whole draft."""
        return self.section_heading or str(_("The whole draft"))

    @property
    def has_contact(self) -> bool:
        return bool(self.name or self.phone or self.email)

    def erase_contact(self, now=None) -> None:
        self.name = self.phone = self.email = ""
        self.contact_erased_at = now or timezone.now()
