from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "portal.eservices"
    label = "eservices"
    verbose_name = _("E-services")

    def ready(self):
        from portal.core import cache

        from .models import ProcedureOffering

        # A site's catalogue and procedure pages show its offerings.
        cache.purge_on_change(ProcedureOffering)
