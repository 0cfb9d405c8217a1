"""A real Celery worker for tests: started in a subprocess on the test's own Redis queue, with
the test database, and the test process's broker pointed where the test wants it."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.celery import app as celery_app
from tests.conftest import database_url_for_subprocess, reset_broker_connections

ROOT = Path(__file__).resolve().parents[1]


def new_queue(prefix: str) -> str:
    """A queue of the test's own: workers of other tests never take its tasks."""
    return f"{prefix}-{os.getpid()}-{time.monotonic_ns()}"


def closed_port_url() -> str:
    """A Redis URL where nothing listens: the broker is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@contextlib.contextmanager
def broker(url: str, queue: str):
    """This process sends its tasks to ``url`` on ``queue``, for real (not eagerly); a broker
    that does not answer fails fast. Put back as it was afterwards."""
    conf = celery_app.conf
    saved = (
        conf.broker_url,
        conf.broker_transport_options,
        conf.task_always_eager,
        conf.task_default_queue,
    )
    conf.broker_url = url
    conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    conf.task_always_eager = False
    conf.task_default_queue = queue
    reset_broker_connections()
    try:
        yield conf
    finally:
        (
            conf.broker_url,
            conf.broker_transport_options,
            conf.task_always_eager,
            conf.task_default_queue,
        ) = saved
        reset_broker_connections()


def switch_broker(url: str) -> None:
    """Inside ``broker``: the broker is now at ``url`` (it came back)."""
    celery_app.conf.broker_url = url
    reset_broker_connections()


def start_worker(queue: str, redis_url: str, **env_extra) -> subprocess.Popen:
    """A real Celery worker (solo pool) on ``queue``, with the test database and this process's
    environment (the NOTIFY_* variables a test set), plus ``env_extra``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.test"),
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **env_extra,
    }
    # Its output goes to a file, not a pipe nobody reads while it works: a worker printing more
    # than a pipe holds (an e-mail with its receipt, on the console backend) would block on it.
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
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
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker.log = log
    return worker


def wait_for(condition, worker, seconds=60) -> bool:
    """Poll ``condition`` until it holds, the worker stops, or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        if condition():
            return True
        time.sleep(0.3)
    return False


def wait_or_fail(condition, worker, seconds=60) -> None:
    """``wait_for``, failing with the worker's output (why it stopped, what it logged)."""
    if not wait_for(condition, worker, seconds):
        raise AssertionError(
            f"not reached; worker exit code {worker.poll()}, output:\n{stop(worker)[-5000:]}"
        )


def stop(worker) -> str:
    """Stop the worker; its output (the same on a second call)."""
    if not hasattr(worker, "output"):
        worker.terminate()
        worker.wait(timeout=30)
        worker.log.seek(0)
        worker.output = worker.log.read()
        worker.log.close()
    return worker.output
