"""The admin makes no request to another host: no absolute URL of another host in its HTML.

A browser fetches src/srcset/href (stylesheets, icons, images) by itself, and the admin's scripts
fetch the URLs given in data-* attributes (Wagtail's upgrade check); any of them pointing
elsewhere would leak the staff's use of the admin to a third party, or hang on a closed network.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db

ABSOLUTE_URL = re.compile(r"(?:https?:)?//[^\s\"'<>),]+", re.I)


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and "//" in value:
                self.found += [(tag, name, url) for url in ABSOLUTE_URL.findall(value)]


def foreign_urls(html):
    parser = _Attributes()
    parser.feed(html)
    own = {"testserver", "localhost", urlparse(settings.BASE_URL).hostname}
    return [
        (tag, attr, url)
        for tag, attr, url in parser.found
        if urlparse(url if ":" in url.split("//")[0] else "https:" + url).hostname not in own
        # XML namespaces name, they do not fetch (inline SVG icons).
        and not (attr.startswith("xmlns") or url.startswith("http://www.w3.org/"))
    ]


def test_foreign_url_detection_finds_scripts_fonts_and_data_urls():
    html = (
        '<link href="https://fonts.googleapis.com/css?family=X"><img src="//gravatar.com/a">'
        '<div data-w-upgrade-url-value="https://releases.wagtail.io/latest.txt"></div>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="/admin/pages/">ok</a>'
    )
    hosts = {urlparse(u if u.startswith("http") else "https:" + u).hostname for *_, u in
             foreign_urls(html)}  # fmt: skip
    assert hosts == {"fonts.googleapis.com", "gravatar.com", "releases.wagtail.io"}


@pytest.fixture
def page():
    from portal.home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ thử", slug="trang-chu-thu"))
    home.save_revision()
    return home


def test_login_page_refers_to_no_other_host(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert foreign_urls(response.content.decode()) == []


def test_dashboard_refers_to_no_other_host(client, staff_user_factory):
    for user in (staff_user_factory(superuser=True), staff_user_factory(groups=["Biên tập viên"])):
        client.force_login(user)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        assert foreign_urls(response.content.decode()) == [], user


def test_page_editor_refers_to_no_other_host(client, staff_user_factory, page):
    client.force_login(staff_user_factory(superuser=True))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert foreign_urls(response.content.decode()) == []


def test_help_menu_keeps_only_local_items(rf, staff_user_factory):
    from wagtail.admin.menu import help_menu

    request = rf.get("/admin/")
    request.user = staff_user_factory(groups=["Biên tập viên"])
    items = help_menu.menu_items_for_request(request)
    assert items, "the keyboard shortcuts stay"
    assert all(not urlparse(item.url).netloc for item in items)


def test_content_checks_panel_still_explains_the_metrics(client, staff_user_factory, page):
    client.force_login(staff_user_factory(superuser=True))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'id="metrics-explainer-dialog"' in html
    assert "guide.wagtail.org" not in html


def test_account_summary_override_only_drops_the_online_guide_link():
    """Our copy of Wagtail's account summary must follow the installed one (upgrades)."""
    import wagtail

    name = "wagtailadmin/home/account_summary.html"
    installed = (Path(wagtail.__file__).parent / "admin" / "templates" / name).read_text()
    ours = (Path(settings.BASE_DIR) / "portal" / "core" / "templates" / name).read_text()
    guide = re.compile(r" *{% wagtail_feature_release_editor_guide_link .*?</li>\n", re.S)
    assert guide.search(installed), "Wagtail changed its account summary: review our copy"
    # Kept byte for byte as Wagtail writes it (djLint left off), minus the guide link.
    assert guide.sub("", installed) == ours.removeprefix("{# djlint:off #}\n")
