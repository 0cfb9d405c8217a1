"""Commune scoping: which communes a staff member may see and change. The one place for that rule.

Superusers and staff marked "whole district" see every commune; commune staff see the communes in
their StaffScope; everybody else sees none. Records handled by a district desk (online dossiers at
the one-stop desk) are the exception for staff with no communes named: they work for the whole
district (``district_desk=True``), while staff limited to some communes still see only those.

Apps filter their querysets with ``filter_by_commune`` and check one record with
``object_in_scope``; the admin's viewsets do both for every view through ``core.admin_scope``.
Out of scope is "not found" (404), never "forbidden": the record's existence is not revealed.
"""

from django.utils.functional import LazyObject

from .models import AdministrativeUnit


def _unwrapped(user):
    """The user itself behind ``request.user``'s lazy stand-ins (django-otp wraps it twice): what
    is kept for the request in the user's ``__dict__`` is then shared by every caller."""
    while isinstance(user, LazyObject):
        user.pk  # noqa: B018 - evaluates the stand-in
        user = user._wrapped
    return user


def _staff_scope(user):
    scope = getattr(user, "_portal_scope_cache", False)
    if scope is False:
        from .models import StaffScope

        scope = StaffScope.objects.filter(user=user).prefetch_related("communes").first()
        user._portal_scope_cache = scope
    return scope


def commune_ids_for(user, district_desk=False):
    """The ids of the communes the user may work on, or None for all of them."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    scope = _staff_scope(user)
    if scope is not None and scope.all_communes:
        return None
    ids = frozenset(c.pk for c in scope.communes.all()) if scope is not None else frozenset()
    if district_desk and not ids:
        return None
    return ids


def communes_for(user):
    """The communes the user may work on, as a queryset."""
    ids = commune_ids_for(user)
    qs = AdministrativeUnit.objects.communes()
    return qs.served() if ids is None else qs.filter(pk__in=ids)


def filter_by_commune(queryset, user, field="commune", district_desk=False):
    """The rows of ``queryset`` whose commune (``field``, a lookup path) the user may see."""
    ids = commune_ids_for(user, district_desk)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def can_access_commune(user, commune_id, district_desk=False) -> bool:
    ids = commune_ids_for(user, district_desk)
    return ids is None or commune_id in ids


def commune_id_of(obj, field="commune"):
    """The commune id of a record through a lookup path: 'commune', 'checkpoint__commune'…"""
    *path, last = field.split("__")
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def object_in_scope(user, obj, field="commune", district_desk=False) -> bool:
    """Whether ``filter_by_commune`` would keep this record (a record with no commune: only for
    staff who see every commune)."""
    ids = commune_ids_for(user, district_desk)
    return ids is None or commune_id_of(obj, field) in ids


# Sites: which sites' content (pages, and records that belong to a site such as its work
# schedule) a staff member edits. Page permissions decide it: a site is the user's when they may
# add or change pages at or above its home page. Wagtail's own page permissions stay the rule for
# pages; this extends it to the records of a site.
SITE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def page_paths_for(user, codenames=None):
    """The tree paths of the pages at or under which the user holds a page permission (one of
    ``codenames``, or any), or None when they hold one at the tree's root or are a superuser.
    Cached on the user object for the request."""
    user = _unwrapped(user)
    key = ("_portal_page_paths", tuple(codenames or ()))
    cache = user.__dict__.setdefault("_portal_page_paths_cache", {})
    if key in cache:
        return cache[key]
    from wagtail.models import GroupPagePermission, Page

    if not user.is_authenticated or not user.is_active:
        paths = frozenset()
    elif user.is_superuser:
        paths = None
    else:
        held = GroupPagePermission.objects.filter(group__user=user)
        if codenames:
            held = held.filter(permission__codename__in=codenames)
        paths = frozenset(held.values_list("page__path", flat=True))
        if any(len(path) <= Page.steplen for path in paths):
            paths = None  # permissions on the tree's root: everywhere
    cache[key] = paths
    return paths


def site_ids_for(user):
    """The ids of the sites whose content the user may edit, or None for every site."""
    user = _unwrapped(user)
    cached = user.__dict__.get("_portal_site_ids_cache", False)
    if cached is not False:
        return cached
    paths = page_paths_for(user, SITE_PAGE_PERMISSIONS)
    ids = None
    if paths is not None:
        from wagtail.models import Site

        ids = frozenset(
            pk
            for pk, root_path in Site.objects.values_list("pk", "root_page__path")
            if any(root_path.startswith(path) for path in paths)
        )
    user.__dict__["_portal_site_ids_cache"] = ids
    return ids


def filter_pages_for(pages, user):
    """The pages of ``pages`` on the user's way to their own: those at or under a page they hold a
    permission on, and the ancestors leading there (a commune editor choosing a page sees their
    site's home at the tree's root, not every site's)."""
    paths = page_paths_for(user)
    if paths is None:
        return pages
    from django.db.models import Q
    from wagtail.models import Page

    wanted = Q(pk__in=[])
    for path in paths:
        wanted |= Q(path__startswith=path)
        ancestors = [path[:i] for i in range(Page.steplen, len(path), Page.steplen)]
        if ancestors:
            wanted |= Q(path__in=ancestors)
    return pages.filter(wanted)


def sites_for(user):
    """The sites whose content the user may edit, as a queryset."""
    from wagtail.models import Site

    ids = site_ids_for(user)
    qs = Site.objects.order_by("-is_default_site", "site_name", "hostname")
    return qs if ids is None else qs.filter(pk__in=ids)


def filter_by_site(queryset, user, field="site"):
    ids = site_ids_for(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def object_in_site_scope(user, obj, field="site") -> bool:
    ids = site_ids_for(user)
    return ids is None or commune_id_of(obj, field) in ids
