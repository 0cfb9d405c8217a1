"""A real Celery worker process consumes a task from the broker and changes the database."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.utils import timezone
from wagtail.models import Page

from portal.core.tasks import publish_scheduled
from tests.conftest import database_url_for_subprocess

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scheduled_page(transactional_db, demo):
    page = demo.root_page.add_child(
        instance=Page(title="Thông báo lịch tiêm chủng", slug="thong-bao-lich-tiem")
    )
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, not yet published
    time.sleep(1.2)
    return page


def enqueue_and_consume(page, broker_url, transport_options, extra_env):
    """Send publish_scheduled through the broker, then let a worker process consume it."""
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    # A Celery client of its own: the portal's app object is shared with other tests, which may
    # have pointed it elsewhere or closed its pools. Not made the current app: shared tasks sent
    # later in this process would go to it (tests/conftest.py checks).
    # Celery prefers the CELERY_BROKER_URL environment variable (CI sets it to Redis) over the
    # broker given here, so it is set for the time of sending.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = broker_url
    client = Celery("portal-test-client", broker=broker_url, set_as_current=False)
    client.conf.broker_transport_options = transport_options
    try:
        client.send_task(publish_scheduled.name, queue=queue)
    finally:
        client.close()
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
    page.refresh_from_db()
    assert not page.live  # nothing ran in this process

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra_env,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--pool", "solo",
         "--loglevel", "INFO", "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and worker.poll() is None:
            page.refresh_from_db()
            if page.live:
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert page.live, f"the worker did not publish the page:\n{output}"
    assert "publish_scheduled" in output and "succeeded" in output


@pytest.mark.redis
def test_worker_consumes_a_task_from_redis(scheduled_page, redis_url):
    enqueue_and_consume(scheduled_page, redis_url, {}, {})


def test_worker_consumes_a_task_from_the_embedded_filesystem_broker(scheduled_page, tmp_path):
    folder = tmp_path / "celery"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
    }
    for sub in ("queue", "control"):
        (folder / sub).mkdir(parents=True)
    enqueue_and_consume(
        scheduled_page, "filesystem://", options, {"CELERY_FILESYSTEM_DIR": str(folder)}
    )
