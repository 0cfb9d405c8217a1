"""Shared benchmark helpers: gunicorn with the production settings on loopback, request builders
for the public writes, and a bounded threaded load client with latency percentiles.

Everything runs on 127.0.0.1 and stops what it starts. Used by bench/bench_*.py and by
tests/integration/test_faults.py.
"""

from __future__ import annotations

import http.client
import os
import platform
import queue
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "vinhloc.thanhhoa.gov.vn"  # the Host header requests carry (ALLOWED_HOSTS)
STATIC_CACHE = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/portal-bench-static"))


def static_is_current() -> bool:
    """Whether the collected static files (kept between runs) hold every file of the portal's
    static folders as it is now: a file added or changed since means collecting again (the
    production settings refuse a file missing from the manifest)."""
    manifest = STATIC_CACHE / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    return all(
        path.stat().st_mtime <= collected
        for folder in (ROOT / "portal").glob("**/static")
        for path in folder.rglob("*")
        if path.is_file()
    )


def free_port(start=8500, end=8599) -> int:
    for port in range(start, end + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{end}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        mem = "RAM unknown"
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {mem}, {system}, Python {platform.python_version()}"


class Server:
    """``scripts/entrypoint.sh web`` (migrate, roles, gunicorn) with the production settings."""

    def __init__(self, database_url, workdir, port=None, workers=2, env=None, redis_url=None):
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.workers = workers
        self.redis_url = redis_url
        self.extra_env = env or {}
        self.process = None
        self.log_path = self.workdir / "gunicorn.log"

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
        for key in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL", "CELERY_TASK_ALWAYS_EAGER"):
            env.pop(key, None)
        folder = self.workdir
        env.update(
            PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
            PYTHON=sys.executable,
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            DJANGO_SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS=HOST,
            BASE_URL=f"https://{HOST}",
            DATABASE_URL=self.database_url,
            STATIC_ROOT=str(STATIC_CACHE),
            MEDIA_ROOT=str(folder / "media"),
            PRIVATE_MEDIA_ROOT=str(folder / "private"),
            PORT=str(self.port),
            BIND="127.0.0.1",
            WEB_CONCURRENCY=str(self.workers),
            PORTAL_ALLOW_DEMO_CONTENT="1",
            LOG_LEVEL="WARNING",
            COLLECTSTATIC="0" if static_is_current() else "1",
        )
        if self.redis_url:
            env.update(REDIS_URL=self.redis_url, CELERY_BROKER_URL=self.redis_url)
        else:
            env.update(CACHE_URL="locmemcache://", CELERY_BROKER_URL="filesystem://",
                       CELERY_FILESYSTEM_DIR=str(folder / "q"))  # fmt: skip
            for sub in ("q/queue", "q/control"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
        env.update(self.extra_env)
        return env

    def manage(self, *args, timeout=600) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, timeout=300):
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = self.env
        # Secret key fixed for the server's life, so signed cookies stay valid across workers.
        self._env = env
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(ROOT / "scripts" / "entrypoint.sh"), "web", "--access-logfile", "/dev/null"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if self.request("GET", "/healthz", host="127.0.0.1")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log_path.read_text()[-3000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- one-off requests and queries --------------------------------------------------------

    def request(self, method, path, body=None, headers=None, host=HOST):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={**base_headers(host), **(headers or {})})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def query(self, sql) -> list:
        import psycopg

        url = self.database_url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(url) as conn:
            return [row[0] for row in conn.execute(sql)]

    def post_checkin(self, code, full_name, phone) -> int:
        client = Client(self.port)
        try:
            return client.send(checkin_request(client, code, full_name, phone))[0]
        except FormUnavailable as exc:
            return exc.status
        finally:
            client.close()


def base_headers(host=HOST) -> dict:
    # nginx terminates HTTPS and says so; gunicorn trusts it from loopback.
    return {"Host": host, "X-Forwarded-Proto": "https", "User-Agent": "portal-bench"}


def seed_checkpoints(server: Server, names: list[str]) -> list[str]:
    """Checkpoints in the first served commune (made once); returns their codes, in order."""
    code = (
        "from portal.checkpoints.models import Checkpoint\n"
        "from portal.core.models import AdministrativeUnit\n"
        "commune = AdministrativeUnit.objects.served().first()\n"
        f"for name in {names!r}:\n"
        "    c, _ = Checkpoint.objects.get_or_create(name=name, commune=commune,"
        " defaults={'address': 'Thị trấn Vĩnh Lộc'})\n"
        "    print(c.code)\n"
    )
    return server.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-len(names) :]


