"""The admin's "Thống kê, báo cáo" screen: shown to editors and leaders, limited to the sites they
edit, the same figures as the statistics, an XLSX export and the report as DOCX or PDF."""

import io
import json

import docx
import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission

from portal.core import roles
from portal.reports.models import ReportTemplate

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db

URL = "/admin/reports/"
SEED = "ung-dung-cntt-phong-chong-covid"


def params(site, **kw):
    return {"site": site.pk, "date_from": DATE_FROM, "date_to": DATE_TO, **kw}


@pytest.fixture
def leader(staff_user_factory):
    return staff_user_factory(superuser=True)


@pytest.fixture
def commune_editor(world, staff_user_factory):
    """An editor of commune A's site only (as core.unit_sites makes them)."""
    group = Group.objects.create(name="Biên tập Xã A")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=world["commune_site"].root_page,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    user = staff_user_factory(communes=[world["a"]])
    user.groups.add(group)
    return user


def test_the_menu_item_shows_for_editors_and_leaders_and_not_for_other_staff(
    client, world, commune_editor, staff_user_factory
):
    client.force_login(commune_editor)
    dashboard = client.get("/admin/").content.decode()
    assert URL in dashboard
    assert json.dumps("Thống kê, báo cáo") in dashboard  # the sidebar's props are JSON
    leader = staff_user_factory(groups=[roles.APPROVER])
    client.force_login(leader)
    assert URL in client.get("/admin/").content.decode()
    health = staff_user_factory(all_communes=True, groups=[roles.HEALTH_OFFICIAL])
    client.force_login(health)
    assert f'href="{URL}"' not in client.get("/admin/").content.decode()
    refused = client.get(URL)  # Wagtail turns "permission denied" into a way back to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_the_screen_shows_the_figures_of_the_statistics(client, world, leader):
    client.force_login(leader)
    html = client.get(URL, params(world["district_site"])).content.decode()
    row = html[html.index('id="figure-checkins_total"') :]
    assert "<strong>9</strong>" in row[: row.index("</tr>")]
    row = html[html.index('id="figure-dossiers_average_days"') :]
    assert "<strong>3,5</strong>" in row[: row.index("</tr>")]
    assert 'id="table-checkins_per_day"' in html
    assert html.count("<rect ") >= 3  # a bar per day


def test_an_editor_reads_only_the_sites_they_edit(client, world, commune_editor):
    client.force_login(commune_editor)
    html = client.get(URL).content.decode()
    sites = html[html.index('name="site"') :]
    sites = sites[: sites.index("</select>")]
    assert f'value="{world["commune_site"].pk}"' in sites
    assert f'value="{world["district_site"].pk}"' not in sites
    refused = client.get(URL, params(world["district_site"])).content.decode()
    assert 'id="figure-checkins_total"' not in refused
    mine = client.get(URL, params(world["commune_site"])).content.decode()
    row = mine[mine.index('id="figure-checkins_total"') :]
    assert "<strong>6</strong>" in row[: row.index("</tr>")]


def test_a_period_ending_before_it_starts_is_refused(client, world, leader):
    client.force_login(leader)
    html = client.get(
        URL, params(world["district_site"], date_from=DATE_TO, date_to=DATE_FROM)
    ).content.decode()
    assert "error-message" in html
    assert 'id="figure-checkins_total"' not in html


def test_the_xlsx_export_holds_the_same_figures(client, world, leader):
    client.force_login(leader)
    response = client.get(URL, params(world["district_site"], format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["Lượt ra/vào"] == 9
    assert values["Tờ khai y tế điện tử"] == 4
    # The figures, then one sheet per table (satisfaction: 2, page views: 2).
    assert len(book.worksheets) == 1 + 8
    assert values["Lượt xem trang"] == 0


def test_the_report_downloads_as_docx_and_pdf(client, world, leader):
    client.force_login(leader)
    template = ReportTemplate.objects.get(site=None, name=SEED)
    response = client.get(URL, params(world["district_site"], template=template.pk, format="docx"))
    assert 'filename="bao-cao-' in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "ghi nhận 9 lượt ra, vào" in text
    pdf = client.get(URL, params(world["district_site"], template=template.pk, format="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_templates_are_edited_as_snippets_and_a_broken_one_is_refused(client, world, leader):
    from django.core.exceptions import ValidationError

    client.force_login(leader)
    listing = client.get("/admin/snippets/reports/reporttemplate/")
    assert listing.status_code == 200
    assert SEED in listing.content.decode()
    broken = ReportTemplate(name="hong", title="x", recipients="x", body="{% if %}")
    with pytest.raises(ValidationError) as error:
        broken.full_clean()
    assert "body" in error.value.message_dict


def test_a_malformed_filter_is_an_error_not_a_crash(client, world, leader):
    client.force_login(leader)
    response = client.get(
        URL, {"site": "x'", "date_from": "hôm qua", "date_to": "", "template": "9"}
    )
    assert response.status_code == 200
    assert "error-message" in response.content.decode()
