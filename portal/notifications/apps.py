from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from portal.core import audit

        audit.register_actions(
            {
                "notifications": _("Notifications"),
                "notifications.list": _("Notification list viewed"),
                "notifications.view": _("Notification viewed"),
                "notifications.resend": _("Notification sent again"),
            }
        )
        audit.register_parameters({"status": _("Status"), "channel": _("Sending channel")})
