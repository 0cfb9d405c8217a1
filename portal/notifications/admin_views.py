"""The delivery report (báo cáo gửi thông báo) in the admin: every notification the user may see
(``kinds``: a message about a dossier by the dossiers' commune rule, any other by its site;
district staff see all), by status, channel, site, record kind and day, recipients masked; one
message's screen with the whole address (audited), and sending a failed one again."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permission_policies import ModelPermissionPolicy

from portal.core import audit
from portal.core.admin_scope import ScopedViewMixin
from portal.core.admin_search import search_q
from portal.core.scope import sites_for

from . import kinds, outbox
from .models import Channel, Notification, Status

VIEW = "notifications.view_notification"
RESEND = "notifications.resend_notification"


class NotificationPermissionPolicy(ModelPermissionPolicy):
    """Listing and reading only: notifications are written by the portal, never by hand."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm(VIEW)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def _local(value):
    return date_format(timezone.localtime(value), "H:i d/m/Y") if value else "—"


class StatusColumn(Column):
    def get_value(self, instance):
        css = {
            Status.SENT: "success",
            Status.FAILED: "critical",
            Status.GIVEN_UP: "critical",
        }.get(instance.status, "primary")
        return format_html(
            '<span class="w-status w-status--{}">{}</span>', css, instance.get_status_display()
        )


class AboutColumn(Column):
    """The record a message is about, linked to its screen when its app gives one."""

    def get_value(self, instance):
        record = instance.about if instance.about_type_id else None
        if record is None:
            return "—"
        url = kinds.about_url(instance)
        return format_html('<a href="{}">{}</a>', url, record) if url else str(record)


def _site_choices(request):
    return sites_for(request.user)


# Failed or given up: the messages staff look at and may send again.
NOT_DELIVERED = "not_delivered"


def _status_choices():
    return [*Status.choices, (NOT_DELIVERED, gettext_lazy("Not sent (failed or given up)"))]


def _about_choices():
    return [(about.name, about.label) for about in kinds.abouts().values()]


class NotificationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=_status_choices, method="filter_status"
    )
    about = django_filters.ChoiceFilter(
        label=gettext_lazy("Concerns"), choices=_about_choices, method="filter_about"
    )
    channel = django_filters.ChoiceFilter(
        label=gettext_lazy("Sending channel"), choices=Channel.choices
    )
    site = django_filters.ModelChoiceFilter(label=gettext_lazy("Site"), queryset=_site_choices)
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Notification
        fields = ["status", "channel", "site", "about", "created_at"]

    def filter_status(self, queryset, name, value):
        if value == NOT_DELIVERED:
            return queryset.not_delivered()
        return queryset.filter(status=value) if value else queryset

    def filter_about(self, queryset, name, value):
        about = kinds.abouts().get(value)
        if about is None:
            return queryset
        return queryset.filter(about_type=ContentType.objects.get_for_model(about.model))


class NotificationScopeMixin(ScopedViewMixin):
    """Every queryset and record of these views within what the user may see (``kinds``)."""

    def scope_queryset(self, queryset):
        if self._is_scoped_model(getattr(queryset, "model", None)):
            return kinds.scope_notifications(self.request.user, queryset)
        return queryset

    def in_scope(self, obj):
        return kinds.in_scope(self.request.user, obj)


class NotificationIndexView(NotificationScopeMixin, IndexView):
    page_title = gettext_lazy("Notifications")
    header_icon = "mail"
    paginate_by = 50
    default_ordering = "-created_at"
    is_searchable = True
    search_fields = ["to", "subject"]

    @property
    def columns(self):
        return [
            TitleColumn(
                "created_at",
                label=gettext_lazy("Created"),
                accessor=lambda n: _local(n.created_at),
                sort_key="created_at",
                get_url=lambda n: self.get_inspect_url(n),
            ),
            Column(
                "channel", label=gettext_lazy("Sending channel"), accessor="get_channel_display"
            ),
            Column("to", label=gettext_lazy("Recipient"), accessor="masked_to"),
            Column("subject", label=gettext_lazy("Subject")),
            Column("site", label=gettext_lazy("Site")),
            AboutColumn("about", label=gettext_lazy("Concerns")),
            StatusColumn("status", label=gettext_lazy("Status"), sort_key="status"),
            Column("attempts", label=gettext_lazy("Attempts")),
            Column(
                "sent_at",
                label=gettext_lazy("Sent"),
                accessor=lambda n: _local(n.sent_at),
                sort_key="sent_at",
            ),
            Column(
                "last_error",
                label=gettext_lazy("Last error"),
                accessor=lambda n: (
                    (n.last_error[:120] + "…") if len(n.last_error) > 120 else n.last_error
                ),
            ),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("site").prefetch_related("about")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query
        return queryset.filter(
            search_q(query, ["to"], number_fields=("to",))
            | search_q(query, ["subject"])
            | Q(to__iexact=query.strip())
        )

    def get_search_form(self):
        form = super().get_search_form()
        if form is not None:
            form.fields["q"].widget.attrs["placeholder"] = _("Phone, e-mail, Zalo id or subject")
        return form

    def get_add_url(self):
        return None


INSPECT_FIELDS = [
    "channel",
    "to",
    "subject",
    "body",
    "template",
    "site",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "provider_id",
    "key",
    "created_at",
    "sent_at",
]


class NotificationInspectView(NotificationScopeMixin, InspectView):
    template_name = "notifications/admin/inspect.html"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if field_name in ("next_attempt_at", "created_at", "sent_at"):
            return _local(getattr(self.object, field_name))
        return value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["about"] = self.object.about
        context["about_url"] = kinds.about_url(self.object)
        context["can_resend"] = self.object.undelivered and self.request.user.has_perm(RESEND)
        return context


@require_POST
def resend_view(request, pk):
    """Send a failed or given-up message again (a fresh count of tries); back to ``next`` (the
    record's screen that offered it) or the message's screen."""
    if not request.user.has_perm(RESEND):
        raise PermissionDenied
    message = get_object_or_404(Notification, pk=pk)
    if not kinds.in_scope(request.user, message):
        raise Http404
    if not message.undelivered:
        messages.error(request, _("Only a failed or given-up message can be sent again."))
    else:
        outbox.resend(message)
        audit.record(request, "notifications.resend", subject=f"#{message.pk}", count=1)
        messages.success(request, _("The message is queued to be sent again."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("notifications:inspect", message.pk)