def seed_checkpoint(server: Server, name="Chợ Vĩnh Lộc") -> str:
    return seed_checkpoints(server, [name])[0]


# --- A client with its own connection and cookies -------------------------------------------


class FormUnavailable(Exception):
    """The form page did not load (a clean HTTP error): the client cannot post yet."""

    def __init__(self, status, path):
        super().__init__(f"no form at {path} ({status})")
        self.status = status


class Client:
    """One simulated phone: a keep-alive connection (reopened when gunicorn closes it) and the
    CSRF cookie. Other cookies are not kept, so each check-in is a new visitor's."""

    def __init__(self, port, keep=("csrftoken",)):
        self.port = port
        self.conn = None
        self.keep = set(keep)
        self.cookies = {}

    @property
    def csrf(self):
        return self.cookies.get("csrftoken")

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.conn

    def send(self, req: Request):
        headers = {**base_headers(), **req.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(req.method, req.path, body=req.body, headers=headers)
                response = conn.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"([^=;\s]+)=([^;]*)", value)
            if match and match.group(1) in self.keep:
                self.cookies[match.group(1)] = match.group(2)
        return response.status, response, body

    def csrf_token(self, path) -> str:
        """GET a form page once; Django's masked token from it is valid with the cookie."""
        status, _, body = self.send(Request("GET", path))
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise FormUnavailable(status, path)
        return match.group(1).decode()

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    kind: str = ""


def form(data: dict) -> tuple[bytes, dict]:
    return (
        urllib.parse.urlencode(data).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"},
    )


# --- Request builders: one per public write ----------------------------------------------------

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Hữu", "Ngọc", "Quang", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Oanh",
         "Phúc", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trung", "Uyên", "Việt", "Xuân", "Yến"]  # fmt: skip


