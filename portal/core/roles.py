"""The staff roles (vai trò) as Django groups, with exactly the permissions each needs.

``manage.py setup_roles`` creates or updates them, and the moderation workflow whose approval
task is the approvers' (``workflows.py``); it is idempotent and runs after every migrate, on every
deploy and in ``make run``. Cán bộ xã see only their communes: their model permissions are
narrowed to the communes of their ``StaffScope`` by the apps' views (``core.scope``).

Apps' permissions are named here as strings, so core imports no app. A permission an app does not
define (yet) is skipped. An app may also grant its own permissions to the roles through the
``portal_role_permissions`` hook: a function returning ``{role name: ["app_label.codename", ...]}``,
where the key ``SITE_GROUPS`` stands for the editors and approvers of each unit site
(``core.unit_sites``). Such an app keeps its grants beside its models instead of in this file.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail import hooks
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITOR = "Biên tập viên"
APPROVER = "Lãnh đạo duyệt tin"
COMMUNE_STAFF = "Cán bộ xã"
ONE_STOP_OFFICER = "Cán bộ một cửa"
HEALTH_OFFICIAL = "Cán bộ y tế"
ADMINISTRATOR = "Quản trị"

ADMIN_ACCESS = "wagtailadmin.access_admin"

# Model permissions per role, as "app_label.codename". Images and documents are granted per
# collection below, pages per page below; only what a role does in its daily work is here.
# Records that belong to one site (core.scope.site_ids_for limits them to the user's sites).
_SITE_RECORDS = [
    "news.add_meeting",  # the site's work schedule (lịch công tác)
    "news.change_meeting",
    "news.delete_meeting",
    "news.view_meeting",
    "eservices.add_procedureoffering",  # how the site offers the canonical procedures
    "eservices.change_procedureoffering",
    "eservices.delete_procedureoffering",
    "eservices.view_procedureoffering",
]
_SNIPPETS_FOR_CONTENT = [
    "news.add_issuer",  # issuing bodies of directives (cơ quan ban hành)
    "news.change_issuer",
    "news.view_issuer",
    "eservices.add_procedurearea",  # fields of procedures (lĩnh vực)
    "eservices.change_procedurearea",
    "eservices.view_procedurearea",
    *_SITE_RECORDS,
]

# Model permissions of a unit site's own editors and approvers (core.unit_sites): the admin and
# the records that belong to a site, which core.scope.site_ids_for limits to their site.
SITE_GROUP_PERMISSIONS = [ADMIN_ACCESS, *_SITE_RECORDS]

ROLE_PERMISSIONS = {
    EDITOR: [ADMIN_ACCESS, *_SNIPPETS_FOR_CONTENT],
    APPROVER: [ADMIN_ACCESS, *_SNIPPETS_FOR_CONTENT],
    COMMUNE_STAFF: [
        ADMIN_ACCESS,
        # Checkpoints of their own commune only: the views filter by StaffScope.
        "checkpoints.add_checkpoint",
        "checkpoints.change_checkpoint",
        "checkpoints.view_checkpoint",
        # Paper declarations entered by staff, and the commune's check-ins of today.
        "checkpoints.add_checkin",
        "checkpoints.view_checkin",
        # Poster downloads (single and bulk per commune).
        "checkpoints.add_posterexport",
        "checkpoints.view_posterexport",
    ],
    ONE_STOP_OFFICER: [
        ADMIN_ACCESS,
        # Receive, request supplements, return results: the views check these two.
        "eservices.view_dossier",
        "eservices.process_dossier",
    ],
    HEALTH_OFFICIAL: [
        ADMIN_ACCESS,
        "checkpoints.view_checkpoint",
        "checkpoints.view_checkin",
        "checkpoints.trace_contacts",
    ],
    ADMINISTRATOR: [
        ADMIN_ACCESS,
        # Accounts and roles (Wagtail's users and groups screens use Django's permissions). An
        # administrator grants only the roles whose permissions they hold (portal.core.users): the
        # content roles, and their own; the roles that see personal data are granted by a superuser.
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_user",
        "auth.add_group",
        "auth.change_group",
        "auth.view_group",
        # Which communes a commune officer may see.
        "core.add_staffscope",
        "core.change_staffscope",
        "core.view_staffscope",
        "core.view_auditentry",
        # Data-subject requests: find, export and erase (portal.core.privacy_requests).
        "core.handle_privacy_request",
        "core.change_portalsettings",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "wagtailredirects.view_redirect",
        "wagtailsearchpromotions.add_searchpromotion",
        "wagtailsearchpromotions.change_searchpromotion",
        "wagtailsearchpromotions.delete_searchpromotion",
        "wagtailsearchpromotions.view_searchpromotion",
        # What the content roles hold, so that an administrator can give those roles.
        *_SNIPPETS_FOR_CONTENT,
    ],
}

# Page permissions on the root of the page tree (so on every section), per role. Editors write
# and submit for approval; approvers publish; nobody but superusers deletes a section.
ROLE_PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page"],
    APPROVER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

# Collection (images, documents) permissions on the root collection, per role.
_MEDIA = ["add_image", "change_image", "choose_image", "add_document", "change_document",
          "choose_document"]  # fmt: skip
ROLE_COLLECTION_PERMISSIONS = {EDITOR: _MEDIA, APPROVER: _MEDIA, ADMINISTRATOR: _MEDIA}


ROLE_PERMISSIONS_HOOK = "portal_role_permissions"
# The key of the ROLE_PERMISSIONS_HOOK answers that stands for every unit site's own groups.
SITE_GROUPS = "SITE_GROUPS"


def app_permissions() -> dict[str, list[str]]:
    """What the apps grant through ``portal_role_permissions``: {role or SITE_GROUPS: [perms]}."""
    granted: dict[str, list[str]] = {}
    for fn in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        for role, names in (fn() or {}).items():
            granted.setdefault(role, []).extend(names)
    return granted


def role_permissions(role: str) -> list[str]:
    """Every permission of a role: this module's list and what the apps grant it."""
    return [*ROLE_PERMISSIONS.get(role, []), *app_permissions().get(role, [])]


