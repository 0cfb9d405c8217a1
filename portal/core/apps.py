from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self):
        from .bootstrap import on_post_migrate
        from .display import use_staff_names
        from .sites import connect_site_tree_signals

        post_migrate.connect(on_post_migrate, dispatch_uid="portal-core-base-data")
        use_staff_names()
        connect_site_tree_signals()
        self.register_audit_labels()

    def register_audit_labels(self):
        """What the audit log entries of staff accounts (``users``) and of the administrative
        unit reform (``unit_reform``) read as."""
        from . import audit

        audit.register_actions(
            {
                "account": _("Staff account"),
                "account.created": _("Staff account created"),
                "account.flags": _("Staff account rights changed"),
                "account.password": _("Staff account password changed"),
                "account.deleted": _("Staff account deleted"),
                "account.groups": _("Staff account groups changed"),
                "unit_reform": _("Administrative unit reform"),
                "unit_reform.merge": _("Units merged"),
                "unit_reform.rename": _("Unit renamed"),
                "unit_reform.retire": _("Unit's site retired"),
            }
        )
        audit.register_parameters(
            {
                "code": _("Unit code"),
                "old": _("Old name"),
                "new": _("New name"),
                "host": _("Address"),
                "target": _("Redirected to"),
                "into": _("Into"),
                "added": _("Added"),
                "removed": _("Removed"),
                "erased": _("Erased"),
                "is_staff": _("Staff"),
                "is_active": _("Active"),
                "is_superuser": _("Superuser"),
            }
        )
