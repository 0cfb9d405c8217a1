"""Queuing and sending notifications: the one way the portal tells somebody something.

``notify`` writes the message in the caller's transaction and hands it to a worker after the
commit. Sending follows one path, whichever worker runs it (``send_notification`` for one message,
``dispatch_due`` for every due one):

1. ``claim``: the message is marked "sending" with a lease, and attempts counted, in a
   transaction committed *before* the provider is called (on PostgreSQL the due rows are picked
   with ``SELECT … FOR UPDATE SKIP LOCKED``, so workers never wait on each other);
2. the channel's rate cap (``throttle``), then the backend;
3. the outcome is written: sent; queued again after a backoff (doubling, at least the provider's
   Retry-After); given up (the provider refused, or the cap on attempts); failed (channel off).

A broker outage loses nothing (the row waits for ``dispatch_due``); a worker that dies while
sending leaves a "sending" row whose lease expires: ``expire_leases`` marks it failed instead of
sending it again, since it may have gone out.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.personal_numbers import normalise_phone
from portal.core.text import unaccent

from . import conf, throttle
from .backends import backend_for
from .conf import CHANNELS, EMAIL, SMS, ZALO
from .models import Notification, Status, new_key
from .transport import ChannelOff, Refused, Retry, Unknown

logger = logging.getLogger(__name__)


class InvalidRecipient(ValueError):
    """The address cannot receive messages on that channel."""


def recipient_for(channel: str, to, template: str = "") -> str:
    """The address stored for a channel: phones in the portal's national form, e-mail addresses
    checked, Zalo user ids as digits (a phone for a ZNS template)."""
    to = str(to or "").strip()
    if channel == SMS or (channel == ZALO and template):
        phone = normalise_phone(to)
        if phone is None:
            raise InvalidRecipient(_("Enter a Vietnamese phone number, like 0912345678."))
        return phone
    if channel == EMAIL:
        try:
            validate_email(to)
        except ValidationError as error:
            raise InvalidRecipient(_("Enter a valid e-mail address.")) from error
        return to
    if not to.isdigit():
        raise InvalidRecipient(_("A Zalo user id is made of digits."))
    return to


def notify(
    channel: str,
    to,
    body: str,
    *,
    subject: str = "",
    site=None,
    about=None,
    key: str | None = None,
    template: str = "",
    template_data: dict | None = None,
    attachments: list[str] | None = None,
) -> Notification:
    """Queue a message in the caller's transaction; a worker sends it after the commit.

    ``key`` names the message (e.g. ``f"dossier-received:{dossier.pk}:sms"``): queuing it again
    returns the first row, whatever its state, and sends nothing more. ``about`` is the record
    the message concerns. ``attachments`` names the files an e-mail carries, built from ``about``
    when it is sent (``kinds``: ``["receipt"]``). A channel switched off fails the message at
    once, with the reason.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    if channel == SMS:
        # Brand-name SMS go without diacritics, as carriers bill and phones show them best (a
        # message with marks is UCS-2: 70 characters a part instead of 160).
        body = unaccent(body)
    fields = {
        "channel": channel,
        "to": recipient_for(channel, to, template),
        "subject": subject[:250],
        "body": body,
        "site": site,
        "template": template,
        "template_data": template_data or {},
        "attachments": list(attachments or []),
    }
    if about is not None:
        fields["about"] = about
    reason = conf.switched_off_reason(channel)
    if reason:
        fields.update(status=Status.FAILED, last_error=reason)
    message, created = Notification.objects.get_or_create(key=key or new_key(), defaults=fields)
    if created and not reason:
        transaction.on_commit(lambda: enqueue(message.pk))
    elif created:
        logger.error("notification %s not sent: %s", message.pk, reason)
    return message


