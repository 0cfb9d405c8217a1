"""How the portal writes a document's date and place (Decree 30), in one place for every document:
receipts, the unit's report, the summary of comments on a draft."""

import datetime
from zoneinfo import ZoneInfo

from portal.core.display import document_date, place_and_date


def test_days_below_ten_and_months_below_three_take_a_zero():
    assert document_date(datetime.date(2021, 9, 8)) == "ngày 08 tháng 9 năm 2021"
    assert document_date(datetime.date(2021, 2, 15)) == "ngày 15 tháng 02 năm 2021"
    assert document_date(datetime.date(2021, 12, 1)) == "ngày 01 tháng 12 năm 2021"


def test_a_time_is_dated_by_its_local_day():
    # 18:30 UTC on 5 March is already the 6th in Vietnam.
    late = datetime.datetime(2026, 3, 5, 18, 30, tzinfo=ZoneInfo("UTC"))
    assert document_date(late) == "ngày 06 tháng 3 năm 2026"


def test_the_place_comes_first_and_without_one_the_date_is_capitalised():
    day = datetime.date(2026, 3, 5)
    assert place_and_date("Vĩnh Tiến", day) == "Vĩnh Tiến, ngày 05 tháng 3 năm 2026"
    assert place_and_date("", day) == "Ngày 05 tháng 3 năm 2026"
