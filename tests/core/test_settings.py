"""Production settings: they refuse to start without secrets, and pass `check --deploy` cleanly."""

from tests.conftest import manage_in_production


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
    assert result.stdout.split() == ["django.db.backends.postgresql", "600", "True"], result.stderr
