"""Browser tests: Playwright for Python driving Debian's Chromium against a live portal.

- ``portal`` (module scope): the demo content loaded into the test database and the portal served
  by a thread on a port of 8600-8649. The data live for the whole module and are flushed at its end
  (post_migrate then remakes the base data), so the journeys of a module share the demo content but
  never see another module's writes. Each journey creates what it needs and reads nothing another
  journey wrote.
- ``browser`` (one per session): Chromium from the system (``chromium_path`` skips on a laptop
  without it and fails in CI); Playwright never downloads a browser.
- ``phone`` / ``desktop``: a fresh browser context (no cookies, empty cache) with its first page;
  ``phone`` is 360×740, touch, device scale factor 2, an Android user agent.
- helpers in ``tests.e2e.helpers``: ``axe_check``, keyboard navigation, ``RequestRecorder``.

``--screenshots`` runs ``test_screenshots.py`` (``make screenshots``); without it those tests are
deselected, not skipped.
"""

import os
import socket
from contextlib import closing
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test.utils import override_settings

from tests.e2e.helpers import BROWSER_ARGS, DESKTOP, PHONE, PageErrors

PORT_RANGE = range(8600, 8650)  # 8650-8699: bench/bench_page_weight.py
DEFAULT_TIMEOUT_MS = 15_000


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="save phone and desktop screenshots of every page type into screenshots/",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "screenshots: writes screenshots/ (runs only with --screenshots)"
    )


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    wanted = config.getoption("--screenshots", default=False)
    kept, deselected = [], []
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.e2e)
            if item.get_closest_marker("screenshots") and not wanted:
                deselected.append(item)
                continue
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# --- The live portal ---------------------------------------------------------------------------


@dataclass
class Portal:
    """The portal served for a module's journeys."""

    url: str
    host: str
    port: int

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def _free_port(worker: str) -> int:
    offset = int(worker[2:]) * 10 if worker.startswith("gw") and worker[2:].isdigit() else 0
    candidates = [*PORT_RANGE[offset % len(PORT_RANGE) :], *PORT_RANGE[: offset % len(PORT_RANGE)]]
    for port in candidates:
        with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8600-8649 for the e2e portal")


@pytest.fixture(autouse=True)
def _media_in_tmp():
    """Keep the test settings' media folders for a whole module (no per-test folder): the demo
    images written when the module's portal started must still be there for every journey."""


def _static_and_media_handler():
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.views.static import serve

    class StaticAndMediaHandler(StaticFilesHandler):
        """Static files as in development, media files as nginx serves them in production."""

        def _should_handle(self, path):
            return path.startswith(settings.MEDIA_URL) or super()._should_handle(path)

        def serve(self, request):
            if request.path.startswith(settings.MEDIA_URL):
                path = request.path[len(settings.MEDIA_URL) :]
                return serve(request, path, document_root=settings.MEDIA_ROOT)
            return super().serve(request)

    return StaticAndMediaHandler


def _clear_caches():
    for alias in caches:
        caches[alias].clear()


@pytest.fixture(scope="session")
def _e2e_database(django_db_setup, django_db_blocker, django_db_keepdb):
    """The test database, even when no collected test asked pytest-django for one.

    pytest-django creates only the databases that collected tests request through ``db``,
    ``transactional_db``, ``live_server`` or the ``django_db`` marker; the journeys use none of
    those (they share a module's data instead of flushing after every test).
    """
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    conn = connections["default"]
    if conn.settings_dict["NAME"] == conn.creation._get_test_db_name():
        yield
        return
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, keepdb=django_db_keepdb, aliases={"default"}
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0, keepdb=django_db_keepdb)


