"""Typed dates: one parser for quick add, the form and the CLI, with the rules the README gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import MONTHS, date_warnings, parse_date
from itpm_tui.errors import InvalidInput

WED_2_DEC = date(2026, 12, 2)
FRI_4_DEC = date(2026, 12, 4)
SAT_5_DEC = date(2026, 12, 5)
MONTH_NAMES = sorted(MONTHS)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("31 jan", WED_2_DEC, date(2027, 1, 31)),  # in December: next January, not last
        ("jan 31", WED_2_DEC, date(2027, 1, 31)),
        ("1 dec", WED_2_DEC, date(2027, 12, 1)),  # the day before: next year, never yesterday
        ("2 dec", WED_2_DEC, WED_2_DEC),  # today is the next such date
        ("3rd dec", WED_2_DEC, date(2026, 12, 3)),
        ("3 December 2026", WED_2_DEC, date(2026, 12, 3)),
        ("dec 3, 2025", WED_2_DEC, date(2025, 12, 3)),  # a year given is kept, even if past
        ("29 feb", WED_2_DEC, date(2028, 2, 29)),  # the next leap year
        ("eow", FRI_4_DEC, FRI_4_DEC),  # end of this week, on its Friday: today
        ("eow", SAT_5_DEC, date(2026, 12, 11)),
        ("end of week", WED_2_DEC, FRI_4_DEC),
        ("in 3 days", WED_2_DEC, date(2026, 12, 5)),  # calendar days: may be a Saturday
        ("+3d", WED_2_DEC, date(2026, 12, 5)),
        ("in 3 working days", WED_2_DEC, date(2026, 12, 7)),
        ("+3wd", WED_2_DEC, date(2026, 12, 7)),
        ("in 2 weeks", WED_2_DEC, date(2026, 12, 16)),
        ("tomorrow", FRI_4_DEC, SAT_5_DEC),  # literal; the preview warns it is not working
        ("next fri", FRI_4_DEC, date(2026, 12, 11)),
    ],
)
def test_typed_dates_mean_what_a_person_means(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dec 32", "December has no day 32"),  # was read as the year 2032
        ("32 dec", "December has no day 32"),
        ("31 feb", "February has no day 31"),
        ("31 apr 2027", "April 2027 has no day 31"),
        ("29 feb 2027", "February 2027 has no day 29"),
        ("someday", "can't read 'someday' as a date"),
    ],
)
def test_impossible_days_are_refused_not_guessed(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_date(text, WED_2_DEC)


def test_a_preview_warns_about_past_and_non_working_days() -> None:
    assert date_warnings(SAT_5_DEC, WED_2_DEC) == ("non-working day",)
    assert date_warnings(date(2026, 11, 30), WED_2_DEC) == ("2 days ago",)
    assert date_warnings(date(2026, 12, 1), WED_2_DEC) == ("1 day ago",)
    assert date_warnings(FRI_4_DEC, WED_2_DEC) == ()
    holiday = WorkCalendar(holidays=frozenset({FRI_4_DEC}))
    assert date_warnings(FRI_4_DEC, WED_2_DEC, holiday) == ("non-working day",)


@given(today=days, month=st.sampled_from(MONTH_NAMES), day=st.integers(1, 31))
def test_a_day_and_month_without_a_year_is_the_next_such_date(
    today: date, month: str, day: int
) -> None:
    try:
        result = parse_date(f"{day} {month}", today)
    except InvalidInput:
        # only days no year of that month has (31 Apr, 30 Feb) are refused
        assert day > 29 or (day == 29 and MONTHS[month] != 2)
        return
    assert (result.month, result.day) == (MONTHS[month], day)
    assert today <= result
    limit = 8 * 366 if (MONTHS[month], day) == (2, 29) else 366
    assert result - today < timedelta(days=limit)
    assert parse_date(f"{month} {day}", today) == result


@given(today=days, count=st.integers(0, 400))
def test_plus_days_counts_calendar_days_and_plus_wd_working_days(today: date, count: int) -> None:
    assert parse_date(f"+{count}d", today) == today + timedelta(days=count)
    assert parse_date(f"in {count} days", today) == today + timedelta(days=count)
    working = parse_date(f"+{count}wd", today)
    calendar = WorkCalendar()
    if count:
        assert calendar.is_working_day(working)
        assert (
            sum(
                calendar.is_working_day(today + timedelta(days=i))
                for i in range(1, (working - today).days + 1)
            )
            == count
        )
    assert parse_date(f"in {count} working days", today) == working


@given(today=days)
def test_weekday_words_land_on_that_weekday_within_a_week(today: date) -> None:
    for name, weekday in (("mon", 0), ("fri", 4), ("sun", 6)):
        bare, after = parse_date(name, today), parse_date(f"next {name}", today)
        assert bare.weekday() == after.weekday() == weekday
        assert 0 <= (bare - today).days <= 6
        assert 1 <= (after - today).days <= 7
    end = parse_date("eow", today)
    assert end.weekday() == 4 and 0 <= (end - today).days <= 6


def test_days_that_have_happened_read_a_bare_day_as_the_latest_one() -> None:
    assert parse_date("1 dec", WED_2_DEC, recent=True) == date(2026, 12, 1)
    assert parse_date("31 jan", WED_2_DEC, recent=True) == date(2026, 1, 31)
    assert parse_date("2 dec", WED_2_DEC, recent=True) == WED_2_DEC
    assert parse_date("3 dec", WED_2_DEC, recent=True) == date(2025, 12, 3)
    assert parse_date("29 feb", WED_2_DEC, recent=True) == date(2024, 2, 29)
