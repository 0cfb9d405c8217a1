from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "portal.api"
    label = "api"
    verbose_name = _("Open data")

    def ready(self):
        from .fields import publish_fields

        publish_fields()
