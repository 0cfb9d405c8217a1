"""The database connection's health check (portal.core.postgresql).

A kept-open connection that is quiet is used without a round trip (Django's own check sends
``SELECT 1`` at every request's first query); one the server ended is found out and replaced
before the request's first query, so the request does not fail.
"""

import time

import psycopg
import pytest
from django.core.signals import request_started
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _other_connection():
    s = connection.settings_dict
    return psycopg.connect(
        host=s.get("HOST") or "127.0.0.1",
        port=s.get("PORT") or 5432,
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
        dbname=s["NAME"],
        autocommit=True,
    )


def _backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_health_check_is_on_for_postgresql(postgres):
    assert connection.settings_dict["ENGINE"] == "portal.core.postgresql"
    assert connection.health_check_enabled


def test_a_quiet_connection_is_usable_without_a_statement(postgres):
    pid = _backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    assert connection.is_usable()
    with _other_connection() as other:
        last = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert last == ("SELECT 'the last statement'",)


def test_a_connection_the_server_ended_is_replaced_before_the_next_request_queries(postgres):
    pid = _backend_pid()
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not connection.is_usable()
    request_started.send(sender=None)  # what a new request does: its first query checks first
    assert _backend_pid() != pid