def vietnamese_name(n: int) -> str:
    """A plausible full name (names have no digits), varied with n."""
    given = GIVEN[n % len(GIVEN)]
    middle = MIDDLE[(n // len(GIVEN)) % len(MIDDLE)]
    surname = SURNAMES[(n // (len(GIVEN) * len(MIDDLE))) % len(SURNAMES)]
    return f"{surname} {middle} {given}"


def checkin_request(client: Client, code: str, full_name: str, phone: str) -> Request:
    """A first-time visitor's check-in at a checkpoint (portal.checkpoints.views.checkin)."""
    path = f"/c/{code}"
    token = getattr(client, "_checkin_token", None) or client.csrf_token(path)
    client._checkin_token = token
    body, headers = form(
        {
            "csrfmiddlewaretoken": token,
            "full_name": full_name,
            "phone": phone,
            "has_symptoms": "no",
            "had_contact": "no",
            "travelled": "no",
            "consent": "on",
        }
    )
    return Request("POST", path, body, {**headers, "Referer": f"https://{HOST}{path}"}, "checkin")


MARRIAGE_SERVICE = "xac-nhan-tinh-trang-hon-nhan"


def eservice_submission(port: int, n: int) -> tuple[int, str | None, float]:
    """File one dossier through the wizard (portal.eservices): applicant, marital status,
    check-your-answers with consent. Returns (last status, dossier code or None, seconds of the
    final submission)."""
    client = Client(port, keep=("csrftoken", "sessionid"))
    try:
        status, response, _ = client.send(Request("GET", f"/dich-vu-cong/nop/{MARRIAGE_SERVICE}/"))
        if status != 302:
            return status, None, 0.0
        url = urllib.parse.urlsplit(response.getheader("Location")).path
        answers = {
            "nguoi-yeu-cau": {
                "ho_ten": vietnamese_name(n),
                "ngay_sinh": "1990-05-17",
                "gioi_tinh": "Nữ",
                "so_giay_to": f"038190{n:06d}",
                "dien_thoai": f"097{n:07d}",
                "email": "",
                "noi_cu_tru__province": "38",
                "noi_cu_tru__district": "393",
                "noi_cu_tru__commune": "15349",
                "noi_cu_tru__detail": "Thôn Bắc",
            },
            "hon-nhan": {"tinh_trang": "Chưa kết hôn", "muc_dich": "Đăng ký kết hôn"},
            "kiem-tra": {"consent": "on"},
        }
        elapsed = 0.0
        for _ in range(6):
            status, response, body = client.send(Request("GET", url))
            if status != 200:
                return status, None, elapsed
            code = re.search(rb"VL-\d{6}-\d{4}", body)
            step = re.search(rb'name="([\w-]+)-current_step" value="([^"]+)"', body)
            if step is None:
                return status, code.group(0).decode() if code else None, elapsed
            prefix, current = step.group(1).decode(), step.group(2).decode()
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            data = {"csrfmiddlewaretoken": token.decode(), f"{prefix}-current_step": current}
            data.update({f"{current}-{k}": v for k, v in answers.get(current, {}).items()})
            payload, headers = form(data)
            headers["Referer"] = f"https://{HOST}{url}"
            started = time.perf_counter()
            status, response, body = client.send(Request("POST", url, payload, headers))
            elapsed = time.perf_counter() - started
            if status == 302:
                url = urllib.parse.urlsplit(response.getheader("Location")).path
                continue
            return status, None, elapsed
        return status, None, elapsed
    finally:
        client.close()


# --- The load client ---------------------------------------------------------------------------


@dataclass
class LoadResult:
    statuses: Counter
    latencies: list
    seconds: float
    errors: Counter

    @property
    def count(self):
        return sum(self.statuses.values()) + sum(self.errors.values())

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))] * 1000

    def summary_row(self, label: str) -> str:
        mean = statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")
        ok = sum(n for s, n in self.statuses.items() if s < 500)
        return (
            f"| {label} | {self.count:,} | {self.count / self.seconds:,.0f} | {mean:.0f} | "
            f"{self.percentile(50):.0f} | {self.percentile(90):.0f} | {self.percentile(99):.0f} | "
            f"{max(self.latencies) * 1000 if self.latencies else 0:.0f} | "
            f"{self.count - ok} |"
        )


TABLE_HEADER = (
    "| load | requests | req/s | mean ms | p50 ms | p90 ms | p99 ms | max ms | 5xx or errors |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def run_load(jobs, concurrency: int, make_state, perform, max_seconds: float = 900) -> LoadResult:
    """Run ``perform(state, job) -> (status, seconds)`` for every job on ``concurrency`` threads,
    each with its own ``make_state()`` (a Client). Bounded by max_seconds."""
    work = queue.SimpleQueue()
    for job in jobs:
        work.put(job)
    statuses, errors, latencies = Counter(), Counter(), []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker():
        state = make_state()
        try:
            while time.monotonic() < deadline:
                try:
                    job = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    status, seconds = perform(state, job)
                except Exception as exc:  # a refused or reset connection is a result too
                    with lock:
                        errors[type(exc).__name__] += 1
                    continue
                with lock:
                    statuses[status] += 1
                    latencies.append(seconds)
        finally:
            close = getattr(state, "close", None)
            if close:
                close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 5)
    return LoadResult(statuses, latencies, time.perf_counter() - started, errors)


def postgres_url(default_db: str) -> str | None:
    """A database of the bench's own on the PostgreSQL server of DATABASE_URL (or local)."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlsplit(
        url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/x"
    )
    try:
        socket.create_connection((parsed.hostname, parsed.port or 5432), timeout=1).close()
    except OSError:
        return None
    user = parsed.username or "postgres"
    return f"postgres://{user}@{parsed.hostname}:{parsed.port or 5432}/{default_db}"


def recreate_database(url: str):
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    admin = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str):
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    parsed = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1).close()
    except OSError:
        return None
    return url
