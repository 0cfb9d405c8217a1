"""Search ranking on the demo content: what citizens type, and the page they expect first.

A document number anywhere in the query finds that document first; words naming a kind of
document ("công văn", "văn bản", "kế hoạch") filter the directives instead of being looked for;
highlighting marks the words the query asked for. Run on PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> pytest tests/home/test_search_ranking.py
"""

import re
from types import SimpleNamespace

import pytest
from wagtail.models import Site

from portal.home.search import TYPE_WORDS, parse_query
from portal.home.views import Ranked, highlight
from portal.news.models import DirectivePage
from portal.news.models.directives import DirectiveType

from .conftest import get

CV_1593 = "/van-ban/cong-van-1593-ubnd-vhtt/"

# (what a citizen types, the address expected first)
EXPECTED_FIRST = [
    # the complaint: the document type and number, with and without diacritics
    ("van ban 1593", CV_1593),
    ("văn bản 1593", CV_1593),
    ("van  ban   1593", CV_1593),
    ("1593", CV_1593),
    ("số 1593", CV_1593),
    ("cv 1593", CV_1593),
    ("cv1593", CV_1593),
    ("congvan 1593", CV_1593),
    ("1593/UBND-VHTT", CV_1593),
    ("1593 / ubnd - vhtt", CV_1593),
    ("1593/UBND", CV_1593),
    ("quyet dinh 1593", CV_1593),  # the type mistaken: the number still finds it
    ("CÔNG VĂN 2184", "/van-ban/cong-van-2184-ubnd-vhtt/"),
    ("cong van zalo", "/van-ban/cong-van-2184-ubnd-vhtt/"),
    ("kế hoạch 26", "/van-ban/ke-hoach-26-kh-btgtu/"),
    ("26-KH/BTGTU", "/van-ban/ke-hoach-26-kh-btgtu/"),
    ("ke hoach tuyen truyen", "/van-ban/ke-hoach-26-kh-btgtu/"),
    ("chi thi 15", "/van-ban/chi-thi-15-ct-ubnd-2020/"),  # not another document numbered 15
    ("luật hộ tịch", "/van-ban/luat-ho-tich-60-2014-qh13/"),  # the law, not the decree on it
    ("luat 60/2014", "/van-ban/luat-ho-tich-60-2014-qh13/"),
    # words: the page whose title is the query first
    ("khai bao y te", "/dich-vu-cong/khai-bao-y-te/"),
    ("KHAI BÁO Y TẾ", "/dich-vu-cong/khai-bao-y-te/"),
    ("to khai giay", "/tin-tuc/thong-bao-to-khai-y-te-giay/"),
    ("huong dan quet ma qr", "/tin-tuc/huong-dan-quet-ma-qr-noi-cong-cong/"),
    ("duong  day nong", "/tin-tuc/thong-bao-duong-day-nong/"),
    ("Bluezone", "/huong-dan-ung-dung/bluezone/"),
    ("hop truc tuyen", "/tin-tuc/hop-giao-ban-truc-tuyen/"),
]


def result_urls(html):
    return re.findall(r'<h2 class="search-result__title"><a href="([^"]+)"', html)


def marks(html):
    return re.findall(r"<mark>(.*?)</mark>", html)


def search(client, query, **params):
    return get(client, "/tim-kiem/", data={"q": query, **params}).content.decode()


def _assert_expected_first(client):
    wrong = {}
    for query, expected in EXPECTED_FIRST:
        urls = result_urls(search(client, query))
        if not urls or urls[0] != expected:
            wrong[query] = urls[:3]
    assert not wrong, wrong


def test_each_query_finds_the_expected_page_first(demo, client):
    _assert_expected_first(client)


def test_each_query_finds_the_expected_page_first_on_postgresql(postgres, demo, client):
    _assert_expected_first(client)


