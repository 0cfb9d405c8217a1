from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.core import roles
from portal.core.admin_scope import ScopedViewSetMixin

from . import admin_views
from .models import Notification

register_permission_policy(
    Notification, admin_views.NotificationPermissionPolicy(Notification), exact_class=True
)


class NotificationViewSet(ScopedViewSetMixin, ModelViewSet):
    """The delivery report at /admin/thong-bao/: the notifications the user may see (``kinds``:
    those about a dossier by the dossiers' commune rule, the others by the sites whose pages the
    user edits; district staff see all), each listing page and each message viewed recorded in
    the audit log. ``?status=not_delivered&about=dossiers`` is the one-stop desk's list of
    messages to applicants that could not be sent."""

    model = Notification
    url_prefix = "thong-bao"
    scope_by = "site"
    scope_field = "site"
    audit_action = "notifications"
    icon = "mail"
    menu_label = gettext_lazy("Notifications")
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = admin_views.NotificationIndexView
    inspect_view_class = admin_views.NotificationInspectView
    inspect_view_enabled = True
    inspect_view_fields = admin_views.INSPECT_FIELDS
    filterset_class = admin_views.NotificationFilterSet
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields = []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/gui-lai/", admin_views.resend_view, name="resend"),
        ]

    def get_permissions_to_register(self):
        # Nothing is added, changed or deleted by hand: viewing, and sending again.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model)
        ).exclude(codename__regex=r"^(add|change|delete)_")

    def register_admin_url_finder(self):
        pass  # the listing links each row to its screen


notification_viewset = NotificationViewSet("notifications")


@hooks.register("register_admin_viewset")
def register_notification_viewset():
    return notification_viewset


@hooks.register("portal_role_permissions")
def role_permissions():
    """The delivery report holds addresses: the desk that sends the messages and the
    administrators see it, not content editors."""
    granted = [admin_views.VIEW, admin_views.RESEND]
    return {roles.ONE_STOP_OFFICER: granted, roles.ADMINISTRATOR: granted}


@hooks.register("portal_personal_data")
def personal_data():
    """Messages sent to a phone number, for data-subject requests (portal.core): found and
    erased (deleted, queued ones included, so they are never sent)."""

    def find(phone, id_number):
        if not phone:
            return Notification.objects.none()
        return Notification.objects.filter(to=phone)

    return [(gettext_lazy("Notifications sent"), find)]
