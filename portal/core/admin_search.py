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


class FoldedSearchMixin:
    """For a Wagtail IndexView searching with the ORM: ``folded_fields`` maps a search field to
    its folded column, ``number_fields`` are searched by the query's digits."""

    folded_fields: dict[str, str] = {}
    number_fields: tuple[str, ...] = ()

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query
        folded = fold(query).strip()
        digits = re.sub(r"[\s.\-()]", "", query)
        phone = normalise_phone(query)
        wanted = Q()
        for field in self.search_fields or []:
            if field in self.folded_fields:
                wanted |= Q(**{f"{self.folded_fields[field]}__contains": folded})
            elif field in self.number_fields:
                if phone:
                    wanted |= Q(**{field: phone})
                if digits.isdigit():
                    wanted |= Q(**{f"{field}__contains": digits})
            else:
                wanted |= Q(**{f"{field}__icontains": query})
        return queryset.filter(wanted) if wanted else queryset.none()
