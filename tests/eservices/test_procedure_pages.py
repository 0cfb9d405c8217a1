"""A procedure page shows its fees as amounts, links each form to download and each legal
reference to its directive; what it cannot link is listed for the editors."""

import re

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from portal.eservices.catalogue import (
    directives_by_reference,
    format_dong,
    legal_basis_links,
    procedure_problems,
)
from portal.eservices.models import ProcedureOffering, ServicePage
from portal.news.models import DirectivePage
from portal.news.models.directives import reference_key
from tests.content_fixtures import (  # noqa: F401 - the demo built once for the module
    _content_settings,
    _demo_content,
    _media_in_tmp,
    _module_media,
    get,
)


@pytest.fixture
def demo(request):
    """The parent site, with the whole demo (news' directives register included), built once
    for the module before each test's transaction opens (as tests.content_fixtures.demo)."""
    request.getfixturevalue("_demo_content")
    request.getfixturevalue("db")
    return Site.objects.get(is_default_site=True)


MARRIAGE = "/dich-vu-cong/xac-nhan-tinh-trang-hon-nhan/"
BUSINESS = "/dich-vu-cong/dang-ky-thanh-lap-ho-kinh-doanh/"
REPORT = "/dich-vu-cong/tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa/"
BIRTH = "/dich-vu-cong/dang-ky-khai-sinh/"


def _links(html):
    return dict(re.findall(r'<a href="(/van-ban/[^"]+/)">([^<]+)</a>', html))


def _section(html, heading):
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2>", start + 1)
    return html[start : end if end != -1 else None]


def test_every_demo_reference_with_a_directive_links_to_it(demo, client):
    references = linked = 0
    for page in ServicePage.objects.live():
        numbers = [b.value["number"] for b in page.legal_basis]
        directives = directives_by_reference(numbers)
        html = get(client, page.url).content.decode()
        legal = _section(html, "Căn cứ pháp lý") if numbers else ""
        for number in numbers:
            references += 1
            directive = directives.get(reference_key(number))
            if directive is not None:
                linked += 1
                url = directive.relative_url(demo)
                assert f'<a href="{url}">{number}</a>' in legal, number
            else:  # plain text, and listed for the editors
                assert f">{number}</a>" not in legal and number in legal
                assert any(number in p for p in procedure_problems(page)), number
    assert references == 14
    # Every law, decree, circular and district/province letter the demo cites is in its register.
    assert linked == references


def test_the_report_procedure_links_13341_ubnd_cntt(demo, client):
    links = _links(get(client, REPORT).content.decode())
    assert links["/van-ban/cong-van-13341-ubnd-cntt/"] == "13341/UBND-CNTT"
    assert links["/van-ban/cong-van-2163-ubnd-vhtt/"] == "2163/UBND-VHTT"


