"""The check-in benchmark loads millions of rows with COPY, past the model: it must give every
column the table requires, or ``make bench`` fails on its first row (it did when ``name_folded``
was added)."""

from django.db.models import NOT_PROVIDED

from bench.bench_checkpoints import COPY_COLUMNS
from portal.checkpoints.models import CheckIn


def test_the_loader_gives_every_required_column_of_a_check_in():
    required = {
        field.column
        for field in CheckIn._meta.concrete_fields
        if not field.null and not field.primary_key and field.db_default is NOT_PROVIDED
    }
    columns = {field.column for field in CheckIn._meta.concrete_fields}
    assert required <= set(COPY_COLUMNS), sorted(required - set(COPY_COLUMNS))
    assert set(COPY_COLUMNS) <= columns, sorted(set(COPY_COLUMNS) - columns)
