"""The audit log in the Wagtail admin (nhật ký truy cập dữ liệu cá nhân): administrators only,
read-only, filtered by user, action and date."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import AuditEntry

VIEW_PERMISSION = "core.view_auditentry"
PAGE_SIZE = 50


def can_view_audit_log(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_PERMISSION))


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["user"]:
            queryset = queryset.filter(username__icontains=data["user"].strip())
        if data["action"]:
            queryset = queryset.filter(action__istartswith=data["action"].strip())
        if data["date_from"]:
            queryset = queryset.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            queryset = queryset.filter(created_at__date__lte=data["date_to"])
        return queryset


@require_safe
def audit_log(request):
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_bound:
        entries = form.filter(entries)
    page = Paginator(entries.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "core/audit/audit_log.html",
        {
            "form": form,
            "page_obj": page,
            "actions": AuditEntry.objects.order_by("action")
            .values_list("action", flat=True)
            .distinct()[:200],
            "query": query.urlencode(),
        },
    )


@hooks.register("register_admin_urls")
def register_urls():
    return [path("nhat-ky-truy-cap/", audit_log, name="core_audit_log")]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_audit_log(request.user)


@hooks.register("register_settings_menu_item")
def audit_menu_item():
    return AuditMenuItem(
        _("Personal data access log"), reverse("core_audit_log"), icon_name="list-ul", order=900
    )
