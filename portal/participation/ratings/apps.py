from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "portal.participation.ratings"
    label = "ratings"
    verbose_name = _("Ratings")
