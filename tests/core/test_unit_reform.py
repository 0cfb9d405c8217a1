"""Reforms of administrative units: merging units' sites, renaming a unit (and its host), retiring
a unit's site; through the management commands and the admin's "Sắp xếp đơn vị hành chính"."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from portal.core.models import AdministrativeUnit, AuditEntry, PortalSettings, RetiredHost
from portal.core.sites import absolute_url, default_site
from portal.core.unit_reform import forget_retired_hosts
from portal.core.unit_sites import approvers_group_name, editors_group_name, ensure_unit_site
from portal.news.models import NewsPage

TOWN, OTHER = "15349", "15358"  # Thị trấn Vĩnh Lộc, Xã Vĩnh Tiến
TOWN_HOST, OTHER_HOST = "thi-tran-vinh-loc.localhost", "xa-vinh-tien.localhost"


def _run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _news(home, title, slug):
    now = timezone.now()
    page = NewsPage(
        title=title,
        slug=slug,
        summary=title,
        body=[("paragraph", f"<p>{title}</p>")],
        live=True,
        first_published_at=now,
        last_published_at=now,
    )
    home.get_children().get(slug="tin-tuc").add_child(instance=page)
    return page


@pytest.fixture(autouse=True)
def _fresh_hosts():
    """The former hosts are remembered per process: no test sees another's."""
    forget_retired_hosts()
    yield
    forget_retired_hosts()


@pytest.fixture
def sites(db):
    return {
        code: ensure_unit_site(AdministrativeUnit.objects.get(code=code)) for code in (TOWN, OTHER)
    }


@pytest.fixture
def editor(sites, staff_user_factory):
    user = staff_user_factory(communes=[sites[OTHER].site.portalsettings.unit])
    user.groups.add(sites[OTHER].editors)
    return user


def _client():
    return Client(raise_request_exception=True)


def test_merge_moves_pages_and_answers_old_host_and_paths_with_301(sites, editor):
    own = _news(sites[OTHER].home, "Vĩnh Tiến ra quân làm đường giao thông", "ra-quan")
    clash = _news(sites[OTHER].home, "Lịch tiếp dân Vĩnh Tiến", "lich-tiep-dan")
    _news(sites[TOWN].home, "Lịch tiếp dân thị trấn", "lich-tiep-dan")
    town_home = sites[TOWN].home

    output = _run("merge_unit_sites", OTHER, "--into", TOWN)
    assert "Xã Vĩnh Tiến" in output and "Thị trấn Vĩnh Lộc" in output

    # The absorbed site no longer serves; its pages sit in the merged site's news section.
    assert not Site.objects.filter(hostname=OTHER_HOST).exists()
    moved = NewsPage.objects.get(pk=own.pk)
    assert moved.live and moved.get_parent().pk == town_home.get_children().get(slug="tin-tuc").pk
    renamed = NewsPage.objects.get(pk=clash.pk)
    assert renamed.slug == "lich-tiep-dan-xa-vinh-tien"
    assert not sites[OTHER].home.specific.__class__.objects.get(pk=sites[OTHER].home.pk).live

    client = _client()
    response = client.get("/tin-tuc/ra-quan/", HTTP_HOST=OTHER_HOST)
    assert response.status_code == 301
    assert response["Location"] == f"http://{TOWN_HOST}:8000/tin-tuc/ra-quan/"
    response = client.get("/tin-tuc/lich-tiep-dan/", HTTP_HOST=OTHER_HOST)
    assert response["Location"] == f"http://{TOWN_HOST}:8000/tin-tuc/lich-tiep-dan-xa-vinh-tien/"
    response = client.get("/tin-tuc/", HTTP_HOST=OTHER_HOST)
    assert response["Location"] == f"http://{TOWN_HOST}:8000/tin-tuc/"
    response = client.get("/khong-co-trang-nay/", HTTP_HOST=f"{OTHER_HOST}:8000")
    assert (response.status_code, response["Location"]) == (301, f"http://{TOWN_HOST}:8000/")

    # The merged site serves the moved page, finds it and lists it.
    page = client.get("/tin-tuc/ra-quan/", HTTP_HOST=TOWN_HOST)
    assert page.status_code == 200 and "Vĩnh Tiến ra quân" in page.content.decode()
    found = client.get("/tim-kiem/", {"q": "vinh tien ra quan"}, HTTP_HOST=TOWN_HOST)
    assert "Vĩnh Tiến ra quân làm đường giao thông" in found.content.decode()
    listing = client.get("/tin-tuc/", HTTP_HOST=TOWN_HOST).content.decode()
    assert "Vĩnh Tiến ra quân làm đường giao thông" in listing

    # Staff follow: the editor works in the merged site's group and for the merged commune.
    editor.refresh_from_db()
    assert editor.groups.filter(pk=sites[TOWN].editors.pk).exists()
    assert not editor.groups.filter(name=editors_group_name(sites[OTHER].site.portalsettings.unit))
    old_editors = Group.objects.get(pk=sites[OTHER].editors.pk)
    assert not GroupPagePermission.objects.filter(group=old_editors).exists()
    assert editor.staff_scope.communes.filter(code=TOWN).exists()
    entry = AuditEntry.objects.get(action="unit_reform.merge")
    assert entry.parameters == {"from": [OTHER], "into": TOWN}

    # Again: nothing more to do, said so.
    assert "đã được sáp nhập" in _run("merge_unit_sites", OTHER, "--into", TOWN)
    assert AuditEntry.objects.filter(action="unit_reform.merge").count() == 1


