"""Dossier codes are unique per agency and day, also under concurrent submissions; due dates skip
weekends and Vietnamese public holidays."""

import datetime
import threading

import pytest
from django.db import connection, connections

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
