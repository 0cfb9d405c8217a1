"""How long the reports written in the background are kept (REPORTS_RUN_RETENTION_DAYS, 30 days by
default): a report is a file to download once, and its figures can be written again at any time
from the statistics. Older runs are deleted with their files in the private storage."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    days = getattr(settings, "REPORTS_RUN_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    return max(1, int(days))


def purge_old_runs(now=None, days=None) -> int:
    """Delete the runs requested more than ``days`` (the setting) ago, files first (a run still
    "running" that long ago was left by a worker that stopped). Returns the runs deleted."""
    from .models import ReportRun

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days or retention_days())
    old = ReportRun.objects.filter(created_at__lt=cutoff)
    deleted = 0
    for run in old.iterator():
        try:
            run.delete_file()
        except OSError:  # the file cannot be deleted now: the run stays, tried again next time
            logger.exception("The file of report run %s could not be deleted", run.pk)
            continue
        run.delete()
        deleted += 1
    return deleted