def test_type_words_filter_the_directives_instead_of_matching(demo, client):
    html = search(client, "cong van")
    urls = result_urls(html)
    assert urls and all(u.startswith("/van-ban/cong-van-") for u in urls)
    assert "Chỉ hiện văn bản loại: Công văn." in html
    expected = set(
        DirectivePage.objects.live()
        .descendant_of(demo.root_page)
        .filter(doc_type=DirectiveType.OFFICIAL_LETTER)
        .values_list("slug", flat=True)
    )
    assert {u.split("/")[2] for u in urls} == expected
    # "văn bản": any directive, never the news that cites the document.
    urls = result_urls(search(client, "van ban 1593"))
    assert urls[0] == CV_1593 and all(u.startswith("/van-ban/") for u in urls)


def test_type_words_are_plain_words_where_directives_are_not_looked_for(demo, client):
    urls = result_urls(search(client, "cong van 1593", loai="tin-tuc"))
    assert urls == ["/tin-tuc/vinh-loc-day-manh-quet-ma-qr/"]  # it cites Công văn số 1593
    # Every word is looked for: not every news item about "tuyên truyền", only the one that
    # also says "kế hoạch".
    html = search(client, "ke hoach tuyen truyen", loai="tin-tuc")
    assert result_urls(html) == ["/tin-tuc/xa-thi-tran-tuyen-truyen-ke-hoach-26/"]
    assert {"Kế", "hoạch"} <= set(marks(html)) and "Chỉ hiện văn bản" not in html


def test_type_words_that_filter_out_everything_are_read_as_words(demo, client):
    # No directive (chỉ thị) is about Zalo: rather than nothing, the pages holding all three
    # words ("Ban chỉ đạo", "thị trấn", "Zalo").
    html = search(client, "chi thi zalo")
    assert result_urls(html)[0] == "/tin-tuc/trien-khai-zalo-phong-chong-dich/"
    assert "Chỉ hiện văn bản" not in html


def test_a_number_finds_only_the_requests_sites_documents(demo, client):
    commune = next(
        site
        for site in Site.objects.exclude(pk=demo.pk)
        if DirectivePage.objects.descendant_of(site.root_page).filter(reference="32/UBND").exists()
    )
    host = f"{commune.hostname}:{commune.port}"
    own = result_urls(get(client, "/tim-kiem/", data={"q": "cv 32"}, HTTP_HOST=host).text)
    assert own[0] == "/van-ban/cong-van-32-ubnd-vinh-tien/"
    district = result_urls(search(client, "cv 32"))
    assert "/van-ban/cong-van-32-ubnd-vinh-tien/" not in district
    assert CV_1593 not in result_urls(
        get(client, "/tim-kiem/", data={"q": "1593"}, HTTP_HOST=host).text
    )


def test_the_complaints_queries_mark_the_number_not_a_lookalike(demo, client):
    for query in ("van ban 1593", "văn bản 1593"):
        html = search(client, query)
        assert set(marks(html)) == {"1593"}, query


def test_a_page_of_results_marks_only_the_words_typed_with_their_diacritics(demo, client):
    found = marks(search(client, "tờ khai giấy"))
    assert "tờ" in found or "Tờ" in found
    assert "tổ" not in found  # "to" folded, but "tờ" was typed
    assert "tổ" in marks(search(client, "to khai giay"))  # typed plain: every folded match


# Highlighting, on text alone.
TEXT = "Văn bản tại bàn hướng dẫn; bản tin BAN HÀNH số 1593/UBND-VHTT, bang."


def test_a_word_with_diacritics_marks_only_that_spelling():
    out = highlight(TEXT, "văn bản")
    assert re.findall(r"<mark>(.*?)</mark>", out) == ["Văn", "bản", "bản"]


def test_a_word_without_diacritics_marks_every_word_it_folds_from():
    out = highlight(TEXT, "van ban")
    assert re.findall(r"<mark>(.*?)</mark>", out) == ["Văn", "bản", "bàn", "bản", "BAN"]


def test_capitals_typed_with_diacritics_mark_the_same_words():
    assert re.findall(r"<mark>(.*?)</mark>", highlight(TEXT, "VĂN BẢN")) == ["Văn", "bản", "bản"]


def test_highlight_marks_whole_words_only():
    out = highlight(TEXT, "ba ban")
    assert "<mark>bang</mark>" not in out and "<mark>ba</mark>" not in out
    assert "b<mark>" not in out


