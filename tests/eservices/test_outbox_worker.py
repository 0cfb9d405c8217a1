"""The confirmation e-mail is never lost: with the broker down the dossier is saved and the e-mail
waits in the outbox; when the broker is back a real worker sends it."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.celery import app as celery_app
from portal.eservices.models import Dossier, OutboxEmail
from portal.eservices.tasks import flush_outbox
from tests.conftest import database_url_for_subprocess, reset_broker_connections

ROOT = Path(__file__).resolve().parents[2]


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def use_broker(url):
    conf = celery_app.conf
    saved = (
        conf.broker_url,
        conf.broker_transport_options,
        conf.task_always_eager,
        conf.task_default_queue,
    )
    conf.broker_url = url
    conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    conf.task_always_eager = False
    reset_broker_connections()
    return saved


def restore(saved):
    conf = celery_app.conf
    (
        conf.broker_url,
        conf.broker_transport_options,
        conf.task_always_eager,
        conf.task_default_queue,
    ) = saved
    reset_broker_connections()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_email_waits_in_outbox_while_broker_is_down_then_worker_sends_it(
    redis_url, es_demo, wizard_for, tmp_path
):
    from tests.eservices.test_filing_flow import file_birth

    queue = f"es-test-{os.getpid()}-{time.monotonic_ns()}"
    saved = use_broker(closed_port_url())
    celery_app.conf.task_default_queue = queue
    try:
        w = file_birth(wizard_for)
        started = time.monotonic()
        w.post({"consent": "on"})
        assert time.monotonic() - started < 5  # the request does not hang on the dead broker
        dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
        assert dossier.code in w.html
        message = OutboxEmail.objects.get(dossier=dossier)
        assert message.sent_at is None

        celery_app.conf.broker_url = redis_url  # the broker is back
        reset_broker_connections()
        assert flush_outbox() >= 1
    finally:
        restore(saved)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.test"),
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": "consolemail://",
    }
    worker = subprocess.Popen(
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
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and worker.poll() is None:
            message.refresh_from_db()
            if message.sent_at:
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert message.sent_at is not None, output
    assert "send_outbox_email" in output and "succeeded" in output
