"""Page weight: what a phone downloads on its first visit to each public page type.

A throwaway portal (SQLite in a temporary folder, the demo content, static files collected and
pre-compressed the way production serves them through WhiteNoise, media files served beside it
as nginx does) runs under gunicorn on 127.0.0.1:8650-8699. Chromium at 360×740 with an empty
cache opens each public page type once and records every request: bytes transferred (headers
plus encoded body, as Chromium counts them), request count, requests to other hosts. HTML is
measured as the application sends it; a gzip in front (nginx) would only make it lighter.

Budgets: home ≤ 120 KB, check-in page ≤ 40 KB, no request to another host on any page.

    .venv/bin/python bench/bench_page_weight.py        # prints Markdown; exit 1 if a budget fails
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.lib import free_port  # noqa: E402
from tests.e2e.helpers import BROWSER_ARGS, PHONE, RequestRecorder  # noqa: E402

KB = 1024
BUDGETS = {"home": 120 * KB, "check-in page": 40 * KB}
PORTS = range(8650, 8700)
PYTHON = sys.executable

_RESOLVE = """
import json, django
django.setup()
from tests.e2e.pages import public_pages
pages = public_pages()
print(json.dumps({"found": pages.found, "missing": pages.missing}))
"""


def application(environ, start_response):
    """The portal as gunicorn serves it, plus /media/ as nginx serves it in production."""
    return _media_app()(environ, start_response)


@cache
def _media_app():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    # autorefresh: image renditions are made while the pages are first rendered.
    app = WhiteNoise(get_wsgi_application(), autorefresh=True)
    app.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
    return app


def _chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    return path


def _run(args, env, **kwargs):
    return subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs
    )


def prepare_portal(workdir: Path, port: int) -> dict:
    """A fresh database with the demo content, static files collected and compressed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "STATIC_ROOT": str(workdir / "static"),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)  # a local-memory cache, like one gunicorn worker's own
    _run(["manage.py", "compile_catalogues", "--verbosity", "0"], env)
    _run(["manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
    _run(["manage.py", "load_demo_content", "--verbosity", "0"], env)
    _run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    _run(["-m", "whitenoise.compress", "--quiet", str(workdir / "static")], env)
    return env


def resolve_pages(env) -> tuple[dict, dict]:
    out = _run(["-c", _RESOLVE], env).stdout.strip().splitlines()[-1]
    data = json.loads(out)
    return data["found"], data["missing"]


def start_server(env, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting") from None
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("the portal did not answer /healthz within 30 s")


def measure(pages: dict, origin: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True, args=BROWSER_ARGS)
        try:
            for name, path in pages.items():
                context = browser.new_context(base_url=origin, locale="vi-VN", **PHONE)
                page = context.new_page()
                recorder = RequestRecorder(origin=origin).attach(page)
                response = page.goto(path, wait_until="load")
                page.wait_for_load_state("networkidle")
                rows.append(
                    {
                        "name": name,
                        "path": path,
                        "status": response.status if response else None,
                        "bytes": recorder.total_bytes,
                        "requests": recorder.count,
                        "other_hosts": recorder.other_hosts,
                    }
                )
                context.close()
        finally:
            browser.close()
    return rows


def report(rows: list[dict], missing: dict) -> tuple[str, bool]:
    lines = [
        "## Page weight at 360×740, first load",
        "",
        "| page type | path | status | transferred | requests | other hosts |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | `{r['path']}` | {r['status']} | {r['bytes'] / KB:.1f} KB "
            f"| {r['requests']} | {len(r['other_hosts'])} |"
        )
    for name, why in missing.items():
        lines.append(f"| {name} | — | not measured: {why} | | | |")
    lines += ["", "| budget | limit | measured | result |", "| --- | ---: | ---: | --- |"]
    ok = True
    by_name = {r["name"]: r for r in rows}
    for name, limit in BUDGETS.items():
        row = by_name.get(name)
        if row is None:
            lines.append(f"| {name} | ≤ {limit // KB} KB | — | FAIL (page not available) |")
            ok = False
            continue
        passed = row["bytes"] <= limit and row["status"] == 200
        ok &= passed
        lines.append(
            f"| {name} | ≤ {limit // KB} KB | {row['bytes'] / KB:.1f} KB "
            f"| {'pass' if passed else 'FAIL'} |"
        )
    others = sorted({url for r in rows for url in r["other_hosts"]})
    ok &= not others
    lines.append(
        f"| requests to other hosts, all pages | 0 | {len(others)} "
        f"| {'pass' if not others else 'FAIL: ' + ', '.join(others[:5])} |"
    )
    return "\n".join(lines), ok


def main(argv=None) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-page-weight-") as tmp:
        port = free_port(PORTS.start, PORTS.stop - 1)
        env = prepare_portal(Path(tmp), port)
        pages, missing = resolve_pages(env)
        server = start_server(env, port)
        try:
            rows = measure(pages, f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    text, ok = report(rows, missing)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