def test_merge_dry_run_changes_nothing(sites):
    _news(sites[OTHER].home, "Tin Vĩnh Tiến", "tin-vinh-tien")
    pages = Page.objects.count()
    output = _run("merge_unit_sites", OTHER, "--into", TOWN, "--dry-run")
    assert "Chạy thử" in output
    assert Site.objects.filter(hostname=OTHER_HOST).exists()
    assert Page.objects.count() == pages
    assert not RetiredHost.objects.exists()
    assert _client().get("/", HTTP_HOST=OTHER_HOST).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((TOWN, "--into", TOWN), "Không thể sáp nhập Thị trấn Vĩnh Lộc vào chính nó."),
        (("99999", "--into", TOWN), "Không có đơn vị hành chính mã 99999."),
        ((OTHER, "--into", "15352"), "chưa có trang thông tin riêng"),
    ],
)
def test_merge_refuses_bad_input_in_vietnamese(sites, args, message):
    with pytest.raises(CommandError, match=message):
        _run("merge_unit_sites", *args)
    assert Site.objects.filter(hostname=OTHER_HOST).exists()


def test_rename_with_new_host_keeps_the_old_host_redirecting_path_for_path(sites):
    _news(sites[OTHER].home, "Tin Vĩnh Tiến", "tin-vinh-tien")
    _run("rename_unit", OTHER, "--name", "Xã Vĩnh An", "--host", "xa-vinh-an.localhost")

    unit = AdministrativeUnit.objects.get(code=OTHER)
    assert (unit.name, unit.name_with_type) == ("Vĩnh An", "Xã Vĩnh An")
    site = Site.objects.get(pk=sites[OTHER].site.pk)
    assert site.hostname == "xa-vinh-an.localhost"
    assert "xã Vĩnh An" in site.site_name
    settings = PortalSettings.objects.get(site=site)
    assert settings.organisation_name == "Ủy ban nhân dân xã Vĩnh An"
    assert settings.address.startswith("Xã Vĩnh An, huyện Vĩnh Lộc")
    assert Group.objects.filter(name=editors_group_name(unit)).exists()
    assert Group.objects.filter(name=approvers_group_name(unit)).exists()
    assert sites[OTHER].collection.__class__.objects.get(pk=sites[OTHER].collection.pk).name == (
        "Xã Vĩnh An"
    )

    client = _client()
    response = client.get("/tin-tuc/tin-vinh-tien/?trang=2", HTTP_HOST=OTHER_HOST)
    assert response.status_code == 301
    assert response["Location"] == "http://xa-vinh-an.localhost:8000/tin-tuc/tin-vinh-tien/?trang=2"
    assert (
        client.get("/tin-tuc/tin-vinh-tien/", HTTP_HOST="xa-vinh-an.localhost").status_code == 200
    )
    assert AuditEntry.objects.filter(action="unit_reform.rename").count() == 1

    assert "không thay đổi gì" in _run("rename_unit", OTHER, "--name", "Xã Vĩnh An")
    assert AuditEntry.objects.filter(action="unit_reform.rename").count() == 1


def test_rename_refuses_a_host_of_another_site(sites):
    with pytest.raises(CommandError, match=f"Địa chỉ {TOWN_HOST} đã là của một trang khác."):
        _run("rename_unit", OTHER, "--name", "Xã Vĩnh An", "--host", TOWN_HOST)
    assert AdministrativeUnit.objects.get(code=OTHER).name == "Vĩnh Tiến"


def test_retire_redirects_to_the_parent_site_keeps_pages_and_removes_editors(sites, editor):
    news = _news(sites[OTHER].home, "Tin Vĩnh Tiến", "tin-vinh-tien")
    output = _run("retire_unit_site", OTHER)
    assert "ngừng hoạt động" in output

    assert not Site.objects.filter(hostname=OTHER_HOST).exists()
    kept = NewsPage.objects.get(pk=news.pk)
    assert not kept.live
    assert not GroupPagePermission.objects.filter(group=sites[OTHER].editors).exists()
    assert not editor.groups.exists()
    response = _client().get("/tin-tuc/tin-vinh-tien/", HTTP_HOST=OTHER_HOST)
    assert (response.status_code, response["Location"]) == (301, absolute_url(default_site(), "/"))
    assert AuditEntry.objects.filter(action="unit_reform.retire").count() == 1

    assert "đã ngừng hoạt động trước đây" in _run("retire_unit_site", OTHER)
    assert AuditEntry.objects.filter(action="unit_reform.retire").count() == 1


def test_retire_to_a_given_site(sites):
    _run("retire_unit_site", OTHER, "--redirect-to", TOWN)
    response = _client().get("/", HTTP_HOST=OTHER_HOST)
    assert response["Location"] == f"http://{TOWN_HOST}:8000/"
    with pytest.raises(CommandError, match="chưa có trang thông tin riêng"):
        _run("retire_unit_site", "15352")


