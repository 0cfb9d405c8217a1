"""Recording a stay at a checkpoint: the one place a check-in row is written.

The public check-in page, staff's paper entry and staff's scan of a personal QR all call
``record``. It folds the name for search, stamps consent, and, for the public page, closes the
visitor's previous open stay in the same statement.

A check-in is the busiest write of the portal (a crowd at a market gate), so the row is written
by one SQL statement built once from the model's own columns: it finds the checkpoint (by its
code, open ones only, for the public page), closes the previous stay if asked, and inserts the
row, in one round trip and one implicit transaction. Building the same INSERT through the ORM
cost about three times as much CPU as the rest of the request. On PostgreSQL the statement is
prepared once per connection and its values bound by the server
(``connection.execute_prepared``): the server only runs it, and nothing is quoted into text.
"""

from django.db import connection, transaction
from django.utils import timezone

from portal.core.text import fold

from . import codes
from .models import CheckIn, Checkpoint

_TABLE = CheckIn._meta.db_table
_CHECKPOINTS = Checkpoint._meta.db_table
# Every concrete column but the primary key and the checkpoint, which the statement selects.
_FIELDS = [f for f in CheckIn._meta.concrete_fields if not f.primary_key and f.name != "checkpoint"]
_ATTNAMES = [f.attname for f in _FIELDS]
_COLUMNS = ", ".join(connection.ops.quote_name(f.column) for f in _FIELDS)
_PREPARED = hasattr(connection, "execute_prepared")  # portal.core.postgresql
# Typed on PostgreSQL, where a value bound by the server in a SELECT list needs its column's type
# to be inserted (a NULL time would otherwise be text).
_PLACEHOLDERS = ", ".join(
    f"%s::{f.db_type(connection)}" if connection.vendor == "postgresql" else "%s" for f in _FIELDS
)
_CHECKPOINT_COLUMN = connection.ops.quote_name(CheckIn._meta.get_field("checkpoint").column)
_TOKEN = connection.ops.quote_name(CheckIn._meta.get_field("token").column)
_OUT = connection.ops.quote_name(CheckIn._meta.get_field("checked_out_at").column)


# The statements name only the model's own tables and columns; every value is a parameter.
def _insert(by_code: bool, closes: bool) -> str:
    where = "code = %s AND is_active" if by_code else "id = %s"
    sql = f"WITH place AS (SELECT id FROM {_CHECKPOINTS} WHERE {where})"  # noqa: S608  # nosec B608
    if closes:
        # PostgreSQL: closing the visitor's previous stay is part of the same statement.
        sql += (
            f", closed AS (UPDATE {_TABLE} SET {_OUT} = %s WHERE {_TOKEN} = %s"  # noqa: S608  # nosec B608
            f" AND {_OUT} IS NULL AND EXISTS (SELECT 1 FROM place))"
        )
    return (
        f"{sql} INSERT INTO {_TABLE} ({_COLUMNS}, {_CHECKPOINT_COLUMN}) "  # noqa: S608  # nosec B608
        f"SELECT {_PLACEHOLDERS}, place.id FROM place RETURNING id"
    )


_INSERTS = {
    (code, closes): _insert(code, closes) for code in (True, False) for closes in (True, False)
}
_CLOSE = f"UPDATE {_TABLE} SET {_OUT} = %s WHERE {_TOKEN} = %s AND {_OUT} IS NULL"  # noqa: S608  # nosec B608
# Constant defaults only: the token and the times are made per stay.
_DEFAULTS = {
    f.attname: f.get_default() for f in _FIELDS if not (f.has_default() and callable(f.default))
}


def record(
    *,
    full_name,
    phone="",
    source,
    checkpoint=None,
    code=None,
    closes_token="",
    now=None,
    **fields,
):
    """Write one stay, committed before the caller answers; the new ``CheckIn``.

    ``checkpoint`` names the place; or ``code`` does, for the public page: the statement finds
    the open checkpoint of that code itself, and None is returned when there is none (nothing is
    written). ``closes_token`` is the visitor's previous open stay, checked out now if this one
    is written. ``fields`` are CheckIn's other columns (id_number, checked_in_at, checked_out_at,
    the answers, entered_by, paper_row...).
    """
    now = now or timezone.now()
    if "entered_by" in fields:
        user = fields.pop("entered_by")
        fields["entered_by_id"] = user.pk if user is not None else None
    if "sub_location" in fields:
        place = fields.pop("sub_location")
        fields["sub_location_id"] = place.pk if place is not None else None
    values = {
        **_DEFAULTS,
        "checked_in_at": now,
        "consent_at": now,
        "token": codes.new_code(),
        **fields,
        "full_name": full_name,
        "name_folded": fold(full_name),
        "phone": phone or "",
        "source": source,
    }
    unknown = set(values) - set(_ATTNAMES)
    if unknown:
        raise TypeError(f"record() got unknown check-in fields: {', '.join(sorted(unknown))}")
    params = [values[name] for name in _ATTNAMES]
    if connection.vendor != "postgresql":
        # Each value as its field gives it to this database (SQLite keeps times as UTC text).
        params = [
            f.get_db_prep_save(value, connection) for f, value in zip(_FIELDS, params, strict=True)
        ]
    in_one = connection.vendor == "postgresql"
    closes_here = bool(closes_token) and in_one
    if closes_here:
        params = [now, closes_token, *params]
    params.insert(0, code if checkpoint is None else checkpoint.pk)
    sql = _INSERTS[(checkpoint is None, closes_here)]
    if _PREPARED and not connection.in_atomic_block:
        row = connection.execute_prepared(sql, params)  # one statement, committed on its own
    elif not connection.in_atomic_block and not closes_token:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:
        # A savepoint inside a caller's transaction (a refused row leaves it usable), or, on
        # SQLite, the previous stay closed in the same transaction as the new one.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is not None and closes_token and not in_one:
                cursor.execute(_CLOSE, [now, closes_token])
    if row is None:
        if checkpoint is not None:
            raise Checkpoint.DoesNotExist(f"no checkpoint {checkpoint.pk}")
        return None
    stay = CheckIn(id=row[0], **values)
    if checkpoint is not None:
        stay.checkpoint = checkpoint
    stay._state.adding = False
    return stay
