"""Shared fixtures.

Services: tests that need PostgreSQL, Redis or Chromium skip on a laptop without them; in CI
(``PORTAL_REQUIRE_SERVICES=1``, set by .ci/run) a missing service fails the test instead.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


def need_service(reason: str):
    """Skip, or fail when CI promised the service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}: CI requires it, the test must not be skipped")
    pytest.skip(reason)


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        need_service("REDIS_URL is not set")
    if not _port_open(url, 6379):
        need_service(f"Redis does not answer at {url}")
    return url


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        need_service("the tests run on SQLite (DATABASE_URL is not PostgreSQL)")
    return connection


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    if not path:
        need_service("Chromium is not installed")
    return path


def database_url_for_subprocess() -> str:
    """DATABASE_URL of the test database, for a worker or server started by a test."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


# Valid production values. The servers are never reached: the commands run with them
# (`check --deploy`, `shell -c` reading settings) open no connection. A test that needs a live
# database or Redis passes its own URLs in ``env``.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Q9z!x" * 8,
    "DJANGO_ALLOWED_HOSTS": "vinhloc.thanhhoa.gov.vn",
    "BASE_URL": "https://vinhloc.thanhhoa.gov.vn",
    "DATABASE_URL": "postgres://portal@db.invalid:5432/portal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def manage_in_production(*args, env=None, drop=()):
    """``manage.py *args`` in a fresh process on the production settings.

    The test run's own Django and database variables are left out; ``env`` adds or replaces
    variables of ``PRODUCTION_ENV``, and ``drop`` removes some (to see production refuse).
    """
    import subprocess
    import sys
    from pathlib import Path

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for name in ("LOG_FORMAT", "REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "BASE_URL"):
        clean.pop(name, None)
    merged = {**clean, **PRODUCTION_ENV, **(env or {})}
    for name in drop:
        merged.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(__file__).resolve().parents[1],
        env=merged,
        capture_output=True,
        text=True,
        timeout=120,
    )


def reset_broker_connections():
    """Forget every broker connection, so the next send opens one to the current ``broker_url``.

    ``app.pool.force_close_all()`` is not enough: the app and kombu's pool registry keep the
    closed pool, and every later ``delay()`` in the process fails with "Acquire on closed pool"
    (even an eager one, which still takes a producer).
    """
    from kombu import pools

    from portal.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _portal_celery_app_stays_current():
    """Shared tasks run on the current Celery app. ``Celery(...)`` makes a new app current unless
    told not to, and every later ``delay()`` of the process then goes to that app (not eager,
    its pool closed): a test far from the cause fails (an e2e module's demo alert was never
    sent). The test that did it fails here instead."""
    from celery import current_app

    from portal.celery import app

    yield
    current = current_app._get_current_object()
    if current is not app:
        app.set_current()
        pytest.fail(
            f"the test left Celery app {current.main!r} current: create it with "
            "set_as_current=False"
        )


def _counted_queries(num, exact, using="default"):
    """Like pytest-django's query-count fixtures, but a failure always lists the statements: a
    budget broken on CI only (another test's leftovers, a cold process) must say why there."""
    from contextlib import contextmanager

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def counting():
        with CaptureQueriesContext(connections[using]) as context:
            yield context
        done = len(context)
        if done != num if exact else done > num:
            statements = "\n\n".join(q["sql"] for q in context.captured_queries)
            bound = "" if exact else " or less"
            pytest.fail(f"Expected {num} queries{bound}, {done} were done:\n\n{statements}")

    return counting()


@pytest.fixture
def django_assert_num_queries(db):
    return lambda num, **kwargs: _counted_queries(num, True, **kwargs)


@pytest.fixture
def django_assert_max_num_queries(db):
    return lambda num, **kwargs: _counted_queries(num, False, **kwargs)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture(scope="module", autouse=True)
def _database_closed_after_each_module():
    """Close this module's database connections when it ends. Django keeps connections per
    context; after the browser tests (Playwright's sync API runs an event loop and greenlets in
    this thread) later modules were seen to query through a connection that the session's final
    teardown does not hold, so it stayed open and PostgreSQL would not drop the test database
    ("being accessed by other users"). Closing at each module's end, in the context its tests
    ran in, leaves none behind."""
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture(autouse=True)
def _nothing_kept_from_earlier_tests():
    """Each test starts with an empty cache and no copy of its content in this process (the
    former host names' memo, the kept locale): an entry or a copy that an earlier test made,
    on other data, could be read, or expire in the middle of this test and cost a query that a
    count would see."""
    from django.core.cache import caches

    from portal.core.cache import forget_process_copies

    for alias in caches:
        caches[alias].clear()
    forget_process_copies()


@pytest.fixture(autouse=True)
def _page_views_flush_period(monkeypatch):
    """With the local-memory cache a process adds its pending page views to the database every
    LOCAL_FLUSH_SECONDS of its life, on the view that ends the period: a run of the suite lasts
    many periods, so each test starts a fresh one and none counts queries across that flush
    (the tests of the flush itself move the period's start)."""
    import time

    from portal.reports import counting

    monkeypatch.setitem(counting._local_flush, "at", time.monotonic())


def _module_shares_demo(request) -> bool:
    """Whether every test of this module asks for ``demo`` and none needs its writes committed
    (``transactional_db``, ``live_server``): then the module shares one loading of it."""
    items = [item for item in request.session.items if item.module is request.module]
    return bool(items) and all(
        "demo" in item.fixturenames
        and not {"transactional_db", "live_server"} & set(item.fixturenames)
        for item in items
    )


@pytest.fixture(scope="module")
def _module_demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content committed once for a module whose tests all use it (see ``demo``);
    flushed at the module's end. None where each test loads its own."""
    if not _module_shares_demo(request):
        yield None
        return
    from django.test.utils import override_settings

    from tests.content_fixtures import restore_wagtail_base_data

    media = tmp_path_factory.mktemp("demo-media")
    folders = {"MEDIA_ROOT": str(media / "media"), "PRIVATE_MEDIA_ROOT": str(media / "private")}
    with django_db_blocker.unblock(), override_settings(**folders):
        call_command("load_demo_content", verbosity=0)
    yield folders
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)  # post_migrate remakes base data
        restore_wagtail_base_data()


