"""Every public thing is per site: a second site (a commune's, at its own host) beside the demo's
district site shows only its own home, menu, search results, feeds, sitemap, robots.txt and error
pages, and the page cache never serves one host's page to another."""

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import Page, Site

from portal.core.models import AdministrativeUnit, PortalSettings
from portal.core.sites import absolute_url
from portal.home.models import HomePage
from portal.news.models import AppGuidePage, NewsIndexPage, NewsPage

HOST = "xa-a.localhost"
SITE_NAME = "Trang thông tin điện tử Xã A"
ORGANISATION = "Ủy ban nhân dân Xã A thử nghiệm"
NEWS_TITLE = "Xã A tổ chức ngày hội quýt hồng Lam Sơn"
INDEX_TITLE = "Tin tức Xã A"


def _publish(parent, page):
    now = timezone.now()
    page.live, page.first_published_at, page.last_published_at = True, now, now
    parent.add_child(instance=page)
    return page


@pytest.fixture
def commune_site(demo):
    """A commune's site next to the demo: its own home under the tree's root, a news section
    (in the menu) with one item, a page not in the menu, and its settings naming its unit."""
    unit = AdministrativeUnit.objects.served().filter(site_settings__isnull=True).first()
    root = Page.get_first_root_node()
    home = _publish(root, HomePage(title="Trang chủ Xã A", slug="xa-a-trang-chu"))
    index = _publish(
        home, NewsIndexPage(title=INDEX_TITLE, slug="tin-tuc", show_in_menus=True, intro="")
    )
    _publish(
        index,
        NewsPage(
            title=NEWS_TITLE,
            slug="ngay-hoi-quyt-hong",
            summary="Ngày hội quýt hồng của Xã A.",
            body=[("paragraph", "<p>Quýt hồng Xã A chín rộ.</p>")],
        ),
    )
    _publish(home, NewsIndexPage(title="Lưu trữ ẩn Xã A", slug="luu-tru", intro=""))
    site = Site.objects.create(hostname=HOST, port=80, root_page=home, site_name=SITE_NAME)
    PortalSettings.objects.create(site=site, unit=unit, organisation_name=ORGANISATION)
    return site


def _parent_news():
    """A news item of the district's own site."""
    parent_home = Site.objects.get(is_default_site=True).root_page
    return NewsPage.objects.live().descendant_of(parent_home).order_by("-date").first()


def _clients():
    return Client(), Client(HTTP_HOST=HOST)


def _text(response):
    return response.content.decode()


def test_each_home_page_shows_its_own_name_and_news(commune_site):
    parent, commune = _clients()
    parent_news = _parent_news()

    own = _text(commune.get("/"))
    assert SITE_NAME in own and ORGANISATION in own
    assert NEWS_TITLE in own
    assert parent_news.title not in own
    guide = AppGuidePage.objects.live().descendant_of(
        Site.objects.get(is_default_site=True).root_page
    )
    assert guide.first().title not in own  # the district's app guides stay on its home

    district = _text(parent.get("/"))
    assert NEWS_TITLE not in district and ORGANISATION not in district and SITE_NAME not in district


def _menu(html):
    start = html.index('class="site-nav__list"')
    return html[start : html.index("</ul>", start)]


def test_the_menu_is_each_sites_own_page_tree(commune_site):
    parent, commune = _clients()

    own = _menu(_text(commune.get("/")))
    assert f'<a href="/tin-tuc/">{INDEX_TITLE}</a>' in own
    assert "Lưu trữ ẩn" not in own  # not marked "show in menus"
    assert "/van-ban/" not in own and "/dich-vu-cong/" not in own  # the district's sections
    # Links that are views, not pages, are served on every site.
    assert "/tim-kiem/" in own and "/quet-ma/" in own

    district = _menu(_text(parent.get("/")))
    assert INDEX_TITLE not in district
    assert 'href="/tin-tuc/"' in district and 'href="/van-ban/"' in district
    assert 'href="/gioi-thieu/"' in district and 'href="/dich-vu-cong/"' in district


def test_the_menu_marks_the_active_section_per_site(commune_site):
    _parent, commune = _clients()
    own = _menu(_text(commune.get("/tin-tuc/")))
    assert f'<a href="/tin-tuc/" aria-current="page">{INDEX_TITLE}</a>' in own


def test_a_new_menu_page_appears_after_publishing(commune_site):
    _parent, commune = _clients()
    assert "Liên hệ Xã A" not in _menu(_text(commune.get("/")))
    page = NewsIndexPage(title="Liên hệ Xã A", slug="lien-he", show_in_menus=True, intro="")
    commune_site.root_page.add_child(instance=page)
    page.save_revision().publish()
    assert "Liên hệ Xã A" in _menu(_text(commune.get("/")))


def test_search_finds_only_the_requests_sites_pages(commune_site):
    parent, commune = _clients()
    parent_news = _parent_news()

    own = _text(commune.get("/tim-kiem/", {"q": "quyt hong"}))
    assert NEWS_TITLE in own
    assert NEWS_TITLE not in _text(parent.get("/tim-kiem/", {"q": "quyt hong"}))

    found = _text(parent.get("/tim-kiem/", {"q": parent_news.title}))
    assert parent_news.title in found.split("search-results", 1)[1]
    missing = _text(commune.get("/tim-kiem/", {"q": parent_news.title}))
    assert 'class="search-results"' not in missing


