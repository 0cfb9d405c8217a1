"""Data every installation needs, made after every `migrate` (and every test-database flush).

Wagtail's root page and collection come from its migrations; a test that flushes the database
loses them, so they are remade here too. Administrative units load when the table is empty;
roles are brought up to date each time.
"""

from django.apps import apps
from django.conf import settings


def ensure_base_data(verbosity=0):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    from . import roles
    from .models import AdministrativeUnit

    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    if not Page.objects.exists():
        Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
                locale=Locale.objects.get(language_code=settings.LANGUAGE_CODE),
            )
        )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    name_the_roots()
    if not AdministrativeUnit.objects.exists():
        from django.core.management import call_command

        call_command("sync_admin_units", verbosity=verbosity)
    roles.setup_roles()
    align_default_site_with_base_url()


# What the admin shows for the page tree's root (the explorer, the page chooser) and for the root
# collection (image and document choosers): Wagtail's data migrations name them "Root".
ROOT_PAGE_TITLE = "Tất cả các trang"
ROOT_COLLECTION_NAME = "Chung"


def name_the_roots():
    """Give the roots Vietnamese names, once: a name an administrator chose stays."""
    from wagtail.models import Collection, Page

    Page.objects.filter(depth=1, title="Root").update(
        title=ROOT_PAGE_TITLE, draft_title=ROOT_PAGE_TITLE
    )
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_COLLECTION_NAME)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "")


def align_default_site_with_base_url():
    """Give the default site the host of BASE_URL while it still has a placeholder host.

    Wagtail's migration creates the site as ``localhost:80``, and every absolute page address
    (``page.full_url``: workflow e-mails, feeds, the sitemap) is built from it: without this they
    all read ``http://localhost/...``. A site an administrator already named is left alone, and a
    BASE_URL on this machine (development, tests) changes nothing.
    """
    from urllib.parse import urlsplit

    from .sites import default_site

    base = urlsplit(settings.BASE_URL)
    host = (base.hostname or "").lower()
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        return
    port = base.port or (443 if base.scheme == "https" else 80)
    site = default_site()
    if site is None or site.hostname.lower() not in LOOPBACK_HOSTS:
        return
    if (site.hostname, site.port) != (host, port):
        site.hostname, site.port = host, port
        site.save(update_fields=["hostname", "port"])


def on_post_migrate(sender, verbosity=0, using="default", **kwargs):
    # post_migrate is sent once per app; run when the last app's turn comes, when every app's
    # tables and permissions exist.
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.name == with_models[-1].name and using == "default":
        ensure_base_data(verbosity=verbosity)
