"""Production settings: they refuse to start without secrets, and pass `check --deploy` cleanly."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import manage_in_production

ROOT = Path(__file__).resolve().parents[2]


def test_production_passes_check_deploy_without_warnings():
    result = manage_in_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage_in_production("check", drop=["DJANGO_SECRET_KEY"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage_in_production("check", drop=["DJANGO_ALLOWED_HOSTS"])
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_postgres_connections_are_kept_open():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {"DATABASE_URL": "postgres://u@db:5432/portal"}
    result = manage_in_production("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["portal.core.postgresql", "600", "True"], result.stderr


def _refused(result, *words):
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr, result.stderr[-2000:]
    message = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in message, message


def test_production_refuses_to_start_without_a_database_url():
    _refused(manage_in_production("check", drop=["DATABASE_URL"]), "DATABASE_URL")


def test_production_refuses_sqlite():
    env = {"DATABASE_URL": "sqlite:////tmp/portal-production.sqlite3"}
    _refused(manage_in_production("check", env=env), "DATABASE_URL", "PostgreSQL")


def test_production_refuses_to_start_without_redis():
    _refused(manage_in_production("check", drop=["REDIS_URL"]), "REDIS_URL")
    # A cache alone is not enough: the broker must be named too.
    env = {"CACHE_URL": "redis://cache.invalid:6379/0"}
    _refused(manage_in_production("check", env=env, drop=["REDIS_URL"]), "CELERY_BROKER_URL")


def test_production_starts_with_separate_cache_and_broker():
    env = {"CACHE_URL": "redis://cache.invalid:6379/0", "CELERY_BROKER_URL": "redis://b.invalid/0"}
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = manage_in_production("shell", "--no-imports", "-c", code, env=env, drop=["REDIS_URL"])
    assert result.stdout.split() == ["portal.core.redis_cache.FailOpenRedisCache"], result.stderr


def test_production_refuses_to_start_without_base_url():
    _refused(manage_in_production("check", drop=["BASE_URL"]), "BASE_URL")


def test_production_refuses_a_base_url_on_this_machine():
    for url in ("http://127.0.0.1:8000", "http://localhost", "https://[::1]/", "http://127.0.1.1"):
        _refused(manage_in_production("check", env={"BASE_URL": url}), "BASE_URL")


def test_production_refuses_the_secret_key_of_env_example():
    example = (ROOT / ".env.example").read_text()
    key = next(
        line.split("=", 1)[1]
        for line in example.splitlines()
        if line.startswith("DJANGO_SECRET_KEY=")
    )
    _refused(manage_in_production("check", env={"DJANGO_SECRET_KEY": key}), "DJANGO_SECRET_KEY")


def test_development_settings_keep_their_embedded_defaults():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.BASE_URL)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for name in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "BASE_URL"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "http://127.0.0.1:8000",
    ], result.stderr
