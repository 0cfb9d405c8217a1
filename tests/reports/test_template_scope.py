"""A unit's report template is seen and used by that unit's staff only; the shared templates by
everyone who makes reports, and changed by district-wide staff only."""

import pytest

from portal.core import roles
from portal.reports.access import templates_for
from portal.reports.models import ReportRun, ReportTemplate
from portal.reports.seed import NAME as SEED

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db

URL = "/admin/reports/"
SNIPPETS = "/admin/snippets/reports/reporttemplate/"


def template(site, name):
    return ReportTemplate.objects.create(
        site=site, name=name, title="Báo cáo {{ unit_name }}", recipients="UBND huyện;",
        body="## 1. Số liệu\nCó {{ f.checkins_total }} lượt ra, vào.",
    )  # fmt: skip


@pytest.fixture
def templates(world, commune_b_site):
    return {
        "a": template(world["commune_site"], "mau-xa-a"),
        "b": template(commune_b_site, "mau-xa-b"),
        "shared": ReportTemplate.objects.get(site=None, name=SEED),
    }


@pytest.fixture
def editor_a(world, site_editor):
    return site_editor(world["commune_site"], world["a"])


def options(html, name):
    found = html[html.index(f'name="{name}"') :]
    return found[: found.index("</select>")]


def test_the_access_rule_gives_each_their_own_and_the_shared(
    world, templates, editor_a, staff_user_factory
):
    assert set(templates_for(editor_a)) == {templates["a"], templates["shared"]}
    district = staff_user_factory(superuser=True)
    assert set(templates_for(district)) == set(ReportTemplate.objects.all())
    assert set(templates_for(district, [templates["b"].site_id])) == {
        templates["b"],
        templates["shared"],
    }


def test_a_commune_editor_is_offered_only_their_template_and_the_shared(
    client, world, templates, editor_a
):
    client.force_login(editor_a)
    choices = options(client.get(URL).content.decode(), "template")
    assert f'value="{templates["a"].pk}"' in choices
    assert f'value="{templates["shared"].pk}"' in choices
    assert f'value="{templates["b"].pk}"' not in choices


def test_a_commune_editor_cannot_use_another_communes_template(client, world, templates, editor_a):
    client.force_login(editor_a)
    query = {"site": world["commune_site"].pk, "date_from": DATE_FROM, "date_to": DATE_TO}
    refused = client.get(URL, {**query, "template": templates["b"].pk, "format": "docx"})
    assert refused["Content-Type"].startswith("text/html")
    assert "Mẫu báo cáo này không thuộc các đơn vị đã chọn." in refused.content.decode()
    posted = client.post(URL, {**query, "template": templates["b"].pk, "format": "pdf"})
    assert posted.status_code == 200 and not ReportRun.objects.exists()
    own = client.get(URL, {**query, "template": templates["a"].pk, "format": "docx"})
    assert own["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_units_template_is_only_for_its_own_units(client, world, templates, staff_user_factory):
    """Even district-wide staff use commune B's template for commune B only."""
    client.force_login(staff_user_factory(superuser=True))
    query = {"site": world["commune_site"].pk, "date_from": DATE_FROM, "date_to": DATE_TO}
    html = client.get(URL, {**query, "template": templates["b"].pk}).content.decode()
    assert "error-message" in html and 'id="figure-checkins_total"' not in html


def test_the_snippets_show_a_commune_editor_only_what_they_may_see(
    client, world, templates, editor_a
):
    client.force_login(editor_a)
    listing = client.get(SNIPPETS).content.decode()
    assert "mau-xa-a" in listing and SEED in listing
    assert "mau-xa-b" not in listing
    assert client.get(f"{SNIPPETS}edit/{templates['a'].pk}/").status_code == 200
    for other in (templates["b"], templates["shared"]):  # another's, and the district's
        assert client.get(f"{SNIPPETS}edit/{other.pk}/").status_code == 404
        assert client.get(f"{SNIPPETS}delete/{other.pk}/").status_code == 404
        assert client.get(f"{SNIPPETS}history/{other.pk}/").status_code == 404
    assert client.get(f"{SNIPPETS}copy/{templates['shared'].pk}/").status_code == 200
    assert client.get(f"{SNIPPETS}copy/{templates['b'].pk}/").status_code == 404
    # Nothing changed by a post either.
    client.post(f"{SNIPPETS}delete/{templates['b'].pk}/")
    assert ReportTemplate.objects.filter(pk=templates["b"].pk).exists()


def test_a_commune_editor_makes_templates_for_their_site_only(
    client, world, commune_b_site, templates, editor_a
):
    client.force_login(editor_a)
    form = client.get(f"{SNIPPETS}add/").content.decode()
    sites = options(form, "site")
    assert f'value="{world["commune_site"].pk}"' in sites
    assert f'value="{commune_b_site.pk}"' not in sites
    assert 'value=""' not in sites  # no shared template from a commune
    data = {"name": "mau-moi", "title": "Báo cáo", "recipients": "UBND huyện;", "body": "Nội dung",
            "symbol": "UBND", "signer_title": "CHỦ TỊCH"}  # fmt: skip
    for site in (commune_b_site.pk, ""):
        client.post(f"{SNIPPETS}add/", {**data, "site": site})
        assert not ReportTemplate.objects.filter(name="mau-moi").exists()
    client.post(f"{SNIPPETS}add/", {**data, "site": world["commune_site"].pk})
    assert ReportTemplate.objects.get(name="mau-moi").site == world["commune_site"]


def test_district_editors_keep_the_shared_templates(client, world, templates, staff_user_factory):
    editor = staff_user_factory(groups=[roles.EDITOR])
    client.force_login(editor)
    listing = client.get(SNIPPETS).content.decode()
    assert "mau-xa-a" in listing and "mau-xa-b" in listing
    assert client.get(f"{SNIPPETS}edit/{templates['shared'].pk}/").status_code == 200


def test_the_site_history_leaves_out_other_units_templates(
    client, world, templates, editor_a, staff_user_factory
):
    from wagtail.log_actions import log

    district = staff_user_factory(superuser=True)
    for made in (templates["a"], templates["b"]):
        log(made, "wagtail.create", user=district)
    client.force_login(editor_a)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "mau-xa-a" in html and "mau-xa-b" not in html