def test_highlight_marks_a_number_in_a_reference_and_the_whole_reference():
    assert "<mark>1593</mark>/UBND-VHTT" in highlight(TEXT, "1593")
    assert "<mark>1593/UBND-VHTT</mark>" in highlight(TEXT, "1593/ubnd-vhtt")


def test_highlight_keeps_a_break_between_blocks():
    out = highlight(
        "<h2>Công tác chỉ đạo</h2><p>UBND huyện</p><ul><li>một</li><li>hai</li></ul>", ""
    )
    assert out == "Công tác chỉ đạo UBND huyện một hai"


def test_highlight_centres_on_the_first_marked_word():
    text = "Mở đầu. " * 60 + "Cuối cùng là bàn làm việc và văn bản."
    out = highlight(text, "văn bản")
    assert out.startswith("… ") and "<mark>văn</mark> <mark>bản</mark>" in out


# Reading a query.


@pytest.mark.parametrize(
    ("query", "words", "references", "doc_types", "documents"),
    [
        ("van ban 1593", ["1593"], ["1593"], [], True),
        ("Văn Bản số 1593/UBND-VHTT", ["1593/UBND-VHTT"], ["1593/UBND-VHTT"], [], True),
        ("cv1593", ["1593"], ["1593"], ["cong-van"], True),
        ("CÔNG VĂN 2184 zalo", ["2184", "zalo"], ["2184"], ["cong-van"], True),
        ("quyết định và kế hoạch", ["và"], [], ["quyet-dinh", "ke-hoach"], True),
        ("1593 / UBND - VHTT", ["1593/UBND-VHTT"], ["1593/UBND-VHTT"], [], False),
        ("sở y tế 15", ["sở", "y", "tế", "15"], ["15"], [], False),  # "sở" is no "số"
        ("số điện thoại", ["số", "điện", "thoại"], [], [], False),
        ("lịch tiêm 13/9/2021", ["lịch", "tiêm", "13/9/2021"], [], [], False),  # a date
        ("hướng dẫn thông báo", ["hướng", "dẫn", "thông", "báo"], [], [], False),
    ],
)
def test_parse_query(query, words, references, doc_types, documents):
    parsed = parse_query(query)
    assert list(parsed.words) == words
    assert list(parsed.references) == references
    assert list(parsed.doc_types) == doc_types
    assert parsed.documents is documents


def test_a_query_read_as_plain_words_keeps_every_word():
    plain = parse_query("cong van zalo").plain
    assert plain.text == "cong van zalo" and not plain.documents and not plain.doc_types


def test_every_type_word_names_a_directive_type():
    assert set(TYPE_WORDS) - {""} <= set(DirectiveType.values)


class _Search(list):
    def count(self):
        return len(self)


def test_ranked_results_page_through_everything_once():
    rest = _Search(SimpleNamespace(pk=n, title=f"tin {n}") for n in range(1, 76))
    rest[60].title = "khai báo y tế"  # beyond the reranked head: stays where the rank put it
    rest[30].title = "khai báo y tế"  # within it: comes first after the pinned ones
    pinned = [SimpleNamespace(pk=100, title="Công văn 1593/UBND-VHTT")]
    ranked = Ranked(pinned, rest, ["khai", "bao", "y", "te"])
    assert ranked.count() == 76
    seen = [page.pk for start in range(0, 80, 10) for page in ranked[start : start + 10]]
    assert sorted(seen) == sorted([100, *range(1, 76)])
    assert seen[:2] == [100, 31] and seen.index(61) == 61


def test_a_restricted_directive_is_not_found_by_its_number(demo, client):
    from wagtail.models import PageViewRestriction

    page = DirectivePage.objects.get(url_path__endswith="/cong-van-1593-ubnd-vhtt/")
    assert result_urls(search(client, "cv 1593"))[0] == CV_1593
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    for query in ("cv 1593", "1593/UBND-VHTT", "van ban 1593"):
        assert CV_1593 not in result_urls(search(client, query)), query
