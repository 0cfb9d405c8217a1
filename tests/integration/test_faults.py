"""Faults: JSON logs in production; citizens' writes accepted while the broker is down, their
background work done once it is back; a PostgreSQL restart during a load loses no acknowledged
record (on a throwaway cluster of the test's own)."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.lib import free_port
from portal.celery import app as celery_app
from tests.conftest import (
    database_url_for_subprocess,
    manage_in_production,
    need_service,
    reset_broker_connections,
)
from tests.core.test_deploy import stop
from tests.eservices.conftest import Wizard
from tests.eservices.test_filing_flow import file_birth

ROOT = Path(__file__).resolve().parents[2]


# --- Structured logs -------------------------------------------------------------------------


def test_production_writes_each_log_line_as_json():
    code = (
        "import logging; logging.getLogger('portal.ops').warning("
        "'broker unavailable: e-mail %s stays in the outbox', 42)"
    )
    result = manage_in_production("shell", "--no-imports", "-c", code)
    lines = [line for line in result.stderr.splitlines() if "portal.ops" in line]
    assert len(lines) == 1, result.stderr
    record = json.loads(lines[0])
    assert record["levelname"] == "WARNING"
    assert record["name"] == "portal.ops"
    assert record["message"] == "broker unavailable: e-mail 42 stays in the outbox"
    assert "asctime" in record


# --- Broker down, then back ------------------------------------------------------------------

CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker(redis_url):
    """Point the app at a closed port (broker down); ``broker.up()`` points it at Redis."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)

    class Broker:
        def down(self):
            conf.broker_url = CLOSED_BROKER
            conf.broker_transport_options = {"max_retries": 1, "interval_start": 0}
            conf.task_always_eager = False
            reset_broker_connections()

        def up(self):
            conf.broker_url = redis_url
            conf.broker_transport_options = {}
            reset_broker_connections()

    broker = Broker()
    broker.down()
    yield broker
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
    reset_broker_connections()


