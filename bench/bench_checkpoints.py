"""Checkpoints benchmark: check-in throughput, tracing at 50 thousand and 5 million, posters.

Runs standalone (``.venv/bin/python bench/bench_checkpoints.py``) or from bench/run.py through
``main()``, which prints Markdown. Needs PostgreSQL (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432); it creates the database ``checkpoints_bench`` and drops it at
the end (BENCH_DB names another). The check-in load runs on gunicorn with the production settings
(bench.lib.Server), on Redis when REDIS_URL answers. Environment: BENCH_PORT (8301),
BENCH_SECONDS (10 per load test), BENCH_BIG (5000000), BENCH_PARTS (``checkins,tracing``;
``checkins`` alone for a quick run), BENCH_WORKERS and BENCH_THREADS (gunicorn's, 4 and 4).
"""

import io
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import lib  # noqa: E402

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = os.environ.get("BENCH_DB", "checkpoints_bench")
PORT = int(os.environ.get("BENCH_PORT", "8301"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
BIG = int(os.environ.get("BENCH_BIG", "5000000"))
SMALL = 50_000
CONCURRENCY = 64
PARTS = set(os.environ.get("BENCH_PARTS", "checkins,tracing").split(","))


def _admin_sql(sql):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django():
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- Check-in throughput ----------------------------------------------------------------------
# Rate limits stay on (their cache round trips are part of a check-in) with ceilings no bench can
# reach: every request comes from one address and 64 devices.
UNREACHABLE = "1000000/m"
BENCH_ENV = {
    "PORTAL_OTP_REQUIRED": "0",
    "GUNICORN_THREADS": os.environ.get("BENCH_THREADS", "4"),
    # No recycling of workers mid-run: a worker booting again (seconds on this machine) after its
    # 2,000th request would be measured as the next load's throughput.
    "GUNICORN_MAX_REQUESTS": "0",
    "RATE_LIMIT_CHECKIN": UNREACHABLE,
    "RATE_LIMIT_CHECKIN_CHECKPOINT": UNREACHABLE,
    "RATE_LIMIT_CHECKIN_ADDRESS": UNREACHABLE,
}


# The load client is wrk (C, one event loop per thread): a Python client used about one of the
# two cores of the machines this runs on, and took it from gunicorn. Both loads run the same way,
# with a Lua script that counts the responses by status.
WRK_THREADS = 2
_WRK_COUNT = """
acknowledged = 0
others = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function response(status, headers, body)
  if status == EXPECTED then acknowledged = acknowledged + 1 else others = others + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("acknowledged"); o = o + t:get("others") end
  io.write(string.format("RESULT %d %d %d %d\\n", a, o, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("LATENCY %d %d\\n", latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _trivial_script() -> str:
    headers = lib.base_headers()
    lines = [_WRK_COUNT.replace("EXPECTED", "200"), 'wrk.method = "GET"']
    lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()]
    lines.append(f"local req = wrk.format(nil, {_lua_string(TRIVIAL_PATH)})")
    lines.append("function request() return req end")
    return "\n".join(lines) + "\n"


def _checkin_script(port, code) -> str:
    """Phones with their CSRF and device cookies (one per connection, as many as connections);
    every post a new stay with its own phone number."""
    import urllib.parse

    devices = []
    for _ in range(CONCURRENCY):
        client = lib.Client(port, keep=("csrftoken", "ckp_dev"))
        try:
            token = client.csrf_token(f"/c/{code}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        finally:
            client.close()
        devices.append(f"{{{_lua_string(cookie)}, {_lua_string(token)}}}")
    names = [urllib.parse.quote_plus(lib.vietnamese_name(n)) for n in range(97)]
    path = f"/c/{code}"
    headers = {
        **lib.base_headers(),
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{lib.HOST}{path}",
    }
    lines = [
        _WRK_COUNT.replace("EXPECTED", "302"),
        f"local devices = {{{', '.join(devices)}}}",
        f"local names = {{{', '.join(_lua_string(n) for n in names)}}}",
        "local headers = {"
        + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        + "}",
        "local n = 0",
        "function request()",
        "  n = n + 1",
        "  local d = devices[(n * 2 + tid) % #devices + 1]",
        "  headers['Cookie'] = d[1]",
        "  local body = 'csrfmiddlewaretoken=' .. d[2] .. '&full_name=' .. names[n % #names + 1]"
        " .. string.format('&phone=09%d%07d', tid, n % 10000000)"
        " .. '&has_symptoms=no&had_contact=no&travelled=no&consent=on'",
        f"  return wrk.format('POST', {_lua_string(path)}, headers, body)",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _cpu_seconds(belongs) -> float:
    """CPU seconds (user + system) used so far by the live processes for which
    ``belongs(process group, command name)`` is true."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        name, fields = raw[raw.index("(") + 1 : raw.rindex(")")], raw.rsplit(")", 1)[1].split()
        if belongs(int(fields[2]), name):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _machine_cpu(group) -> dict[str, float]:
    """CPU seconds so far of each part a request costs the machine: gunicorn's master and workers
    (its process group), PostgreSQL's processes (its server and the connections' backends, which
    gunicorn keeps open) and Redis. Per request, the web figure does not depend on what else runs
    meanwhile; the other two count the whole server, so they need a quiet machine."""
    return {
        "web": _cpu_seconds(lambda pgrp, _name: pgrp == group),
        "postgres": _cpu_seconds(lambda _pgrp, name: name.startswith("postgres")),
        "redis": _cpu_seconds(lambda _pgrp, name: name.startswith("redis-server")),
    }


def _per_request_ms(before, after, requests) -> dict[str, float]:
    return {part: (after[part] - before[part]) / requests * 1000 for part in before}


def _wrk(port, script_text, folder, name):
    """Run wrk with a script; (counted, other statuses, seconds, socket errors, p50 ms, p99 ms)."""
    import subprocess

    script = Path(folder) / f"{name}.lua"
    script.write_text(script_text)
    result = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{CONCURRENCY}", f"-d{SECONDS:.0f}s", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+)", result.stdout)
    latency = re.search(r"LATENCY (\d+) (\d+)", result.stdout)
    if found is None:
        raise RuntimeError(f"wrk said:\n{result.stdout}\n{result.stderr}")
    counted, others, micros, errors = map(int, found.groups())
    p50, p99 = (int(v) / 1000 for v in latency.groups())
    return counted, others, micros / 1e6, errors, p50, p99


