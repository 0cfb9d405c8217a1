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


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait before try number ``attempts + 1``: ESERVICES_EMAIL_RETRY_SECONDS, doubling."""
    seconds = settings.ESERVICES_EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def record_failure(message, error, now=None) -> None:
    """Count a failed try; give up after ESERVICES_EMAIL_MAX_ATTEMPTS, else wait longer."""
    now = now or timezone.now()
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if message.attempts >= settings.ESERVICES_EMAIL_MAX_ATTEMPTS:
        message.given_up_at = now
        message.next_attempt_at = None
        logger.error("e-mail %s given up after %s tries: %s", message.pk, message.attempts, error)
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
        logger.warning("e-mail %s not sent (try %s): %s", message.pk, message.attempts, error)
    message.save(update_fields=["attempts", "last_error", "next_attempt_at", "given_up_at"])


@shared_task(ignore_result=True)
def send_outbox_email(pk):
    """Send one outbox e-mail unless already sent, given up, or not yet due for another try.

    A failure (the mail server, or building the receipt) is counted on the row; ``flush_outbox``
    hands it back when its next try is due. The task itself never retries, so tries are counted
    in one place and cannot go on for ever.
    """
    from .models import OutboxEmail
    from .views import receipt_pdf

    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxEmail.objects.select_for_update()
            .filter(pk=pk, sent_at__isnull=True, given_up_at__isnull=True)
            .first()
        )
        if message is None or (message.next_attempt_at and message.next_attempt_at > now):
            return
        try:
            email = EmailMessage(message.subject, message.body, to=[message.to])
            if message.attach_receipt and message.dossier_id:
                email.attach(
                    f"phieu-tiep-nhan-{message.dossier.code}.pdf",
                    receipt_pdf(message.dossier),
                    "application/pdf",
                )
            email.send()
        except Exception as error:  # noqa: BLE001 - any failure is counted, the row says which
            record_failure(message, error, now)
            return
        message.sent_at = timezone.now()
        message.attempts += 1
        message.next_attempt_at = None
        message.save(update_fields=["sent_at", "attempts", "next_attempt_at"])


@shared_task(ignore_result=True)
def flush_outbox():
    """Hand every unsent e-mail whose time has come to the worker (after a failed try or the
    broker being down). Returns a count."""
    from django.db.models import Q

    from .filing import enqueue_email
    from .models import OutboxEmail

    now = timezone.now()
    pending = list(
        OutboxEmail.objects.filter(sent_at__isnull=True, given_up_at__isnull=True)
        # Never tried (the broker may have been down when it was written), or due again. A copy
        # of a message already queued finds it sent, or its next try not yet due, and stops.
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )
    for pk in pending:
        enqueue_email(pk)
    return len(pending)


def resend(message) -> None:
    """Staff try a given-up e-mail again: a fresh count of tries."""
    from .filing import enqueue_email

    message.given_up_at = message.next_attempt_at = None
    message.attempts = 0
    message.save(update_fields=["given_up_at", "next_attempt_at", "attempts"])
    transaction.on_commit(lambda: enqueue_email(message.pk))


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


@shared_task(ignore_result=True)
def purge_unsaved_draft_files(now=None) -> int:
    """Delete the files of drafts idle for ESERVICES_UNSAVED_DRAFT_FILES_HOURS that nobody kept
    a resume link to (the browser's session is the only way back): their answers stay until the
    draft expires, the form asks for the files again. Returns the number of drafts emptied."""
    from .models import Draft

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.ESERVICES_UNSAVED_DRAFT_FILES_HOURS)
    count = 0
    for draft in Draft.objects.filter(
        dossier__isnull=True,
        link_saved_at__isnull=True,
        email="",
        file_bytes__gt=0,
        updated_at__lt=cutoff,
    ):
        _delete_folder(draft.file_folder)
        data = dict(draft.data)
        data["step_files"] = {}
        # update(), not save(): the draft's last activity stays what it was.
        Draft.objects.filter(pk=draft.pk).update(data=data, file_bytes=0)
        count += 1
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