# --- the admin view ---------------------------------------------------------------------------

URL = "/admin/sap-xep-don-vi/"


def test_only_superusers_see_the_reform_view(sites, staff_user_factory):
    client = Client()
    client.force_login(staff_user_factory(all_communes=True, perms=["wagtailadmin.access_admin"]))
    assert client.get(URL).status_code in (302, 403)
    client.force_login(staff_user_factory(superuser=True))
    html = client.get(URL).content.decode()
    assert "Sắp xếp đơn vị hành chính" in html
    assert "Sáp nhập đơn vị" in html and "Đổi tên đơn vị" in html


def test_admin_merge_asks_for_confirmation_then_merges(sites, staff_user_factory):
    _news(sites[OTHER].home, "Tin Vĩnh Tiến", "tin-vinh-tien")
    client = Client()
    client.force_login(staff_user_factory(superuser=True))
    data = {"event": "merge", "merge-from_codes": OTHER, "merge-into": TOWN}
    html = client.post(URL, data).content.decode()
    assert "Xác nhận" in html and "chuyển 1 trang" in html
    assert Site.objects.filter(hostname=OTHER_HOST).exists()

    html = client.post(URL, {**data, "confirm": "1"}).content.decode()
    assert "Đã thực hiện" in html
    assert not Site.objects.filter(hostname=OTHER_HOST).exists()
    response = Client().get("/tin-tuc/tin-vinh-tien/", HTTP_HOST=OTHER_HOST)
    assert response["Location"] == f"http://{TOWN_HOST}:8000/tin-tuc/tin-vinh-tien/"
    assert AuditEntry.objects.get(action="unit_reform.merge").username


def test_admin_refuses_bad_input_in_vietnamese(sites, staff_user_factory):
    client = Client()
    client.force_login(staff_user_factory(superuser=True))
    data = {"event": "merge", "merge-from_codes": TOWN, "merge-into": TOWN}
    html = client.post(URL, data).content.decode()
    assert "Không thể sáp nhập Thị trấn Vĩnh Lộc vào chính nó." in html
    html = client.post(URL, {"event": "retire", "retire-code": "99999"}).content.decode()
    assert "Không có đơn vị hành chính mã 99999." in html
    html = client.post(
        URL, {"event": "rename", "rename-code": OTHER, "rename-name": "Xã Vĩnh An", "confirm": "1"}
    ).content.decode()
    assert "Đã thực hiện" in html
    assert AdministrativeUnit.objects.get(code=OTHER).name_with_type == "Xã Vĩnh An"


def test_merge_moves_the_communes_checkpoints_and_their_posters_qr_keeps_working(sites):
    from portal.checkpoints.models import Checkpoint

    town, other = (AdministrativeUnit.objects.get(code=c) for c in (TOWN, OTHER))
    market = Checkpoint.objects.create(commune=other, name="Chợ phiên Vĩnh Tiến", address="Thôn 2")
    same = Checkpoint.objects.create(commune=other, name="Trạm Y tế", address="Thôn 1")
    Checkpoint.objects.create(commune=town, name="Trạm Y tế", address="Khu phố 1")
    printed = f"http://{OTHER_HOST}:8000{market.checkin_path}"  # on the posters already up
    assert market.checkin_url == printed

    output = _run("merge_unit_sites", OTHER, "--into", TOWN)
    assert "Điểm kiểm dịch: 2 điểm chuyển sang Thị trấn Vĩnh Lộc" in output

    market.refresh_from_db()
    same.refresh_from_db()
    assert market.commune == town and same.commune == town
    assert same.name == "Trạm Y tế (Xã Vĩnh Tiến)"
    # The printed QR (old host) leads to the same check-in on the merged site's host.
    response = _client().get(market.checkin_path, HTTP_HOST=f"{OTHER_HOST}:8000")
    assert response.status_code == 301
    assert response["Location"] == f"http://{TOWN_HOST}:8000{market.checkin_path}"
    assert market.checkin_url == response["Location"]
    page = _client().get(market.checkin_path, HTTP_HOST=f"{TOWN_HOST}:8000")
    assert page.status_code == 200 and "Chợ phiên Vĩnh Tiến" in page.content.decode()


def test_the_memo_of_former_hosts_is_a_process_copy_dropped_with_the_others(sites):
    """Each web process keeps the former host names for 30 s instead of asking the cache on
    every request; that copy is registered, so it goes when every process copy is dropped
    (what the tests do at each start, when they empty the cache)."""
    from django.core.cache import cache

    from portal.core.cache import forget_process_copies
    from portal.core.unit_reform import retired_hosts

    assert retired_hosts() == {}
    town = sites[TOWN].site
    RetiredHost.objects.create(hostname="xa-cu.localhost", target_site=town, reason="retired")
    cache.clear()  # the cache restarts
    assert retired_hosts() == {}  # this process still answers from its copy
    forget_process_copies()
    assert "xa-cu.localhost" in retired_hosts()
