"""Alerts (thông báo khẩn, tin nhắn của xã) and the citizens subscribed to them per site.

An alert is a page: it is written, approved through the site's moderation workflow and published
like any page, stays on the site as its archive, and is sent to the subscribers when it is first
published (``sending.send_alert``)."""

import hashlib
import uuid

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Page

from portal.core.pages import PortalPage
from portal.notifications.models import Channel

MESSAGE_MAX = 300  # two SMS segments of Vietnamese text without diacritics, one Zalo message


class Subscription(models.Model):
    """A citizen's wish to receive one site's alerts on one channel; active once confirmed
    (e-mail: a link; SMS: a one-time code; Zalo: a code sent to the site's Official Account).
    Unsubscribing deletes it."""

    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    channel = models.CharField(_("sending channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("recipient"), max_length=254, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, db_index=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_text = models.TextField(_("consent"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "channel", "address"],
                condition=~Q(address=""),
                name="alerts_one_subscription_per_address",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None

    @staticmethod
    def hash_code(token, code: str) -> str:
        """A one-time code is kept only as a keyed hash, bound to this subscription."""
        text = f"{settings.SECRET_KEY}:{token}:{code.strip().upper()}"
        return hashlib.sha256(text.encode()).hexdigest()


class AlertIndexPage(PortalPage):
    """A site's alerts (/thong-bao-khan/): the archive of what was sent, and how to subscribe."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["alerts.AlertPage"]
    max_count_per_parent = 1
    template = "alerts/alert_index_page.html"

    class Meta:
        verbose_name = _("alerts index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["alerts"] = (
            AlertPage.objects.child_of(self).live().public().order_by("-first_published_at")[:50]
        )
        return context


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Reach(models.TextChoices):
    SITE = "site", _("This site's subscribers")
    CHILDREN = "children", _("This site's and all its communes' subscribers")
    CHOSEN = "chosen", _("This site's and the chosen communes' subscribers")


class AlertPage(PortalPage):
    """One alert: a short message (and a link) sent when first published, kept as a page."""

    message = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX,
        help_text=_("What subscribers receive: at most 300 characters."),
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("page to read more"),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    reach = models.CharField(_("sent to"), max_length=10, choices=Reach.choices, default=Reach.SITE)
    communes = ParentalManyToManyField(
        "wagtailcore.Site", blank=True, related_name="+", verbose_name=_("communes' sites")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    # When every subscriber's message was queued (the fan-out may run again: it skips nobody
    # and queues nothing twice, each message having its own key).
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("message"),
        PageChooserPanel("link_page"),
        MultiFieldPanel(
            [FieldPanel("urgency"), FieldPanel("reach"), FieldPanel("communes")],
            heading=_("Sending"),
        ),
    ]
    parent_page_types = ["alerts.AlertIndexPage"]
    subpage_types = []
    template = "alerts/alert_page.html"

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def target_sites(self):
        """The sites whose subscribers receive this alert."""
        from portal.core.sites import child_sites

        site = self.get_site()
        if site is None:
            return []
        if self.reach == Reach.CHILDREN:
            return [site, *child_sites(site)]
        if self.reach == Reach.CHOSEN:
            allowed = {s.pk for s in child_sites(site)}
            return [site, *(s for s in self.communes.all() if s.pk in allowed)]
        return [site]


class AlertPageForm(WagtailAdminPageForm):
    """The communes offered are the sites under the alert's own site; "chosen" needs one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wagtail.models import Site

        from portal.core.sites import child_sites

        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        site = parent.get_site() if parent is not None else None
        ids = [s.pk for s in child_sites(site)]
        if "communes" in self.fields:
            self.fields["communes"].queryset = Site.objects.filter(pk__in=ids).order_by("site_name")
            self.fields["communes"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["communes"].choices
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reach") == Reach.CHOSEN and not cleaned.get("communes"):
            self.add_error("communes", _("Choose the communes this alert goes to."))
        return cleaned


AlertPage.base_form_class = AlertPageForm
