"""Deployment: the entrypoint the Docker image runs also runs on a plain machine, against
PostgreSQL with the production settings; the Dockerfile and compose file keep their promises."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from bench.lib import free_port
from tests.conftest import need_service

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


def postgres_server() -> tuple[str, int]:
    """The PostgreSQL server of DATABASE_URL, else the local one; need_service() if none."""
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url) if url.startswith("postgres") else urlparse("postgres://127.0.0.1:5432")
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 5432
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        need_service(f"PostgreSQL does not answer at {host}:{port}")
    return host, port


@pytest.fixture
def throwaway_database():
    """A fresh PostgreSQL database (ops_deploy_*) for a process started by the test."""
    import psycopg

    host, port = postgres_server()
    name = f"ops_deploy_{secrets.token_hex(4)}"
    admin = f"postgresql://postgres@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, tmp_path: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL", "CELERY_TASK_ALWAYS_EAGER"):
        env.pop(key, None)
    env.update(
        PATH=f"{VENV_BIN}:{env.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="vinhloc.thanhhoa.gov.vn",
        BASE_URL="https://vinhloc.thanhhoa.gov.vn",
        DATABASE_URL=database_url,
        # Named explicitly: production refuses to fall back to them by omission.
        CACHE_URL="locmemcache://",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        PORT=str(port),
        BIND="127.0.0.1",
        WEB_CONCURRENCY="1",
        COLLECTSTATIC="1",
        LOG_FORMAT="json",
    )
    for folder in ("celery/queue", "celery/control", "media", "private"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    return env


def wait_for(url: str, process, timeout: float, headers=None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None, f"exited with {process.returncode}"
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return (response.status, response.headers, response.read()), None
        except urllib.error.HTTPError as exc:
            return (exc.code, exc.headers, exc.read()), None
        except OSError as exc:
            last = exc
            time.sleep(0.5)
    return None, f"timed out: {last}"


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.postgres
@pytest.mark.slow
def test_entrypoint_migrates_and_serves_production_on_postgres(throwaway_database, tmp_path):
    port = free_port()
    env = production_env(throwaway_database, tmp_path, port)
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "entrypoint.sh"), "web"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        response, error = wait_for(f"http://127.0.0.1:{port}/healthz", process, timeout=240)
        assert error is None, f"{error}\n{log.read_text()[-3000:]}"
        status, _, body = response
        assert status == 200, body
        assert b'"status": "ok"' in body
        # A public page through the production stack: HTTPS as nginx forwards it, headers set.
        page, error = wait_for(
            f"http://127.0.0.1:{port}/bao-ve-du-lieu-ca-nhan/",
            process,
            timeout=30,
            headers={"Host": "vinhloc.thanhhoa.gov.vn", "X-Forwarded-Proto": "https"},
        )
        assert error is None, error
        status, headers, _ = page
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        # Static files were collected with their manifest and are served.
        assert (tmp_path / "static" / "staticfiles.json").exists()
    finally:
        stop(process)
    output = log.read_text()
    assert "Shutting down: Master" in output  # a clean stop on SIGTERM
    # Roles were set up after the migrations.
    import psycopg

    with psycopg.connect(throwaway_database.replace("postgres://", "postgresql://", 1)) as conn:
        groups = {row[0] for row in conn.execute("SELECT name FROM auth_group")}
    assert {"Quản trị", "Cán bộ y tế", "Cán bộ một cửa", "Cán bộ xã"} <= groups
    # gunicorn ran as configured, without a control socket.
    assert "Listening at: http://127.0.0.1:" in output
    assert not list(tmp_path.glob("**/gunicorn.ctl"))


def test_entrypoint_passes_other_commands_through(tmp_path):
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [str(ROOT / "scripts" / "entrypoint.sh"), "python", "-c", "print('ok')"],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_entrypoint_script_is_valid_posix_shell():
    shell = shutil.which("dash") or shutil.which("sh")
    result = subprocess.run([shell, "-n", str(ROOT / "scripts" / "entrypoint.sh")])
    assert result.returncode == 0


# --- The Dockerfile and the compose file -----------------------------------------------------


def test_dockerfile_is_multi_stage_non_root_and_prepares_static_and_catalogues():
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("FROM python:3.11-slim") == 2
    assert text.index("COPY requirements.txt") < text.index("COPY --chown=portal:portal . /app")
    assert "USER portal" in text
    assert "collectstatic" in text and "compile_catalogues" in text
    assert 'ENTRYPOINT ["/app/scripts/entrypoint.sh"]' in text
    assert "--no-control-socket" in (ROOT / "scripts" / "entrypoint.sh").read_text()


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".env", ".venv", "var"):
        assert entry in ignored


def test_compose_runs_the_whole_stack_with_health_checks_and_private_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"nginx", "web", "worker", "beat", "db", "cache", "broker"} <= set(services)
    for name in ("web", "worker", "beat", "db", "cache", "broker"):
        assert "healthcheck" in services[name], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    nginx_volumes = services["nginx"]["volumes"]
    assert any(v.startswith("./deploy/nginx.conf:") for v in nginx_volumes)
    # The certificate path deploy/nginx.conf names, and HTTPS published.
    assert "./deploy/certs:/etc/nginx/certs:ro" in nginx_volumes
    assert "443:443" in services["nginx"]["ports"]
    assert not any(v.startswith("private:") for v in nginx_volumes)
    # Media and private files are in object storage: no container keeps them on a volume.
    for name in ("web", "worker", "beat", "nginx"):
        volumes = " ".join(services[name].get("volumes", []))
        assert "/app/var/media" not in volumes and "/app/var/private" not in volumes, name
        assert "minio" in services["minio-init"]["depends_on"]
    assert services["worker"]["command"] == ["worker"]
    assert services["beat"]["command"] == ["beat"]
    assert {"objectdata", "pgdata"} <= set(compose["volumes"])


def test_compose_keeps_the_cache_and_the_broker_in_separate_redis_instances():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    env = services["web"]["environment"]
    assert env["CACHE_URL"].startswith("redis://cache:")
    assert env["CELERY_BROKER_URL"].startswith("redis://broker:")
    assert "REDIS_URL" not in env
    cache = " ".join(services["cache"]["command"])
    assert "--maxmemory " in cache and "--maxmemory-policy allkeys-lru" in cache
    assert "--appendonly no" in cache and "volumes" not in services["cache"]
    broker = " ".join(services["broker"]["command"])
    assert "--appendonly yes" in broker and "noeviction" in broker
    assert any(v.endswith(":/data") for v in services["broker"]["volumes"])
