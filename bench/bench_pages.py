"""Public pages: requests/s of cached and uncached pages against a static file, then the edge.

One gunicorn (production settings, PostgreSQL with the demo content, local-memory cache) serves:
the cached home page, a cached news item, the same news item uncached (a "messages" cookie makes
the portal skip its page cache, as for a visitor with a pending message: the page is rendered for
that visitor, from its remembered route and shared fragments, see portal/core/pages.py), and a
10 KB static file through WhiteNoise. Then Debian's nginx runs deploy/nginx.conf on loopback
(only addresses and paths replaced) and serves the cached news item from its micro-cache and the
static file itself. Last, for comparison, the same gunicorn with every portal cache off renders
the news item from the database on every request.

Load: wrk (Debian package) when installed, otherwise a bounded asyncio keep-alive client.
Goals (issue 3): cached >= 0.85x static, uncached >= 0.1x static, nginx page >= 0.5x nginx static.

Run: .venv/bin/python bench/bench_pages.py  (prints Markdown lines; bench/run.py calls main()).
"""

import asyncio
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN_PORT = 8150
NGINX_PORT = 8151
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
NEWS_URL = "/tin-tuc/vinh-loc-day-manh-quet-ma-qr/"
STATIC_NAME = "bench/bench-10k.css"


def _database_url() -> str:
    """A PostgreSQL database of this bench's own: production settings refuse anything else."""
    sys.path.insert(0, str(ROOT))
    from bench import lib

    url = lib.postgres_url("bench_pages")
    if url is None:
        raise RuntimeError("bench_pages needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432)")
    lib.recreate_database(url)
    return url


