"""The audit log in the Wagtail admin (nhật ký truy cập dữ liệu cá nhân): administrators only,
read-only, a Wagtail viewset whose listing is filtered by action, user and dates from dropdowns
and date pickers, with every action, parameter and value in words (``portal.core.audit``)."""

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.active_filters import (
    ActiveFilter,
    BaseFilterAdapter,
    register_filter_adapter_class,
)
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import audit, permission_labels  # noqa: F401  (the group screen's names, at startup)
from .models import AuditEntry

VIEW_PERMISSION = "core.view_auditentry"
PAGE_SIZE = 50


def can_view_audit_log(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_PERMISSION))


class AuditLogPermissionPolicy(ModelPermissionPolicy):
    """The log is read, never written, from the admin: only "view" is ever granted."""

    def user_has_permission(self, user, action):
        return action == "view" and can_view_audit_log(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and can_view_audit_log(user)


def _action_choices():
    codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return [("", _("All actions")), *audit.action_choices(codes)]


def _user_choices():
    names = (
        AuditEntry.objects.exclude(username="")
        .order_by()
        .values_list("username", flat=True)
        .distinct()
    )
    return [("", _("All users")), *((n, n) for n in sorted(names))]


class ListedFilter(django_filters.CharFilter):
    """A text filter chosen from a list (``widget.choices``): a value from an older link that is
    not in the list still filters."""

    def __init__(self, *args, describe=str, **kwargs):
        kwargs.setdefault("widget", django_filters.widgets.forms.Select)
        super().__init__(*args, **kwargs)
        self.describe = describe  # how a value not in the list reads


class ListedFilterAdapter(BaseFilterAdapter):
    """The chosen filter above the listing reads as its label in the list, not its code."""

    def get_active_filters(self):
        labels = {str(k): label for k, label in self.bound_field.field.widget.choices}
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            str(labels.get(str(self.value)) or self.filter.describe(self.value)),
            self.get_url_without_filter_param(self.name),
        )


class DayFilterAdapter(BaseFilterAdapter):
    def get_active_filters(self):
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            date_format(self.value, "d/m/Y"),
            self.get_url_without_filter_param(self.name),
        )


class DayFilter(django_filters.DateFilter):
    pass


register_filter_adapter_class(ListedFilter, adapter_class=ListedFilterAdapter)
register_filter_adapter_class(DayFilter, adapter_class=DayFilterAdapter)


class AuditFilterSet(WagtailFilterSet):
    # Chosen from a list; a code's family (``checkpoints.trace``) matches every code under it, and
    # older links that typed a prefix keep working.
    action = ListedFilter(label=_("Action"), method="filter_action", describe=audit.action_label)
    user = ListedFilter(label=_("User"), field_name="username", lookup_expr="exact")
    date_from = DayFilter(
        label=_("From date"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=AdminDateInput,
    )
    date_to = DayFilter(
        label=_("To date"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=AdminDateInput,
    )

    class Meta:
        model = AuditEntry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["action"].widget.choices = _action_choices()
        self.form.fields["user"].widget.choices = _user_choices()

    def filter_action(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(action__istartswith=value) if value else queryset


class ActionColumn(Column):
    def get_value(self, instance):
        return audit.action_label(instance.action)


class ParametersColumn(Column):
    def get_value(self, instance):
        pairs = audit.describe_parameters(instance.parameters)
        return format_html_join("", "<div><strong>{}</strong>: {}</div>", pairs) or "—"


class RecordsColumn(Column):
    def get_value(self, instance):
        return format_html("{}", instance.record_count)


class AuditLogIndexView(IndexView):
    page_title = _("Personal data access log")
    default_ordering = "-created_at"
    paginate_by = PAGE_SIZE

    columns = [
        Column(
            "created_at",
            label=_("Date and time"),
            accessor=lambda e: e.created_at,
            sort_key="created_at",
        ),
        Column(
            "username",
            label=_("User"),
            accessor=lambda e: e.username or "—",
            sort_key="username",
        ),
        ActionColumn("action", label=_("Action"), sort_key="action"),
        Column("subject", label=_("Data accessed")),
        RecordsColumn("record_count", label=_("Records shown")),
        ParametersColumn("parameters", label=_("Details")),
        Column("ip_address", label=capfirst(_("IP address"))),
    ]

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "-created_at"]

    def order_queryset(self, queryset):
        # Entries of one second keep the order they were written in.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def filter_queryset(self, queryset):
        # A date or value that cannot be read shows nothing, not the whole log.
        if self.filters and self.filters.form.is_bound and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


register_permission_policy(AuditEntry, AuditLogPermissionPolicy(AuditEntry), exact_class=True)


class AuditLogViewSet(ModelViewSet):
    model = AuditEntry
    name = "core_audit"
    url_prefix = "nhat-ky-truy-cap"
    icon = "list-ul"
    menu_label = _("Personal data access log")
    menu_order = 900
    add_to_settings_menu = True
    index_view_class = AuditLogIndexView
    filterset_class = AuditFilterSet
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields = []

    def get_urlpatterns(self):
        # Read-only: a listing and its results fragment, no add, edit, delete or history.
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
        pass  # no edit view to link an entry to


audit_log_viewset = AuditLogViewSet()


@hooks.register("register_admin_viewset")
def register_viewset():
    return audit_log_viewset


@hooks.register("register_admin_urls")
def register_urls():
    # The name the rest of the portal links to.
    return [path("nhat-ky-truy-cap/", audit_log_viewset.index_view, name="core_audit_log")]
