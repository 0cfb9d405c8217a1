from functools import cache

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.models import CopyViewMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core import roles
from portal.core.admin_scope import SCOPED_MODELS, ScopedViewMixin

from .access import can_change_template, can_make_reports, templates_for
from .forms import ReportTemplateForm
from .models import ReportTemplate
from .views import run_download, run_status, run_view, statistics_view


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("reports/", statistics_view, name="reports_statistics"),
        path("reports/runs/<int:pk>/", run_view, name="reports_run"),
        path("reports/runs/<int:pk>/status.json", run_status, name="reports_run_status"),
        path("reports/runs/<int:pk>/download/", run_download, name="reports_run_download"),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_make_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    return ReportsMenuItem(
        _("Statistics and reports"), reverse("reports_statistics"), icon_name="table", order=260
    )


TEMPLATE_PERMISSIONS = [
    f"reports.{action}_reporttemplate" for action in ("add", "change", "delete", "view")
]


@hooks.register("portal_role_permissions")
def role_permissions():
    """Those who make reports keep their templates (portal.reports.access limits them to their
    sites' templates; shared ones are changed by district-wide staff only)."""
    return {
        roles.EDITOR: TEMPLATE_PERMISSIONS,
        roles.APPROVER: TEMPLATE_PERMISSIONS,
        roles.ADMINISTRATOR: TEMPLATE_PERMISSIONS,
        roles.SITE_GROUPS: TEMPLATE_PERMISSIONS,
    }


class TemplateScopeViewMixin(ScopedViewMixin):
    """Every view of the templates: the listing shows those the user may use; a template is
    opened (edited, deleted, its history) only by whoever may change it, copied by whoever may
    use it; anything else is "not found"."""

    def scope_queryset(self, queryset):
        if self._is_scoped_model(getattr(queryset, "model", None)):
            return queryset.filter(pk__in=templates_for(self.request.user).values("pk"))
        return queryset

    def in_scope(self, obj):
        if isinstance(self, CopyViewMixin):
            return templates_for(self.request.user).filter(pk=obj.pk).exists()
        return can_change_template(self.request.user, obj)


@cache
def _scoped(view_class):
    if issubclass(view_class, TemplateScopeViewMixin):
        return view_class
    return type(f"Scoped{view_class.__name__}", (TemplateScopeViewMixin, view_class), {})


class ReportTemplateViewSet(SnippetViewSet):
    model = ReportTemplate
    icon = "doc-full"
    menu_label = _("Report templates")
    list_display = ["name", "site", "title", "updated_at"]
    add_to_admin_menu = False

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(_scoped(view_class), **kwargs)

    def on_register(self):
        super().on_register()
        # The site history leaves out the entries of templates of other units' sites.
        SCOPED_MODELS[self.model] = ("site", False, "site")

    def get_edit_handler(self):
        return ObjectList(ReportTemplate.panels, base_form_class=ReportTemplateForm).bind_to_model(
            self.model
        )


register_snippet(ReportTemplateViewSet)
