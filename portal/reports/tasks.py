"""Background work: a report for a large period, written with its progress; the old ones deleted
after REPORTS_RUN_RETENTION_DAYS."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, acks_late=True)
def build_report_file(run_id):
    """Write the file of a ReportRun, updating its progress after each part. Idempotent: a
    finished run is left as it is."""
    from .document import build_report, render
    from .models import ReportRun

    run = ReportRun.objects.filter(pk=run_id).select_related("site", "template").first()
    if run is None or run.status == ReportRun.Status.DONE:
        return
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, percent=0, error="")

    def progress(done, total):
        # The statistics are 90% of the work; writing the file is the rest.
        ReportRun.objects.filter(pk=run.pk).update(percent=done * 90 // total)

    try:
        report = build_report(
            run.covered_sites(), run.date_from, run.date_to, run.template, progress=progress
        )
        data = render(report, run.file_format)
        name = f"bao-cao-{run.pk}-{run.date_from:%Y%m%d}-{run.date_to:%Y%m%d}.{run.file_format}"
        run.file.save(name, ContentFile(data), save=False)
        ReportRun.objects.filter(pk=run.pk).update(
            file=run.file.name,
            status=ReportRun.Status.DONE,
            percent=100,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.exception("report run %s failed", run.pk)
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise


@shared_task(ignore_result=True)
def flush_page_views():
    """Add the page views counted in the cache to PageViewCount (every few minutes, from beat)."""
    from .counting import flush

    return flush()


@shared_task(ignore_result=True)
def purge_old_runs():
    """Delete the report runs older than REPORTS_RUN_RETENTION_DAYS and their files (daily, from
    beat; ``manage.py purge_report_runs`` does the same)."""
    from .retention import purge_old_runs as purge

    return purge()
