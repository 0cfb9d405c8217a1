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


def start_worker(queue, redis_url, **env_extra):
    """A real Celery worker in a subprocess, on the test's own queue."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.test"),
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": "consolemail://",
        **env_extra,
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

    worker = start_worker(queue, redis_url)
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


def wait_for(condition, worker, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_counts_failed_sends_and_gives_up_after_the_limit(redis_url):
    """The mail server refuses: the real worker counts each try, waits, and stops after
    ESERVICES_EMAIL_MAX_ATTEMPTS instead of retrying for ever."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_smtp = s.getsockname()[1]
    message = OutboxEmail.objects.create(to="lan@example.com", subject="Hồ sơ", body="…")
    queue = f"es-test-{os.getpid()}-{time.monotonic_ns()}"
    saved = use_broker(redis_url)
    celery_app.conf.task_default_queue = queue
    worker = start_worker(
        queue,
        redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{dead_smtp}",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        ESERVICES_EMAIL_MAX_ATTEMPTS="2",
        ESERVICES_EMAIL_RETRY_SECONDS="1",
    )
    try:
        assert flush_outbox() == 1

        def tried(n):
            message.refresh_from_db()
            return message.attempts >= n

        assert wait_for(lambda: tried(1), worker)
        assert message.given_up_at is None and message.next_attempt_at is not None
        assert message.last_error
        time.sleep(1.2)  # the next try is due after ESERVICES_EMAIL_RETRY_SECONDS
        assert flush_outbox() == 1
        assert wait_for(lambda: tried(2), worker)
        assert message.given_up_at is not None
        assert flush_outbox() == 0
        time.sleep(2)  # nothing else runs: no retry loop in the worker
        message.refresh_from_db()
        assert message.attempts == 2 and message.sent_at is None
    finally:
        restore(saved)
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert output.count("send_outbox_email") >= 2 and "succeeded" in output, output
    assert "Retry in" not in output, output
