from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .access import can_make_reports
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


class ReportTemplateViewSet(SnippetViewSet):
    model = ReportTemplate
    icon = "doc-full"
    menu_label = _("Report templates")
    list_display = ["name", "site", "title", "updated_at"]
    add_to_admin_menu = False


register_snippet(ReportTemplateViewSet)
