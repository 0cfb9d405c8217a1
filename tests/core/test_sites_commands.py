"""``manage.py create_unit_site``: a unit's site, its sections, groups, collection and workflow."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    WorkflowPage,
)

from portal.core.models import AdministrativeUnit, PortalSettings, StaffScope
from portal.core.unit_sites import approvers_group_name, editors_group_name

TOWN = "15349"  # Thị trấn Vĩnh Lộc


def _create(*args):
    out = io.StringIO()
    call_command("create_unit_site", *args, stdout=out)
    return out.getvalue()


def _counts():
    return (
        Site.objects.count(),
        Page.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        WorkflowPage.objects.count(),
        PortalSettings.objects.count(),
    )


@pytest.fixture
def parent_site(db):
    """The parent site as a fresh database has it (Wagtail's localhost:80 at a plain page)."""
    return Site.objects.get(is_default_site=True)


def test_create_unit_site_makes_the_site_with_its_sections_and_settings(parent_site):
    output = _create(TOWN)
    unit = AdministrativeUnit.objects.get(code=TOWN)
    site = PortalSettings.objects.get(unit=unit).site
    assert (site.hostname, site.port) == ("thi-tran-vinh-loc.localhost", 8000)
    assert not site.is_default_site
    home = site.root_page.specific
    assert type(home).__name__ == "HomePage" and home.live
    assert home.get_parent().pk == Page.get_first_root_node().pk
    sections = {type(p.specific).__name__: p.slug for p in home.get_children()}
    assert sections == {
        "NewsIndexPage": "tin-tuc",
        "DirectiveIndexPage": "van-ban",
        "AppGuideIndexPage": "huong-dan-ung-dung",
        "ServiceIndexPage": "dich-vu-cong",
        "OrganisationPage": "gioi-thieu",
        "ConsultationIndexPage": "lay-y-kien-du-thao",
        "AlertIndexPage": "thong-bao-khan",
    }
    settings = PortalSettings.for_site(site)
    assert settings.organisation_name == "Ủy ban nhân dân thị trấn Vĩnh Lộc"
    assert settings.address == "Thị trấn Vĩnh Lộc, huyện Vĩnh Lộc, tỉnh Thanh Hóa"
    assert "Đã tạo trang Thị trấn Vĩnh Lộc: http://thi-tran-vinh-loc.localhost:8000/" in output


def test_create_unit_site_twice_changes_nothing_and_repairs_what_is_missing(parent_site):
    _create(TOWN)
    first = _counts()
    output = _create(TOWN)
    assert _counts() == first
    assert "Đã có sẵn trang Thị trấn Vĩnh Lộc" in output

    site = PortalSettings.objects.get(unit__code=TOWN).site
    site.root_page.get_children().get(slug="tin-tuc").delete()
    Group.objects.get(name=editors_group_name(_town())).delete()
    output = _create(TOWN)
    assert _counts() == first
    assert "Đã bổ sung trang Thị trấn Vĩnh Lộc" in output


def _town():
    return AdministrativeUnit.objects.get(code=TOWN)


def test_create_unit_site_host_option(parent_site):
    _create(TOWN, "--host", "vinhloc.thanhhoa.gov.vn")
    site = PortalSettings.objects.get(unit__code=TOWN).site
    assert site.hostname == "vinhloc.thanhhoa.gov.vn"
    # Another unit cannot take a host that is already a site's.
    with pytest.raises(CommandError, match="đã là của một trang khác"):
        _create("15379", "--host", "vinhloc.thanhhoa.gov.vn")


def test_the_host_follows_the_parent_site_in_production(parent_site, settings):
    settings.BASE_URL = "https://vinhloc.thanhhoa.gov.vn"
    parent_site.hostname, parent_site.port = "vinhloc.thanhhoa.gov.vn", 443
    parent_site.save()
    _create(TOWN)
    site = PortalSettings.objects.get(unit__code=TOWN).site
    assert (site.hostname, site.port) == ("thi-tran-vinh-loc.vinhloc.thanhhoa.gov.vn", 443)


def test_the_sites_groups_hold_permissions_on_its_root_and_collection_only(parent_site):
    _create(TOWN)
    unit = _town()
    site = PortalSettings.objects.get(unit=unit).site
    editors = Group.objects.get(name=editors_group_name(unit))
    approvers = Group.objects.get(name=approvers_group_name(unit))
    assert editors.name == "Biên tập viên – Thị trấn Vĩnh Lộc"

    def page_perms(group):
        return {(p.page_id, p.permission.codename) for p in group.page_permissions.all()}

    root = site.root_page_id
    assert page_perms(editors) == {(root, "add_page"), (root, "change_page")}
    assert (root, "publish_page") in page_perms(approvers)
    assert {pk for pk, _c in page_perms(approvers)} == {root}

    collection = Collection.objects.get(name="Thị trấn Vĩnh Lộc")
    assert collection.get_parent().pk == Collection.get_first_root_node().pk
    for group in (editors, approvers):
        held = {
            (p.collection_id, p.permission.codename) for p in group.collection_permissions.all()
        }
        assert {c for c, _p in held} == {collection.pk}
        assert {p for _c, p in held} >= {"choose_image", "add_image", "choose_document"}
    assert (
        GroupCollectionPermission.objects.filter(collection=collection)
        .exclude(group__in=[editors, approvers])
        .count()
        == 0
    )
    assert editors.permissions.filter(codename="access_admin").exists()
    # The site's own work schedule (core.scope limits them to the meetings of their site).
    assert editors.permissions.filter(codename="change_meeting").exists()


def test_the_sites_pages_are_approved_by_its_own_approvers(parent_site):
    _create(TOWN)
    unit = _town()
    home = PortalSettings.objects.get(unit=unit).site.root_page
    news = home.get_children().get(slug="tin-tuc").specific
    workflow = news.get_workflow()
    assert workflow is not None and workflow.active
    [task] = [t.specific for t in workflow.tasks]
    assert list(task.groups.all()) == [Group.objects.get(name=approvers_group_name(unit))]
    # The parent site's pages keep the district workflow.
    assert Page.get_first_root_node().get_workflow().name == "Quy trình duyệt tin bài và văn bản"


def test_a_sites_groups_get_their_permissions_in_a_few_queries(parent_site):
    """The editors' and approvers' groups of a new site read and grant their permissions in a
    few statements, not one lookup and one insert per permission (139 queries, a third of a
    site's making, before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _create(TOWN)
    tables = ("auth_permission", "auth_group_permissions")
    on_permissions = [q["sql"] for q in queries if any(t in q["sql"] for t in tables)]
    assert len(on_permissions) <= 12, len(on_permissions)
    editors = Group.objects.get(name=editors_group_name(AdministrativeUnit.objects.get(code=TOWN)))
    assert editors.permissions.count() > 10


def test_the_communes_staff_scope_is_unchanged(parent_site, staff_user_factory):
    officer = staff_user_factory(communes=[_town()])
    _create(TOWN)
    scope = StaffScope.objects.get(user=officer)
    assert list(scope.communes.values_list("code", flat=True)) == [TOWN]


def test_children_of_the_district_make_its_thirteen_sites(parent_site):
    output = _create("--children-of", "393")
    assert PortalSettings.objects.filter(unit__parent__code="393").count() == 13
    assert Site.objects.count() == 14
    assert "[13/13]" in output
    first = _counts()
    _create("--children-of", "393")
    assert _counts() == first


@pytest.mark.slow
def test_children_of_thanh_hoa_after_the_reform_make_166_sites(parent_site):
    AdministrativeUnit.objects.all().delete()  # this database starts with the pre-2025 units
    _create("--children-of", "38", "--units-source", "post2025")
    assert PortalSettings.objects.filter(unit__parent__code="38").count() == 166
    assert Site.objects.filter(hostname__endswith=".localhost").count() == 166
    assert len(set(Site.objects.values_list("hostname", flat=True))) == 167


def test_the_other_units_source_is_refused_over_the_loaded_one(parent_site):
    with pytest.raises(CommandError, match="trùng mã"):
        _create("--children-of", "38", "--units-source", "post2025")
    assert AdministrativeUnit.objects.get(code="15442").name_with_type == "Xã Yên Lạc"


def test_two_units_folding_to_one_name_get_two_hosts(parent_site):
    _create("15367")  # Xã Vĩnh Hưng
    _create("15379")  # Xã Vĩnh Hùng
    hosts = dict(PortalSettings.objects.values_list("unit__code", "site__hostname"))
    assert hosts == {
        "15367": "xa-vinh-hung.localhost",
        "15379": "xa-vinh-hung-15379.localhost",
    }


def test_a_new_sites_home_leads_to_the_services_until_its_editors_change_it(parent_site, client):
    from portal.home.models import DEFAULT_QUICK_LINKS

    _create(TOWN, "--host", "thi-tran.localhost")
    site = Site.objects.get(hostname="thi-tran.localhost")
    home = site.root_page.specific
    assert [b.value["url"] for b in home.quick_links] == [u for _t, u, _d in DEFAULT_QUICK_LINKS]
    html = client.get("/", HTTP_HOST="thi-tran.localhost").content.decode()
    for title, url, _description in DEFAULT_QUICK_LINKS:
        assert f'href="{url}"' in html and title in html
        assert client.get(url, HTTP_HOST="thi-tran.localhost").status_code in (200, 302)

    # An editor who removes them keeps it that way when the site is repaired.
    home.quick_links = []
    home.save_revision().publish()
    _create(TOWN)
    home.refresh_from_db()
    assert not home.quick_links
