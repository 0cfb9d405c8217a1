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

Below the backend, ``parse_query``: what a query typed in the site search means (its document
numbers, the document types it names, the words left to look for), for ``portal.home.views``.
"""

import re
import types
from dataclasses import dataclass, replace
from functools import cache

from django.db import connection

from portal.core.text import fold, nfc


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


# ---------------------------------------------------------------------------------------------
# What a query typed in the site search (/tim-kiem/) means. Pure text rules, no database: the
# view (portal.home.views) turns them into queries.

MAX_QUERY = 200  # longer queries are cut: no one types more, and FTS cost grows with terms
MAX_TERMS = 12
MAX_REFERENCES = 3

# Words that name a kind of document filter the directives by type instead of being looked for
# in the text ("công văn 1593": the official letters, number 1593). Keys are DirectiveType
# values ("" for any document, "văn bản"). Each phrase also counts typed as one word
# ("congvan") or with any spacing. "thông báo", "báo cáo" and "hướng dẫn" are left out on
# purpose: they are everyday verbs and the names of news categories and app guides ("hướng
# dẫn quét mã QR" wants the guide, not the guidance documents), so they stay words to look for.
TYPE_WORDS = {
    "": ("văn bản",),
    "luat": ("luật",),
    "cong-van": ("công văn", "cv"),
    "quyet-dinh": ("quyết định", "qđ"),
    "ke-hoach": ("kế hoạch",),
    "chi-thi": ("chỉ thị",),
    "nghi-quyet": ("nghị quyết",),
    "nghi-dinh": ("nghị định",),
    "thong-tu": ("thông tư",),
}


def _type_phrases():
    """{folded word tuple: type}, longest phrases first: ("cong", "van") and ("congvan",)."""
    phrases = {}
    for doc_type, names in TYPE_WORDS.items():
        for name in names:
            words = tuple(fold(name).split())
            phrases[words] = doc_type
            phrases[("".join(words),)] = doc_type
    return dict(sorted(phrases.items(), key=lambda item: -len(item[0])))


TYPE_PHRASES = _type_phrases()
NUMBER_MARKERS = {"số", "so"}  # "số 1593"; not "sở" (a department), which folds the same
# A document number and symbol: digits first, then parts joined by "/" or "-" (1593,
# 1593/UBND-VHTT, 26-KH/BTGTU, 12/2020/NĐ-CP). Digits only in every part is a date (5/9/2021).
REFERENCE = re.compile(r"\d+(?:[/\-]\w+)*")
DATE = re.compile(r"\d+(?:[/\-]\d+)+")
# "1593 / UBND - VHTT" -> "1593/UBND-VHTT"; "cv1593", "số1593" -> "cv 1593", "số 1593".
_SPACED_JOIN = re.compile(r"(?<=\w)\s*([/\-])\s*(?=\w)")
_GLUED_MARKER = re.compile(r"\b(cv|qđ|qd|số|so)(?=\d)", re.IGNORECASE)


def query_words(raw) -> list[str]:
    """The words of a query (letters, digits, / and -), NFC, at most MAX_TERMS of them.

    NFC first: a combining mark is not a word character, so a decomposed "tế" would be cut into
    "te" and a lone mark. Spaces around "/" and "-" inside a number are dropped first.
    """
    text = _GLUED_MARKER.sub(r"\1 ", _SPACED_JOIN.sub(r"\1", nfc(raw)[:MAX_QUERY]))
    text = re.sub(r"[^\w/\-]+", " ", text, flags=re.UNICODE)
    words = [w.strip("-/") for w in text.split()]
    return [w for w in words if w][:MAX_TERMS]


def is_reference(word) -> bool:
    return bool(REFERENCE.fullmatch(word)) and not DATE.fullmatch(word)


def has_diacritics(word) -> bool:
    return fold(word) != word.lower()


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into what it means.

    ``words``: the words to look for in the text (numbers included, type words and "số" left
    out); ``references``: the document numbers in it; ``doc_types``: the directive types it
    names (empty with ``documents`` True: "văn bản", any directive); ``all_words``: every word,
    for when the type words are read as plain words after all.
    """

    all_words: tuple[str, ...]
    words: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    documents: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def plain(self) -> "ParsedQuery":
        """The same query with no word read as a document type."""
        return replace(self, words=self.all_words, doc_types=(), documents=False)


def parse_query(raw) -> ParsedQuery:
    words = query_words(raw)
    folded = [fold(w) for w in words]
    kept, references, doc_types, documents = [], [], [], False
    i = 0
    while i < len(words):
        for phrase, doc_type in TYPE_PHRASES.items():
            if tuple(folded[i : i + len(phrase)]) == phrase:
                documents = True
                if doc_type and doc_type not in doc_types:
                    doc_types.append(doc_type)
                i += len(phrase)
                break
        else:
            word = words[i]
            following = words[i + 1] if i + 1 < len(words) else ""
            if word.lower() in NUMBER_MARKERS and is_reference(following):
                i += 1
                continue
            if is_reference(word) and len(references) < MAX_REFERENCES:
                references.append(word)
            kept.append(word)
            i += 1
    return ParsedQuery(
        all_words=tuple(words),
        words=tuple(kept),
        references=tuple(references),
        doc_types=tuple(doc_types),
        documents=documents,
    )
