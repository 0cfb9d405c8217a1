"""The address lists of the forms: the districts of a province, the communes of a district.

The forms work without JavaScript (a button reloads the step with the next list); with it, the
lists are filled in place from ``unit_children`` below (``eservices.js``).
"""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal.core.models import AdministrativeUnit


def child_choices(code: str | None) -> list[tuple[str, str]]:
    """The units directly under ``code``, as (code, name with its type) in the lists' order."""
    if not code:
        return []
    return [
        (u.code, u.name_with_type) for u in AdministrativeUnit.objects.filter(parent__code=code)
    ]


@require_safe
@cache_control(public=True, max_age=86400)
def unit_children(request, code):
    if not AdministrativeUnit.objects.filter(code=code).exists():
        raise Http404
    return JsonResponse({"units": child_choices(code)})
