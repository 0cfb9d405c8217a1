"""Zalo Official Account events (webhook): a citizen links a Zalo subscription by sending the
code the site showed them to the Official Account; "HUY" or unfollowing stops every Zalo
subscription of that user.

Zalo signs each event: ``X-ZEvent-Signature: mac=<sha256(app id + body + timestamp + OA secret)>``;
an event without the right signature is refused (403) and changes nothing."""

import datetime
import hashlib
import hmac
import json
import logging
import re

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.notifications.conf import ZALO

from .models import Subscription

logger = logging.getLogger(__name__)
CODE = re.compile(r"(\d{6})")
STOP_WORDS = {"HUY", "HỦY", "STOP"}


def signature(app_id: str, body: str, timestamp: str, secret: str) -> str:
    return hashlib.sha256(f"{app_id}{body}{timestamp}{secret}".encode()).hexdigest()


def _verified(request) -> dict | None:
    body = request.body.decode("utf-8", "replace")
    try:
        event = json.loads(body)
    except ValueError:
        return None
    given = request.headers.get("X-ZEvent-Signature", "").removeprefix("mac=")
    expected = signature(
        str(event.get("app_id", "")), body, str(event.get("timestamp", "")),
        settings.ALERTS_ZALO_OA_SECRET,
    )  # fmt: skip
    return event if given and hmac.compare_digest(given, expected) else None


def link(user_id: str, text: str) -> Subscription | None:
    """Confirm the waiting Zalo subscription whose code the user sent (codes live two days)."""
    found = CODE.search(text or "")
    if not found:
        return None
    recent = timezone.now() - datetime.timedelta(days=2)
    waiting = Subscription.objects.filter(
        channel=ZALO, confirmed_at__isnull=True, created_at__gte=recent
    )
    for subscription in waiting:
        if Subscription.hash_code(subscription.token, found.group(1)) == subscription.code_hash:
            with transaction.atomic():
                existing = Subscription.objects.filter(
                    site=subscription.site, channel=ZALO, address=user_id
                ).first()
                if existing is not None:  # already subscribed to this site: keep that one
                    subscription.delete()
                    return existing
                subscription.address = user_id
                subscription.confirmed_at = timezone.now()
                subscription.code_hash = ""
                subscription.save(update_fields=["address", "confirmed_at", "code_hash"])
            return subscription
    return None


def stop(user_id: str) -> int:
    return Subscription.objects.filter(channel=ZALO, address=user_id).delete()[0]


@csrf_exempt
@require_POST
def zalo_webhook(request):
    if not settings.ALERTS_ZALO_OA_SECRET:
        raise Http404
    event = _verified(request)
    if event is None:
        return HttpResponseForbidden("bad signature")
    name = event.get("event_name", "")
    user_id = str((event.get("sender") or event.get("follower") or {}).get("id", ""))
    if not user_id.isdigit():
        return HttpResponse("ignored")
    if name == "unfollow":
        stop(user_id)
    elif name == "user_send_text":
        text = (event.get("message") or {}).get("text", "")
        if text.strip().upper() in STOP_WORDS:
            stop(user_id)
        else:
            link(user_id, text)
    return HttpResponse("ok")
