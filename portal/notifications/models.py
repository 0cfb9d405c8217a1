"""The notification outbox (hộp thư đi) and the Zalo OA tokens it keeps fresh."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.masking import mask

from .conf import EMAIL, SMS, ZALO


class Channel(models.TextChoices):
    EMAIL = EMAIL, _("E-mail")
    SMS = SMS, _("SMS")
    ZALO = ZALO, _("Zalo")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # Not sent and not tried again by itself for a reason on the portal's side: the channel is
    # switched off, or a worker stopped while sending (it may have gone out).
    FAILED = "failed", _("Could not be sent")
    # The provider refused the message, or every allowed try failed.
    GIVEN_UP = "given_up", _("Given up")


FINISHED = (Status.SENT, Status.FAILED, Status.GIVEN_UP)


def new_key() -> str:
    return uuid.uuid4().hex


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued messages whose (next) try has come."""
        now = now or timezone.now()
        return self.filter(status=Status.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )

    def lease_expired(self, now=None):
        return self.filter(status=Status.SENDING, lease_until__lt=now or timezone.now())

    def not_delivered(self):
        """Failed or given up: staff see these and may send them again."""
        return self.filter(status__in=[Status.FAILED, Status.GIVEN_UP])


class Notification(models.Model):
    """A message to somebody (thông báo) by e-mail, SMS or Zalo, written in the same transaction
    as its cause and sent after the commit by a worker; kept for the delivery report until the
    retention period ends.

    ``key`` is unique: queuing the same message twice (a retried request, a task run twice) finds
    the first row and never sends it twice.
    """

    channel = models.CharField(_("sending channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(
        _("recipient"), max_length=254, help_text=_("Phone number, e-mail address or Zalo user id")
    )
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("message"))
    # A Zalo notification service (ZNS) template and its values, when the message uses one.
    template = models.CharField(_("ZNS template"), max_length=60, blank=True)
    template_data = models.JSONField(_("template data"), default=dict, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    key = models.CharField(_("idempotency key"), max_length=200, unique=True, default=new_key)
    # Files an e-mail carries, by kind ("receipt"): each is built when the message is sent, from
    # the record it is about (``kinds.attachment_builders``), so no copy of it waits here.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        permissions = [("resend_notification", _("Can send a notification again"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.masked_to}"

    @property
    def undelivered(self) -> bool:
        """Failed or given up: staff may send it again."""
        return self.status in (Status.FAILED, Status.GIVEN_UP)

    @property
    def masked_to(self) -> str:
        """The recipient as listings show it (core.masking): the last three characters."""
        return mask(self.to)


class ZaloToken(models.Model):
    """The Zalo Official Account's tokens. Zalo hands out a new refresh token with each access
    token and the old one stops working, so they live here, not in the environment."""

    app_id = models.CharField(max_length=64, unique=True)
    access_token = models.TextField(blank=True)
    refresh_token = models.TextField(blank=True)
    # The refresh token the environment held when these were written: a new one there (set by
    # an operator after the chain broke) takes over from the stored ones.
    env_refresh_token = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zalo OA token")

    def __str__(self):
        return self.app_id
