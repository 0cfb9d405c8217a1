"""The content locales (vi, en), kept in the shared cache: the admin's explorer and choosers ask
for them several times per request, and they change only when a locale is added or removed.

The entry is dropped when a locale is saved or deleted, by any process (the receivers are
connected when ``core.pages`` is imported, with the page models), at once and again when the
transaction commits; and when migrations run.
"""

from django.core.cache import cache
from django.db import transaction

KEY = "portal:locales"


def all_locales() -> list:
    """Every ``Locale``, in their order (by language code)."""
    found = cache.get(KEY)
    if found is None:
        from wagtail.models import Locale

        found = list(Locale.objects.order_by("language_code"))
        cache.set(KEY, found, 3600)
    return found


def _drop():
    cache.delete(KEY)


def forget(**_kwargs):
    _drop()
    transaction.on_commit(_drop)


def connect() -> None:
    from django.db.models.signals import post_delete, post_migrate, post_save

    for signal in (post_save, post_delete):
        signal.connect(forget, sender="wagtailcore.Locale", dispatch_uid=f"locale-list-{signal}")
    post_migrate.connect(forget, dispatch_uid="locale-list-migrate")


connect()
