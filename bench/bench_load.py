"""Load: 20,000 check-ins and 500 e-service submissions at 64 concurrent connections.

gunicorn with the production settings on 127.0.0.1:8500-8599, on PostgreSQL (a database of its
own, ``ops_bench``, dropped afterwards) and Redis when they answer, else SQLite and the embedded
broker. Every acknowledged write (a check-in answered 302, a dossier whose code was shown) must be
in the database; no answer may be a 5xx. Rate limits are off: every request comes from one address.

    .venv/bin/python bench/bench_load.py     # prints Markdown
    BENCH_CHECKINS=2000 BENCH_SUBMISSIONS=50 BENCH_CONCURRENCY=16 ...   # a smaller run
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.lib import (  # noqa: E402
    TABLE_HEADER,
    Client,
    Server,
    checkin_request,
    drop_database,
    eservice_submission,
    postgres_url,
    recreate_database,
    redis_url,
    run_load,
    seed_checkpoints,
    vietnamese_name,
)

CHECKINS = int(os.environ.get("BENCH_CHECKINS", 20_000))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", 500))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 64))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", (os.cpu_count() or 1) * 2 + 1))
CHECKPOINTS = 20


def main() -> int:
    database = postgres_url("ops_bench")
    broker = redis_url() if database else None
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-load-"))
    if database:
        recreate_database(database)
    else:
        database = f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {"RATELIMIT_ENABLE": "0", "PORTAL_OTP_REQUIRED": "0"}
    server = Server(database, folder, workers=WORKERS, env=env, redis_url=broker)
    try:
        started = time.monotonic()
        server.start()
        server.manage("load_demo_content")
        names = [f"Điểm kiểm dịch số {chr(65 + i)}" for i in range(CHECKPOINTS)]
        codes = seed_checkpoints(server, names)
        setup = time.monotonic() - started

        # Check-ins: each job is one new visitor at one of the checkpoints.
        acked_phones = []

        def checkin(client, n):
            phone = f"09{n:08d}"
            request = checkin_request(client, codes[n % len(codes)], vietnamese_name(n), phone)
            t0 = time.perf_counter()
            status = client.send(request)[0]
            if status == 302:
                acked_phones.append(phone)
            return status, time.perf_counter() - t0

        checkins = run_load(range(CHECKINS), CONCURRENCY, lambda: Client(server.port), checkin)

        # E-service submissions: the whole wizard; latency is the final submission's.
        acked_codes = []

        def submit(_state, n):
            status, code, seconds = eservice_submission(server.port, n)
            if code:
                acked_codes.append(code)
            return (302 if code else status), seconds

        submissions = run_load(range(SUBMISSIONS), CONCURRENCY, lambda: None, submit)

        stored_phones = set(server.query("SELECT phone FROM checkpoints_checkin"))
        stored_codes = set(server.query("SELECT code FROM eservices_dossier"))
    finally:
        server.stop()
        if database.startswith("postgres"):
            drop_database(database)

    lost_checkins = [p for p in acked_phones if p not in stored_phones]
    lost_dossiers = [c for c in acked_codes if c not in stored_codes]
    five_xx = sum(n for s, n in checkins.statuses.items() if s >= 500) + sum(
        n for s, n in submissions.statuses.items() if s >= 500
    )
    stack = (
        "PostgreSQL + Redis" if broker else ("PostgreSQL" if "postgres" in database else "SQLite")
    )
    print("## Load: check-ins and e-service submissions\n")
    print(
        f"gunicorn ({WORKERS} sync workers, production settings) on loopback, {stack}; "
        f"{CONCURRENCY} concurrent connections; rate limits off; setup {setup:.0f} s.\n"
    )
    print(TABLE_HEADER)
    print(checkins.summary_row(f"check-in (POST /c/<code>), {CHECKPOINTS} checkpoints"))
    print(submissions.summary_row("e-service dossier (final POST of a 3-step wizard)"))
    print()
    print(f"- Check-ins acknowledged: {len(acked_phones):,} of {CHECKINS:,}; "
          f"statuses {dict(checkins.statuses)}; client errors {dict(checkins.errors)}; "
          f"acknowledged but missing from the database: **{len(lost_checkins)}**.")  # fmt: skip
    print(f"- Dossiers acknowledged (code shown): {len(acked_codes):,} of {SUBMISSIONS:,}; "
          f"statuses {dict(submissions.statuses)}; client errors {dict(submissions.errors)}; "
          f"acknowledged but missing: **{len(lost_dossiers)}**; "
          f"{SUBMISSIONS / submissions.seconds:.1f} whole dossiers/s.")  # fmt: skip
    print(f"- 5xx answers: **{five_xx}**.\n")
    return 1 if (lost_checkins or lost_dossiers or five_xx) else 0


if __name__ == "__main__":
    sys.exit(main())
