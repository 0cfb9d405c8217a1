"""Small lists the admin reads on every page, kept in the shared cache until what they list
changes: the content locales (vi, en: the explorer and choosers ask for them several times per
request) and the sites with the tree path of their home page (the explorer's "Site" filter names
the sites whose content the user edits, decided by those paths).

An entry is dropped, by any process, at once and again when the transaction commits, when a row
of its model is saved or deleted, when migrations run, and (sites) when a page moves: a home
page's path. The receivers are connected when ``core.pages`` is imported, with the page models.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save


class SharedList:
    """``load()``'s list, kept under ``key``, dropped when ``model`` (a
    "app_label.Model" string) changes, and on ``also`` (more signals)."""

    # Ten minutes at most: a change made while the cache could not be reached (it fails open, so
    # the entry is not dropped) is seen within that time once it answers again.
    TIMEOUT = 600

    def __init__(self, key, load, model, also=()):
        self.key, self.load = key, load
        for signal in (post_save, post_delete):
            signal.connect(self.forget, sender=model, dispatch_uid=f"{key}-{signal}", weak=False)
        for signal in (post_migrate, *also):
            signal.connect(self.forget, dispatch_uid=f"{key}-{signal}", weak=False)

    def __call__(self) -> list:
        found = cache.get(self.key)
        if found is None:
            found = self.load()
            cache.set(self.key, found, self.TIMEOUT)
        return found

    def _drop(self):
        cache.delete(self.key)

    def forget(self, **_kwargs):
        self._drop()
        transaction.on_commit(self._drop)


def _locales():
    from wagtail.models import Locale

    return list(Locale.objects.order_by("language_code"))


def _sites():
    from django.db.models import F
    from wagtail.models import Site

    return list(Site.objects.annotate(portal_root_path=F("root_page__path")))


def _page_moves():
    from wagtail.signals import post_page_move

    return (post_page_move,)


# Every ``Locale``, in order of language code.
all_locales = SharedList("portal:locales", _locales, "wagtailcore.Locale")
# Every ``Site`` in its order, each with ``portal_root_path``.
sites_with_root_paths = SharedList(
    "portal:sites-with-root-paths", _sites, "wagtailcore.Site", also=_page_moves()
)
