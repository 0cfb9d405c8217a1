"""The hotline a public page shows is the site's own, else the parent site's: one public function
of ``core.sites`` used by the check-in pages and the personal health QR alike."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.models import Page, Site

from portal.checkpoints import views as checkpoint_views
from portal.core.models import PortalSettings
from portal.core.sites import default_site, site_hotline
from portal.eservices import views as eservice_views
from portal.home.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(served_communes):
    cache.clear()
    parent = default_site()
    PortalSettings.for_site(parent).__class__.objects.update_or_create(
        site=parent,
        defaults={"hotlines": [("hotline", {"label": "Huyện", "number": "0237 3870 000"})]},
    )
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Xã A", slug="xa-a"))
    own = Site.objects.create(hostname="xa-a.localhost", port=80, root_page=home)
    PortalSettings.objects.create(
        site=own,
        unit=served_communes[0],
        hotlines=[("hotline", {"label": "Trạm y tế Xã A", "number": "0237 3999 001"})],
    )
    home_b = Page.get_first_root_node().add_child(instance=HomePage(title="Xã B", slug="xa-b"))
    Site.objects.create(hostname="xa-b.localhost", port=80, root_page=home_b)
    yield
    cache.clear()


def _request(host):
    return RequestFactory().get("/", HTTP_HOST=host)


def test_a_site_with_a_hotline_shows_its_own(sites):
    assert site_hotline(_request("xa-a.localhost")) == {
        "label": "Trạm y tế Xã A",
        "number": "0237 3999 001",
    }


def test_a_site_without_one_shows_the_parent_sites(sites):
    assert site_hotline(_request("xa-b.localhost"))["number"] == "0237 3870 000"


def test_the_apps_share_the_one_function_and_keep_no_private_copy():
    assert not hasattr(checkpoint_views, "_hotline")
    assert checkpoint_views.site_hotline is site_hotline
    assert eservice_views.site_hotline is site_hotline
