from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.admin_scope import ScopedViewSetMixin

from . import admin_views, outbox_views
from .models import Dossier, ProcedureOffering, Status


class ProcedureOfferingViewSet(ScopedViewSetMixin, SnippetViewSet):
    """How each site offers the canonical procedures: an editor sees and changes the offerings
    of the sites whose pages they may edit, every view of them included."""

    scope_by = "site"
    scope_field = "site"
    model = ProcedureOffering
    icon = "list-ul"
    menu_label = gettext_lazy("Procedures on this site")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["procedure", "site", "agency", "agency_code", "not_offered"]
    list_filter = ["site", "not_offered"]
    search_fields = ["agency", "agency_code", "procedure__title"]
    ordering = ["site", "procedure__title"]


register_snippet(ProcedureOfferingViewSet)

admin_urlpatterns = [
    path("", admin_views.dossier_list, name="list"),
    path("<int:pk>/", admin_views.dossier_detail, name="detail"),
    path("tep/<int:pk>/", admin_views.dossier_file, name="file"),
    path("thu-loi/", outbox_views.failed_emails, name="failed_emails"),
    path("thu/<int:pk>/gui-lai/", outbox_views.resend_email, name="resend_email"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("ho-so/", include((admin_urlpatterns, "eservices_admin"), namespace="eservices_admin"))
    ]


class DossierMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW)


@hooks.register("register_admin_menu_item")
def dossier_menu_item():
    return DossierMenuItem(
        gettext_lazy("Online dossiers"),
        reverse("eservices_admin:list"),
        icon_name="folder-open-inverse",
        order=250,
    )


class DossierPanel(Component):
    name = "eservices_dossiers"
    order = 120
    template_name = "eservices/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        dossiers = admin_views.scoped_dossiers(self.user)
        return {
            "new_count": dossiers.filter(status=Status.NEW).count(),
            "overdue_count": dossiers.overdue(today).count(),
            "recent": dossiers.filter(status=Status.NEW).order_by("-submitted_at")[:5],
        }


@hooks.register("construct_homepage_panels")
def add_dossier_panel(request, panels):
    if request.user.has_perm(admin_views.PROCESS):
        panels.append(DossierPanel(request.user))


@hooks.register("portal_nav_items")
def nav_items(request):
    return [
        {"title": _("Health declaration"), "url": reverse("eservices:health_start"), "order": 75},
        {"title": _("Look up a dossier"), "url": reverse("eservices:lookup"), "order": 78},
    ]


@hooks.register("portal_personal_data")
def personal_data():
    """What e-services hold about a person, for data-subject requests (portal.core)."""
    from portal.core.privacy_requests import finder

    from .models import HealthDeclaration
    from .tasks import anonymise_dossier

    def anonymise(queryset):
        # A dossier is an administrative record kept for the legal period: anonymise, not delete.
        count = 0
        for dossier in queryset.filter(anonymised_at__isnull=True):
            anonymise_dossier(dossier)
            count += 1
        return count

    return [
        (_("Health declarations"), finder(HealthDeclaration)),
        (
            _("Online dossiers"),
            finder(Dossier, "applicant_phone", "applicant_id_number"),
            anonymise,
        ),
    ]


@hooks.register("portal_build_unit_site", order=20)
def build_unit_site_catalogue(home, unit):
    """A unit's site's procedure catalogue (portal.core.unit_sites)."""
    from portal.core.unit_sites import ensure_child

    from .models import ServiceIndexPage

    # The site's groups may set how their site offers the canonical procedures: their
    # permissions are core.roles.SITE_GROUP_PERMISSIONS.
    _page, created = ensure_child(
        home, ServiceIndexPage, "dich-vu-cong", title="Dịch vụ công trực tuyến",
        intro="<p>Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả giải "
        "quyết.</p>",
    )  # fmt: skip
    return [created]
