"""One canonical procedure catalogue, offered per site: a commune's site lists the procedures of
its level on its own host with its own agency, fees and contacts; filing there numbers the
dossier under that unit's agency code and gives it to that commune; the lookup works from any
host; a commune's editors set only their site's offerings; no procedure page is copied."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Site

from portal.core import roles
from portal.core.models import AdministrativeUnit
from portal.core.unit_sites import editors_group_name
from portal.eservices.demo import AGENCY_COMMUNE
from portal.eservices.models import (
    Dossier,
    ProcedureOffering,
    ServiceIndexPage,
    ServicePage,
)
from tests.eservices.test_filing_flow import APPLICANT, file_birth

TOWN, TIEN, THINH = "15349", "15358", "15388"  # Thị trấn Vĩnh Lộc, Xã Vĩnh Tiến, Xã Vĩnh Thịnh
BIRTH_PAGE = "/dich-vu-cong/dang-ky-khai-sinh/"
PERMIT = "cap-giay-phep-xay-dung-nha-o-rieng-le"  # district level only


def _site(code) -> Site:
    return Site.objects.get(portalsettings__unit__code=code)


def _host(code) -> str:
    site = _site(code)
    return f"{site.hostname}:{site.port}"


@pytest.fixture
def sites(es_demo):
    return {code: _site(code) for code in (TOWN, TIEN, THINH)}


def test_a_commune_site_lists_the_procedures_of_its_level_on_its_own_host(sites, client):
    html = client.get("/dich-vu-cong/", HTTP_HOST=_host(TOWN)).text
    assert 'href="/dich-vu-cong/dang-ky-khai-sinh/"' in html
    assert "Chứng thực bản sao từ bản chính" in html  # district and commune level
    assert "Cấp giấy phép xây dựng" not in html  # district level only
    assert "Tiếp nhận báo cáo định kỳ" not in html
    assert "Ủy ban nhân dân thị trấn Vĩnh Lộc" in html  # the town's own header

    parent = client.get("/dich-vu-cong/", HTTP_HOST="127.0.0.1:8000").text
    assert "Cấp giấy phép xây dựng" in parent  # the canonical list, as before
    assert "Đăng ký khai sinh" in parent


def test_a_procedure_opens_on_the_commune_host_with_the_communes_own_values(sites, client):
    tien = client.get(BIRTH_PAGE, HTTP_HOST=_host(TIEN))
    assert tien.status_code == 200
    html = tien.text
    assert "Ủy ban nhân dân xã Vĩnh Tiến (Bộ phận tiếp nhận và trả kết quả)" in html
    assert "Cấp bản sao trích lục: 3.000 đồng/bản" in html
    assert "công chức tư pháp - hộ tịch: 0237 3870 358" in html
    assert AGENCY_COMMUNE not in html
    assert "Ủy ban nhân dân xã Vĩnh Tiến</span>" in html  # its own header, not the district's
    assert 'href="/dich-vu-cong/"' in html  # breadcrumbs stay on the host

    town = client.get(BIRTH_PAGE, HTTP_HOST=_host(TOWN)).text
    assert AGENCY_COMMUNE in town  # no offering: the canonical values
    assert "Ủy ban nhân dân xã Vĩnh Tiến" not in town

    assert client.get(f"/dich-vu-cong/{PERMIT}/", HTTP_HOST=_host(TIEN)).status_code == 404


def test_a_procedure_marked_not_offered_leaves_the_communes_site(sites, client):
    birth = ServicePage.objects.get(slug="dang-ky-khai-sinh")
    ProcedureOffering.objects.create(procedure=birth, site=sites[THINH], not_offered=True)
    host = _host(THINH)
    assert "Đăng ký khai sinh" not in client.get("/dich-vu-cong/", HTTP_HOST=host).text
    assert client.get(BIRTH_PAGE, HTTP_HOST=host).status_code == 404
    start = reverse("eservices:apply_start", kwargs={"slug": "dang-ky-khai-sinh"})
    assert client.get(start, HTTP_HOST=host).status_code == 404
    assert client.get(start, HTTP_HOST=_host(TOWN)).status_code == 302  # still offered there


def _file_on(client, wizard_for, code):
    client.defaults["HTTP_HOST"] = _host(code)
    w = file_birth(wizard_for)
    w.post({"consent": "on"})
    return Dossier.objects.order_by("-pk").first()


def test_filing_on_a_commune_host_gives_the_dossier_to_that_commune_under_its_code(
    sites, client, wizard_for, staff_user_factory
):
    tien = _file_on(client, wizard_for, TIEN)
    assert tien.code.startswith("XVT-"), tien.code  # the offering's agency code
    assert tien.code.endswith("-0001")
    assert tien.commune.code == TIEN  # the applicant lives in the town: the receiver counts
    assert tien.site == sites[TIEN]

    town = _file_on(client, wizard_for, TOWN)
    first = town.code
    assert first.startswith(f"VL{TOWN}-") and first.endswith("-0001"), first  # from the unit
    assert town.commune.code == TOWN
    again = _file_on(client, wizard_for, TOWN)
    assert again.code == first[:-4] + "0002"  # gap-free per agency and day

    officer = staff_user_factory(
        communes=[AdministrativeUnit.objects.get(code=TIEN)],
        groups=[Group.objects.get(name=roles.ONE_STOP_OFFICER)],
    )
    staff = client.__class__()
    staff.force_login(officer)
    listing = staff.get(reverse("eservices_admin:list"), HTTP_HOST="127.0.0.1:8000").text
    assert tien.code in listing
    assert first not in listing


def test_the_lookup_finds_a_dossier_from_any_host(sites, client, wizard_for):
    dossier = _file_on(client, wizard_for, TIEN)
    other = client.__class__()
    for host in (_host(THINH), "127.0.0.1:8000"):
        response = other.post(
            reverse("eservices:lookup"),
            {"code": dossier.code, "identity": APPLICANT["so_giay_to"]},
            HTTP_HOST=host,
        )
        assert response.status_code == 200
        assert "Mới đăng ký" in response.text, host
        assert "Đăng ký khai sinh" in response.text


@pytest.fixture
def tien_editor(sites, staff_user_factory):
    user = staff_user_factory()
    unit = AdministrativeUnit.objects.get(code=TIEN)
    user.groups.add(Group.objects.get(name=editors_group_name(unit)))
    return user


def test_a_commune_editor_sets_only_their_sites_offerings(sites, tien_editor, client):
    birth = ServicePage.objects.get(slug="dang-ky-khai-sinh")
    theirs = ProcedureOffering.objects.get(site=sites[TIEN])
    others = ProcedureOffering.objects.create(procedure=birth, site=sites[TOWN], agency="UBND TT")
    client.force_login(tien_editor)

    listing = client.get(reverse("wagtailsnippets_eservices_procedureoffering:list")).text
    assert "XVT" in listing
    assert "UBND TT" not in listing
    edit = "wagtailsnippets_eservices_procedureoffering:edit"
    assert client.get(reverse(edit, args=[theirs.pk])).status_code == 200
    assert client.get(reverse(edit, args=[others.pk])).status_code == 404
    add = client.get(reverse("wagtailsnippets_eservices_procedureoffering:add")).text
    assert f'<option value="{sites[TIEN].pk}"' in add
    assert f'<option value="{sites[TOWN].pk}"' not in add
    assert f'<option value="{birth.pk}"' in add  # the canonical procedures, in a plain list

    response = client.post(
        reverse(edit, args=[theirs.pk]),
        {
            "site": sites[TIEN].pk,
            "procedure": birth.pk,
            "agency": "UBND xã Vĩnh Tiến",
            "agency_code": "xvt",  # lower case: refused with a message, nothing changed
            "fees": "",
            "contacts": "",
        },
    )
    assert response.status_code == 200
    assert "chữ in hoa" in response.text
    theirs.refresh_from_db()
    assert theirs.agency_code == "XVT"


def test_procedures_are_never_copied_into_a_communes_tree(sites):
    for site in sites.values():
        assert not ServicePage.objects.filter(path__startswith=site.root_page.path).exists()
        index = ServiceIndexPage.objects.get(path__startswith=site.root_page.path)
        assert not ServicePage.can_create_at(index)
    canonical = ServiceIndexPage.objects.get(
        path__startswith=Site.objects.get(is_default_site=True).root_page.path
    )
    assert ServicePage.can_create_at(canonical)


def test_a_communes_search_finds_the_procedures_it_offers_at_their_address_on_its_host(
    sites, client
):
    html = client.get("/tim-kiem/", {"q": "dang ky khai sinh"}, HTTP_HOST=_host(TOWN)).text
    assert f'href="{BIRTH_PAGE}"' in html  # on the town's host, not the parent's
    assert "Đăng ký khai sinh" in html
    permit = client.get("/tim-kiem/", {"q": "giay phep xay dung"}, HTTP_HOST=_host(TOWN)).text
    assert "Cấp giấy phép xây dựng" not in permit  # the district's level only

    # The catalogue a search reads is kept between searches: marking the procedure "not offered"
    # takes it out of the next search at once.
    before = client.get("/tim-kiem/", {"q": "dang ky khai sinh"}, HTTP_HOST=_host(THINH)).text
    assert f'href="{BIRTH_PAGE}"' in before
    birth = ServicePage.objects.get(slug="dang-ky-khai-sinh")
    ProcedureOffering.objects.create(procedure=birth, site=sites[THINH], not_offered=True)
    none = client.get("/tim-kiem/", {"q": "dang ky khai sinh"}, HTTP_HOST=_host(THINH)).text
    assert BIRTH_PAGE not in none


def test_a_communes_search_is_rate_limited_like_every_search(sites, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "search": "2/d"}
    statuses = [
        client.get("/tim-kiem/", {"q": "khai sinh"}, HTTP_HOST=_host(TOWN)).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_communes_receipt_is_dated_at_that_commune(sites, client, wizard_for):
    """The receipt's place and date line names the receiving unit (Decree 30's "địa danh"), in
    the decree's form: "Vĩnh Tiến, ngày 05 tháng 3 năm 2026" (0 before days below 10 and months
    below 3)."""
    import io

    from pypdf import PdfReader

    from portal.core.display import document_date

    dossier = _file_on(client, wizard_for, TIEN)
    pdf = client.get(reverse("eservices:receipt", kwargs={"code": dossier.code}))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert f"Vĩnh Tiến, {document_date(dossier.submitted_at)}" in text
    assert "Vĩnh Lộc, ngày" not in text
