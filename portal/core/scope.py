"""Commune scoping: which communes a staff member may see and change.

Superusers and staff marked "whole district" see every commune; commune staff see the communes in
their StaffScope; everybody else sees none. Apps filter their querysets with ``filter_by_commune``.
"""

from .models import AdministrativeUnit


def commune_ids_for(user):
    """The ids of the communes the user may work on, or None for all of them."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    scope = getattr(user, "_portal_scope_cache", False)
    if scope is False:
        from .models import StaffScope

        scope = StaffScope.objects.filter(user=user).prefetch_related("communes").first()
        user._portal_scope_cache = scope
    if scope is None:
        return frozenset()
    if scope.all_communes:
        return None
    return frozenset(c.pk for c in scope.communes.all())


def communes_for(user):
    """The communes the user may work on, as a queryset."""
    ids = commune_ids_for(user)
    qs = AdministrativeUnit.objects.communes()
    return qs.served() if ids is None else qs.filter(pk__in=ids)


def filter_by_commune(queryset, user, field="commune"):
    ids = commune_ids_for(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def can_access_commune(user, commune_id) -> bool:
    ids = commune_ids_for(user)
    return ids is None or commune_id in ids