@pytest.fixture
def demo(_module_demo, db, settings):
    """The full demo content (every app's demo loader), the default site returned.

    The demo content takes seconds to build: a module whose tests all use it loads it once
    (each test still runs in its own rolled-back transaction); elsewhere each test loads it."""
    from wagtail.models import Site

    if _module_demo is None:
        call_command("load_demo_content", verbosity=0)
    else:  # the cache starts empty for every test (_nothing_kept_from_earlier_tests)
        for name, folder in _module_demo.items():
            setattr(settings, name, folder)
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def served_communes(db):
    from portal.core.models import AdministrativeUnit

    return list(AdministrativeUnit.objects.served())


@pytest.fixture
def staff_user_factory(db):
    """Create a staff user with a commune scope: staff_user_factory(communes=[...] | all=True)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from portal.core.models import StaffScope

    counter = {"n": 0}

    def make(communes=(), all_communes=False, groups=(), perms=(), superuser=False):
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=f"staff{counter['n']}",
            password="pw-for-tests-123",
            is_staff=True,
            is_superuser=superuser,
        )
        scope = StaffScope.objects.create(user=user, all_communes=all_communes)
        scope.communes.set(communes)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        for codename in perms:
            app_label, code = codename.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=code)
            )
        return user

    return make


def pytest_report_header(config):
    return [
        f"database: {settings.DATABASES['default']['ENGINE']}",
        f"broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
        f"services required: {REQUIRE_SERVICES}",
    ]
