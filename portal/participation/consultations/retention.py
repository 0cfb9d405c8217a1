"""How long commenters' names and contacts are kept: until the drafting agency has had time to
ask about a comment, ``CONSULTATIONS_CONTACT_RETENTION_DAYS`` after the draft closes. The
comment itself stays (it is part of the record of the consultation), without anyone's name."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 90
BATCH = 2000


def retention_days() -> int:
    return int(getattr(settings, "CONSULTATIONS_CONTACT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def expired_contacts(now=None):
    """Comments still holding a name or contact on drafts closed longer ago than the retention."""
    from .models import Comment

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    return Comment.objects.with_contact().filter(page__closes_at__lt=cutoff)


def erase_expired_contacts(now=None) -> int:
    """Erase them, in batches; idempotent. Returns how many comments lost their contact."""
    from .models import Comment

    now = now or timezone.now()
    erased = 0
    while True:
        ids = list(expired_contacts(now).values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        erased += Comment.objects.filter(pk__in=ids).update(
            name="", phone="", email="", contact_erased_at=now
        )
    if erased:
        logger.info("consultations retention: erased the contact of %s comments", erased)
    return erased