@pytest.fixture(scope="module")
def portal(request, _e2e_database, django_db_blocker):
    """Demo content in the test database, served by a live server thread (module scope)."""
    from django.db import connections
    from django.test.testcases import LiveServerThread

    from portal.settings import base

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    # The search backend the portal runs with (diacritic folding), set before the demo pages are
    # indexed, and the page cache on, as in production (test.py turns it off for unit tests).
    search = override_settings(
        WAGTAILSEARCH_BACKENDS=base.WAGTAILSEARCH_BACKENDS, PAGE_CACHE_ENABLED=True
    )
    search.enable()
    # Each request closes its database connection: a browser's keep-alive connection must not
    # hold a PostgreSQL session open after the module, or the test database cannot be dropped.
    max_ages = {c.alias: c.settings_dict.get("CONN_MAX_AGE", 0) for c in connections.all()}
    for conn in connections.all():
        conn.settings_dict["CONN_MAX_AGE"] = 0
    with django_db_blocker.unblock():
        _clear_caches()
        call_command("load_demo_content", verbosity=0)
        # SQLite in memory would need the connection shared; the test database is a file here.
        overrides = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        thread = None
        for _attempt in range(5):
            port = _free_port(worker)
            thread = LiveServerThread(
                "127.0.0.1",
                _static_and_media_handler(),
                connections_override=overrides,
                port=port,
            )
            thread.daemon = True
            thread.start()
            thread.is_ready.wait()
            if thread.error is None:
                break
            thread.join()
        if thread is None or thread.error:
            raise RuntimeError(f"the e2e portal could not start: {thread and thread.error}")
        url = f"http://127.0.0.1:{thread.port}"
        # QR codes, e-mails and admin links carry BASE_URL: point them at this server.
        urls = override_settings(BASE_URL=url, WAGTAILADMIN_BASE_URL=url)
        urls.enable()
        try:
            yield Portal(url=url, host="127.0.0.1", port=thread.port)
        finally:
            urls.disable()
            thread.terminate()
            # Like a transactional test: empty the database; post_migrate remakes the base data.
            call_command("flush", interactive=False, verbosity=0)
            _clear_caches()
            search.disable()
            for conn in connections.all():
                conn.settings_dict["CONN_MAX_AGE"] = max_ages[conn.alias]
            # Playwright's greenlet has its own context, hence its own connection objects: close
            # them here, or PostgreSQL keeps an idle session that blocks dropping the database.
            connections.close_all()


@pytest.fixture
def db_access(django_db_blocker):
    """Read or write the portal's database from the test itself (inside a ``portal`` module)."""
    from django.db import connections

    with django_db_blocker.unblock():
        yield
        connections.close_all()


# --- Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _browser_holder():
    holder = {}
    yield holder
    if "browser" in holder:
        holder["browser"].close()
        holder["playwright"].stop()


@pytest.fixture
def browser(chromium_path, _browser_holder):
    """One headless Chromium for the whole session, started on first use."""
    if "browser" not in _browser_holder:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run
        # beside one unless told it is safe. It is: the loop only drives the browser.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        _browser_holder["playwright"] = playwright
        _browser_holder["browser"] = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=BROWSER_ARGS
        )
    return _browser_holder["browser"]


def _context(browser, portal, device):
    context = browser.new_context(base_url=portal.url, locale="vi-VN", **device)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def phone_context(browser, portal):
    context = _context(browser, portal, PHONE)
    yield context
    context.close()


@pytest.fixture
def desktop_context(browser, portal):
    context = _context(browser, portal, DESKTOP)
    yield context
    context.close()


@pytest.fixture
def new_context(browser, portal):
    """Another person's browser: ``new_context()`` (phone) or ``new_context(DESKTOP)``."""
    made = []

    def make(device=PHONE):
        made.append(_context(browser, portal, device))
        return made[-1]

    yield make
    for context in made:
        context.close()


@pytest.fixture
def phone(phone_context):
    """A page at 360×740 (touch, 2× pixels) in a fresh context; fails on uncaught script errors."""
    page = phone_context.new_page()
    errors = PageErrors(page)
    yield page
    errors.assert_none()


@pytest.fixture
def desktop(desktop_context):
    page = desktop_context.new_page()
    errors = PageErrors(page)
    yield page
    errors.assert_none()
