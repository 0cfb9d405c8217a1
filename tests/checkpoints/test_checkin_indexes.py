"""The check-in table's indexes: each one is written on every check-in (the busiest write of the
portal), so there is none that another already serves, and every lookup the portal makes on
the table still finds an index. PostgreSQL only (the production database)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from portal.checkpoints import checkins
from portal.checkpoints.models import CheckIn, SubLocation

pytestmark = pytest.mark.django_db

TABLE = CheckIn._meta.db_table


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        return dict(cursor.fetchall())


def _plan(sql, params):
    """The plan PostgreSQL chooses when a sequential scan is its last resort (the test's table
    is small, so the planner would read it whole whatever the indexes)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_check_in_writes_no_index_that_another_already_serves(postgres):
    names = set(_indexes())
    assert names == {
        f"{TABLE}_pkey",
        "checkin_token_unique",
        "checkin_place_time",
        "checkin_phone_time",
        "checkin_idnum_time",
        "checkin_time",
        "checkin_open",
        "checkin_sub_location",
        "checkin_entered_by",
    }
    definitions = _indexes()
    # Rare columns: only the rows that have a value are in their index.
    assert "WHERE (sub_location_id IS NOT NULL)" in definitions["checkin_sub_location"]
    assert "WHERE (entered_by_id IS NOT NULL)" in definitions["checkin_entered_by"]
    assert definitions["checkin_token_unique"].startswith("CREATE UNIQUE INDEX")


def test_every_lookup_of_the_table_finds_an_index(postgres, checkpoint):
    place = SubLocation.objects.create(checkpoint=checkpoint, name="Cổng chính")
    staff = get_user_model().objects.create_user("canbo-index", password="x")
    now = timezone.now()
    for n in range(30):
        checkins.record(
            checkpoint=checkpoint,
            full_name=f"Nguyễn Văn {n}",
            phone=f"09123456{n:02d}",
            source=CheckIn.Source.PAPER if n % 3 else CheckIn.Source.QR,
            sub_location=place if n % 5 == 0 else None,
            entered_by=staff if n % 3 else None,
            now=now,
        )
    token = CheckIn.objects.first().token
    lookups = {
        # tracing a place over a window; deleting a checkpoint checks for its check-ins
        "checkin_place_time": (
            f"SELECT id FROM {TABLE} WHERE checkpoint_id = %s AND checked_in_at >= %s",
            [checkpoint.pk, now],
        ),
        "checkin_token_unique": (f"SELECT id FROM {TABLE} WHERE token = %s", [token]),
        # a sub-location deleted (SET NULL), a staff account deleted (SET NULL)
        "checkin_sub_location": (
            f"SELECT id FROM {TABLE} WHERE sub_location_id IN (%s)",
            [place.pk],
        ),
        "checkin_entered_by": (f"SELECT id FROM {TABLE} WHERE entered_by_id IN (%s)", [staff.pk]),
        "checkin_phone_time": (f"SELECT id FROM {TABLE} WHERE phone = %s", ["0912345601"]),
    }
    for index, (sql, params) in lookups.items():
        assert index in _plan(sql, params), index
    # What the ORM does when a staff account or a sub-location goes: still those indexes.
    sql, params = CheckIn.objects.filter(entered_by=staff).values("id").query.sql_with_params()
    assert "checkin_entered_by" in _plan(sql, params)