def start_worker(queue: str, broker_url: str, tmp_path: Path):
    """A real worker process on a queue of the test's own (Redis is shared with others)."""
    (tmp_path / "ops_worker_settings.py").write_text(
        "from portal.settings.test import *  # noqa\n"
        f"CELERY_TASK_DEFAULT_QUEUE = {queue!r}\n"
        "CELERY_TASK_ALWAYS_EAGER = False\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{tmp_path}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "ops_worker_settings",
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--pool", "solo",
         "--loglevel", "INFO", "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


@pytest.fixture
def catalogue(transactional_db):
    """The e-services catalogue (core, home and e-services demo content), committed."""
    from portal.core import demo as core_demo
    from portal.eservices import demo as es_demo
    from portal.home import demo as home_demo

    ctx = {}
    for module in (core_demo, home_demo, es_demo):
        module.load(ctx)
    return ctx


@pytest.mark.redis
@pytest.mark.slow
def test_writes_are_accepted_while_the_broker_is_down_and_work_runs_when_it_is_back(
    catalogue, client, broker, redis_url, tmp_path, served_communes
):
    from portal.checkpoints.models import CheckIn, Checkpoint
    from portal.eservices.models import Dossier
    from portal.notifications.models import Status
    from portal.notifications.tasks import dispatch_due

    # Broker down: a citizen files a dossier, and another checks in at a checkpoint.
    wizard = file_birth(lambda url: Wizard(client, url))
    started = time.monotonic()
    wizard.post({"consent": "on"})
    assert time.monotonic() - started < 10  # the request did not hang on the broker
    assert wizard.response.status_code == 200
    dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
    assert dossier.code in wizard.html
    outbox = dossier.emails.get()
    assert outbox.status == Status.QUEUED  # kept for later, not lost

    checkpoint = Checkpoint.objects.create(
        commune=served_communes[0], name="Chợ Vĩnh Lộc", address="Thị trấn Vĩnh Lộc"
    )
    form = {
        "full_name": "Trần Văn Bình",
        "phone": "0987 654 321",
        "has_symptoms": "no",
        "had_contact": "no",
        "travelled": "no",
        "consent": "on",
    }
    checkin = client.post(checkpoint.checkin_path, form)
    assert checkin.status_code == 302, checkin.content[:500]
    assert CheckIn.objects.filter(checkpoint=checkpoint, phone="0987654321").exists()

    # The broker is back: beat's sweep hands the outbox to a real worker, which sends it.
    broker.up()
    queue = f"ops-faults-{os.getpid()}-{time.monotonic_ns()}"
    with celery_app.connection_for_write() as conn:
        dispatch_due.apply_async(queue=queue, connection=conn)
    worker = start_worker(queue, redis_url, tmp_path)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and worker.poll() is None:
            outbox.refresh_from_db()
            if outbox.status == Status.SENT:
                break
            time.sleep(0.5)
    finally:
        stop(worker)
    output = (tmp_path / "worker.log").read_text()
    assert outbox.sent_at is not None, output[-3000:]
    assert "dispatch_due" in output and "succeeded" in output


# --- Database restarted during a load --------------------------------------------------------

CLUSTER_PORT = 55432


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _as_postgres(*args, **kwargs):
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture
def own_cluster(tmp_path_factory):
    """A PostgreSQL cluster of this test's own, on its own port: restarting it disturbs nobody."""
    bin_dir = _pg_bin()
    if bin_dir is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        need_service("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    base = Path(f"/tmp/ops-pgcluster-{os.getpid()}")
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(mode=0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data = base / "data"
    init = _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--no-sync")  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        need_service(f"initdb failed: {init.stderr[-500:]}")
    options = f"-p {CLUSTER_PORT} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"

    class Cluster:
        url = f"postgres://postgres@127.0.0.1:{CLUSTER_PORT}/ops_faults"

        def pg_ctl(self, *args):
            return _as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-w",
                                "-l", str(base / "log"), "-o", options, *args)  # fmt: skip

        def start(self):
            result = self.pg_ctl("start")
            assert result.returncode == 0, result.stderr + result.stdout

        def restart(self):
            result = self.pg_ctl("restart", "-m", "fast")
            assert result.returncode == 0, result.stderr + result.stdout

    cluster = Cluster()
    try:
        cluster.start()
        import psycopg

        admin = f"postgresql://postgres@127.0.0.1:{CLUSTER_PORT}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE ops_faults")
        yield cluster
    finally:
        cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.postgres
@pytest.mark.slow
def test_database_restart_during_a_load_loses_no_acknowledged_check_in(own_cluster, tmp_path):
    """Check-ins go to gunicorn while PostgreSQL restarts: every 302 (acknowledged) is stored;
    the others get a clean error (5xx page or refused connection) and can be retried."""
    from bench.lib import Server, seed_checkpoint, vietnamese_name

    env_extra = {"CONN_MAX_AGE": "60", "RATELIMIT_ENABLE": "0"}
    with Server(own_cluster.url, tmp_path, port=free_port(), workers=2, env=env_extra) as server:
        code = seed_checkpoint(server)
        acknowledged, failures, statuses = [], [], {}
        lock = threading.Lock()
        stop_at = time.monotonic() + 25
        restarted = threading.Event()

        def visitor(n):
            i = 0
            while time.monotonic() < stop_at:
                i += 1
                phone = f"09{n:02d}{i:06d}"
                try:
                    status = server.post_checkin(code, vietnamese_name(n * 1000 + i), phone)
                except OSError as exc:  # refused or reset while the database was down
                    status = type(exc).__name__
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    (acknowledged if status == 302 else failures).append(phone)
                if status != 302:
                    time.sleep(0.2)  # a client retrying later

        threads = [threading.Thread(target=visitor, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        time.sleep(5)
        own_cluster.restart()
        restarted.set()
        for t in threads:
            t.join(timeout=60)

        # After the restart the service recovers by itself.
        time.sleep(1)
        assert server.post_checkin(code, "Sau khi khởi động lại", "0911000000") == 302
        stored = set(server.query("SELECT phone FROM checkpoints_checkin"))
    assert restarted.is_set()
    assert acknowledged, statuses
    missing = [p for p in acknowledged if p not in stored]
    assert not missing, f"acknowledged but lost: {missing[:10]} ({statuses})"
    # Errors were clean HTTP answers or refused connections, never a hang or a wrong success.
    assert set(statuses) <= {
        302,
        500,
        502,
        503,
        "ConnectionResetError",
        "ConnectionRefusedError",
        "RemoteDisconnected",
        "IncompleteRead",
        "BadStatusLine",
    }, statuses
