"""The development server (`make run`: runserver with DEBUG) answers 404, never 500, to a static
path that climbs out of the static folders."""

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.lib import free_port
from tests.core.test_deploy import stop

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev_server(tmp_path):
    port = free_port(8700, 8749)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for name in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"),
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload",
         "--skip-checks"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            break
        except OSError:
            time.sleep(0.3)
    yield port
    stop(process)


def _status(port, raw_path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", raw_path)  # sent as written: no client-side normalisation of ".."
    status = conn.getresponse().status
    conn.close()
    return status


def test_static_path_climbing_out_is_not_found_on_the_development_server(dev_server):
    assert _status(dev_server, "/static/css/portal.css") == 200
    for path in (
        "/static/%2e%2e/%2e%2e/private/healthz/probe.txt",
        "/static/..%2f..%2fportal/settings/base.py",
        "/static/../../manage.py",
        "/static/css/%2e%2e/%2e%2e/%2e%2e/settings/base.py",
    ):
        assert _status(dev_server, path) == 404, path
