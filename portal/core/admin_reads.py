"""Reads the admin's page explorer and choosers share within one request, instead of each asking
the database again: the locales, the first page of a listing, the rows as their own types, the
workflow states of pages already read.

Each answer is the one Wagtail would read; only the number of times it is read changes.
"""

from django.db.models.query import ModelIterable
from wagtail.admin.paginator import WagtailPaginator
from wagtail.query import DeferredSpecificIterable


def locales(request) -> list:
    """Every locale, from the shared cache (``core.shared_lists``), once per request."""
    found = getattr(request, "_portal_locales", None)
    if found is None:
        from .shared_lists import all_locales

        found = request._portal_locales = all_locales()
    return found


def locale_by_id(request, locale_id):
    for locale in locales(request):
        if locale.pk == locale_id:
            return locale
    return None


class FirstPagePaginator(WagtailPaginator):
    """Wagtail's paginator, without counting the rows when the first page holds them all: the
    first page is read (one row more than it shows), and its length is the count."""

    def get_page(self, number):
        if number not in (None, "", 1, "1") or "count" in self.__dict__ or self.orphans:
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            if not rows and not self.allow_empty_first_page:
                return super().get_page(number)
            self.__dict__["count"] = len(rows)
            return self._get_page(rows, 1, self)
        page = super().get_page(number)  # counts
        if page.number == 1:
            page.object_list = rows[: self.per_page]
        return page


class SpecificRows(DeferredSpecificIterable):
    """``.specific(defer=True)``'s rows (each page as its own type, its own fields read only if
    asked for), keeping what the query read with them (``select_related``)."""

    def __iter__(self):
        for obj in ModelIterable.__iter__(self):
            specific = obj.specific_deferred if obj.specific_class else obj
            if specific is not obj:
                for name, value in obj._state.fields_cache.items():
                    specific._state.fields_cache.setdefault(name, value)
            yield specific


def specific_rows(pages):
    """``pages.specific(defer=True)`` with ``SpecificRows``."""
    pages = pages.specific(defer=True)
    pages._iterable_class = SpecificRows
    return pages


def prefetch_workflow_states(pages) -> None:
    """``PageQuerySet.prefetch_workflow_states()`` for pages already read, whatever their types and
    however they were read (the page explored and its rows): one query for all of them."""
    from collections import defaultdict

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, WorkflowState

    pending = [page for page in pages if not hasattr(page, "_current_workflow_states")]
    if not pending:
        return
    states = (
        WorkflowState.objects.active()
        .select_related("current_task_state__task")
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pending],
        )
    )
    found = defaultdict(list)
    for state in states:
        found[state.object_id].append(state)
    for page in pending:
        page._current_workflow_states = found.get(str(page.pk), [])