TRIVIAL_PATH = "/healthz/live"


def bench_checkins():
    import shutil

    from portal.checkpoints.models import CheckIn, Checkpoint
    from portal.core.models import AdministrativeUnit

    if shutil.which("wrk") is None:
        raise RuntimeError("the check-in load needs wrk (apt-get install wrk)")
    commune = AdministrativeUnit.objects.served().first()
    checkpoint = Checkpoint.objects.create(commune=commune, name="Bench", address="Bench")
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-checkpoints-"))
    server = lib.Server(
        f"{PG}/{DB}",
        folder,
        port=PORT,
        workers=int(os.environ.get("BENCH_WORKERS", "4")),
        env=BENCH_ENV,
        redis_url=lib.redis_url(),
    )
    with server:
        # A short warm-up of each, so that both are measured on warm workers.
        trivial_script = _trivial_script()
        checkin_script = _checkin_script(server.port, checkpoint.code)
        group = server.process.pid
        cpu = _machine_cpu(group)
        t_ok, t_other, t_secs, t_err, t_p50, t_p99 = _wrk(
            server.port, trivial_script, folder, "trivial"
        )
        t_cpu = _per_request_ms(cpu, _machine_cpu(group), t_ok)
        stored_before = CheckIn.objects.filter(checkpoint=checkpoint).count()
        cpu = _machine_cpu(group)
        c_ok, c_other, c_secs, c_err, c_p50, c_p99 = _wrk(
            server.port, checkin_script, folder, "checkin"
        )
        c_cpu = _per_request_ms(cpu, _machine_cpu(group), c_ok)
    stored = CheckIn.objects.filter(checkpoint=checkpoint).count() - stored_before
    trivial_rps = t_ok / t_secs
    checkin_rps = c_ok / c_secs
    return {
        "trivial_rps": trivial_rps,
        "checkin_rps": checkin_rps,
        "ratio": checkin_rps / trivial_rps if trivial_rps else 0,
        "acknowledged": c_ok,
        "errors": c_other + c_err + t_other + t_err,
        # wrk stops with posts in flight: those may be stored without being counted, never the
        # other way round.
        "missing": max(c_ok - stored, 0),
        "stored": stored,
        "latency": (t_p50, t_p99, c_p50, c_p99),
        "trivial_per_cpu": 1000 / t_cpu["web"] if t_cpu["web"] else 0,
        "checkin_per_cpu": 1000 / c_cpu["web"] if c_cpu["web"] else 0,
        # Milliseconds of CPU per request: gunicorn, PostgreSQL, Redis.
        "trivial_cpu_ms": t_cpu,
        "checkin_cpu_ms": c_cpu,
        "redis": bool(server.redis_url),
    }


