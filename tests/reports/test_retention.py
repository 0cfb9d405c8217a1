"""Reports written in the background are deleted with their files after
REPORTS_RUN_RETENTION_DAYS (30 days unless set), by the periodic task or the command."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.reports.models import ReportRun, ReportTemplate
from portal.reports.retention import DEFAULT_RETENTION_DAYS, retention_days
from portal.reports.tasks import purge_old_runs

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db


def make_run(site, days_ago, status=ReportRun.Status.DONE, with_file=True):
    run = ReportRun.objects.create(
        site=site, template=ReportTemplate.objects.get(site=None),
        date_from=DATE_FROM, date_to=DATE_TO, status=status,
    )  # fmt: skip
    if with_file:
        run.file.save(f"bao-cao-{run.pk}.docx", ContentFile(b"PK report"), save=True)
    ReportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    run.refresh_from_db()
    return run


@pytest.fixture
def runs(world):
    site = world["district_site"]
    return {
        "old": make_run(site, DEFAULT_RETENTION_DAYS + 1),
        "old_failed": make_run(site, 90, ReportRun.Status.FAILED, with_file=False),
        "old_stuck": make_run(site, 60, ReportRun.Status.RUNNING, with_file=False),
        "recent": make_run(site, DEFAULT_RETENTION_DAYS - 1),
        "today": make_run(site, 0),
    }


def stored(run):
    return bool(run.file) and run.file.storage.exists(run.file.name)


def test_the_task_deletes_old_runs_and_their_files(runs, settings):
    settings.REPORTS_RUN_RETENTION_DAYS = DEFAULT_RETENTION_DAYS
    old = runs["old"]
    assert stored(old)
    assert purge_old_runs() == 3
    assert not old.file.storage.exists(old.file.name)
    left = set(ReportRun.objects.values_list("pk", flat=True))
    assert left == {runs["recent"].pk, runs["today"].pk}
    assert stored(runs["recent"]) and stored(runs["today"])
    assert purge_old_runs() == 0  # nothing more the second time


def test_the_setting_shortens_the_retention(runs, settings):
    settings.REPORTS_RUN_RETENTION_DAYS = 7
    assert retention_days() == 7
    purge_old_runs()
    assert list(ReportRun.objects.values_list("pk", flat=True)) == [runs["today"].pk]


def test_without_the_setting_thirty_days_are_kept(runs, settings):
    del settings.REPORTS_RUN_RETENTION_DAYS
    assert retention_days() == DEFAULT_RETENTION_DAYS == 30


def test_the_command_deletes_with_its_own_number_of_days(runs, capsys):
    call_command("purge_report_runs", "--days", "10", verbosity=1)
    assert "4 report run(s) older than 10 days deleted" in capsys.readouterr().out
    assert list(ReportRun.objects.values_list("pk", flat=True)) == [runs["today"].pk]
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_report_runs", "--days", "0", verbosity=0)


def test_a_deleted_run_is_no_longer_downloadable(client, runs, settings, staff_user_factory):
    settings.REPORTS_RUN_RETENTION_DAYS = 30
    client.force_login(staff_user_factory(superuser=True))
    old = runs["old"]
    page = client.get(f"/admin/reports/runs/{old.pk}/").content.decode()
    assert "Báo cáo được lưu 30 ngày kể từ khi yêu cầu, sau đó tự động xóa." in page
    assert client.get(f"/admin/reports/runs/{old.pk}/download/").status_code == 200
    purge_old_runs()
    assert client.get(f"/admin/reports/runs/{old.pk}/download/").status_code == 404
