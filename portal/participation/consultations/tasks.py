"""Background work: erasing commenters' contacts once their retention is over (idempotent)."""

from celery import shared_task


@shared_task(ignore_result=True)
def erase_expired_contacts():
    from .retention import erase_expired_contacts as erase

    return erase()
