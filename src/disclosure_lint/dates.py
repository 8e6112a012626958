"""Calendar dates as ``(year, month, day)`` tuples, checked as ``datetime.date`` does.

NOTE: why not ``datetime``: importing it costs ~1.7 ms, and a plain
``disclosure-lint draft.txt`` only needs to know whether a date exists, to
compare two dates and to print one; tuples order as dates do.
``tests/test_dates.py`` compares every day of 1899–2101 with ``datetime``.
"""

from __future__ import annotations

import time

Date = tuple[int, int, int]

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def checked_date(year: int, month: int, day: int) -> Date:
    """``(year, month, day)``, or ``ValueError`` where ``datetime.date`` raises one."""
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= _DAYS[month - 1] + leap:
        raise ValueError("day is out of range for month")
    return year, month, day


def iso(date: Date) -> str:
    """``YYYY-MM-DD``, as ``datetime.date.isoformat``."""
    return f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"


def this_year() -> int:
    """The current year by the local clock, as ``datetime.date.today().year``."""
    return time.localtime().tm_year
