"""``dates`` agrees with ``datetime.date`` on every day it is asked about."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure_lint.dates import checked_date, iso, this_year


def test_every_day_of_1899_to_2101_as_datetime_judges_it() -> None:
    # NOTE: 1900 and 2100 are not leap years, 2000 is: the century rules.
    for year in range(1899, 2102):
        for month in range(0, 14):
            for day in range(0, 33):
                try:
                    expected: dt.date | None = dt.date(year, month, day)
                except ValueError:
                    expected = None
                if expected is None:
                    with pytest.raises(ValueError):
                        checked_date(year, month, day)
                    continue
                date = checked_date(year, month, day)
                assert iso(date) == expected.isoformat()


@pytest.mark.parametrize("year", [0, 10_000, -1])
def test_a_year_datetime_cannot_hold_is_refused(year: int) -> None:
    with pytest.raises(ValueError):
        checked_date(year, 1, 1)


def test_dates_order_as_datetime_orders_them() -> None:
    days = [(2024, 12, 31), (2025, 1, 1), (2025, 1, 31), (2025, 2, 1)]
    assert sorted(days, reverse=True) == sorted(
        days, key=lambda d: dt.date(*d), reverse=True
    )
    assert [checked_date(*d) < (2025, 1, 2) for d in days] == [
        dt.date(*d) < dt.date(2025, 1, 2) for d in days
    ]


def test_this_year_is_todays_year() -> None:
    assert this_year() in {dt.date.today().year, dt.datetime.now().year}
