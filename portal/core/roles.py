"""The staff roles (vai trò) as Django groups, with exactly the permissions each needs.

``manage.py setup_roles`` creates or updates them; it is idempotent and runs on every deploy and in
``make run``. Apps name their permissions here as strings, so core imports no app. A permission an
app does not define (yet) is skipped.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITOR = "Biên tập viên"
APPROVER = "Lãnh đạo duyệt tin"
COMMUNE_STAFF = "Cán bộ xã"
ONE_STOP_OFFICER = "Cán bộ một cửa"
HEALTH_OFFICIAL = "Cán bộ y tế"
ADMINISTRATOR = "Quản trị"

ADMIN_ACCESS = "wagtailadmin.access_admin"

# Model permissions per role, as "app_label.codename".
ROLE_PERMISSIONS = {
    EDITOR: [
        ADMIN_ACCESS,
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "taggit.add_tag",
        "taggit.change_tag",
        "news.add_meeting",
        "news.change_meeting",
        "news.delete_meeting",
        "news.view_meeting",
    ],
    APPROVER: [
        ADMIN_ACCESS,
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "news.add_meeting",
        "news.change_meeting",
        "news.delete_meeting",
        "news.view_meeting",
    ],
    COMMUNE_STAFF: [
        ADMIN_ACCESS,
        "checkpoints.add_checkpoint",
        "checkpoints.change_checkpoint",
        "checkpoints.view_checkpoint",
        "checkpoints.add_checkin",
        "checkpoints.view_checkin",
        "checkpoints.change_checkin",
        "checkpoints.add_posterexport",
        "checkpoints.view_posterexport",
    ],
    ONE_STOP_OFFICER: [
        ADMIN_ACCESS,
        "eservices.view_dossier",
        "eservices.change_dossier",
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
        "wagtailusers.add_user",
        "wagtailusers.change_user",
        "wagtailusers.delete_user",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_user",
        "auth.add_group",
        "auth.change_group",
        "auth.view_group",
        "core.view_auditentry",
        "core.add_staffscope",
        "core.change_staffscope",
        "core.view_staffscope",
        "core.change_portalsettings",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "wagtailsearchpromotions.add_query",
        "wagtailsearchpromotions.change_query",
        "wagtailsearchpromotions.delete_query",
    ],
}

# Page permissions on the whole tree, per role.
ROLE_PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page"],
    APPROVER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATOR: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page",
                    "unlock_page"],
}  # fmt: skip

# Collection (images, documents) permissions on the root collection, per role.
ROLE_COLLECTION_PERMISSIONS = {
    EDITOR: ["add_image", "change_image", "choose_image", "add_document", "change_document",
             "choose_document"],
    APPROVER: ["add_image", "change_image", "choose_image", "add_document", "change_document",
               "choose_document"],
}  # fmt: skip


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def setup_roles(extra_permissions=None):
    """Create or update every role. Returns {role: [missing permission names]}."""
    missing = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for name in [*names, *(extra_permissions or {}).get(role, [])]:
            perm = _permission(name)
            if perm is None:
                missing.setdefault(role, []).append(name)
            else:
                perms.append(perm)
        group.permissions.set(perms)
        if root_page is not None:
            wanted = ROLE_PAGE_PERMISSIONS.get(role, [])
            GroupPagePermission.objects.filter(group=group).exclude(
                permission__codename__in=wanted
            ).delete()
            for codename in wanted:
                perm = Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                )
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=perm
                )
        if root_collection is not None:
            for codename in ROLE_COLLECTION_PERMISSIONS.get(role, []):
                app = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
                perm = Permission.objects.get(content_type__app_label=app, codename=codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )
    return missing
