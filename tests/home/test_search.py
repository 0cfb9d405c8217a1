"""Search: insensitive to diacritics and case, ranked, paginated, highlighted, filtered.

Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/news pytest tests/home
"""

import re
import unicodedata

import pytest

from portal.home.views import clean_query, highlight

from .conftest import get


def result_urls(html):
    return re.findall(r'<h2 class="search-result__title"><a href="([^"]+)"', html)


@pytest.mark.parametrize(
    "variants",
    [
        ["khai bao y te", "KHAI BÁO Y TẾ", "khai báo y tế", "Khai Bao Y Te"],
        ["day manh quet ma qr", "đẩy mạnh quét mã QR", "ĐẨY MẠNH QUÉT MÃ QR"],
        ["dien thoai thong minh", "điện thoại thông minh"],
    ],
)
def test_search_ignores_diacritics_and_case(demo, client, variants):
    found = [
        result_urls(get(client, "/tim-kiem/", data={"q": q}).content.decode()) for q in variants
    ]
    assert found[0], f"nothing found for {variants[0]!r}"
    assert all(urls == found[0] for urls in found), found


def test_search_finds_news_directives_and_guides(demo, client):
    html = get(client, "/tim-kiem/", data={"q": "ma qr"}).content.decode()
    urls = result_urls(html)
    assert any(u.startswith("/tin-tuc/") for u in urls)
    assert any(u.startswith("/van-ban/") for u in urls)


def test_search_ranks_the_title_match_first(demo, client):
    urls = result_urls(get(client, "/tim-kiem/", data={"q": "zalo"}).content.decode())
    assert urls[0] in (
        "/tin-tuc/trien-khai-zalo-phong-chong-dich/",
        "/van-ban/cong-van-2184-ubnd-vhtt/",
    )


def test_search_highlights_matches_in_the_snippet(demo, client):
    html = get(client, "/tim-kiem/", data={"q": "to khai giay"}).content.decode()
    assert "<mark>tờ</mark> <mark>khai</mark> <mark>giấy</mark>" in html.lower()


def test_search_filters_by_content_type(demo, client):
    html = get(client, "/tim-kiem/", data={"q": "ma qr", "loai": "van-ban"}).content.decode()
    urls = result_urls(html)
    assert urls and all(u.startswith("/van-ban/") for u in urls)


def test_search_by_directive_number(demo, client):
    urls = result_urls(get(client, "/tim-kiem/", data={"q": "1593/UBND-VHTT"}).content.decode())
    assert "/van-ban/cong-van-1593-ubnd-vhtt/" in urls


def test_search_paginates(demo, client):
    first = get(client, "/tim-kiem/", data={"q": "huyen"}).content.decode()
    assert 'rel="next"' in first
    second = get(client, "/tim-kiem/", data={"q": "huyen", "page": "2"})
    assert second.status_code == 200
    assert set(result_urls(first)).isdisjoint(result_urls(second.content.decode()))
    assert get(client, "/tim-kiem/", data={"q": "huyen", "page": "999"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["", "   ", "a" * 2000, "khai " * 400, "' OR 1=1 --", "\"; DROP TABLE wagtailcore_page; --",
     "<script>alert(1)</script>", "<b>ma qr</b>", "NEAR(a b)", "\"unbalanced", "*", "a AND OR NOT",
     "%", "\x00", "🙂", "1593/", "-", "ma -qr"],
)  # fmt: skip
def test_bad_search_queries_give_a_normal_page(demo, client, query):
    response = get(client, "/tim-kiem/", data={"q": query, "loai": "<x>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>ma qr</b>" not in html


def test_clean_query_keeps_words_only():
    assert clean_query("<b>ma qr</b>") == "b ma qr b"
    assert clean_query("' OR 1=1 --") == "OR 1 1"
    assert len(clean_query("a " * 2000).split()) == 12


def test_highlight_escapes_html_and_keeps_original_accents():
    out = highlight("<p>Người dân <i>khai báo</i> y tế & quét mã</p>", "khai bao")
    assert out == "Người dân <mark>khai</mark> <mark>báo</mark> y tế &amp; quét mã"


def test_search_works_on_postgresql_too(postgres, demo, client):
    urls = result_urls(get(client, "/tim-kiem/", data={"q": "KHAI BÁO Y TẾ"}).content.decode())
    assert urls == result_urls(
        get(client, "/tim-kiem/", data={"q": "khai bao y te"}).content.decode()
    )
    assert urls


def test_search_by_number_alone_finds_the_directive(demo, client):
    urls = result_urls(
        get(client, "/tim-kiem/", data={"q": "1593", "loai": "van-ban"}).content.decode()
    )
    assert "/van-ban/cong-van-1593-ubnd-vhtt/" in urls


def test_search_text_splits_references_into_words():
    from portal.home.search import search_text

    assert search_text("Công văn 1593/UBND-VHTT") == "cong van 1593 ubnd vhtt"


def _decomposed_query_finds_what_the_composed_one_finds(client):
    nfc, nfd = "khai báo y tế", unicodedata.normalize("NFD", "khai báo y tế")
    urls = result_urls(get(client, "/tim-kiem/", data={"q": nfc}).content.decode())
    assert urls
    assert result_urls(get(client, "/tim-kiem/", data={"q": nfd}).content.decode()) == urls


def test_a_decomposed_query_finds_what_the_composed_one_finds(demo, client):
    # Some phones send "tế" as "te" + two combining marks; the query used to be cut at them.
    _decomposed_query_finds_what_the_composed_one_finds(client)


def test_a_decomposed_query_finds_the_same_on_postgresql(postgres, demo, client):
    _decomposed_query_finds_what_the_composed_one_finds(client)


def test_clean_query_composes_decomposed_letters_before_splitting_words():
    assert clean_query(unicodedata.normalize("NFD", "khai báo y tế")) == "khai báo y tế"
