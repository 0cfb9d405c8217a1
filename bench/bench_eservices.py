# ruff: noqa: E501
"""E-services benchmark, in process: catalogue and service pages (time, bytes), a whole
filing through the wizard with an upload, the PDF receipt, the status lookup, the health QR PNG.

    .venv/bin/python bench/bench_eservices.py     # prints Markdown

Uses the test settings and a throw-away database (SQLite, or DATABASE_URL's server with a
``test_`` prefix); nothing of the running site is touched.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))


def timed(func, rounds=ROUNDS):
    samples, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples), result


def main(argv=None) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from PIL import Image

    from portal.core import demo as core_demo
    from portal.eservices import demo as es_demo
    from portal.eservices.models import Dossier
    from portal.eservices.views import receipt_pdf
    from portal.home import demo as home_demo

    ctx = {}
    for module in (core_demo, home_demo, es_demo):
        module.load(ctx)
    client = Client()
    rows = []
    for label, url in (("catalogue /dich-vu-cong/", "/dich-vu-cong/"),
                       ("procedure page", "/dich-vu-cong/dang-ky-khai-sinh/"),
                       ("catalogue search (no diacritics)", "/dich-vu-cong/?q=giay+phep+xay+dung")):  # fmt: skip
        started = time.perf_counter()
        body = client.get(url).content
        cold = (time.perf_counter() - started) * 1000
        median, worst, _ = timed(lambda u=url: client.get(u))
        rows.append(f"| {label} | {cold:.1f} | {median:.1f} | {worst:.1f} | {len(body):,} |")

    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 200, 200)).save(buf, format="PNG")
    png = buf.getvalue()

    def file_one():
        c = Client()
        url = c.get("/dich-vu-cong/nop/dang-ky-khai-sinh/")["Location"]
        steps = [
            ("nguoi-yeu-cau", {"ho_ten": "Nguyễn Thị Lan", "ngay_sinh": "1995-04-12", "gioi_tinh": "Nữ",
                               "so_giay_to": "038195001234", "dien_thoai": "0912345678", "email": "",
                               "noi_cu_tru__province": "38", "noi_cu_tru__district": "393",
                               "noi_cu_tru__commune": "15349", "noi_cu_tru__detail": "Thôn Đông"}),
            ("tre-em", {"ten_tre": "Nguyễn Minh An", "ngay_sinh_tre": "2021-10-01", "gioi_tinh_tre": "Nam",
                        "noi_sinh": "Trung tâm Y tế", "dan_toc": "Kinh", "quan_he": "Mẹ"}),
            ("giay-to", {"cap_ban_sao": "no",
                         "giay_chung_sinh": SimpleUploadedFile("gcs.png", png, "image/png")}),
            ("kiem-tra", {"consent": "on"}),
        ]  # fmt: skip
        prefix = None
        for step, data in steps:
            page = c.get(url).content.decode()
            prefix = prefix or page.split('-current_step"')[0].rsplit('name="', 1)[1]
            payload = {f"{step}-{k}": v for k, v in data.items()}
            response = c.post(url, {**payload, f"{prefix}-current_step": step})
            url = response["Location"]
        return url

    file_median, file_worst, last = timed(file_one, max(3, ROUNDS // 4))
    assert "/ho-so/VL-" in last, last
    dossier = Dossier.objects.order_by("-pk").first()
    pdf_median, pdf_worst, pdf = timed(lambda: receipt_pdf(dossier))

    lookup = Client()
    lookup_median, lookup_worst, _ = timed(
        lambda: lookup.post("/tra-cuu-ho-so/", {"code": dossier.code, "identity": "0912345678"})
    )

    print("### E-services (in process, median of rounds)\n")
    print("| page | first ms | median ms (cached) | max ms | bytes |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print("\n| operation | median ms | max ms | note |\n| --- | ---: | ---: | --- |")
    print(
        f"| filing a 3-step form with one upload (GET+POST per step) | {file_median:.0f} | {file_worst:.0f} | {Dossier.objects.count()} dossiers |"
    )
    print(f"| PDF receipt | {pdf_median:.0f} | {pdf_worst:.0f} | {len(pdf):,} bytes |")
    print(f"| status lookup (POST) | {lookup_median:.0f} | {lookup_worst:.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
