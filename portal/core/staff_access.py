"""What a staff member may do, read once and kept in the shared cache between their requests.

Every admin page asks who the user is and what they may do: their Django permissions (the menu,
every ``has_perm``), their page permissions (the explorer, the page chooser, the sidebar), their
collection permissions (the image and document menus and choosers), their site permissions (the
settings menu) and the page their explorer opens at. Wagtail reads each of those from the database
once per request: four or five queries before the page itself is read.

``prime(user)`` (called by ``security.AccountBackend.get_user``) hands Wagtail and Django those
answers from the cache instead, on the attributes where they keep them for the request
(``_perm_cache``, ``_page_permission_cache``, ``_collection_permission_cache``,
``_site_permission_cache``, ``_explorable_root_page_cache``) and on those of ``core.scope``. They
are read exactly as Wagtail and Django read them; on a miss they are read so and stored.

An entry is valid only for the user it was read for (their id, the time their account was
created, whether they are active and a superuser) and for the current *version*, a random token
replaced whenever anything those answers depend on changes, by any process:

- a group's, a user's or a page/collection/site permission row is added, changed or removed
  (``GroupPagePermission``, ``GroupCollectionPermission``, ``GroupSitePermission``, a group's or a
  user's Django permissions, a user's groups, a group or a permission deleted), including by
  Wagtail's group editor, whose formsets add rows without signals
  (``watch_wagtail_permission_forms``). A ``QuerySet.update()`` or ``bulk_create()`` of those rows
  elsewhere sends no signal either: call ``bump()`` after it;
- a page or a collection moves (their tree paths, which the permissions are compared with);
- migrations run.

Pages and collections are kept with their id, tree path and depth only: any other field is read
from the database when asked for, so a cached answer is never an outdated title or status. The
token is replaced at once and again when the transaction commits, so a request reading the old
rows between the two cannot leave them under the new token.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "portal:staff-access:version"
ENTRY_PREFIX = "portal:staff-access:user:"
# An entry lives ten minutes at most: a change made while the cache could not be reached (its
# version then not replaced: the cache fails open) is seen within that time once it answers again.
TIMEOUT = 600

PAGE_CACHES = (
    "_page_permission_cache",
    "_collection_permission_cache",
    "_site_permission_cache",
    "_explorable_root_page_cache",
)


def _stamp(user) -> tuple:
    joined = user.date_joined.isoformat() if user.date_joined else ""
    return (user.pk, joined, bool(user.is_active), bool(user.is_superuser))


def _new_version(**_kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def bump(**_kwargs):
    """Make every stored entry stale: now, and once the current transaction commits."""
    _new_version()
    transaction.on_commit(_new_version)


def _read_django_permissions(user) -> set[str]:
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if user.is_superuser:
        held = Permission.objects.all()
    else:
        held = Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()
    return {
        f"{app_label}.{codename}"
        for app_label, codename in held.values_list("content_type__app_label", "codename")
    }


_TREE_FIELDS = ("id", "path", "depth")
_PERMISSION_FIELDS = ("permission__id", "permission__codename", "permission__content_type_id")


def _read(user) -> dict:
    from wagtail.models import (
        GroupCollectionPermission,
        GroupPagePermission,
        GroupSitePermission,
        Page,
    )
    from wagtail.permissions import page_permission_policy

    entry = {"perms": _read_django_permissions(user)}
    if user.is_superuser:
        # Wagtail decides a superuser's page, collection and site permissions without rows.
        entry.update(pages=[], collections=[], sites=[])
        root = Page.objects.filter(depth=1).only(*_TREE_FIELDS).first()
    else:
        mine = {"group__user": user}
        entry["pages"] = list(
            GroupPagePermission.objects.filter(**mine)
            .select_related("page", "permission")
            .only("id", "group_id", *(f"page__{f}" for f in _TREE_FIELDS), *_PERMISSION_FIELDS)
        )
        entry["collections"] = list(
            GroupCollectionPermission.objects.filter(**mine)
            .select_related("collection", "permission")
            .only(
                "id", "group_id", *(f"collection__{f}" for f in _TREE_FIELDS), *_PERMISSION_FIELDS
            )
        )
        entry["sites"] = list(
            GroupSitePermission.objects.filter(**mine)
            .select_related("permission")
            .only("id", "group_id", "site_id", *_PERMISSION_FIELDS)
        )
        # Wagtail's own reading of the explorer's root, from the rows just read.
        user._page_permission_cache = entry["pages"]
        pages = page_permission_policy.instances_with_direct_explore_permission(user)
        root = None
        if pages:
            paths = [page.path for page in pages]
            root = (
                Page.objects.filter(path=_common_ancestor_path(paths)).only(*_TREE_FIELDS).first()
            )
    entry["root"] = root
    return entry


def _common_ancestor_path(paths) -> str:
    """``PageManager.first_common_ancestor_of(..., include_self=True)``'s path."""
    import posixpath

    from wagtail.models import Page

    common = posixpath.commonprefix(paths)
    return common[: len(common) - len(common) % Page.steplen]


