"""Dossier codes are unique per agency and day, also under concurrent submissions; due dates skip
weekends and Vietnamese public holidays."""

import datetime
import threading
import uuid

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.utils import timezone

from portal.eservices.filing import dossier_code
from portal.eservices.workdays import add_working_days, is_working_day


@pytest.mark.django_db
def test_codes_count_per_agency_per_day():
    day = datetime.date(2021, 10, 5)
    assert dossier_code("VL", day) == "VL-211005-0001"
    assert dossier_code("VL", day) == "VL-211005-0002"
    assert dossier_code("000.00.20.H56", day) == "000.00.20.H56-211005-0001"
    assert dossier_code("VL", day + datetime.timedelta(days=1)) == "VL-211006-0001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_numbers(postgres):
    day = datetime.date(2021, 10, 5)
    codes, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                codes.append(dossier_code("VL", day))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(codes) == [f"VL-211005-{n:04d}" for n in range(1, 81)]
    assert connection.vendor == "postgresql"


def test_due_date_skips_weekend():
    friday = datetime.date(2021, 10, 8)
    assert add_working_days(friday, 1) == datetime.date(2021, 10, 11)
    assert add_working_days(friday, 3) == datetime.date(2021, 10, 13)


def test_due_date_skips_national_day_and_tet():
    # Wed 1/9/2021, then 2–3/9 National Day and a weekend: Monday 6/9.
    assert add_working_days(datetime.date(2021, 9, 1), 1) == datetime.date(2021, 9, 6)
    assert not is_working_day(datetime.date(2022, 2, 1))  # Tết Nguyên đán
    assert add_working_days(datetime.date(2022, 1, 28), 1) == datetime.date(2022, 2, 7)


def test_zero_days_means_same_or_next_working_day():
    assert add_working_days(datetime.date(2021, 10, 5), 0) == datetime.date(2021, 10, 5)
    assert add_working_days(datetime.date(2021, 10, 9), 0) == datetime.date(2021, 10, 11)


# --- Whole filings --------------------------------------------------------------------------------


class _GatedUpload(ContentFile):
    """An upload whose storing waits for a signal: a filing caught in its slow part."""

    def __init__(self, content):
        super().__init__(content, name="giay-to.pdf")
        self.safe_name, self.content_type = "giay-to.pdf", "application/pdf"
        self.storing, self.release = threading.Event(), threading.Event()

    def chunks(self, chunk_size=None):
        self.storing.set()
        assert self.release.wait(20)
        yield from super().chunks(chunk_size)


def _file(service, uploads=(), **answers):
    from portal.eservices.filing import submit_dossier

    try:
        dossier, _created = submit_dossier(
            service, service.form_schema(), answers, list(uploads), uuid.uuid4(), "Đồng ý"
        )
        return dossier.code
    finally:
        connections.close_all()


@pytest.fixture
def marriage_service(es_demo):
    from portal.eservices.models import ServicePage
    from portal.eservices.schema import freeze

    service = ServicePage.objects.get(slug="xac-nhan-tinh-trang-hon-nhan")
    freeze(service.form_schema(), f"service:{service.pk}", service)  # as after the first filing
    return service


def _today_codes(service):
    from portal.eservices.models import Dossier

    prefix = f"{service.dossier_agency_code}-{timezone.localdate():%y%m%d}-"
    return sorted(
        Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    ), prefix


@pytest.mark.django_db(transaction=True)
def test_a_filing_in_its_slow_part_does_not_hold_up_the_others(postgres, marriage_service):
    already, prefix = _today_codes(marriage_service)
    slow = _GatedUpload(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    results = {}
    slow_filing = threading.Thread(
        target=lambda: results.update(slow=_file(marriage_service, [("tep", slow)]))
    )
    slow_filing.start()
    assert slow.storing.wait(20)
    # Meanwhile another applicant files: the slow filing holds no number yet, so this one is
    # numbered and committed at once.
    quick_filing = threading.Thread(target=lambda: results.update(quick=_file(marriage_service)))
    quick_filing.start()
    quick_filing.join(10)
    finished_first = not quick_filing.is_alive()
    slow.release.set()
    slow_filing.join(20)
    quick_filing.join(20)
    assert finished_first, "the second filing waited for the first one's files"
    n = len(already)
    assert results == {"quick": f"{prefix}{n + 1:04d}", "slow": f"{prefix}{n + 2:04d}"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_are_numbered_without_gaps(postgres, marriage_service):
    already, prefix = _today_codes(marriage_service)
    barrier = threading.Barrier(8)
    codes, errors = [], []

    def applicant():
        try:
            barrier.wait()
            for _ in range(5):
                codes.append(_file(marriage_service))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=applicant) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    n = len(already)
    assert sorted(codes) == [f"{prefix}{i:04d}" for i in range(n + 1, n + 41)]


@pytest.mark.django_db(transaction=True)
def test_a_filing_that_fails_gives_its_number_back(postgres, marriage_service):
    from portal.eservices.models import Dossier

    already, prefix = _today_codes(marriage_service)

    class Broken(ContentFile):
        safe_name, content_type = "hong.pdf", "application/pdf"

        def chunks(self, chunk_size=None):
            raise OSError("disk full")

    with pytest.raises(OSError):
        _file(marriage_service, [("tep", Broken(b"%PDF-1.4\n", name="hong.pdf"))])
    assert not Dossier.objects.filter(code__startswith="~").exists()
    assert _file(marriage_service) == f"{prefix}{len(already) + 1:04d}"