def notify_email(
    address: str,
    template: str,
    context: dict,
    *,
    key: str,
    site=None,
    about=None,
    attachments: list[str] | None = None,
) -> Notification | None:
    """An e-mail written from ``template`` (its first line the subject, the rest the body) to a
    citizen's address, or None when they gave none or it cannot receive mail (logged: the form
    checked it when it was typed). ``key`` names the event; the channel is added."""
    from django.template.loader import render_to_string

    if not address:
        return None
    subject, _sep, body = render_to_string(template, context).strip().partition("\n")
    try:
        return notify(
            EMAIL,
            address,
            body.strip(),
            subject=subject.strip(),
            site=site,
            about=about,
            key=f"{key}:email",
            attachments=attachments,
        )
    except InvalidRecipient:
        logger.warning("%s: e-mail address unusable, nothing sent", key)
        return None


def notify_phone(
    channel: str,
    phone,
    text: str,
    *,
    key: str,
    site=None,
    about=None,
    zns_template: str = "",
    zns_data: dict | None = None,
) -> Notification | None:
    """A short message to a citizen's phone on the channel they chose: SMS, or Zalo as a ZNS
    template message (``zns_template``, ``zns_data``) to the same number. Nothing for another
    channel, no phone, a Zalo choice with no template, or a number that cannot receive it (logged:
    the form checked it when it was typed). ``key`` names the event; the channel is added."""
    if channel not in (SMS, ZALO) or not phone:
        return None
    if channel == ZALO and not zns_template:
        logger.warning("%s: Zalo chosen but no ZNS template is set, nothing sent", key)
        return None
    try:
        return notify(
            channel,
            phone,
            text,
            site=site,
            about=about,
            key=f"{key}:{channel}",
            template=zns_template if channel == ZALO else "",
            template_data=zns_data if channel == ZALO else None,
        )
    except InvalidRecipient:
        logger.warning("%s: phone unusable for %s", key, channel)
        return None


def enqueue(pk) -> None:
    """Hand a message to the worker; with the broker down it waits for ``dispatch_due``."""
    from .tasks import send_notification

    try:
        send_notification.delay(pk)
    except Exception:  # kombu raises several types when the broker is unreachable
        logger.warning("broker unavailable: notification %s waits in the outbox", pk, exc_info=True)


