"""The demo produces the seed's report: its directives in "1. Công tác chỉ đạo", and figures that
match the rows counted here."""

import datetime
import io

import docx
import pytest
from django.utils import timezone

from portal.checkpoints.models import CheckIn, Checkpoint
from portal.core.sites import unit_for_site
from portal.eservices.models import Dossier
from portal.reports.document import build_report, render_docx
from portal.reports.models import ReportTemplate
from portal.reports.statistics import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(demo):
    """The parent site with the whole demo (tests/conftest.py loads it in the test)."""
    return demo


SEED = "ung-dung-cntt-phong-chong-covid"


def test_the_seed_period_cites_the_districts_four_letters(demo_site):
    template = ReportTemplate.for_site(demo_site, SEED)
    report = build_report(
        demo_site, datetime.date(2021, 7, 1), datetime.date(2021, 9, 8), template,
        datetime.date(2021, 9, 8),
    )  # fmt: skip
    assert report.issuing_body == "ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC"
    text = report.text
    assert "Thực hiện Công văn số 13341/UBND-CNTT ngày 30 tháng 8 năm 2021 của UBND tỉnh" in text
    assert (
        "UBND huyện ban hành Công văn số 1593/UBND-VHTT, ngày 05/7/2021 về việc đẩy mạnh triển "
        "khai việc quét mã QR" in text
    )
    for reference in ("1944/UBND-VHTT, ngày 11/8/2021", "2163/UBND-VHTT, ngày 01/9/2021",
                      "2184/UBND-VHTT, ngày 07/9/2021"):  # fmt: skip
        assert reference in text
    doc = docx.Document(io.BytesIO(render_docx(report)))
    assert any(p.text == "1. Công tác chỉ đạo" for p in doc.paragraphs)


def test_the_demo_weeks_figures_match_the_rows(demo_site):
    today = timezone.localdate()
    date_from, date_to = today - datetime.timedelta(days=6), today
    start = datetime.datetime.combine(date_from, datetime.time.min, TZ)
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, TZ)
    unit = unit_for_site(demo_site)
    template = ReportTemplate.for_site(demo_site, SEED)
    stats = build_report(demo_site, date_from, date_to, template).stats

    checkins = CheckIn.objects.filter(
        checkpoint__commune__parent=unit, checked_in_at__gte=start, checked_in_at__lt=end
    )
    assert checkins.exists()
    assert stats.value("checkins_total") == checkins.count()
    assert stats.value("checkins_qr") == checkins.filter(source="qr").count()
    assert stats.value("checkins_paper") == checkins.filter(source="paper").count()
    per_day = {row[0]: row[-1] for row in stats.tables["checkins_per_day"].rows}
    for day, total in per_day.items():
        assert total == sum(1 for c in checkins if c.checked_in_at.astimezone(TZ).date() == day)
    assert (
        stats.value("checkpoints_registered")
        == Checkpoint.objects.filter(commune__parent=unit).count()
    )
    visited = set(checkins.values_list("checkpoint", flat=True))
    assert stats.value("checkpoints_active") == len(visited)
    # Every demo site is the district's or one of its communes': the roll-up counts them all.
    assert (
        stats.value("dossiers_received")
        == Dossier.objects.filter(
            site__isnull=False, submitted_at__gte=start, submitted_at__lt=end
        ).count()
    )
