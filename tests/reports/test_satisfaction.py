"""The citizens' satisfaction with the services and the pages' usefulness votes
(portal.participation.ratings) are figures of the statistics like the others: traced to their
rows, on the statistics screen, in the XLSX export and in the seed report's "Kết quả thực hiện"."""

import datetime
import io
from collections import Counter

import pytest
from openpyxl import load_workbook

from portal.participation.ratings.models import PageVote, ServiceRating
from portal.reports.document import build_report
from portal.reports.models import ReportTemplate
from portal.reports.statistics import TZ, unit_statistics

from .conftest import DATE_FROM, DATE_TO, at

pytestmark = pytest.mark.django_db

URL = "/admin/reports/"
SEED = "ung-dung-cntt-phong-chong-covid"


@pytest.fixture
def rated(world):
    a, commune_site, district_site = world["a"], world["commune_site"], world["district_site"]
    made = {"n": 0}

    def rating(site, title, satisfaction, when, stage="filed"):
        made["n"] += 1
        row = ServiceRating.objects.create(
            dossier_ref=f"ref-{made['n']}", stage=stage, service_title=title, site=site,
            commune=a if site == commune_site else None, satisfaction=satisfaction,
        )  # fmt: skip
        ServiceRating.objects.filter(pk=row.pk).update(created_at=when)

    rating(commune_site, "Chứng thực bản sao", "satisfied", at(1, 8))
    rating(commune_site, "Chứng thực bản sao", "satisfied", at(3, 23, 50), "returned")
    rating(commune_site, "Chứng thực bản sao", "dissatisfied", at(2))
    rating(commune_site, "Đăng ký khai sinh", "neutral", at(2, 15))
    rating(district_site, "Cấp giấy phép xây dựng", "satisfied", at(2))
    # Outside: the local midnights around the period, and a rating of no site.
    rating(commune_site, "Chứng thực bản sao", "satisfied", at(1, 0, 0) - datetime.timedelta(1))
    rating(commune_site, "Chứng thực bản sao", "dissatisfied", at(4, 0, 0))
    rating(None, "Chứng thực bản sao", "satisfied", at(2))

    def vote(site, page, voter, useful, when):
        row = PageVote.objects.create(page=page, site=site, voter=voter, useful=useful)
        PageVote.objects.filter(pk=row.pk).update(created_at=when)

    commune_home, district_home = commune_site.root_page, district_site.root_page
    for n, useful in enumerate((True, True, True, False)):
        vote(commune_site, commune_home, f"v{n}", useful, at(2, 10))
    vote(district_site, district_home, "v1", False, at(3))
    vote(commune_site, commune_home, "v9", False, at(5))  # after the period
    return world


def counted(model, sites, **match):
    """The rows of ``sites`` made in the period, counted here in Python."""
    return sum(
        1
        for row in model.objects.all()
        if row.site_id in {s.pk for s in sites}
        and DATE_FROM <= row.created_at.astimezone(TZ).date() <= DATE_TO
        and all(getattr(row, k) == v for k, v in match.items())
    )


def test_a_communes_satisfaction_counts_its_own_ratings(rated):
    site = rated["commune_site"]
    stats = unit_statistics(site, DATE_FROM, DATE_TO)
    got = {key: figure.value for key, figure in stats.figures.items()}
    assert got["service_ratings"] == counted(ServiceRating, [site]) == 4
    for answer, n in (("satisfied", 2), ("neutral", 1), ("dissatisfied", 1)):
        assert got[f"service_ratings_{answer}"] == n
        assert counted(ServiceRating, [site], satisfaction=answer) == n
    assert got["service_satisfied_share"] == pytest.approx(50.0)
    assert stats.tables["satisfaction_per_procedure"].rows == [
        ["Chứng thực bản sao", 2, 0, 1, 3],
        ["Đăng ký khai sinh", 0, 1, 0, 1],
    ]
    assert got["page_votes"] == counted(PageVote, [site]) == 4
    assert got["page_votes_useful"] == counted(PageVote, [site], useful=True) == 3
    assert got["page_votes_not_useful"] == 1
    assert got["page_useful_share"] == pytest.approx(75.0)