# --- Tracing at scale ----------------------------------------------------------------------
def _index_definitions(cursor):
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'checkpoints_checkin' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    return cursor.fetchall()


# The columns each loaded check-in gives, in the order of the rows written below: every column
# the table requires (tests/checkpoints/test_bench_loader.py compares them with the model).
COPY_COLUMNS = (
    "checkpoint_id", "full_name", "phone", "id_number", "checked_in_at", "checked_out_at",
    "closed_automatically", "source", "has_symptoms", "had_contact", "travelled", "token",
    "paper_row", "name_folded",
)  # fmt: skip


def load_checkins(total, now):
    """COPY ``total`` check-ins over 21 days; density per checkpoint and per person stay constant
    (1,000 check-ins per checkpoint, 10 per person) so the queries return similar amounts."""
    from django.db import connection

    from portal.checkpoints import codes
    from portal.checkpoints.models import Checkpoint
    from portal.core.models import AdministrativeUnit

    n_places = max(total // 1000, 1)
    n_people = max(total // 10, 1)
    communes = list(AdministrativeUnit.objects.served())
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE checkpoints_checkin")
        cursor.execute("DELETE FROM checkpoints_checkpoint WHERE name LIKE 'Điểm bench %%'")
    shorts = set()
    places = []
    for i in range(n_places):
        while True:
            s = codes.new_short_code()
            if s not in shorts:
                shorts.add(s)
                break
        places.append(
            Checkpoint(
                commune=communes[i % len(communes)],
                name=f"Điểm bench {i}",
                address="x",
                code=codes.new_code(),
                short_code=s,
                code_issued_on=now.date(),
            )
        )
    Checkpoint.objects.bulk_create(places, batch_size=2000)
    ids = list(
        Checkpoint.objects.filter(name__startswith="Điểm bench ").values_list("id", flat=True)
    )
    rng = random.Random(total)
    span = 21 * 86400
    start0 = now - timedelta(days=21)
    raw = connection.connection  # psycopg connection under Django
    with connection.cursor() as cursor:
        indexes = _index_definitions(cursor)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    t0 = time.perf_counter()
    columns = ", ".join(COPY_COLUMNS)
    from portal.core.text import fold

    folded = fold("Người")  # every name is "Người <number>", folded as the portal folds names
    with raw.cursor() as cur:
        with cur.copy(f"COPY checkpoints_checkin ({columns}) FROM STDIN") as copy:
            buf = io.StringIO()
            for i in range(total):
                t = start0 + timedelta(seconds=rng.randrange(span))
                stay = timedelta(minutes=rng.randint(5, 120))
                person = rng.randrange(n_people)
                buf.write(
                    f"{ids[rng.randrange(len(ids))]}\tNgười {person}\t09{person:08d}\t\t"
                    f"{t.isoformat()}\t{(t + stay).isoformat()}\tf\tqr\tf\tf\tf\tb{i:021d}\t\t"
                    f"{folded} {person}\n"
                )
                if i % 50_000 == 49_999:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
    load_secs = time.perf_counter() - t0
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE checkpoints_checkin")
    index_secs = time.perf_counter() - t1
    return {"places": ids, "people": n_people, "load_secs": load_secs, "index_secs": index_secs}


def _median_ms(fn, args_list):
    times = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_tracing(total, now):
    from django.db import connection

    from portal.checkpoints import tracing
    from portal.checkpoints.models import Checkpoint

    info = load_checkins(total, now)
    rng = random.Random(7)
    places = {
        c.pk: c
        for c in Checkpoint.objects.filter(
            pk__in=rng.sample(info["places"], min(20, len(info["places"])))
        )
    }
    windows = []
    for pk in places:
        start = now - timedelta(days=rng.randint(2, 18), hours=rng.randint(0, 12))
        windows.append((places[pk], start, start + timedelta(hours=6)))
    phones = [f"09{rng.randrange(info['people']):08d}" for _ in range(20)]
    # One warm-up pass so that every scale is measured with a warm cache.
    for w in windows[:3]:
        tracing.visitors(*w)
    result = {
        "rows": total,
        "load_secs": info["load_secs"],
        "index_secs": info["index_secs"],
        "visitors_ms": _median_ms(tracing.visitors, windows),
        "person_ms": _median_ms(lambda p: tracing.person_checkins(phone=p), [(p,) for p in phones]),
        "contacts_ms": _median_ms(
            lambda p: tracing.contacts(phone=p, depth=2, days=21, now=now), [(p,) for p in phones]
        ),
        "visitors_rows": statistics.median(len(tracing.visitors(*w)) for w in windows),
        "contacts_rows": statistics.median(
            len(tracing.contacts(phone=p, depth=2, days=21, now=now).contacts) for p in phones
        ),
    }
    plans = {}
    with connection.cursor() as cursor:
        w = windows[0]
        qs = tracing._base().filter(tracing.Q(checkpoint=w[0]) & tracing._overlaps(w[1], w[2]))
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plans["visitors"] = [r[0] for r in cursor.fetchall()]
        qs = tracing._base().filter(tracing._person_q(phones[0], ""))
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plans["person"] = [r[0] for r in cursor.fetchall()]
    result["plans"] = plans
    return result


# --- Posters -----------------------------------------------------------------------------------
def bench_posters():
    from portal.checkpoints import posters
    from portal.checkpoints.models import Checkpoint

    sample = list(Checkpoint.objects.select_related("commune", "commune__parent")[:50])
    ps = posters.portal_settings_for_default_site()
    t = time.perf_counter()
    for c in sample[:20]:
        posters.poster_pdf(c, "A4", ps)
    pdf_rate = 20 / (time.perf_counter() - t)
    t = time.perf_counter()
    for c in sample[:10]:
        posters.poster_png(c, "A4", ps)
    png_rate = 10 / (time.perf_counter() - t)
    t = time.perf_counter()
    posters.write_poster_zip(sample, io.BytesIO(), "A4", "pdf")
    bulk_rate = len(sample) / (time.perf_counter() - t)
    t = time.perf_counter()
    posters.write_poster_zip(sample[:20], io.BytesIO(), "A5", "both")
    both_rate = 20 / (time.perf_counter() - t)
    return {"pdf": pdf_rate, "png": png_rate, "bulk_pdf": bulk_rate, "bulk_both": both_rate}


def _uses_index(plan):
    text = "\n".join(plan)
    return "Index" in text and "Seq Scan on checkpoints_checkin" not in text


def main():
    _admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')
    _admin_sql(f'CREATE DATABASE "{DB}"')
    out = ["## Checkpoints", ""]
    try:
        setup_django()
        from django.db import connections
        from django.utils import timezone

        if "checkins" in PARTS:
            checkins = bench_checkins()
            stack = "PostgreSQL + Redis" if checkins["redis"] else "PostgreSQL, local-memory cache"
            out += [
                f"Check-in POST throughput, gunicorn (production settings, 4 workers x 4 threads) "
                f"on {stack}, {CONCURRENCY} concurrent keep-alive connections (one device each), "
                f"{SECONDS:.0f} s each, load from wrk; rate limits on with ceilings out of reach:",
                "",
                "| measure | value |",
                "| --- | --- |",
                f"| trivial view (`{TRIVIAL_PATH}`, no work) | "
                f"{checkins['trivial_rps']:.0f} req/s |",
                f"| check-in POST (acknowledged, 302) | {checkins['checkin_rps']:.0f} req/s |",
                f"| ratio check-in / trivial | {checkins['ratio']:.2f} |",
                f"| acknowledged / stored / missing | {checkins['acknowledged']} / "
                f"{checkins['stored']} / {checkins['missing']} |",
                f"| failed requests | {checkins['errors']} |",
                "| requests per gunicorn CPU-second, trivial / check-in (ratio) | "
                f"{checkins['trivial_per_cpu']:.0f} / {checkins['checkin_per_cpu']:.0f} "
                f"({checkins['checkin_per_cpu'] / (checkins['trivial_per_cpu'] or 1):.2f}) |",
                *_cpu_rows(checkins),
                "| median / 99th percentile latency, trivial | "
                f"{checkins['latency'][0]:.1f} / {checkins['latency'][1]:.1f} ms |",
                "| median / 99th percentile latency, check-in | "
                f"{checkins['latency'][2]:.1f} / {checkins['latency'][3]:.1f} ms |",
                "",
            ]
        if "tracing" not in PARTS:
            connections.close_all()
            return _finish(out)
        now = timezone.now()
        small = bench_tracing(SMALL, now)
        posters = bench_posters()
        big = bench_tracing(BIG, now)
        out += [
            "Tracing (median of 20 queries, 21 days of data, 1,000 check-ins per checkpoint and "
            "10 per person at both scales):",
            "",
            f"| query | 50 thousand | {big['rows'] / 1e6:.1f} million | ratio |",
            "| --- | --- | --- | --- |",
        ]
        for key, label in [
            ("visitors_ms", "visitors of a checkpoint in 6 h"),
            ("person_ms", "check-ins of a person"),
            ("contacts_ms", "contacts of a case, depth 2, buffer 30 min"),
        ]:
            out.append(
                f"| {label} | {small[key]:.1f} ms | {big[key]:.1f} ms | "
                f"{big[key] / small[key]:.2f} |"
            )
        out += [
            "",
            f"Bulk load: {small['rows']:,} rows COPY {small['load_secs']:.1f} s + indexes "
            f"{small['index_secs']:.1f} s; {big['rows']:,} rows COPY {big['load_secs']:.1f} s + "
            f"indexes {big['index_secs']:.1f} s. Median rows returned: visitors "
            f"{small['visitors_rows']:.0f} / {big['visitors_rows']:.0f}, contacts "
            f"{small['contacts_rows']:.0f} / {big['contacts_rows']:.0f}.",
            "",
            f"Index-backed plans at {big['rows']:,} rows: visitors "
            f"{_uses_index(big['plans']['visitors'])}, "
            f"person {_uses_index(big['plans']['person'])}.",
            "",
            "```",
            *big["plans"]["visitors"],
            *big["plans"]["person"],
            "```",
            "",
            "Posters (one process):",
            "",
            "| poster | per second |",
            "| --- | --- |",
            f"| single A4 PDF | {posters['pdf']:.1f} |",
            f"| single A4 PNG | {posters['png']:.1f} |",
            f"| bulk zip, A4 PDF | {posters['bulk_pdf']:.1f} |",
            f"| bulk zip, A5 PDF + PNG | {posters['bulk_both']:.1f} |",
        ]
        connections.close_all()
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    return _finish(out)


def _cpu_rows(checkins) -> list[str]:
    """Where each request's CPU goes on the machine, and what 0.5x leaves a check-in."""
    rows = []
    for kind in ("trivial", "checkin"):
        ms = checkins[f"{kind}_cpu_ms"]
        label = "trivial" if kind == "trivial" else "check-in"
        rows.append(
            f"| CPU per request, {label}: gunicorn / PostgreSQL / Redis (total) | "
            f"{ms['web']:.3f} / {ms['postgres']:.3f} / {ms['redis']:.3f} ms "
            f"({sum(ms.values()):.3f} ms) |"
        )
    trivial, checkin = checkins["trivial_cpu_ms"], checkins["checkin_cpu_ms"]
    budget = 2 * sum(trivial.values())
    stores = checkin["postgres"] + checkin["redis"]
    rows.append(
        "| CPU a check-in may use for 0.5x the trivial view; of it, its commit and its "
        f"rate-limit count alone (PostgreSQL + Redis) | {budget:.3f} ms; {stores:.3f} ms, "
        f"leaving {budget - stores - trivial['web']:.3f} ms of the web's beyond a trivial "
        f"request's (uses {checkin['web'] - trivial['web']:.3f}) |"
    )
    return rows


def _finish(out):
    text = "\n".join(out)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
