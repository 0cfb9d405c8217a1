"""Due dates in working days: weekends and Vietnamese public holidays (with days off) skipped."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year: int):
    return holidays.country_holidays("VN", years=[year])


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(received: datetime.date, days: int) -> datetime.date:
    """The day the result is due: ``days`` working days counted from the day after receipt.

    With 0 days the result is due the same day, or the next working day if received on a day off.
    """
    day = received
    if days <= 0:
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
