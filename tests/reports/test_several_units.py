"""Several units at once: the figures of the units together (each row once) and listed per unit,
on the statistics screen within the user's sites, in the report and with ``unit_report --site``
given more than once."""

import io

import docx
import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.reports.document import build_report, issuing_site
from portal.reports.models import ReportRun, ReportTemplate
from portal.reports.statistics import SECTIONS, statistics_for, unit_statistics

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db

URL = "/admin/reports/"
SEED = "ung-dung-cntt-phong-chong-covid"


def row_of(stats, label):
    return next(row for row in stats.tables["figures_per_unit"].rows if row[0] == label)


def test_two_communes_are_added_up_and_listed_each(world, commune_b_site):
    a_site = world["commune_site"]
    stats = statistics_for([a_site, commune_b_site], DATE_FROM, DATE_TO)
    alone_a = unit_statistics(a_site, DATE_FROM, DATE_TO)
    alone_b = unit_statistics(commune_b_site, DATE_FROM, DATE_TO)
    # Commune A: 6 check-ins, 3 dossiers, 1 meeting; commune B: 3, 1 and 1 (conftest).
    assert (alone_b.value("checkins_total"), alone_b.value("dossiers_received")) == (3, 1)
    for key in ("checkins_total", "checkpoints_registered", "dossiers_received", "meetings",
                "declarations_electronic", "news_published"):  # fmt: skip
        assert stats.value(key) == alone_a.value(key) + alone_b.value(key), key
    assert stats.value("checkins_total") == 9
    assert [part.site_id for part in stats.units] == [a_site.pk, commune_b_site.pk]
    table = stats.tables["figures_per_unit"]
    assert table.columns == ["Chỉ tiêu", world["a"].display_name, world["b"].display_name,
                             "Cộng chung"]  # fmt: skip
    label = stats.figures["checkins_total"].label
    assert row_of(stats, label)[1:] == [6, 3, 9]
    # A share is worked out on the rows together, not added up.
    share = row_of(stats, stats.figures["checkins_declared_share"].label)
    assert share[-1] == pytest.approx(round(100 / 9, 1))


def test_a_unit_picked_with_the_unit_above_it_is_counted_once(world, commune_b_site):
    district = unit_statistics(world["district_site"], DATE_FROM, DATE_TO)
    both = statistics_for([world["district_site"], world["commune_site"]], DATE_FROM, DATE_TO)
    for key in ("checkins_total", "dossiers_received", "meetings", "declarations_electronic"):
        assert both.value(key) == district.value(key), key
    assert both.value("dossiers_received") == 5


def test_progress_runs_over_every_unit_and_the_total(world, commune_b_site):
    calls = []
    statistics_for([world["commune_site"], commune_b_site], DATE_FROM, DATE_TO,
                   lambda done, total: calls.append((done, total)))  # fmt: skip
    assert calls[-1] == (3 * SECTIONS, 3 * SECTIONS)
    assert [done for done, _total in calls] == list(range(1, 3 * SECTIONS + 1))


def test_the_unit_above_issues_a_report_on_several(world, commune_b_site):
    a_site, district = world["commune_site"], world["district_site"]
    assert issuing_site([a_site]) == a_site
    assert issuing_site([a_site, commune_b_site]) == district
    assert issuing_site([a_site, district]) == district


def test_the_report_on_two_communes_lists_each(world, commune_b_site):
    template = ReportTemplate.objects.get(site=None, name=SEED)
    report = build_report([world["commune_site"], commune_b_site], DATE_FROM, DATE_TO, template)
    a, b = world["a"].display_name, world["b"].display_name
    assert report.issuing_body == "ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC"
    assert report.subject.endswith(f"{a[:1].lower()}{a[1:]}, {b[:1].lower()}{b[1:]}")
    assert "ghi nhận 9 lượt ra, vào" in report.text
    assert "2.5. Số liệu của từng đơn vị trong báo cáo:" in report.text
    assert any(b.kind == "table" and b.table.key == "figures_per_unit" for b in report.blocks)
    # One unit: no list of units.
    single = build_report(world["commune_site"], DATE_FROM, DATE_TO, template)
    assert "2.5." not in single.text