@pytest.mark.parametrize("feed", ["/tin-tuc/rss.xml", "/tin-tuc/atom.xml"])
def test_news_feeds_carry_only_the_sites_news(commune_site, feed):
    parent, commune = _clients()
    parent_news = _parent_news()

    own = _text(commune.get(feed))
    assert NEWS_TITLE in own and SITE_NAME in own
    assert parent_news.title not in own
    assert "http://xa-a.localhost/tin-tuc/ngay-hoi-quyt-hong/" in own

    district = _text(parent.get(feed))
    assert parent_news.title in district and NEWS_TITLE not in district


def test_directive_feed_of_a_site_without_directives_is_empty(commune_site):
    _parent, commune = _clients()
    own = _text(commune.get("/van-ban/rss.xml"))
    assert "<item>" not in own and SITE_NAME in own


def test_sitemap_lists_only_the_sites_pages(commune_site):
    parent, commune = _clients()
    parent_news = _parent_news()

    own = _text(commune.get("/sitemap.xml"))
    assert "<loc>http://xa-a.localhost/tin-tuc/ngay-hoi-quyt-hong/</loc>" in own
    assert parent_news.url_path.split("/", 2)[2] not in own

    district = _text(parent.get("/sitemap.xml"))
    assert "ngay-hoi-quyt-hong" not in district and "xa-a.localhost" not in district


def test_robots_names_the_requests_sites_sitemap(commune_site):
    parent, commune = _clients()
    own = _text(commune.get("/robots.txt"))
    assert f"Sitemap: {absolute_url(commune_site, '/sitemap.xml')}\n" in own
    assert "xa-a.localhost" in own
    district = _text(parent.get("/robots.txt"))
    assert f"Sitemap: {absolute_url(Site.objects.get(is_default_site=True), '/sitemap.xml')}" in (
        district
    )
    assert "xa-a.localhost" not in district


def test_not_found_page_names_the_requests_site(commune_site):
    parent, commune = _clients()
    own = commune.get("/khong-co-trang-nay/")
    assert own.status_code == 404
    assert SITE_NAME in _text(own) and ORGANISATION in _text(own)
    district = parent.get("/khong-co-trang-nay/")
    assert district.status_code == 404 and SITE_NAME not in _text(district)


def test_server_error_page_names_the_requests_site(commune_site):
    from portal.core.views import server_error

    request = RequestFactory(HTTP_HOST=HOST).get("/")
    assert SITE_NAME in server_error(request).content.decode()


def test_the_page_cache_does_not_serve_one_hosts_page_to_another(commune_site):
    parent, commune = _clients()
    first = parent.get("/tin-tuc/")
    assert first["X-Portal-Cache"] == "miss"
    assert parent.get("/tin-tuc/")["X-Portal-Cache"] == "hit"

    other = commune.get("/tin-tuc/")
    assert other.get("X-Portal-Cache") != "hit"
    assert NEWS_TITLE in _text(other) and INDEX_TITLE in _text(other)
    assert NEWS_TITLE not in _text(parent.get("/tin-tuc/"))
    # The same address on the second host is then cached for that host alone.
    assert commune.get("/tin-tuc/")["X-Portal-Cache"] == "hit"
    assert NEWS_TITLE in _text(commune.get("/tin-tuc/"))


def test_the_route_cache_keeps_each_hosts_page(commune_site, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    # A signed-in visitor is not served from the page cache: routing runs (and is remembered).
    user = get_user_model().objects.create_user("khach", password="x")
    parent, commune = _clients()
    parent.force_login(user)
    commune.force_login(user)
    for _ in range(2):
        assert NEWS_TITLE not in _text(parent.get("/tin-tuc/"))
        assert NEWS_TITLE in _text(commune.get("/tin-tuc/"))


def test_the_english_menu_uses_translations_and_keeps_the_other_sections(commune_site):
    parent, _commune = _clients()
    menu = _menu(_text(parent.get("/en/organisation/")))
    assert '<a href="/en/" >' not in menu and 'href="/en/"' in menu
    assert 'href="/en/organisation/" aria-current="page">Organisation and contact</a>' in menu
    assert 'href="/tin-tuc/"' in menu  # no English news section: the Vietnamese one
    assert 'href="/gioi-thieu/"' not in menu


def test_publishing_purges_shared_caches_on_the_pages_own_host(commune_site):
    from portal.core.cache import _frontend_cache_urls
    from portal.core.sites import site_base_url

    item = NewsPage.objects.get(slug="ngay-hoi-quyt-hong")
    urls = _frontend_cache_urls(item)
    assert absolute_url(commune_site, "/tin-tuc/rss.xml") in urls
    assert absolute_url(commune_site, "/sitemap.xml") in urls
    parent = site_base_url(Site.objects.get(is_default_site=True))
    # The district's feeds and sitemap are not the article's.
    assert parent + "/tin-tuc/rss.xml" not in urls and parent + "/sitemap.xml" not in urls


def test_each_site_shows_its_own_logo_and_footer_text(commune_site):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    out = io.BytesIO()
    PILImage.new("RGB", (120, 120), (155, 28, 28)).save(out, "PNG")
    logo = get_image_model()(title="Biểu trưng Xã A")
    logo.file = ImageFile(io.BytesIO(out.getvalue()), name="bieu-trung-xa-a.png")
    logo.save()
    settings = PortalSettings.objects.get(site=commune_site)
    settings.logo = logo
    settings.footer = "<p>Tiếp công dân: sáng thứ Năm hằng tuần.</p>"
    settings.save()

    parent, commune = _clients()
    own = _text(commune.get("/"))
    assert "bieu-trung-xa-a" in own and "Tiếp công dân: sáng thứ Năm hằng tuần." in own
    assert "img/emblem" not in own
    district = _text(parent.get("/"))
    assert "bieu-trung-xa-a" not in district and "Tiếp công dân" not in district
    assert "img/emblem" in district  # no logo set: the national emblem
