"""Wagtail's database search backend, insensitive to Vietnamese diacritics and case.

Set as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "portal.home.search"``. It picks the
SQLite (FTS5) or PostgreSQL (tsvector) backend like Wagtail's own ``database`` backend, and folds
every indexed text and every query with ``search_text`` ("Khai báo Y TẾ" -> "khai bao y te",
"1593/UBND-VHTT" -> "1593 ubnd vhtt"), so "khai bao y te", "KHAI BÁO Y TẾ" and "khai báo y tế"
find the same pages on both databases. SQLite's tokenizer would drop only some accents (not
"đ", not stacked ones like "ế") and PostgreSQL's none, hence folding in Python for both.

PostgreSQL uses the ``simple`` text search configuration unless ``SEARCH_CONFIG`` says otherwise:
English stemming and stop words ("do", "to", "an") would damage Vietnamese words.

After switching to this backend (or changing the folding), rebuild the index once:
``manage.py update_index``.
"""

import re
import types
from functools import cache

from django.db import connection

from portal.core.text import fold


def search_text(text) -> str:
    """Folded, with "/" and "-" as word breaks: PostgreSQL would keep "1593/ubnd-vhtt" as one
    token and SQLite split it, so both get "1593 ubnd vhtt" and "1593" alone finds it."""
    return re.sub(r"[/\-]+", " ", fold(text))


def _fold_value(method):
    def prepare_value(self, value):
        return search_text(method(self, value))

    return prepare_value


def _rebind(func, **names):
    """``func`` with some of its module-level names replaced (no copy of the library's code)."""
    namespace = {**func.__globals__, **names}
    new = types.FunctionType(
        func.__code__, namespace, func.__name__, func.__defaults__, func.__closure__
    )
    new.__kwdefaults__ = func.__kwdefaults__
    new.__doc__ = func.__doc__
    return new


def _fold_query(query):
    return search_text(query) if isinstance(query, str) else query


class _FoldingQueries:
    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(_fold_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(_fold_query(query), model_or_queryset, *args, **kwargs)


@cache
def _sqlite_backend():
    from modelsearch.backends.database.sqlite import sqlite

    class FoldingObjectIndexer(sqlite.ObjectIndexer):
        prepare_value = _fold_value(sqlite.ObjectIndexer.prepare_value)

    class FoldingSQLiteIndex(sqlite.SQLiteIndex):
        add_items = _rebind(sqlite.SQLiteIndex.add_items, ObjectIndexer=FoldingObjectIndexer)

    class FoldingSQLiteSearchBackend(_FoldingQueries, sqlite.SQLiteSearchBackend):
        index_class = FoldingSQLiteIndex

    return FoldingSQLiteSearchBackend


@cache
def _postgres_backend():
    from modelsearch.backends.database.postgres import postgres

    class FoldingObjectIndexer(postgres.ObjectIndexer):
        prepare_value = _fold_value(postgres.ObjectIndexer.prepare_value)

    class FoldingPostgresIndex(postgres.PostgresIndex):
        add_items = _rebind(postgres.PostgresIndex.add_items, ObjectIndexer=FoldingObjectIndexer)

    class FoldingPostgresSearchBackend(_FoldingQueries, postgres.PostgresSearchBackend):
        index_class = FoldingPostgresIndex

        def __init__(self, params):
            super().__init__({"SEARCH_CONFIG": "simple", **params})

    return FoldingPostgresSearchBackend


_fts_ready = False


def _sqlite_fts_ready():
    global _fts_ready
    if not _fts_ready:
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        _fts_ready = fts5_available() and fts_table_exists()
    return _fts_ready


def SearchBackend(params):
    if connection.vendor == "postgresql":
        return _postgres_backend()(params)
    if connection.vendor == "sqlite" and _sqlite_fts_ready():
        return _sqlite_backend()(params)
    # MySQL or SQLite without FTS5: Wagtail's generic backend on the folded query only.
    from wagtail.search.backends.database import SearchBackend as DatabaseBackend

    return DatabaseBackend(params)
