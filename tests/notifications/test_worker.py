"""With a real Celery worker and Redis: a message queued while the broker is down waits in the
outbox; once the broker is back the periodic sweep and the after-commit task deliver each message
exactly once to the SMS provider's stand-in."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.celery import app as celery_app
from portal.notifications import outbox
from portal.notifications.models import Notification, Status
from portal.notifications.tasks import dispatch_due
from tests.conftest import database_url_for_subprocess, reset_broker_connections
from tests.notifications.conftest import closed_port

ROOT = Path(__file__).resolve().parents[2]


def start_worker(queue, redis_url):
    env = {
        **os.environ,  # the NOTIFY_* variables the test set
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.test"),
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_what_waited_out_a_broker_outage_exactly_once(redis_url, esms):
    conf = celery_app.conf
    saved = (
        conf.broker_url,
        conf.broker_transport_options,
        conf.task_always_eager,
        conf.task_default_queue,
    )
    queue = f"notify-test-{os.getpid()}-{time.monotonic_ns()}"
    conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"  # the broker is down
    conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    conf.task_always_eager = False
    conf.task_default_queue = queue
    reset_broker_connections()
    try:
        waited = outbox.notify("sms", "0912345678", "Gửi khi hàng đợi ngừng", key="outage-1")
        outbox.enqueue(waited.pk)  # what the commit does: the broker refuses, nothing is lost
        assert Notification.objects.get(pk=waited.pk).status == Status.QUEUED

        conf.broker_url = redis_url  # the broker is back
        reset_broker_connections()
        # What beat sends every minute, on a connection of its own: an earlier test of this
        # process may have left kombu's shared producer pool closed.
        with celery_app.connection_for_write(redis_url) as connection:
            dispatch_due.apply_async(connection=connection, queue=queue)
        later = outbox.notify("sms", "0987654321", "Gửi sau khi hàng đợi chạy lại", key="after-1")
        outbox.enqueue(later.pk)
        outbox.enqueue(later.pk)  # delivered twice by the broker: sent once
    finally:
        (
            conf.broker_url,
            conf.broker_transport_options,
            conf.task_always_eager,
            conf.task_default_queue,
        ) = saved
        reset_broker_connections()

    worker = start_worker(queue, redis_url)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and worker.poll() is None:
            statuses = set(Notification.objects.values_list("status", flat=True))
            if statuses == {Status.SENT}:
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}, output
    assert sorted(d["to"] for d in esms.delivered) == ["84912345678", "84987654321"]
    assert "dispatch_due" in output and "send_notification" in output
