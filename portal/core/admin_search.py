"""The admin's search of records about people (check-ins, dossiers): names found without their
diacritics, numbers found however they are typed.

An officer types "nguyen thi hang" or "Hằng" for "Nguyễn Thị Hằng", and "0912 345 678" or
"+84 912 345 678" for the stored "0912345678". Names are matched against a column holding the
folded name (core.text.fold, filled when the record is saved); numbers against their digits.
"""

import re

from django.db.models import Q

from .personal_numbers import normalise_phone
from .text import fold


def search_q(query, fields=(), folded_fields=None, number_fields=()):
    """The filter for ``query`` over ``fields``: a field in ``folded_fields`` (field → its folded
    column) is matched folded, one in ``number_fields`` by the query's digits, any other field
    case-insensitively as typed. Nothing matches when no field can match."""
    folded_fields = folded_fields or {}
    folded = fold(query).strip()
    digits = re.sub(r"[\s.\-()]", "", query)
    phone = normalise_phone(query)
    wanted = Q()
    matchable = False
    for field in fields:
        if field in folded_fields:
            wanted |= Q(**{f"{folded_fields[field]}__contains": folded})
        elif field in number_fields:
            if phone:
                wanted |= Q(**{field: phone})
            if digits.isdigit():
                wanted |= Q(**{f"{field}__contains": digits})
            elif not phone:
                continue
        else:
            wanted |= Q(**{f"{field}__icontains": query.strip()})
        matchable = True
    return wanted if matchable else Q(pk__in=[])


class FoldedSearchMixin:
    """For a Wagtail IndexView searching with the ORM: ``folded_fields`` maps a search field to
    its folded column, ``number_fields`` are searched by the query's digits."""

    folded_fields: dict[str, str] = {}
    number_fields: tuple[str, ...] = ()

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            search_q(
                self.search_query, self.search_fields or [], self.folded_fields, self.number_fields
            )
        )
