"""The public catalogue: grouped by field, searchable without diacritics, structured pages."""

import pytest
from django.test import Client

from portal.eservices.models import ServicePage


@pytest.mark.django_db
def test_catalogue_groups_by_field_and_searches_without_diacritics(es_demo, client):
    html = client.get("/dich-vu-cong/").content.decode()
    for title in (
        "Đăng ký khai sinh",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Khai báo y tế điện tử",
    ):
        assert title in html
    assert "<h2>Hộ tịch</h2>" in html and "<h2>Chứng thực</h2>" in html
    found = client.get("/dich-vu-cong/", {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in found and "Chứng thực bản sao" not in found
    found = client.get("/dich-vu-cong/", {"q": "giay phep xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng" in found
    full = client.get("/dich-vu-cong/", {"muc-do": "full"}).content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in full and "Đăng ký khai sinh" not in full


@pytest.mark.django_db
def test_service_page_shows_national_database_structure(es_demo, client):
    html = client.get("/dich-vu-cong/dang-ky-khai-sinh/").content.decode()
    for text in (
        "1.001193",
        "Thành phần hồ sơ",
        "Giấy chứng sinh",
        "Căn cứ pháp lý",
        "123/2015/NĐ-CP",
        "Trực tuyến",
        "Nộp hồ sơ trực tuyến",
        "Trình tự thực hiện",
    ):
        assert text in html


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_styles_or_handlers(es_demo, client):
    import re

    start = client.get("/dich-vu-cong/nop/dang-ky-khai-sinh/", follow=True)
    for html in (
        client.get("/dich-vu-cong/").content.decode(),
        start.content.decode(),
        client.get("/tra-cuu-ho-so/").content.decode(),
    ):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.django_db
def test_nav_has_services_health_and_lookup(es_demo):
    html = Client().get("/tra-cuu-ho-so/").content.decode()
    html = html[html.index('class="site-nav__list"') :]
    assert html.index("Dịch vụ công") < html.index("Khai báo y tế") < html.index("Tra cứu hồ sơ")


@pytest.mark.django_db
def test_info_only_procedure_has_no_online_wizard(es_demo, client):
    page = ServicePage.objects.get(slug="khai-bao-y-te")
    assert not page.accepts_online_filing
    assert client.get("/dich-vu-cong/nop/khai-bao-y-te/").status_code == 404
    assert 'href="/khai-bao-y-te/"' in client.get(page.url).content.decode()
