"""The sites of the installation with the tree path of their home page, kept in the shared cache:
the explorer's "Site" filter names the sites whose content the user edits, decided by those
paths, on every page of the explorer. Sites are added when a commune is given its portal.

The entry is dropped, by any process (the receivers are connected when ``core.pages`` is
imported, with the page models), at once and again when the transaction commits, when a site is
saved or deleted, when a page moves (a home page's path) and when migrations run.
"""

from django.core.cache import cache
from django.db import transaction

KEY = "portal:sites-with-root-paths"


def sites_with_root_paths() -> list:
    """Every ``Site`` in its order, each with ``portal_root_path``."""
    found = cache.get(KEY)
    if found is None:
        from django.db.models import F
        from wagtail.models import Site

        found = list(Site.objects.annotate(portal_root_path=F("root_page__path")))
        cache.set(KEY, found, 3600)
    return found


def _drop():
    cache.delete(KEY)


def forget(**_kwargs):
    _drop()
    transaction.on_commit(_drop)


def connect() -> None:
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.signals import post_page_move

    for signal in (post_save, post_delete):
        signal.connect(forget, sender="wagtailcore.Site", dispatch_uid=f"site-list-{signal}")
    post_page_move.connect(forget, dispatch_uid="site-list-page-move")
    post_migrate.connect(forget, dispatch_uid="site-list-migrate")


connect()