def _page_paths(pages, codenames):
    """``core.scope.page_paths_for``'s answer from the page permissions read."""
    from wagtail.models import Page

    paths = frozenset(
        perm.page.path for perm in pages if not codenames or perm.permission.codename in codenames
    )
    if any(len(path) <= Page.steplen for path in paths):
        return None
    return paths


def prime(user) -> None:
    """Give ``user`` their permissions from the cache (read and stored on a miss)."""
    if not user.is_active:
        return
    user_key = f"{ENTRY_PREFIX}{user.pk}"
    found = cache.get_many([VERSION_KEY, user_key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    stored = found.get(user_key)
    if stored is not None and stored[0] == version and stored[1] == _stamp(user):
        entry = stored[2]
    else:
        entry = _read(user)
        if version is not None:
            cache.set(user_key, (version, _stamp(user), entry), TIMEOUT)
    _apply(user, entry)


def _apply(user, entry) -> None:
    from .scope import SITE_PAGE_PERMISSIONS

    user._perm_cache = set(entry["perms"])
    user._page_permission_cache = list(entry["pages"])
    user._collection_permission_cache = list(entry["collections"])
    user._site_permission_cache = list(entry["sites"])
    user._explorable_root_page_cache = entry["root"]
    if user.is_superuser:
        paths = {(): None, SITE_PAGE_PERMISSIONS: None}
    else:
        paths = {
            (): _page_paths(entry["pages"], ()),
            SITE_PAGE_PERMISSIONS: _page_paths(entry["pages"], SITE_PAGE_PERMISSIONS),
        }
    user.__dict__["_portal_page_paths_cache"] = {
        ("_portal_page_paths", codenames): value for codenames, value in paths.items()
    }


# --- Invalidation --------------------------------------------------------------------------------


def _m2m_changed(sender, **_kwargs):
    if sender in _watched_through_models():
        bump()


def _watched_through_models():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    return (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    )


def connect() -> None:
    from django.conf import settings
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
    from wagtail.models import Collection
    from wagtail.signals import post_page_move

    rows = [
        "wagtailcore.GroupPagePermission",
        "wagtailcore.GroupCollectionPermission",
        "wagtailcore.GroupSitePermission",
        "auth.Group",
        "auth.Permission",
    ]
    user_label = settings.AUTH_USER_MODEL
    through = [f"{user_label}_groups", f"{user_label}_user_permissions", "auth.Group_permissions"]
    for label in rows + through:
        uid = f"staff-access-{label}"
        post_save.connect(bump, sender=label, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump, sender=label, dispatch_uid=f"{uid}-delete", weak=False)
    m2m_changed.connect(_m2m_changed, dispatch_uid="staff-access-m2m", weak=False)
    post_page_move.connect(bump, dispatch_uid="staff-access-page-move", weak=False)
    post_migrate.connect(bump, dispatch_uid="staff-access-migrate", weak=False)
    if not getattr(Collection.move, "portal_bumps_staff_access", False):
        Collection.move = _bumping(Collection.move)


def watch_wagtail_permission_forms() -> None:
    """Wagtail's group editor adds page and collection permissions with ``bulk_create``, which
    sends no signal: the token is replaced after its formsets save, once the admin is loaded
    (``core.wagtail_hooks``), the only place they are used."""
    from wagtail.admin.forms.collections import BaseGroupCollectionMemberPermissionFormSet
    from wagtail.users.forms import BaseGroupPagePermissionFormSet

    for formset in (BaseGroupPagePermissionFormSet, BaseGroupCollectionMemberPermissionFormSet):
        if getattr(formset.save, "portal_bumps_staff_access", False):
            continue
        formset.save = _bumping(formset.save)


def _bumping(save):
    def saved(self, *args, **kwargs):
        result = save(self, *args, **kwargs)
        bump()
        return result

    saved.portal_bumps_staff_access = True
    return saved


connect()
