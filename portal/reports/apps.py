from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")

    def ready(self):
        from portal.core.cache import observe_responses

        from .counting import count_view
        from .seed import on_post_migrate

        # Page views: every response of the page cache middleware, cached hits included.
        observe_responses(count_view)

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="portal-reports-seed")
