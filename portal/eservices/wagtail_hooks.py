import json

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
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


# Who may list dossiers (also who sees the menu item): staff with the permission to view them.
register_permission_policy(Dossier, admin_views.DossierPermissionPolicy(Dossier), exact_class=True)


class DossierViewSet(ScopedViewSetMixin, ModelViewSet):
    """The one-stop desk's list of dossiers (hồ sơ trực tuyến) at /admin/ho-so/: a Wagtail index
    view (admin_views.DossierIndexView) and its results fragment. A dossier's screen, its files
    are the desk's own views (``eservices_admin``, below) under the same prefix; messages to
    applicants that could not be sent are in the delivery report (``portal_notification_about``,
    below); ``eservices_admin:list`` names this listing."""

    model = Dossier
    url_prefix = "ho-so"
    scope_field = "commune"
    district_desk = True
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Online dossiers")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = admin_views.DossierIndexView
    filterset_class = admin_views.DossierFilterSet
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields = []

    def get_urlpatterns(self):
        # A listing only: dossiers are filed by citizens and processed on their own screen.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        # Nothing is added, changed or deleted here: the group screen offers viewing and the
        # model's own permissions, not add/change/delete boxes that would mean nothing.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model)
        ).exclude(codename__regex=r"^(add|change|delete)_")

    def register_admin_url_finder(self):
        pass  # a dossier's screen is admin_views.dossier_detail, found by its URL name


dossier_viewset = DossierViewSet("eservices_dossiers")


@hooks.register("register_admin_viewset")
def register_dossier_viewset():
    return dossier_viewset


admin_urlpatterns = [
    path("", dossier_viewset.index_view, name="list"),
    path("<int:pk>/", admin_views.dossier_detail, name="detail"),
    path("tep/<int:pk>/", admin_views.dossier_file, name="file"),
    # The desk's old list of e-mails not sent: now the delivery report, filtered to dossiers.
    path("thu-loi/", outbox_views.failed_emails, name="failed_emails"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    from .trial import trial_wizard

    return [
        path(
            "ho-so/", include((admin_urlpatterns, "eservices_admin"), namespace="eservices_admin")
        ),
        # An editor tries a procedure's draft form end to end; nothing is filed (eservices.trial).
        path("thu-bieu-mau/<int:page_id>/", trial_wizard, name="eservices_trial_start"),
        path("thu-bieu-mau/<int:page_id>/<str:step>/", trial_wizard, name="eservices_trial_step"),
    ]


def _form_builder_words():
    """What form_builder.js writes, in the editor's language (read from the script's tag)."""
    return {
        "one": _("1 question"),
        "many": _("%(count)s questions"),
        "none": _("no questions yet"),
        "required": _("required"),
        "optional": _("optional answer"),
        "when": _("shown when %(field)s is “%(value)s”"),
        "whenAny": _("shown when %(field)s has an answer"),
        "openAll": _("Open all steps and questions"),
        "foldAll": _("Fold all steps and questions"),
    }


@hooks.register("insert_editor_js")
def form_builder_js():
    """The form builder: conditions offer the earlier fields and their answers; folded steps and
    questions say what they hold; all open or fold at once."""
    return format_html(
        '<script src="{}" data-es-builder="{}" defer></script>',
        static("eservices/form_builder.js"),
        json.dumps(_form_builder_words(), ensure_ascii=False),
    )


@hooks.register("insert_global_admin_css")
def form_builder_css():
    """The form builder's headings and buttons (Wagtail 8 has no editor-only CSS hook)."""
    return format_html('<link rel="stylesheet" href="{}">', static("eservices/form_builder.css"))


@hooks.register("register_page_header_buttons")
def trial_button(page, user, view_name, next_url=None):
    from .models import ServicePage
    from .trial import TrialButton

    if issubclass(page.specific_class or object, ServicePage):
        yield TrialButton(page=page, priority=12)


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


def _dossiers_of_desk(user, queryset):
    """The dossiers whose messages the user sees in the delivery report: the desk's own rule
    (``admin_views.scoped_dossiers``), for staff who may view dossiers."""
    if not user.has_perm(admin_views.VIEW):
        return queryset.none()
    return admin_views.scoped_dossiers(user, queryset)


@hooks.register("portal_notification_about")
def dossier_notifications():
    """Messages to applicants are about their dossier: the delivery report filters them with
    ``?about=dossiers``, links each to the dossier's screen and shows them to the desk of the
    dossier's commune only."""
    from portal.notifications.kinds import About

    return About(
        name="dossiers",
        label=gettext_lazy("Online dossiers"),
        model=Dossier,
        scope=_dossiers_of_desk,
        url=lambda dossier: reverse("eservices_admin:detail", kwargs={"pk": dossier.pk}),
    )


def _receipt_attachment(message):
    """The dossier's receipt (PDF), drawn again from the dossier when its e-mail is sent."""
    from .views import receipt_pdf

    dossier = message.about
    if not isinstance(dossier, Dossier):
        raise LookupError("the dossier of this receipt no longer exists")
    return f"phieu-tiep-nhan-{dossier.code}.pdf", receipt_pdf(dossier), "application/pdf"


@hooks.register("portal_notification_attachments")
def notification_attachments():
    return {"receipt": _receipt_attachment}


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
