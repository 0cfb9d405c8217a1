"""Pages for visitors the page cache cannot answer: remembered routes and template fragments
(portal.core.pages, the ``portalcache`` tag), always as fresh as the page cache."""

import re

import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction

from portal.news.models import NewsPage

NEWS = "/tin-tuc/vinh-loc-day-manh-quet-ma-qr/"


@pytest.fixture
def visitor(client):
    """A visitor with a pending message: never served from the page cache, nor stored in it."""
    client.cookies["messages"] = "pending"
    return client


def html(response):
    return response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", NEWS, "/tin-tuc/", "/van-ban/", "/huong-dan-ung-dung/pc-covid/", "/en/"]
)
def test_remembered_pages_are_the_pages_wagtail_renders(demo, visitor, url):
    with override_settings(PAGE_CACHE_ENABLED=False):
        expected = visitor.get(url)
    first, second = visitor.get(url), visitor.get(url)
    assert "X-Portal-Cache" not in second
    assert expected.status_code == first.status_code == second.status_code == 200
    assert html(expected) == html(first) == html(second)


def test_a_news_item_needs_no_query_once_its_route_and_fragments_are_kept(
    demo, visitor, django_assert_num_queries
):
    visitor.get(NEWS)
    with django_assert_num_queries(0):
        response = visitor.get(NEWS)
    assert response.status_code == 200 and "X-Portal-Cache" not in response


def test_an_unpublished_page_is_gone_at_once(demo, visitor):
    assert visitor.get(NEWS).status_code == 200
    NewsPage.objects.get(url_path__endswith="/vinh-loc-day-manh-quet-ma-qr/").unpublish()
    assert visitor.get(NEWS).status_code == 404


def test_a_moved_page_answers_at_its_new_address_and_the_old_one_redirects(demo, visitor):
    assert visitor.get(NEWS).status_code == 200
    page = NewsPage.objects.get(url_path__endswith="/vinh-loc-day-manh-quet-ma-qr/")
    page.move(page.get_parent().get_parent(), pos="last-child")
    old = visitor.get(NEWS)
    # With several sites, Wagtail writes the redirect's target in full (the parent site's host).
    assert old.status_code == 301 and old["Location"].endswith("/vinh-loc-day-manh-quet-ma-qr/")
    assert visitor.get("/vinh-loc-day-manh-quet-ma-qr/").status_code == 200


def test_a_new_view_restriction_applies_at_once(demo, visitor):
    assert visitor.get(NEWS).status_code == 200
    page = NewsPage.objects.get(url_path__endswith="/vinh-loc-day-manh-quet-ma-qr/")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = visitor.get(NEWS)
    assert response.status_code == 302 and "/_util/login/" in response["Location"]


def test_an_edit_shows_at_once_in_the_page_and_in_the_related_news(
    demo, visitor, django_capture_on_commit_callbacks
):
    page = NewsPage.objects.get(url_path__endswith="/vinh-loc-day-manh-quet-ma-qr/")
    related = page.related_news()[0]
    assert related.title in html(visitor.get(NEWS))
    page.summary = "Tóm tắt mới sau khi biên tập"
    other = NewsPage.objects.get(pk=related.pk)
    other.title = "Tiêu đề tin liên quan đã sửa"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
        other.save_revision().publish()
    body = html(visitor.get(NEWS))
    assert "Tóm tắt mới sau khi biên tập" in body
    assert "Tiêu đề tin liên quan đã sửa" in body


def test_a_preview_is_never_taken_from_or_put_in_the_fragments(demo, visitor):
    visitor.get(NEWS)
    page = NewsPage.objects.get(url_path__endswith="/vinh-loc-day-manh-quet-ma-qr/")
    page.summary = "Bản nháp chưa xuất bản"
    assert "Bản nháp chưa xuất bản" in html(page.make_preview_request())
    assert "Bản nháp chưa xuất bản" not in html(visitor.get(NEWS))


def test_the_shared_header_marks_the_section_of_each_page(demo, visitor):
    def current(url):
        return re.findall(r'<a href="([^"]+)" aria-current="page"', html(visitor.get(url)))

    assert current(NEWS) == ["/tin-tuc/"]
    assert current("/van-ban/") == ["/van-ban/"]
    assert current("/") == ["/"]
    assert current(NEWS) == ["/tin-tuc/"]


def test_scanned_addresses_do_not_fill_the_cache(demo, visitor):
    from django.core.cache import cache

    visitor.get("/")
    before = len(cache._cache)
    for n in range(20):
        assert visitor.get(f"/khong-co-trang-nay-{n}/").status_code == 404
    assert len(cache._cache) - before <= 2  # one header fragment for "no section"
