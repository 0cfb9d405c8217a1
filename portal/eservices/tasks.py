"""Background work: retention of drafts, dossiers and health declarations. Every task is
idempotent and safe to retry. (Messages to applicants go through portal.notifications.)"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.core.storage import private_storage

logger = logging.getLogger(__name__)


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
    """Remove a dossier's personal data (answers, files, applicant, notes, the messages sent to
    the applicant about it, queued ones included), keep its record."""
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
        dossier.notifications.delete()


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
