"""Background work: the e-mail outbox and retention. Every task is idempotent and safe to retry."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from portal.core.storage import private_storage

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=True, max_retries=5, default_retry_delay=120)
def send_outbox_email(self, pk):
    """Send one outbox e-mail unless already sent."""
    from .models import OutboxEmail
    from .views import receipt_pdf

    with transaction.atomic():
        message = (
            OutboxEmail.objects.select_for_update().filter(pk=pk, sent_at__isnull=True).first()
        )
        if message is None:
            return
        email = EmailMessage(message.subject, message.body, to=[message.to])
        if message.attach_receipt and message.dossier_id:
            email.attach(
                f"phieu-tiep-nhan-{message.dossier.code}.pdf",
                receipt_pdf(message.dossier),
                "application/pdf",
            )
        try:
            email.send()
        except Exception as error:
            message.attempts += 1
            message.last_error = str(error)[:1000]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning("e-mail %s not sent: %s", pk, error)
            raise self.retry(exc=error) from error
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["sent_at", "attempts"])


@shared_task(ignore_result=True)
def flush_outbox(max_attempts=10):
    """Hand every unsent e-mail to the worker again (after the broker was down). Returns a count."""
    from .filing import enqueue_email
    from .models import OutboxEmail

    pending = list(
        OutboxEmail.objects.filter(sent_at__isnull=True, attempts__lt=max_attempts).values_list(
            "pk", flat=True
        )
    )
    for pk in pending:
        enqueue_email(pk)
    return len(pending)


def purge_drafts(now=None) -> int:
    """Delete drafts untouched for ESERVICES_DRAFT_TTL_DAYS and their uploaded files."""
    from .models import Draft

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ESERVICES_DRAFT_TTL_DAYS)
    count = 0
    for draft in Draft.objects.filter(updated_at__lt=cutoff):
        _delete_folder(draft.file_folder)
        draft.delete()
        count += 1
    # Drafts already filed keep only their row (the double-submission key) for a day.
    Draft.objects.filter(
        dossier__isnull=False, updated_at__lt=now - datetime.timedelta(days=1)
    ).delete()
    return count


def _delete_folder(folder):
    try:
        _dirs, files = private_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        private_storage.delete(f"{folder}/{name}")


def anonymise_dossier(dossier, now=None) -> None:
    """Remove a dossier's personal data (answers, files, applicant, notes), keep its record."""
    from .models import DossierFile

    now = now or timezone.now()
    with transaction.atomic():
        for item in DossierFile.objects.filter(dossier=dossier):
            item.file.delete(save=False)
            item.delete()
        dossier.answers = {}
        dossier.applicant_name = "Đã ẩn danh"
        dossier.applicant_id_number = dossier.applicant_phone = dossier.applicant_email = ""
        dossier.applicant_address = ""
        dossier.anonymised_at = now
        dossier.save()
        dossier.events.update(note="", actor_name="")
        dossier.emails.all().delete()


def anonymise_finished_dossiers(now=None) -> int:
    """Remove personal data from dossiers finished longer ago than the legal period."""
    from .models import Dossier
    from .models.dossiers import FINISHED_STATUSES

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ESERVICES_DOSSIER_RETENTION_DAYS)
    dossiers = Dossier.objects.filter(
        anonymised_at__isnull=True, status__in=list(FINISHED_STATUSES), finished_at__lt=cutoff
    )
    count = 0
    for dossier in dossiers:
        anonymise_dossier(dossier, now)
        count += 1
    return count


@shared_task(ignore_result=True)
def apply_retention():
    """Drafts, finished dossiers and expired health declarations (periodic)."""
    from .health import purge_expired_declarations

    drafts = purge_drafts()
    dossiers = anonymise_finished_dossiers()
    cutoff = timezone.now() - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    declarations = purge_expired_declarations(cutoff)
    logger.info(
        "retention: %s drafts, %s dossiers anonymised, %s declarations",
        drafts,
        dossiers,
        declarations,
    )
    return {"drafts": drafts, "dossiers": dossiers, "declarations": declarations}
