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