def _env(tmp: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": database_url,
        # Production refuses this machine's own address in QR codes and links.
        "BASE_URL": "https://vinhloc.example.vn",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_DIR": str(tmp / "celery"),
        "CELERY_TASK_ALWAYS_EAGER": "True",
        "CACHE_URL": "locmemcache://bench",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def _wait_for_port_free(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                time.sleep(0.2)
        except OSError:
            return
    raise RuntimeError(f"port {port} is still taken")


def _get(port, path, headers=()):
    """One request with the standard library: status, headers (for warm-up and checks)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **dict(headers)})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, dict(response.getheaders())


def _wrk(port, path, headers=()):
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s"]
    for name, value in headers:
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} error responses")
    return rate


async def _client_loop(port, request: bytes, stop_at, counter):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < stop_at:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.split(b"\r\n", 1)[0].decode())
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
            await reader.readexactly(length)
            counter[0] += 1
    finally:
        writer.close()


async def _python_load(port, path, headers):
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
    counter = [0]
    start = time.monotonic()
    stop_at = start + DURATION
    await asyncio.gather(
        *(_client_loop(port, request, stop_at, counter) for _ in range(CONNECTIONS))
    )
    return counter[0] / (time.monotonic() - start)


def measure(port, path, headers=()):
    if shutil.which("wrk"):
        return _wrk(port, path, headers)
    return asyncio.run(_python_load(port, path, headers))


def _nginx_conf(tmp: Path) -> Path:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = [
        ("server web:8000;", f"server 127.0.0.1:{GUNICORN_PORT};"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{NGINX_PORT} default_server;"),
        # Plain HTTP on loopback: no certificate, no redirect to HTTPS.
        ("listen 443 ssl default_server;", ""),
        ("ssl_certificate /etc/nginx/certs/fullchain.pem;", ""),
        ("ssl_certificate_key /etc/nginx/certs/privkey.pem;", ""),
        ("if ($redirect_to_https) {", "if ($redirect_to_https = never) {"),
        ("/app/var/static/", f"{tmp / 'static'}/"),
        ("/app/var/media/", f"{tmp / 'media'}/"),
        ("/var/cache/nginx/portal", str(tmp / "nginx-cache")),
        ("pid /tmp/nginx.pid;", f"pid {tmp / 'nginx.pid'};"),
        ("access_log /dev/stdout", f"access_log {tmp / 'nginx-access.log'}"),
        ("error_log /dev/stderr", f"error_log {tmp / 'nginx-error.log'}"),
    ]
    for old, new in replacements:
        if old not in conf:
            raise RuntimeError(f"deploy/nginx.conf changed: {old!r} not found")
        conf = conf.replace(old, new)
    path = tmp / "nginx.conf"
    path.write_text(conf)
    return path


def _stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def run():
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmpdir:
        tmp = Path(tmpdir)
        database_url = _database_url()
        env = _env(tmp, database_url)
        _manage(env, "migrate", "--noinput", "--verbosity", "0")
        _manage(env, "load_demo_content", "--force", "--verbosity", "0")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        static_file = tmp / "static" / STATIC_NAME
        static_file.parent.mkdir(parents=True, exist_ok=True)
        static_file.write_text(("/* bench */ .x{color:#123456}\n" * 400)[:10240])
        static_url = f"/static/{STATIC_NAME}"

        def start_gunicorn(extra_env=()):
            process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "portal.wsgi", "-w", "2", "--no-control-socket",
                 "-b", f"127.0.0.1:{GUNICORN_PORT}", "--log-level", "warning"],
                cwd=ROOT, env={**env, **dict(extra_env)},
            )  # fmt: skip
            _wait_for_port(GUNICORN_PORT)
            return process

        gunicorn = nginx = None
        try:
            gunicorn = start_gunicorn()
            for path in ("/", NEWS_URL, static_url):
                for _ in range(4):  # both workers, renditions made, pages cached
                    status, _headers = _get(GUNICORN_PORT, path)
                    assert status == 200, (path, status)
            uncached = (("Cookie", "messages=bench"),)
            status, headers = _get(GUNICORN_PORT, NEWS_URL, uncached)
            assert status == 200 and "X-Portal-Cache" not in headers, headers
            results["static"] = measure(GUNICORN_PORT, static_url)
            results["home"] = measure(GUNICORN_PORT, "/")
            results["news"] = measure(GUNICORN_PORT, NEWS_URL)
            results["uncached"] = measure(GUNICORN_PORT, NEWS_URL, uncached)

            if shutil.which("nginx"):
                # nginx's workers drop root: they must read the files and write the cache.
                tmp.chmod(0o755)
                (tmp / "nginx-cache").mkdir(mode=0o777)
                (tmp / "nginx-cache").chmod(0o777)
                conf = _nginx_conf(tmp)
                nginx = subprocess.Popen(
                    ["nginx", "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
                    stderr=subprocess.DEVNULL,
                )
                _wait_for_port(NGINX_PORT)
                for _ in range(3):
                    _get(NGINX_PORT, NEWS_URL)
                _status, headers = _get(NGINX_PORT, NEWS_URL)
                results["edge_status"] = headers.get("X-Edge-Cache", "?")
                results["nginx_static"] = measure(NGINX_PORT, static_url)
                results["nginx_page"] = measure(NGINX_PORT, NEWS_URL)
                _stop(nginx)

            # For comparison: every portal cache off (pages, routes, fragments), so the page
            # is routed and rendered from the database on every request, as stock Wagtail does.
            _stop(gunicorn)
            _wait_for_port_free(GUNICORN_PORT)
            gunicorn = start_gunicorn({"PAGE_CACHE_ENABLED": "False"})
            for _ in range(4):
                status, _headers = _get(GUNICORN_PORT, NEWS_URL)
                assert status == 200, status
            results["cold"] = measure(GUNICORN_PORT, NEWS_URL)
        finally:
            _stop(nginx)
            _stop(gunicorn)
            from bench import lib

            lib.drop_database(database_url)
    return results


def main():
    r = run()
    tool = "wrk -t2" if shutil.which("wrk") else "asyncio client"
    print(f"## Public pages ({tool}, {CONNECTIONS} connections, {DURATION} s each)")
    print()
    print("| what | requests/s | ratio | goal |")
    print("| --- | ---: | ---: | --- |")
    static = r["static"]
    print(f"| 10 KB static file, WhiteNoise (gunicorn -w 2) | {static:,.0f} | 1.00 | |")
    for key, label, goal in (
        ("home", "home page, cached", 0.85),
        ("news", "news item, cached", 0.85),
        ("uncached", "news item, uncached", 0.10),
    ):
        ratio = r[key] / static
        mark = "ok" if ratio >= goal else "MISSED"
        print(f"| {label} | {r[key]:,.0f} | {ratio:.2f} | >= {goal} {mark} |")
    cold = r["cold"]
    print(
        f"| news item, every portal cache off (as stock Wagtail) | {cold:,.0f} | "
        f"{cold / static:.2f} | for comparison |"
    )
    if "nginx_static" in r:
        nginx_static, page = r["nginx_static"], r["nginx_page"]
        ratio = page / nginx_static
        mark = "ok" if ratio >= 0.5 else "MISSED"
        print(f"| nginx: 10 KB static file | {nginx_static:,.0f} | 1.00 | |")
        print(
            f"| nginx: news item from the micro-cache ({r['edge_status']}) | {page:,.0f} | "
            f"{ratio:.2f} | >= 0.5 {mark} |"
        )
    else:
        print("| nginx | not installed (apt-get install nginx) | | |")
    print()


if __name__ == "__main__":
    main()
