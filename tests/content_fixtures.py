"""Fixtures shared by the public content tests (tests/home and tests/news import them).

The demo content takes seconds to build, so it is loaded once per test module (each test still
runs in its own rolled-back transaction) and flushed when the module is done; its media files
live in one folder for the module, not in each test's temporary folder.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

SEARCH_BACKENDS = {"default": {"BACKEND": "portal.home.search"}}


@pytest.fixture(scope="module")
def _module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, _module_media, tmp_path):
    settings.MEDIA_ROOT = str(_module_media)
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture(autouse=True)
def _content_settings(settings):
    """The portal's search backend and page cache, on a cache emptied for every test."""
    settings.WAGTAILSEARCH_BACKENDS = SEARCH_BACKENDS
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _demo_content(django_db_setup, django_db_blocker, _module_media):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(_module_media), WAGTAILSEARCH_BACKENDS=SEARCH_BACKENDS),
    ):
        call_command("load_demo_content", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)  # post_migrate remakes base data
        restore_wagtail_base_data()


def restore_wagtail_base_data():
    """The default site that Wagtail's data migration made and a flush removed (post_migrate
    remakes the rest: core.bootstrap): a plain home page at localhost:80. Later tests on the same
    worker that use only ``db`` find the database as migrations left it."""
    from wagtail.models import Page, Site

    if not Site.objects.exists():
        home = Page.get_first_root_node().add_child(
            instance=Page(title="Welcome to your new Wagtail site!", slug="home")
        )
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


@pytest.fixture
def demo(_demo_content, db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


def get(client, url, **kwargs):
    """GET with a clean page cache: the view itself runs."""
    cache.clear()
    return client.get(url, **kwargs)