def test_the_district_rolls_up_satisfaction_per_procedure_and_per_unit(rated):
    commune_site, district_site = rated["commune_site"], rated["district_site"]
    stats = unit_statistics(district_site, DATE_FROM, DATE_TO)
    assert stats.value("service_ratings") == counted(ServiceRating, [commune_site, district_site])
    assert stats.value("service_ratings") == 5
    assert stats.value("service_satisfied_share") == pytest.approx(60.0)
    per_unit = {row[0]: row[1:] for row in stats.tables["satisfaction_per_unit"].rows}
    assert per_unit == {
        commune_site.site_name: [2, 1, 1, 4],
        district_site.site_name or district_site.hostname: [1, 0, 0, 1],
    }
    per_procedure = stats.tables["satisfaction_per_procedure"]
    assert per_procedure.total(4) == 5
    by_title = Counter()
    for row in ServiceRating.objects.filter(site__in=[commune_site, district_site]):
        if DATE_FROM <= row.created_at.astimezone(TZ).date() <= DATE_TO:
            by_title[row.service_title] += 1
    assert {row[0]: row[-1] for row in per_procedure.rows} == dict(by_title)
    assert stats.value("page_votes") == 5 and stats.value("page_votes_not_useful") == 2


def test_the_figures_name_their_rows(rated):
    stats = unit_statistics(rated["commune_site"], DATE_FROM, DATE_TO)
    query = stats.figures["service_ratings_neutral"].query
    assert query.startswith(f"ServiceRating: site_id ∈ {{{rated['commune_site'].pk}}}")
    assert "2021-09-01 00:00" in query and "satisfaction = 'neutral'" in query
    assert "PageVote" in stats.figures["page_votes_useful"].query
    assert "useful = true" in stats.figures["page_votes_useful"].query
    assert "service_title" in stats.tables["satisfaction_per_procedure"].query


def test_without_ratings_the_share_is_not_a_number(world):
    stats = unit_statistics(world["commune_site"], DATE_FROM, DATE_TO)
    assert stats.value("service_ratings") == 0
    assert stats.value("service_satisfied_share") is None
    assert stats.figures["service_satisfied_share"].display == "–"
    assert stats.tables["satisfaction_per_procedure"].rows == []


def test_the_screen_and_the_xlsx_show_the_satisfaction(client, rated, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True))
    query = {"site": rated["district_site"].pk, "date_from": DATE_FROM, "date_to": DATE_TO}
    html = client.get(URL, query).content.decode()
    row = html[html.index('id="figure-service_ratings_satisfied"') :]
    assert "<strong>3</strong>" in row[: row.index("</tr>")]
    assert "Lượt đánh giá hài lòng" in row[: row.index("</tr>")]
    row = html[html.index('id="figure-service_satisfied_share"') :]
    assert "<strong>60,0</strong> %" in row[: row.index("</tr>")]
    assert 'id="table-satisfaction_per_procedure"' in html
    assert 'id="table-satisfaction_per_unit"' in html
    assert "Mức độ hài lòng theo thủ tục" in html

    book = load_workbook(io.BytesIO(client.get(URL, {**query, "format": "xlsx"}).content))
    values = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)}
    assert values["Lượt đánh giá mức độ hài lòng với dịch vụ công"] == 5
    assert values["Lượt đánh giá không hài lòng"] == 1
    assert values["Lượt đánh giá trang hữu ích"] == 3
    sheets = {ws["A1"].value: ws for ws in book.worksheets[1:]}
    procedures = sheets["Mức độ hài lòng theo thủ tục"]
    assert [c.value for c in procedures[2]] == [
        "Thủ tục", "Hài lòng", "Bình thường", "Không hài lòng", "Lượt đánh giá"
    ]  # fmt: skip


def test_the_seed_report_tells_the_satisfaction_when_there_are_ratings(rated, world):
    template = ReportTemplate.objects.get(site=None, name=SEED)
    text = build_report(rated["commune_site"], DATE_FROM, DATE_TO, template).text
    assert (
        "Người dân gửi 4 lượt đánh giá mức độ hài lòng khi sử dụng dịch vụ công trực tuyến: 2 "
        "lượt hài lòng, 1 lượt bình thường, 1 lượt không hài lòng; tỷ lệ hài lòng đạt 50,0%."
    ) in text
    assert "Người đọc gửi 4 lượt đánh giá tin, bài, trong đó 3 lượt (75,0%)" in text
    report = build_report(rated["commune_site"], DATE_FROM, DATE_TO, template)
    assert any(b.kind == "table" and b.table.key == "satisfaction_per_procedure"
               for b in report.blocks)  # fmt: skip
    appendix = {label: query for _n, label, _v, query in report.appendix}
    assert "satisfaction = 'satisfied'" in appendix["Lượt đánh giá hài lòng"]


def test_the_seed_report_says_nothing_of_ratings_when_there_are_none(world):
    template = ReportTemplate.objects.get(site=None, name=SEED)
    report = build_report(world["commune_site"], DATE_FROM, DATE_TO, template)
    assert "lượt đánh giá" not in report.text
    assert not any(b.kind == "table" and b.table.key.startswith("satisfaction")
                   for b in report.blocks)  # fmt: skip