def test_the_command_takes_site_more_than_once(world, commune_b_site, tmp_path):
    out = tmp_path / "hai-xa.docx"
    call_command(
        "unit_report", "--site", "xa-a.localhost", "--site", "xa-b.localhost",
        "--from", "2021-09-01", "--to", "2021-09-03", "--template", SEED, "--out", str(out),
        "--date", "2021-09-08", verbosity=0,
    )  # fmt: skip
    doc = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC" in cells
    assert "ghi nhận 9 lượt ra, vào" in text
    assert "Cộng chung" in cells  # the table of the figures per unit
    pdf = tmp_path / "hai-xa.pdf"
    call_command(
        "unit_report", "--site", "xa-a.localhost", "--site", "xa-b.localhost",
        "--from", "2021-09-01", "--to", "2021-09-03", "--template", SEED, "--out", str(pdf),
        verbosity=0,
    )  # fmt: skip
    flat = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages
        ).split()
    )
    assert "ghi nhận 9 lượt ra, vào" in flat and "Cộng chung" in flat


def test_the_screen_adds_up_the_units_picked(client, world, commune_b_site, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True))
    picked = [world["commune_site"].pk, commune_b_site.pk]
    html = client.get(
        URL, {"site": picked, "date_from": DATE_FROM, "date_to": DATE_TO}
    ).content.decode()
    row = html[html.index('id="figure-checkins_total"') :]
    assert "<strong>9</strong>" in row[: row.index("</tr>")]
    assert 'id="table-figures_per_unit"' in html
    assert f"site={picked[0]}&amp;site={picked[1]}" in html  # the downloads keep both
    book = load_workbook(
        io.BytesIO(
            client.get(
                URL,
                {"site": picked, "date_from": DATE_FROM, "date_to": DATE_TO, "format": "xlsx"},
            ).content
        )
    )
    per_unit = next(ws for ws in book.worksheets if ws["A1"].value == "Số liệu theo từng đơn vị")
    rows = {row[0]: row[1:] for row in per_unit.iter_rows(min_row=3, values_only=True)}
    assert rows["Lượt ra/vào"] == (6, 3, 9)


def test_a_commune_editor_cannot_pick_another_commune(client, world, commune_b_site, site_editor):
    editor = site_editor(world["commune_site"], world["a"])
    client.force_login(editor)
    html = client.get(
        URL,
        {"site": [world["commune_site"].pk, commune_b_site.pk], "date_from": DATE_FROM,
         "date_to": DATE_TO},
    ).content.decode()  # fmt: skip
    assert "Có đơn vị đã chọn không thuộc phạm vi báo cáo của bạn." in html
    assert 'id="figure-checkins_total"' not in html
    form = html[html.index('name="site"') :]
    form = form[: form.index("</select>")]
    assert f'value="{commune_b_site.pk}"' not in form
    xlsx = client.get(
        URL,
        {"site": [commune_b_site.pk], "date_from": DATE_FROM, "date_to": DATE_TO,
         "format": "xlsx"},
    )  # fmt: skip
    assert xlsx["Content-Type"].startswith("text/html")


def test_a_background_run_covers_every_unit_picked(
    client, world, commune_b_site, staff_user_factory, django_capture_on_commit_callbacks
):
    client.force_login(staff_user_factory(superuser=True))
    template = ReportTemplate.objects.get(site=None, name=SEED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {"site": [world["commune_site"].pk, commune_b_site.pk], "date_from": DATE_FROM,
             "date_to": DATE_TO, "template": template.pk, "format": "docx"},
        )  # fmt: skip
    run = ReportRun.objects.get()
    assert run.status == "done"
    assert [s.pk for s in run.covered_sites()] == [world["commune_site"].pk, commune_b_site.pk]
    with run.file.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(handle).paragraphs)
    assert "ghi nhận 9 lượt ra, vào" in text


def test_a_run_on_a_unit_out_of_reach_is_not_found(client, world, commune_b_site, site_editor):
    editor = site_editor(world["commune_site"], world["a"])
    template = ReportTemplate.objects.get(site=None, name=SEED)
    run = ReportRun.objects.create(
        site=world["commune_site"], template=template, date_from=DATE_FROM, date_to=DATE_TO,
        created_by=editor,
    )  # fmt: skip
    client.force_login(editor)
    assert client.get(f"/admin/reports/runs/{run.pk}/").status_code == 200
    run.sites.set([world["commune_site"], commune_b_site])
    assert client.get(f"/admin/reports/runs/{run.pk}/").status_code == 404
