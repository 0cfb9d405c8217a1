"""A report for a long period is written in the background: a run with its progress, then its
file, downloadable by whoever asked for it."""

import io

import docx
import pytest

from portal.reports.models import ReportRun, ReportTemplate

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db

URL = "/admin/reports/"
SEED = "ung-dung-cntt-phong-chong-covid"


@pytest.fixture
def leader(staff_user_factory):
    return staff_user_factory(superuser=True)


def start(client, world, fmt="docx"):
    template = ReportTemplate.objects.get(site=None, name=SEED)
    return client.post(
        URL,
        {
            "site": world["district_site"].pk,
            "date_from": DATE_FROM,
            "date_to": DATE_TO,
            "template": template.pk,
            "format": fmt,
        },
    )


def test_a_background_run_writes_the_report_and_serves_it(
    client, world, leader, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, world)
    run = ReportRun.objects.get()
    assert response["Location"] == f"/admin/reports/runs/{run.pk}/"
    run.refresh_from_db()
    assert (run.status, run.percent) == ("done", 100)
    status = client.get(f"/admin/reports/runs/{run.pk}/status.json").json()
    assert status["finished"] and status["percent"] == 100
    page = client.get(response["Location"]).content.decode()
    assert f"/admin/reports/runs/{run.pk}/download/" in page
    download = client.get(f"/admin/reports/runs/{run.pk}/download/")
    data = b"".join(download.streaming_content)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "ghi nhận 9 lượt ra, vào" in text


def test_someone_elses_run_is_not_found(
    client, world, leader, staff_user_factory, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, world, "pdf")
    run = ReportRun.objects.get()
    other = staff_user_factory(groups=["Lãnh đạo duyệt tin"])
    client.force_login(other)
    for path in ("", "status.json", "download/"):
        assert client.get(f"/admin/reports/runs/{run.pk}/{path}").status_code == 404


def test_a_run_without_a_template_is_refused(client, world, leader):
    client.force_login(leader)
    response = client.post(
        URL,
        {"site": world["district_site"].pk, "date_from": DATE_FROM, "date_to": DATE_TO,
         "format": "docx"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    assert not ReportRun.objects.exists()
