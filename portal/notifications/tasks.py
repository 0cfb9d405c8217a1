"""Background work of the notifications: sending, the periodic sweep, retention.

Every task is idempotent: a message is claimed before it is sent, so a task delivered twice, or
run by two workers, sends it once.
"""

import logging

from celery import shared_task

from . import outbox

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_notification(pk):
    """Send one message, queued by ``notify`` after its transaction committed."""
    return outbox.send_one(pk)


@shared_task(ignore_result=True)
def dispatch_due():
    """Periodic: send the messages whose try is due (retries, and any the broker never carried),
    and mark failed those left "sending" by a worker that died."""
    return outbox.dispatch_due()


@shared_task(ignore_result=True)
def purge_notifications():
    """Periodic: the retention of notifications (NOTIFY_RETENTION_DAYS)."""
    count = outbox.purge()
    logger.info("retention: %s notification(s) deleted", count)
    return count