def test_a_reference_typed_loosely_finds_its_directive(demo):
    page = ServicePage.objects.get(slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa")
    page.legal_basis = [
        ("document", {"number": "Số 13341/ubnd-cntt", "title": "x", "issuer": "", "page": None}),
        ("document", {"number": "30/2020/ND-CP", "title": "y", "issuer": "", "page": None}),
    ]
    urls = [ref.url.removeprefix(demo.root_url) for ref in legal_basis_links(page)]
    assert urls == ["/van-ban/cong-van-13341-ubnd-cntt/", "/van-ban/nghi-dinh-30-2020-nd-cp/"]


def test_an_unpublished_directive_is_not_linked_and_is_listed(demo, client):
    DirectivePage.objects.get(reference="30/2020/NĐ-CP").unpublish()
    html = get(client, REPORT).content.decode()
    assert "/van-ban/nghi-dinh-30-2020-nd-cp/" not in html and "30/2020/NĐ-CP" in html
    page = ServicePage.objects.get(slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa")
    assert procedure_problems(page) == [
        "Căn cứ pháp lý 30/2020/NĐ-CP chưa có trong mục Văn bản chỉ đạo, điều hành: trang thủ "
        "tục hiển thị không có liên kết."
    ]


def test_a_fee_set_by_resolution_shows_the_amount_and_links_the_resolution(demo, client):
    html = get(client, MARRIAGE).content.decode()
    amount = "15.000\u00a0đồng/giấy"  # a no-break space: the amount keeps its unit
    assert f"Lệ phí cấp Giấy xác nhận tình trạng hôn nhân:</span> <strong>{amount}" in html
    assert _links(html)["/van-ban/nghi-quyet-176-2021-nq-hdnd/"] == "176/2021/NQ-HĐND"
    assert "Người nộp" in html and "Miễn, giảm" in html
    methods = _section(html, "Cách thức thực hiện")
    assert "Theo Nghị quyết" not in methods and methods.count(amount) == 2


def test_each_way_of_filing_shows_the_amount_that_applies_to_it(demo, client):
    rows = re.findall(
        r"<tr><td>([^<]+)</td><td>[^<]*</td><td>([^<]*)</td>",
        _section(get(client, BUSINESS).content.decode(), "Cách thức thực hiện"),
    )
    assert rows == [
        ("Trực tuyến", "Miễn phí"),
        ("Trực tiếp", "100.000\u00a0đồng/lần"),
        ("Qua dịch vụ bưu chính công ích", "100.000\u00a0đồng/lần"),
    ]


def test_no_demo_procedure_states_a_fee_without_its_amount(demo, client):
    for page in ServicePage.objects.live():
        problems = procedure_problems(page)
        assert not [p for p in problems if "không có số tiền" in p], page.title
        assert not [p for p in problems if "chưa có tệp" in p], page.title


def test_a_communes_own_fees_replace_the_canonical_amounts(demo, client):
    site = Site.objects.get(portalsettings__unit__code="15358")  # Xã Vĩnh Tiến
    assert ProcedureOffering.objects.filter(site=site, procedure__slug="dang-ky-khai-sinh")
    html = get(client, BIRTH, HTTP_HOST=f"{site.hostname}:{site.port}").content.decode()
    fees = html[html.index("<dt>Phí, lệ phí</dt>") :]
    fees = fees[: fees.index("</dd>")]
    assert "3.000 đồng/bản" in fees and "8.000" not in fees


def test_the_form_column_downloads_the_form(demo, client):
    html = get(client, BIRTH).content.decode()
    components = _section(html, "Thành phần hồ sơ")
    assert "<th>Mẫu đơn, tờ khai</th>" in components
    url = re.search(r'<a href="(/documents/\d+/[^"]+\.pdf)" download>Tải về', components)
    assert url and "(PDF, " in components
    response = client.get(url.group(1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_editors_see_what_a_procedure_cannot_link(demo, client, django_user_model):
    DirectivePage.objects.get(reference="60/2014/QH13").unpublish()
    page = ServicePage.objects.get(slug="dang-ky-khai-sinh")
    admin = django_user_model.objects.create_superuser("kiemtra", "k@example.com", "x")
    client.force_login(admin)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Căn cứ pháp lý 60/2014/QH13 chưa có trong mục Văn bản chỉ đạo, điều hành" in html


def test_the_check_command_lists_unlinked_references_and_fails_on_request(demo, capsys):
    call_command("check_procedure_pages", "--fail")  # the demo links every reference
    for number in ("60/2014/QH13", "50/2014/QH13", "62/2020/QH14"):
        DirectivePage.objects.get(reference=number).unpublish()
    call_command("check_procedure_pages")
    out = capsys.readouterr().out
    for number in ("60/2014/QH13", "50/2014/QH13", "62/2020/QH14"):
        assert number in out
    assert "13341/UBND-CNTT" not in out and "123/2015/NĐ-CP" not in out
    with pytest.raises(CommandError):
        call_command("check_procedure_pages", "--fail")


def test_a_fee_stated_only_as_a_resolution_is_listed(demo):
    page = ServicePage.objects.get(slug="dang-ky-thanh-lap-ho-kinh-doanh")
    page.fee_items = []
    page.fees = "Theo Nghị quyết HĐND tỉnh"
    assert "Phí, lệ phí chỉ ghi “theo Nghị quyết” mà không có số tiền: hãy nhập mức thu." in (
        procedure_problems(page)
    )


def test_amounts_are_grouped_the_vietnamese_way():
    assert format_dong(1000) == "1.000\u00a0đồng"
    assert format_dong(100000) == "100.000\u00a0đồng"
    assert format_dong(1250000) == "1.250.000\u00a0đồng"
