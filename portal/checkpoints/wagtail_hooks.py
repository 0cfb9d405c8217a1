from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views
from .panels import CheckpointsPanel


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [admin_views.checkpoint_viewset, admin_views.checkin_viewset]


admin_urls = [
    path("posters/<int:pk>/<str:size>.<str:fmt>", admin_views.poster_download, name="poster"),
    path("paper/<int:pk>/<str:kind>.pdf", admin_views.paper_download, name="paper"),
    path("reissue/<int:pk>/", admin_views.reissue_code, name="reissue"),
    path("exports/", admin_views.poster_exports, name="exports"),
    path("exports/<int:pk>/", admin_views.poster_export, name="export"),
    path("exports/<int:pk>/status.json", admin_views.poster_export_status, name="export_status"),
    path("exports/<int:pk>/download/", admin_views.poster_export_download, name="export_download"),
    path("import/", admin_views.import_view, name="import"),
    path("import/template.csv", admin_views.import_template, name="import_template"),
    path("paper-entry/<int:pk>/", admin_views.paper_entry, name="paper_entry"),
    path("scan/", admin_views.staff_scan, name="scan"),
    path("scan/sync.json", admin_views.scan_sync, name="scan_sync"),
    path("trace/", admin_views.trace, name="trace"),
    path("retention/", admin_views.retention_log, name="retention"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("checkpoints/", include((admin_urls, "checkpoints_admin")))]


class PermMenuItem(MenuItem):
    def __init__(self, *args, perms=(), **kwargs):
        self.perms = perms
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return all(request.user.has_perm(p) for p in self.perms)


def _menu_items(request):
    return [
        PermMenuItem(
            _("Checkpoints"),
            reverse("checkpoints_register:index"),
            icon_name="site",
            order=10,
            perms=["checkpoints.view_checkpoint"],
        ),
        PermMenuItem(
            _("Import checkpoints"),
            reverse("checkpoints_admin:import"),
            icon_name="upload",
            order=20,
            perms=["checkpoints.add_checkpoint"],
        ),
        PermMenuItem(
            _("Bulk posters"),
            reverse("checkpoints_admin:exports"),
            icon_name="download",
            order=30,
            perms=["checkpoints.add_posterexport"],
        ),
        PermMenuItem(
            _("Check-ins"),
            reverse("checkpoints_checkins:index"),
            icon_name="list-ul",
            order=40,
            perms=["checkpoints.view_checkin"],
        ),
        PermMenuItem(
            _("Scan a personal QR"),
            reverse("checkpoints_admin:scan"),
            icon_name="tick-inverse",
            order=50,
            perms=["checkpoints.add_checkin"],
        ),
        PermMenuItem(
            _("Tracing"),
            reverse("checkpoints_admin:trace"),
            icon_name="search",
            order=60,
            perms=[
                "checkpoints.trace_contacts",
                "checkpoints.view_checkin",
                "checkpoints.view_checkpoint",
            ],
        ),
        PermMenuItem(
            _("Deletion log"),
            reverse("checkpoints_admin:retention"),
            icon_name="bin",
            order=70,
            perms=["checkpoints.view_checkin"],
        ),
    ]


class CheckpointsMenu(Menu):
    def __init__(self):
        super().__init__(register_hook_name=None)

    @property
    def registered_menu_items(self):
        return _menu_items(None)


@hooks.register("register_admin_menu_item")
def register_menu():
    return SubmenuMenuItem(
        gettext_lazy("Checkpoints"), CheckpointsMenu(), icon_name="site", order=250
    )


@hooks.register("construct_homepage_panels")
def add_panel(request, panels):
    if request.user.has_perm("checkpoints.view_checkin"):
        panels.append(CheckpointsPanel(request))


@hooks.register("portal_nav_items")
def nav_items(request):
    return [{"title": _("Scan QR code"), "url": "/quet-ma/", "order": 80}]


@hooks.register("portal_personal_data")
def personal_data():
    """Check-ins held about a person, for data-subject requests (portal.core)."""
    from portal.core.privacy_requests import finder

    from .models import CheckIn

    return [(_("Check-ins"), finder(CheckIn))]


@hooks.register("insert_global_admin_css")
def checkpoints_admin_css():
    """The checkpoint list, paper entry and tracing screens (served from this site)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("checkpoints/admin.css"))


@hooks.register("portal_merge_units")
def move_checkpoints_to_the_merged_commune(from_unit, into_unit):
    """An absorbed commune's checkpoints become the merged commune's (their codes, QR posters
    and check-ins stay valid); a name the merged commune already uses gets the old commune's."""
    from .models import Checkpoint

    taken = set(Checkpoint.objects.filter(commune=into_unit).values_list("name", flat=True))
    moved = 0
    for checkpoint in Checkpoint.objects.filter(commune=from_unit):
        checkpoint.commune = into_unit
        if checkpoint.name in taken:
            checkpoint.name = f"{checkpoint.name} ({from_unit.display_name})"[:150]
        taken.add(checkpoint.name)
        checkpoint.save(update_fields=["commune", "name"])
        moved += 1
    return [f"Điểm kiểm dịch: {moved} điểm chuyển sang {into_unit.display_name}."]