def retry_delay(attempts: int, retry_after: float | None = None) -> datetime.timedelta:
    """The wait after try number ``attempts``: RETRY_SECONDS doubling, at most MAX_RETRY_SECONDS,
    and never less than what the provider asked for."""
    settings = conf.current()
    seconds = settings["RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    seconds = min(seconds, settings["MAX_RETRY_SECONDS"])
    return datetime.timedelta(seconds=max(seconds, retry_after or 0))


def claim(pk=None, now=None) -> Notification | None:
    """Take one due message (``pk``, or the longest waiting): mark it sending with a lease and
    count the attempt, committed before anything is sent."""
    now = now or timezone.now()
    lease = now + datetime.timedelta(seconds=conf.current()["LEASE_SECONDS"])
    for _race in range(5):
        with transaction.atomic():
            due = Notification.objects.due(now)
            due = (
                due.filter(pk=pk)
                if pk is not None
                else due.order_by(F("next_attempt_at").asc(nulls_first=True), "created_at", "pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            candidate = due.values_list("pk", "attempts").first()
            if candidate is None:
                return None
            # Compare and set: where rows are not locked (SQLite) only one claimant wins.
            won = Notification.objects.filter(
                pk=candidate[0], status=Status.QUEUED, attempts=candidate[1]
            ).update(status=Status.SENDING, lease_until=lease, attempts=F("attempts") + 1)
        if won:
            return Notification.objects.get(pk=candidate[0])
        if pk is not None:
            return None
    return None


def deliver(message: Notification) -> str:
    """Send a claimed message and write the outcome; returns the new status."""
    try:
        backend = backend_for(message.channel)
        throttle.wait_for_slot(message.channel)
        provider_id = backend.send(message)
    except ChannelOff as error:
        return _finish(message, Status.FAILED, str(error))
    except Unknown as error:
        return _finish(message, Status.FAILED, str(error))
    except Refused as error:
        return _finish(message, Status.GIVEN_UP, str(error))
    except Retry as error:
        return _try_later(message, str(error), error.retry_after)
    except Exception as error:  # counted and shown, tried again within the cap
        logger.exception("notification %s: unexpected error", message.pk)
        return _try_later(message, f"{type(error).__name__}: {error}", None)
    now = timezone.now()
    # Whatever happened to the row meanwhile, it was sent: that is what it must say.
    Notification.objects.filter(pk=message.pk).update(
        status=Status.SENT,
        sent_at=now,
        provider_id=provider_id[:200],
        lease_until=None,
        next_attempt_at=None,
        last_error="",
        updated_at=now,
    )
    logger.info("notification %s sent by %s (%s)", message.pk, message.channel, provider_id)
    return Status.SENT


def _finish(message, status, error) -> str:
    Notification.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status,
        last_error=error[:2000],
        lease_until=None,
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    logger.error("notification %s %s: %s", message.pk, status, error)
    return status


def _try_later(message, error, retry_after) -> str:
    message.refresh_from_db(fields=["attempts"])
    maximum = conf.current()["MAX_ATTEMPTS"]
    if message.attempts >= maximum:
        return _finish(
            message,
            Status.GIVEN_UP,
            _("%(error)s (given up after %(count)s tries)")
            % {"error": error, "count": message.attempts},
        )
    now = timezone.now()
    Notification.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.QUEUED,
        last_error=error[:2000],
        lease_until=None,
        updated_at=now,
        next_attempt_at=now + retry_delay(message.attempts, retry_after),
    )
    logger.warning("notification %s not sent (try %s): %s", message.pk, message.attempts, error)
    return Status.QUEUED


def send_one(pk) -> str | None:
    """Send one message if it is due (a copy of the task delivered late finds it sent, or not
    yet due, and does nothing)."""
    message = claim(pk)
    return deliver(message) if message is not None else None


def expire_leases(now=None) -> int:
    """Messages left "sending" past their lease (a worker died while sending): failed, not sent
    again, since the provider may have delivered them. Staff check and may send again."""
    return Notification.objects.lease_expired(now).update(
        status=Status.FAILED,
        lease_until=None,
        last_error=_(
            "The sending was interrupted: the message may have been delivered, so it is not "
            "sent again by itself. Check with the provider before sending it again."
        ),
        updated_at=timezone.now(),
    )


def dispatch_due(limit=None) -> int:
    """Send every due message (after a failed try, or a broker outage), up to BATCH_SIZE.
    Returns the number handled."""
    expired = expire_leases()
    if expired:
        logger.error("%s notification(s) interrupted while sending, marked failed", expired)
    limit = limit or conf.current()["BATCH_SIZE"]
    handled = 0
    while handled < limit:
        message = claim()
        if message is None:
            break
        deliver(message)
        handled += 1
    return handled


def resend(message: Notification) -> None:
    """Staff send a failed or given-up message again: a fresh count of tries."""
    updated = Notification.objects.filter(
        pk=message.pk, status__in=[Status.FAILED, Status.GIVEN_UP]
    ).update(status=Status.QUEUED, attempts=0, next_attempt_at=None, updated_at=timezone.now())
    if updated:
        transaction.on_commit(lambda: enqueue(message.pk))


def purge(now=None) -> int:
    """Delete messages finished longer ago than RETENTION_DAYS (their addresses and texts are
    personal data). Returns the number deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=conf.current()["RETENTION_DAYS"])
    deleted, _by_model = Notification.objects.filter(
        status__in=[Status.SENT, Status.FAILED, Status.GIVEN_UP], updated_at__lt=cutoff
    ).delete()
    return deleted
