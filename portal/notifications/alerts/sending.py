"""Sending an alert: when its page is first published, one message per confirmed subscriber of
the sites it goes to, each queued in the notification outbox under its own key (an alert's
message to a subscriber is queued once, however often the fan-out runs)."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.sites import absolute_url
from portal.notifications.outbox import InvalidRecipient, notify

from .models import AlertPage, Subscription, Urgency

logger = logging.getLogger(__name__)


def start_sending(alert) -> bool:
    """Mark the alert sent (once) and queue its fan-out after the commit."""
    updated = AlertPage.objects.filter(pk=alert.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: enqueue(alert.pk))
    return bool(updated)


def enqueue(pk) -> None:
    from .tasks import send_alert

    try:
        send_alert.delay(pk)
    except Exception:  # kombu raises several types when the broker is unreachable
        logger.warning(
            "broker unavailable: alert %s waits for the periodic task", pk, exc_info=True
        )


def unsubscribe_url(subscription) -> str:
    return absolute_url(subscription.site, f"/nhan-tin/huy/{subscription.token}/")


def message_for(alert, subscription) -> tuple[str, str]:
    """(subject, body) of an alert for one subscriber: the message, where to read more, and the
    one-step way out."""
    prefix = _("URGENT") + ": " if alert.urgency == Urgency.URGENT else ""
    subject = f"{prefix}{alert.title}"
    lines = [subject, alert.message]
    if alert.link_page_id and alert.link_page.live:
        lines.append(_("More: %(url)s") % {"url": alert.link_page.full_url})
    lines.append(_("Stop these messages: %(url)s") % {"url": unsubscribe_url(subscription)})
    return subject, "\n".join(lines)


def fan_out(pk) -> int:
    """Queue the alert for every confirmed subscriber of its sites; returns how many were new."""
    alert = AlertPage.objects.filter(pk=pk, sent_at__isnull=False).first()
    if alert is None:
        return 0
    sites = [s.pk for s in alert.target_sites()]
    subscribers = Subscription.objects.filter(
        site_id__in=sites, confirmed_at__isnull=False
    ).select_related("site")
    queued = 0
    for subscription in subscribers.iterator(chunk_size=500):
        subject, body = message_for(alert, subscription)
        key = f"alert:{alert.pk}:{subscription.pk}"
        try:
            with transaction.atomic():
                message = notify(
                    subscription.channel, subscription.address, body, subject=subject,
                    site=subscription.site, about=alert, key=key,
                )  # fmt: skip
        except InvalidRecipient:
            logger.warning("subscription %s has an unusable address", subscription.pk)
            continue
        queued += message is not None
    AlertPage.objects.filter(pk=alert.pk).update(queued_at=timezone.now())
    return queued


def delivery_report(alert) -> dict:
    """{channel: {status: count}} of the alert's messages, and the totals."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from portal.notifications.models import Notification

    content_type = ContentType.objects.get_for_model(AlertPage)
    rows = (
        Notification.objects.filter(about_type=content_type, about_id=str(alert.pk))
        .values("channel", "status")
        .annotate(n=Count("pk"))
    )
    report = {}
    for row in rows:
        report.setdefault(row["channel"], {})[row["status"]] = row["n"]
    return report