def site_group_permissions() -> list[str]:
    """The model permissions of a unit site's editors and approvers (core.unit_sites)."""
    return [*SITE_GROUP_PERMISSIONS, *app_permissions().get(SITE_GROUPS, [])]


def permissions(dotted_names) -> tuple[list[Permission], list[str]]:
    """The permissions named "app_label.codename", read in one query, in the order given (each
    once); and the names no permission has."""
    names = list(dict.fromkeys(dotted_names))
    if not names:
        return [], []
    wanted = Q()
    for name in names:
        app_label, codename = name.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(wanted).select_related("content_type")
    }
    return [found[n] for n in names if n in found], [n for n in names if n not in found]


def required_permissions(dotted_names) -> list[Permission]:
    """``permissions(dotted_names)``, every one of which must exist (Wagtail's and the portal's
    own, made by migrations): a missing one is an error, not a quietly smaller role."""
    perms, absent = permissions(dotted_names)
    if absent:
        raise Permission.DoesNotExist(f"no permission {', '.join(absent)}")
    return perms


def page_permission_names(codenames) -> list[str]:
    """Page permissions (``ROLE_PAGE_PERMISSIONS``' codenames) by their full names."""
    return [f"wagtailcore.{codename}" for codename in codenames]


def collection_permission_names(codenames) -> list[str]:
    """Image and document permissions (``ROLE_COLLECTION_PERMISSIONS``' codenames) by their full
    names: ``add_image`` is Wagtail's images', ``add_document`` its documents'."""
    return [
        f"{'wagtailimages' if codename.endswith('image') else 'wagtaildocs'}.{codename}"
        for codename in codenames
    ]


@transaction.atomic
def setup_roles(extra_permissions=None):
    """Create or update every role. Returns {role: [missing permission names]}."""
    missing = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role in ROLE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=role)
        perms, absent = permissions(
            [*role_permissions(role), *(extra_permissions or {}).get(role, [])]
        )
        if absent:
            missing[role] = absent
        group.permissions.set(perms)
        if root_page is not None:
            wanted = ROLE_PAGE_PERMISSIONS.get(role, [])
            GroupPagePermission.objects.filter(group=group).exclude(
                page=root_page, permission__codename__in=wanted
            ).delete()
            for perm in required_permissions(page_permission_names(wanted)):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=perm
                )
        if root_collection is not None:
            wanted = ROLE_COLLECTION_PERMISSIONS.get(role, [])
            GroupCollectionPermission.objects.filter(group=group).exclude(
                collection=root_collection, permission__codename__in=wanted
            ).delete()
            for perm in required_permissions(collection_permission_names(wanted)):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )
    # The approvers' task in the moderation workflow belongs with the roles.
    from .workflows import ensure_moderation_workflow

    ensure_moderation_workflow()
    return missing
