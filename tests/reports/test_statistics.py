"""The statistics of a site for a period count the rows the tests made (tests/reports/conftest)."""

import datetime

import pytest

from portal.reports.statistics import period_bounds, unit_statistics, working_days_between

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db


def values(stats):
    return {key: figure.value for key, figure in stats.figures.items()}


def test_a_communes_site_counts_only_its_communes_rows(world):
    stats = unit_statistics(world["commune_site"], DATE_FROM, DATE_TO)
    got = values(stats)
    assert got["checkpoints_registered"] == 3  # the one created after the period is left out
    assert got["checkpoints_active"] == 1
    assert got["checkpoints_dormant"] == 1
    assert got["checkpoints_closed"] == 1
    assert got["codes_revoked"] == 1
    assert got["posters_exported"] == 3 + 2
    assert got["checkins_total"] == 6
    assert (got["checkins_qr"], got["checkins_paper"], got["checkins_staff"]) == (3, 2, 1)
    assert got["checkins_with_declaration"] == 1
    assert got["checkins_declared_share"] == pytest.approx(16.7)
    assert got["declarations_electronic"] == 2
    assert got["declarations_paper"] == 2
    assert got["dossiers_received"] == 3
    assert got["dossiers_processed"] == 2
    assert (got["dossiers_on_time"], got["dossiers_late"]) == (1, 1)
    assert got["dossiers_supplement"] == 1
    assert got["dossiers_average_days"] == pytest.approx(3.5)
    assert got["directives_published"] == 1
    assert got["directives_own"] == 0  # issued by the district, not by the commune
    assert (got["news_published"], got["news_tin_tuc"], got["news_tuyen_truyen"]) == (2, 1, 1)
    assert (got["meetings"], got["meetings_online"]) == (1, 1)


def test_a_district_site_rolls_up_its_communes_and_their_sites(world):
    stats = unit_statistics(world["district_site"], DATE_FROM, DATE_TO)
    got = values(stats)
    assert got["checkpoints_registered"] == 5
    assert (got["checkpoints_active"], got["checkpoints_dormant"]) == (2, 2)
    assert got["checkins_total"] == 9
    assert (got["checkins_qr"], got["checkins_paper"], got["checkins_staff"]) == (5, 3, 1)
    assert got["declarations_electronic"] == 4  # one without a commune, in the district
    assert got["declarations_paper"] == 3
    assert got["dossiers_received"] == 4
    assert got["directives_published"] == 3
    assert got["directives_own"] == 2
    assert [d.reference for d in stats.own_directives] == ["2163/UBND-VHTT", "15/UBND"]
    assert got["news_published"] == 3
    assert got["news_thong_bao"] == 1
    assert (got["meetings"], got["meetings_online"]) == (2 + 1, 2)


def test_tables_break_the_figures_down_per_day_and_channel(world):
    stats = unit_statistics(world["commune_site"], DATE_FROM, DATE_TO)
    per_day = stats.tables["checkins_per_day"].rows
    assert per_day == [
        [datetime.date(2021, 9, 1), 2, 0, 0, 2],
        [datetime.date(2021, 9, 2), 1, 0, 1, 2],
        [datetime.date(2021, 9, 3), 0, 2, 0, 2],
    ]
    assert stats.tables["declarations_per_day"].rows == [
        [datetime.date(2021, 9, 1), 1, 0, 1],
        [datetime.date(2021, 9, 2), 1, 0, 1],
        [datetime.date(2021, 9, 3), 0, 2, 2],
    ]
    procedures = stats.tables["dossiers_per_procedure"].rows
    assert [(row[0], row[-1]) for row in procedures] == [
        ("Chứng thực bản sao", 2),
        ("Đăng ký khai sinh", 1),
    ]
    assert stats.tables["checkins_per_kind"].total(1) == stats.value("checkins_total")


def test_every_figure_names_the_rows_it_counts(world):
    stats = unit_statistics(world["commune_site"], DATE_FROM, DATE_TO)
    for figure in stats.figures.values():
        assert figure.query and figure.label
    assert "CheckIn" in stats.figures["checkins_total"].query
    assert "2021-09-01 00:00" in stats.figures["checkins_total"].query
    assert "source = 'paper'" in stats.figures["checkins_paper"].query


def test_the_period_runs_from_local_midnight_to_local_midnight():
    start, end = period_bounds(DATE_FROM, DATE_TO)
    assert start.isoformat() == "2021-09-01T00:00:00+07:00"
    assert end.isoformat() == "2021-09-04T00:00:00+07:00"
    with pytest.raises(ValueError):
        period_bounds(DATE_TO, DATE_FROM)


def test_working_days_skip_weekends_and_holidays():
    assert working_days_between(datetime.date(2021, 9, 1), datetime.date(2021, 9, 3)) == 0
    assert working_days_between(datetime.date(2021, 9, 3), datetime.date(2021, 9, 6)) == 1
    assert working_days_between(datetime.date(2021, 8, 23), datetime.date(2021, 9, 2)) == 7
