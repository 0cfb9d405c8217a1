"""A commune's news marked for the parent portal is listed there, linking to the original."""

import datetime

import pytest
from wagtail.models import Site

from portal.core.models import AdministrativeUnit
from portal.core.sites import child_sites
from portal.core.unit_sites import ensure_unit_site
from portal.news.models import NewsIndexPage, NewsPage
from tests.news.test_query_counts import BUDGET

XA_A, XA_B = "15352", "15355"  # two communes of the district beside the demo's three
PARENT = {"HTTP_HOST": "127.0.0.1:8000"}


def _host(site):
    return {"HTTP_HOST": f"{site.hostname}:{site.port}"}


def _commune_site(code, hostname):
    return ensure_unit_site(AdministrativeUnit.objects.get(code=code), hostname=hostname).site


def _article(site, slug, title, marked, date=datetime.date(2030, 1, 2)):
    index = NewsIndexPage.objects.child_of(site.root_page).get()
    page = NewsPage(
        slug=slug, title=title, summary=f"Tóm tắt: {title}", date=date, show_on_parent=marked
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def communes(demo):
    xa_a = _commune_site(XA_A, "xa-a.localhost")
    xa_b = _commune_site(XA_B, "xa-b.localhost")
    return xa_a, xa_b


def test_a_marked_commune_article_is_listed_on_the_parent_with_its_commune_and_original_link(
    communes, client
):
    xa_a, _xa_b = communes
    _article(xa_a, "dang-len-huyen", "Tin xã A gửi lên cổng huyện", marked=True)
    _article(xa_a, "chi-cua-xa", "Tin riêng của xã A", marked=False)
    name = AdministrativeUnit.objects.get(code=XA_A).display_name

    html = client.get("/tin-tuc/", **PARENT).content.decode()
    assert "Tin xã A gửi lên cổng huyện" in html
    assert f'href="http://xa-a.localhost:{xa_a.port}/tin-tuc/dang-len-huyen/"' in html
    assert f'<span class="news-card__source">{name}</span>' in html
    assert "Tin riêng của xã A" not in html
    # The original answers at that address, on the commune's own host.
    original = client.get("/tin-tuc/dang-len-huyen/", **_host(xa_a))
    assert original.status_code == 200 and "Tin xã A gửi lên cổng huyện" in original.text


def test_nothing_of_one_commune_appears_on_another_or_is_syndicated_downwards(communes, client):
    xa_a, xa_b = communes
    _article(xa_a, "dang-len-huyen", "Tin xã A gửi lên cổng huyện", marked=True)
    _article(xa_a, "chi-cua-xa", "Tin riêng của xã A", marked=False)
    for path in ("/tin-tuc/", "/"):
        html = client.get(path, **_host(xa_b)).content.decode()
        assert "xã A" not in html
    # A commune's own index lists its own news only, without a commune filter.
    own = client.get("/tin-tuc/", **_host(xa_a)).content.decode()
    assert "Tin riêng của xã A" in own and 'name="xa"' not in own
    assert "Vĩnh Lộc đẩy mạnh quét mã QR" not in own  # a district article of the demo


def test_the_commune_filter_keeps_one_communes_news_or_the_parents_own(communes, client):
    xa_a, xa_b = communes
    _article(xa_a, "tin-a", "Tin xã A gửi lên cổng huyện", marked=True)
    _article(xa_b, "tin-b", "Tin xã B gửi lên cổng huyện", marked=True)

    everything = client.get("/tin-tuc/", **PARENT).content.decode()
    assert "Tin xã A" in everything and "Tin xã B" in everything
    assert '<select id="commune-filter" name="xa">' in everything
    assert '<option value="">Tất cả</option>' in everything
    assert f'<option value="{XA_A}">' in everything and f'<option value="{XA_B}">' in everything

    only_a = client.get(f"/tin-tuc/?xa={XA_A}", **PARENT).content.decode()
    assert "Tin xã A" in only_a and "Tin xã B" not in only_a
    assert f'<option value="{XA_A}" selected>' in only_a

    own = client.get("/tin-tuc/?xa=393", **PARENT).content.decode()
    assert "Tin xã A" not in own and "Tin xã B" not in own
    assert "/tin-tuc/vinh-loc-day-manh-quet-ma-qr/" in own

    unknown = client.get("/tin-tuc/?xa=khong-co", **PARENT).content.decode()
    assert "Tin xã A" in unknown and "Tin xã B" in unknown


def test_unmarking_or_unpublishing_takes_the_article_off_the_parent_at_once(
    communes, client, settings, django_capture_on_commit_callbacks
):
    assert settings.PAGE_CACHE_ENABLED
    xa_a, _xa_b = communes
    page = _article(xa_a, "dang-len-huyen", "Tin xã A gửi lên cổng huyện", marked=True)
    other = _article(xa_a, "tin-thu-hai", "Tin thứ hai của xã A", marked=True)
    for path in ("/tin-tuc/", "/"):
        assert "Tin xã A gửi lên cổng huyện" in client.get(path, **PARENT).text
        assert client.get(path, **PARENT)["X-Portal-Cache"] == "hit"

    page.show_on_parent = False
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    for path in ("/tin-tuc/", "/"):
        assert "Tin xã A gửi lên cổng huyện" not in client.get(path, **PARENT).text
        assert "Tin thứ hai của xã A" in client.get(path, **PARENT).text

    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
    for path in ("/tin-tuc/", "/"):
        assert "Tin thứ hai của xã A" not in client.get(path, **PARENT).text


def test_the_parent_home_lists_its_commune_sites_with_links(communes, client):
    xa_a, xa_b = communes
    _article(xa_a, "dang-len-huyen", "Tin xã A gửi lên cổng huyện", marked=True)
    html = client.get("/", **PARENT).content.decode()
    assert "Các xã, thị trấn" in html
    for site, code in ((xa_a, XA_A), (xa_b, XA_B)):
        name = AdministrativeUnit.objects.get(code=code).display_name
        assert f'<a href="http://{site.hostname}:{site.port}/">{name}</a>' in html
    # The demo's commune sites are listed too; a unit without a site is not.
    assert 'href="http://thi-tran-vinh-loc.localhost:' in html
    assert AdministrativeUnit.objects.get(code="15361").display_name not in html
    assert 'href="http://xa-a.localhost:8000/tin-tuc/dang-len-huyen/"' in html
    # A commune's home lists no communes.
    assert "Các xã, thị trấn" not in client.get("/", **_host(xa_a)).text


def test_child_sites_are_the_sites_of_the_units_under_the_sites_unit(communes):
    xa_a, xa_b = communes
    parent = Site.objects.get(is_default_site=True)
    found = child_sites(parent)
    assert {xa_a.pk, xa_b.pk} <= {s.pk for s in found} and len(found) == 5
    assert all(s.unit.parent.code == "393" for s in found)
    assert child_sites(xa_a) == []


def _queries_on_a_cache_miss(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.core.cache import purge_all

    assert client.get(path, **PARENT).status_code == 200  # renditions, cached site paths
    purge_all()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **PARENT)
    assert response.status_code == 200 and response["X-Portal-Cache"] == "miss"
    return len(queries), response.text


@pytest.mark.parametrize("path", ["/tin-tuc/", f"/tin-tuc/?xa={XA_A}&loai=tin-tuc", "/"])
def test_the_parents_listings_need_no_query_per_commune(communes, client, path):
    """Listing the communes and their news costs the same queries for five communes as for
    one, and as for none (the site tree is cached; the news are one query)."""
    parent = Site.objects.get(is_default_site=True)
    xa_a, xa_b = communes
    # xa-a's items fill the first page whichever communes are left (same rows, same images).
    for i in range(10):
        _article(xa_a, f"tin-a-{i}", f"Tin A{i}", marked=True, date=datetime.date(2030, 1, 3))
    for i in range(3):
        _article(xa_b, f"tin-b-{i}", f"Tin B{i}", marked=True)
    assert len(child_sites(parent)) == 5
    five, html = _queries_on_a_cache_miss(client, path)
    assert "xa-a.localhost" in html

    others = [s.pk for s in child_sites(parent) if s.pk != communes[0].pk]
    Site.objects.filter(pk__in=others).delete()
    assert [s.pk for s in child_sites(parent)] == [communes[0].pk]
    one, html = _queries_on_a_cache_miss(client, path)
    assert "xa-a.localhost" in html

    Site.objects.filter(pk=communes[0].pk).delete()
    assert child_sites(parent) == []
    none, _html = _queries_on_a_cache_miss(client, path.replace(f"xa={XA_A}&", ""))
    assert five == one <= none and five <= BUDGET


def test_a_commune_article_purges_the_parents_listings_from_the_shared_caches(communes):
    from portal.core.cache import _frontend_cache_urls

    xa_a, _xa_b = communes
    page = _article(xa_a, "dang-len-huyen", "Tin xã A gửi lên cổng huyện", marked=False)
    urls = _frontend_cache_urls(page)
    assert f"http://xa-a.localhost:{xa_a.port}/tin-tuc/dang-len-huyen/" in urls
    assert {"http://127.0.0.1:8000/", "http://127.0.0.1:8000/tin-tuc/"} <= set(urls)
    district = NewsPage.objects.get(slug="vinh-loc-day-manh-quet-ma-qr")
    assert not any("xa-a.localhost" in url for url in _frontend_cache_urls(district))


def test_editors_mark_an_article_for_the_parent_portal_in_its_promote_tab(
    communes, client, staff_user_factory
):
    xa_a, _xa_b = communes
    page = _article(xa_a, "dang-len-huyen", "Tin xã A gửi lên cổng huyện", marked=False)
    client.force_login(staff_user_factory(superuser=True))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Đăng lên cổng huyện/tỉnh" in html and 'name="show_on_parent"' in html


def test_related_news_stay_on_the_articles_own_site(communes, client):
    xa_a, xa_b = communes
    own = _article(xa_a, "tin-mot", "Tin thứ nhất của xã A", marked=True)
    _article(xa_a, "tin-hai", "Tin thứ hai của xã A", marked=True)
    _article(xa_b, "tin-xa-b", "Tin của xã B", marked=True)
    district = NewsPage.objects.live().descendant_of(
        Site.objects.get(is_default_site=True).root_page
    )
    district_item = district.filter(category=own.category).first()

    assert [p.title for p in own.related_news()] == ["Tin thứ hai của xã A"]
    related_on_district = {p.title for p in district_item.related_news(limit=50)}
    assert related_on_district and not any("xã" in title for title in related_on_district)
    html = client.get(own.url_path[len(xa_a.root_page.url_path) - 1 :], **_host(xa_a)).text
    assert "Tin thứ hai của xã A" in html and "Tin của xã B" not in html
