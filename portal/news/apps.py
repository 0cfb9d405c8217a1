from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "portal.news"
    label = "news"
    verbose_name = _("News, guides and directives")

    def ready(self):
        from portal.core import cache

        from .models import Issuer, Meeting

        # Pages purge the page cache through Wagtail's signals; these are not pages.
        cache.purge_on_change(Meeting, Issuer)

        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        from portal.core.pages import forget_restricted_paths

        for signal in (post_save, post_delete):
            signal.connect(forget_restricted_paths, sender=PageViewRestriction)
