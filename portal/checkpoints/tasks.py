"""Background work: poster zips, automatic check-out, deletion of old personal data."""

import logging
import tempfile
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)


def export_queryset(export):
    from portal.core.scope import filter_by_commune

    from .models import Checkpoint

    qs = Checkpoint.objects.filter(is_active=True).select_related("commune", "commune__parent")
    if export.commune_id:
        qs = qs.filter(commune_id=export.commune_id)
    if export.created_by is not None:
        qs = filter_by_commune(qs, export.created_by)
    return qs.order_by("commune__code", "name")


@shared_task(ignore_result=True, acks_late=True)
def build_poster_zip(export_id):
    """Build the zip of a PosterExport, updating its progress after every poster. Idempotent."""
    from .models import PosterExport
    from .posters import write_poster_zip

    export = PosterExport.objects.filter(pk=export_id).select_related("created_by").first()
    if export is None or export.status == PosterExport.Status.DONE:
        return
    checkpoints = list(export_queryset(export))
    PosterExport.objects.filter(pk=export.pk).update(
        status=PosterExport.Status.RUNNING, total=len(checkpoints), done=0, error=""
    )
    step = max(1, len(checkpoints) // 100)

    def progress(done):
        if done % step == 0 or done == len(checkpoints):
            PosterExport.objects.filter(pk=export.pk).update(done=done)

    try:
        with tempfile.TemporaryFile() as tmp:
            write_poster_zip(checkpoints, tmp, export.size, export.file_format, progress)
            tmp.seek(0)
            where = export.commune.code if export.commune_id else "tat-ca"
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            export.file.save(f"ap-phich-{where}-{export.size}-{stamp}.zip", File(tmp), save=False)
        PosterExport.objects.filter(pk=export.pk).update(
            file=export.file.name,
            status=PosterExport.Status.DONE,
            done=len(checkpoints),
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.exception("poster export %s failed", export.pk)
        PosterExport.objects.filter(pk=export.pk).update(
            status=PosterExport.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise


@shared_task(ignore_result=True)
def close_open_checkins():
    """Check out visitors who forgot: a stay ends CHECKPOINTS_AUTO_CHECKOUT_HOURS after entry."""
    from .models import CheckIn, auto_checkout_after

    after = auto_checkout_after()
    closed = CheckIn.objects.filter(
        checked_out_at__isnull=True, checked_in_at__lt=timezone.now() - after
    ).update(checked_out_at=F("checked_in_at") + after, closed_automatically=True)
    if closed:
        logger.info("closed %s open check-ins automatically", closed)
    return closed


def _purge_declarations(cutoff):
    try:
        from portal.eservices.health import purge_expired_declarations
    except ImportError:
        return None
    return purge_expired_declarations(cutoff)


@shared_task(ignore_result=True)
def purge_personal_data():
    """Delete check-ins and health declarations older than PERSONAL_DATA_RETENTION_DAYS; log it."""
    from .models import CheckIn, RetentionRun

    cutoff = timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    deleted = 0
    while True:
        # In batches: a long DELETE would hold locks while visitors check in.
        ids = list(
            CheckIn.objects.filter(checked_in_at__lt=cutoff).values_list("pk", flat=True)[:5000]
        )
        if not ids:
            break
        deleted += CheckIn.objects.filter(pk__in=ids).delete()[0]
    declarations = _purge_declarations(cutoff)
    run = RetentionRun.objects.create(
        cutoff=cutoff, checkins_deleted=deleted, declarations_deleted=declarations
    )
    logger.info(
        "retention: deleted %s check-ins and %s declarations before %s",
        deleted,
        declarations,
        cutoff.isoformat(),
    )
    return run.pk
