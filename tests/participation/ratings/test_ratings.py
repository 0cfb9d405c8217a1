"""Ratings: "Thông tin này có hữu ích không?" on every page, a service's rating after filing and
after the result, and the dashboard within each staff member's sites and communes."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client
from openpyxl import load_workbook
from wagtail.models import Page

from portal.core import roles
from portal.core.roles import setup_roles
from portal.core.unit_sites import editors_group_name
from portal.eservices.models import Dossier, FormVersion, ServicePage, Status
from portal.participation.ratings import votes
from portal.participation.ratings.models import PageVote, ServiceRating
from tests.core.test_sites_editors import OTHER, TOWN, sites  # noqa: F401

pytestmark = pytest.mark.django_db


def _host(site):
    return f"{site.hostname}:{site.port}" if site.port not in (80, 443) else site.hostname


def _post_vote(client, site, page, answer="1", origin=True, **headers):
    extra = {"HTTP_HOST": _host(site), **headers}
    if origin:
        extra["HTTP_ORIGIN"] = f"http://{_host(site)}"
    return client.post(f"/danh-gia/trang/{page.pk}/", {"huu_ich": answer}, **extra)


@pytest.fixture
def town(sites):  # noqa: F811
    return sites[TOWN]


def test_a_vote_is_kept_without_anything_personal_and_a_second_vote_replaces_it(town):
    client = Client()
    page, site = town["news"], town["site"].site
    response = _post_vote(client, site, page, "1")
    assert response.status_code == 302
    assert response["Location"] == f"/danh-gia/trang/{page.pk}/cam-on/"
    cookie = response.cookies[votes.VOTER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    vote = PageVote.objects.get()
    assert (vote.page_id, vote.site_id, vote.useful) == (page.pk, site.pk, True)
    # The stored key is neither the cookie nor anything of the request.
    assert vote.voter != cookie.value and len(vote.voter) == 64
    stored = {f.attname for f in PageVote._meta.concrete_fields}
    assert stored == {"id", "page_id", "site_id", "voter", "useful", "reason", "comment",
                      "created_at", "updated_at"}  # fmt: skip

    assert _post_vote(client, site, page, "0").status_code == 302
    vote = PageVote.objects.get()
    assert vote.useful is False
    # Another browser is another vote.
    assert _post_vote(Client(), site, page, "1").status_code == 302
    assert PageVote.objects.count() == 2
    # The same browser's digests on two pages cannot be matched.
    assert votes.voter_digest(cookie.value, page.pk) != votes.voter_digest(cookie.value, 1)


def test_the_reason_is_asked_after_the_vote(town):
    client = Client()
    page, site = town["news"], town["site"].site
    _post_vote(client, site, page, "0")
    thanks = client.get(f"/danh-gia/trang/{page.pk}/cam-on/", HTTP_HOST=_host(site))
    body = thanks.content.decode()
    assert "Cảm ơn ông/bà đã trả lời" in body and "Thiếu thông tin tôi cần" in body
    assert "Rõ ràng, dễ hiểu" not in body  # the reasons of a "no"
    saved = client.post(
        f"/danh-gia/trang/{page.pk}/cam-on/",
        {"reason": "missing", "comment": "Thiếu giờ làm việc của bộ phận một cửa"},
        HTTP_HOST=_host(site),
    )
    assert "Ý kiến của ông/bà đã được ghi nhận" in saved.content.decode()
    vote = PageVote.objects.get()
    assert (vote.reason, vote.comment) == ("missing", "Thiếu giờ làm việc của bộ phận một cửa")
    too_long = client.post(
        f"/danh-gia/trang/{page.pk}/cam-on/",
        {"reason": "missing", "comment": "x" * 301},
        HTTP_HOST=_host(site),
    )
    assert "tối đa 300" in too_long.content.decode() or "300" in too_long.content.decode()
    assert PageVote.objects.get().comment == "Thiếu giờ làm việc của bộ phận một cửa"
    # A browser that did not vote is sent back to the page.
    assert (
        Client().get(f"/danh-gia/trang/{page.pk}/cam-on/", HTTP_HOST=_host(site)).status_code == 302
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://attacker.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://attacker.example/page"},
        {},
    ],
    ids=["origin", "fetch-site", "referer", "none"],
)
def test_a_vote_posted_from_another_site_is_refused(town, headers):
    response = _post_vote(Client(), town["site"].site, town["news"], origin=False, **headers)
    assert response.status_code == 403
    assert not PageVote.objects.exists()


def test_a_vote_from_a_browser_without_origin_but_with_fetch_metadata_is_taken(town):
    site = town["site"].site
    response = _post_vote(
        Client(), site, town["news"], origin=False, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 302 and PageVote.objects.count() == 1


def test_a_vote_on_another_sites_page_or_a_draft_is_not_found(sites):  # noqa: F811
    town_site = sites[TOWN]["site"].site
    other_page = sites[OTHER]["news"]
    assert _post_vote(Client(), town_site, other_page).status_code == 404
    draft = sites[TOWN]["news"]
    Page.objects.filter(pk=draft.pk).update(live=False)
    assert _post_vote(Client(), town_site, draft).status_code == 404
    assert _post_vote(Client(), town_site, sites[TOWN]["news"], "maybe").status_code in (400, 404)
    assert not PageVote.objects.exists()


def test_the_form_stands_on_a_cached_page_without_a_token_and_the_page_stays_cached(town, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    site, page = town["site"].site, town["news"]
    client = Client()
    first = client.get("/tin-tuc/", HTTP_HOST=_host(site))
    body = first.content.decode()
    assert "Thông tin này có hữu ích không?" in body
    assert f'action="/danh-gia/trang/{page.pk}/"' in body
    assert "csrfmiddlewaretoken" not in body
    second = client.get("/tin-tuc/", HTTP_HOST=_host(site))
    assert second["X-Portal-Cache"] == "hit"
    assert _post_vote(client, site, page).status_code == 302


def test_votes_are_rate_limited(town, settings):
    settings.RATELIMIT_ENABLE = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "rating": "3/m"}
    caches["default"].clear()
    site, page = town["site"].site, town["news"]
    codes = [_post_vote(Client(), site, page).status_code for _ in range(5)]
    assert codes[:3] == [302, 302, 302] and codes[3:] == [429, 429]


# --- services ----------------------------------------------------------------------------------


@pytest.fixture
def returned_dossier(sites):  # noqa: F811
    version = FormVersion.objects.create(form_key="t", digest="e" * 64, schema={"steps": []})
    service = ServicePage.objects.live().first()
    return Dossier.objects.create(
        code="VL-261204-0001", service=service, service_title="Chứng thực bản sao từ bản chính",
        form_version=version, agency_code="VL", applicant_name="Nguyễn Thị Hằng",
        applicant_phone="0912345678", site=sites[TOWN]["site"].site,
        commune=sites[TOWN]["unit"], status=Status.RETURNED,
    )  # fmt: skip


def _look_up(client, dossier):
    return client.post("/tra-cuu-ho-so/", {"code": dossier.code, "identity": "0912345678"})


def test_a_returned_dossier_can_rate_its_service_without_naming_the_applicant(
    returned_dossier, settings
):
    client = Client()
    page = _look_up(client, returned_dossier).content.decode()
    assert "Đánh giá dịch vụ" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    missing = client.post("/danh-gia/dich-vu/", {"token": token})
    assert missing.status_code == 400
    assert "Hãy chọn mức độ hài lòng." in missing.content.decode()
    done = client.post(
        "/danh-gia/dich-vu/",
        {"token": token, "satisfaction": "dissatisfied", "reasons": ["time", "steps"],
         "comment": "Chờ lâu"},
    )  # fmt: skip
    assert done.status_code == 200
    assert "Cảm ơn ông/bà đã đánh giá dịch vụ" in done.content.decode()
    rating = ServiceRating.objects.get()
    assert rating.stage == "returned" and rating.satisfaction == "dissatisfied"
    assert rating.reasons == ["time", "steps"]
    assert rating.commune_id == returned_dossier.commune_id
    assert rating.dossier_ref == votes.dossier_ref(returned_dossier.pk)
    stored = " ".join(str(getattr(rating, f.attname)) for f in ServiceRating._meta.concrete_fields)
    for personal in ("Nguyễn Thị Hằng", "0912345678", returned_dossier.code):
        assert personal not in stored
    # Rated again: the same rating changes, no second one.
    client.post("/danh-gia/dich-vu/", {"token": token, "satisfaction": "satisfied"})
    assert ServiceRating.objects.get().satisfaction == "satisfied"
    # The dossier's page now shows the rating given.
    again = client.get(f"/tra-cuu-ho-so/?ma={returned_dossier.code}").content.decode()
    assert "Đánh giá của ông/bà: Hài lòng" in again


def test_a_forged_or_tampered_token_rates_nothing(returned_dossier):
    client = Client()
    token = votes.service_token(returned_dossier, "returned")
    for bad in ("", "x", token[:-2] + "zz", votes.service_token(returned_dossier, "other")):
        assert client.post("/danh-gia/dich-vu/", {"token": bad, "satisfaction": "satisfied"}
                           ).status_code == 404  # fmt: skip
    assert not ServiceRating.objects.exists()


def test_a_dossier_still_being_processed_offers_no_result_rating(returned_dossier):
    Dossier.objects.filter(pk=returned_dossier.pk).update(status=Status.PROCESSING)
    page = _look_up(Client(), returned_dossier).content.decode()
    assert "Đánh giá dịch vụ" not in page


# --- dashboard ---------------------------------------------------------------------------------


@pytest.fixture
def votes_on_both_sites(sites):  # noqa: F811
    for code, useful in ((TOWN, True), (TOWN, False), (OTHER, True)):
        page, site = sites[code]["news"], sites[code]["site"].site
        PageVote.objects.create(page=page, site=site, voter=f"{code}{useful}", useful=useful)
    ServiceRating.objects.create(
        dossier_ref="a",
        stage="filed",
        service_title='=HYPERLINK("http://x")',
        commune=sites[TOWN]["unit"],
        satisfaction="satisfied",
    )
    ServiceRating.objects.create(
        dossier_ref="b",
        stage="filed",
        service_title="Đăng ký khai sinh",
        commune=sites[OTHER]["unit"],
        satisfaction="dissatisfied",
        reasons=["time"],
    )


def test_a_commune_editor_sees_only_their_sites_pages(
    client,
    sites,  # noqa: F811
    votes_on_both_sites,
    staff_user_factory,
):
    setup_roles()
    editor = staff_user_factory()
    editor.groups.add(Group.objects.get(name=editors_group_name(sites[TOWN]["unit"])))
    client.force_login(editor)
    body = client.get("/admin/danh-gia/").content.decode()
    assert "Đánh giá của người dân" in body
    assert sites[TOWN]["site"].site.site_name in body
    assert sites[OTHER]["site"].site.site_name not in body
    assert "theo thủ tục" not in body  # service ratings are the one-stop desk's


def test_one_stop_officers_see_the_services_of_their_communes(
    client,
    sites,  # noqa: F811
    votes_on_both_sites,
    staff_user_factory,
):
    setup_roles()
    officer = staff_user_factory(communes=[sites[TOWN]["unit"]], groups=[roles.ONE_STOP_OFFICER])
    client.force_login(officer)
    body = client.get("/admin/danh-gia/").content.decode()
    assert "theo thủ tục" in body and "Trang hữu ích nhất" not in body
    assert "HYPERLINK" in body and "Đăng ký khai sinh" not in body
    export = client.get("/admin/danh-gia/?format=xlsx")
    book = load_workbook(io.BytesIO(export.content))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://x")' in cells  # written as text, never run
    assert "Đăng ký khai sinh" not in cells


def test_staff_without_the_permission_are_refused(client, sites, staff_user_factory):  # noqa: F811
    setup_roles()
    health = staff_user_factory(groups=[roles.HEALTH_OFFICIAL])
    client.force_login(health)
    assert client.get("/admin/danh-gia/").status_code in (302, 403)
    assert "/admin/danh-gia/" not in client.get("/admin/").content.decode()


def test_a_bad_period_is_explained(client, sites, staff_user_factory):  # noqa: F811
    client.force_login(staff_user_factory(superuser=True))
    body = client.get("/admin/danh-gia/?date_from=2026-12-05&date_to=2026-12-01").content.decode()
    assert "Ngày bắt đầu sau ngày kết thúc." in body
