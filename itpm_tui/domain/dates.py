"""Reading dates the way people type them: ISO, "fri", "tomorrow", "+3d", "3 dec", "in 2 weeks".

The rules, also in the README:

- A bare weekday ("fri") is the next such day on or after today; "next fri" is strictly
  after today. "eow" / "end of week" is this week's Friday (today on a Friday; next Friday
  on a weekend).
- "+3d" / "in 3 days" counts calendar days and may land on a weekend; "+3wd" / "in 3
  working days" counts working days of the project's calendar. "+2w", "+1m" move by weeks
  and months.
- A day and month without a year ("31 jan", "dec 3") is the next such date on or after
  today, so in December "31 jan" is next January (for days that have happened — a cost's
  date, a milestone reached, "as of" — the latest such date on or before today). A day the month does not have ("dec 32",
  "31 feb") is refused, never read as a year.
- ``date_warnings`` says when a date is in the past or not a working day, for previews.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, time, timedelta

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_UNITS = r"d|day|days|w|wk|wks|week|weeks|m|mo|month|months|wd|bd|working days?|business days?"
_RELATIVE = re.compile(rf"^([+-])\s*(\d{{1,4}})\s*({_UNITS})$")
_IN = re.compile(rf"^in\s+(\d{{1,4}})\s*({_UNITS})$")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"([a-z]+)\.?"
_YEAR = r"(?:,?\s+(\d{4}))?"
_DAY_MONTH = re.compile(rf"^{_DAY}\s+{_MONTH}{_YEAR}$")
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+{_DAY}{_YEAR}$")
DATE_HELP = (
    "use YYYY-MM-DD, today, tomorrow, fri, next monday, 3 dec, +3d or in 3 days (calendar "
    "days), +2wd (working days), +2w or +1m"
)


def parse_date(
    text: str, today: date, calendar: WorkCalendar | None = None, *, recent: bool = False
) -> date:
    """Read ``text`` as a date relative to ``today``; raise ``InvalidInput`` if it is not one.

    ``recent`` is for days that have happened (money spent, a milestone reached, "as of"):
    a day and month without a year is then the latest such date on or before today.
    """
    raw = text.strip()
    text = " ".join(raw.lower().split())
    if not text:
        raise InvalidInput(f"a date is empty: {DATE_HELP}")
    named = _named_day(text, today)
    if named is not None:
        return named
    relative = _RELATIVE.match(text)
    if relative:
        sign = 1 if relative.group(1) == "+" else -1
        return _move(today, sign * int(relative.group(2)), relative.group(3), calendar)
    ahead = _IN.match(text)
    if ahead:
        return _move(today, int(ahead.group(1)), ahead.group(2), calendar)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    day_month = _day_month(text, today, recent)
    if day_month is not None:
        return day_month
    if not re.search(r"\d", text) and not any(m in text for m in MONTHS):
        raise InvalidInput(f"can't read {raw!r} as a date: {DATE_HELP}")
    try:
        parsed = date_parser.parse(text, default=datetime.combine(today, time()), fuzzy=False)
    except (ValueError, OverflowError) as err:
        raise InvalidInput(f"can't read {raw!r} as a date: {DATE_HELP}") from err
    if parsed.year != today.year and not re.search(r"\d{4}", text):
        # dateutil reads a number it cannot place as a year ("dec 32" -> 2032).
        raise InvalidInput(f"can't read {raw!r} as a date: {DATE_HELP}")
    result: date = parsed.date()
    return result


def parse_optional_date(
    text: str | None, today: date, calendar: WorkCalendar | None = None, *, recent: bool = False
) -> date | None:
    """Like ``parse_date`` but "", "-", "none" and ``None`` mean no date."""
    if text is None or text.strip().lower() in ("", "-", "none", "clear"):
        return None
    return parse_date(text, today, calendar, recent=recent)


def date_warnings(day: date, today: date, calendar: WorkCalendar | None = None) -> tuple[str, ...]:
    """Why a date someone typed may not be what they meant: past, or not a working day."""
    warnings = []
    if day < today:
        days = (today - day).days
        warnings.append(f"{plural(days, 'day')} ago")
    if not (calendar or WorkCalendar()).is_working_day(day):
        warnings.append("non-working day")
    return tuple(warnings)


def _named_day(text: str, today: date) -> date | None:
    """today, tomorrow, yesterday, a weekday, next/this weekday, next week, end of week."""
    if text in ("today", "tod", "now"):
        return today
    if text in ("tomorrow", "tmr", "tmrw", "tom"):
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    if text in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS[text] - today.weekday()) % 7)
    words = text.split()
    if len(words) == 2 and words[0] in ("next", "this") and words[1] in WEEKDAYS:
        ahead = (WEEKDAYS[words[1]] - today.weekday()) % 7
        if words[0] == "next" and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    if text == "next week":
        return today + timedelta(days=(0 - today.weekday()) % 7 or 7)
    if text in ("eow", "end of week", "this week"):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    return None


def _move(today: date, amount: int, unit: str, calendar: WorkCalendar | None) -> date:
    """``today`` moved by ``amount`` working days, days, weeks or months."""
    if unit in ("wd", "bd") or unit.startswith(("working", "business")):
        return (calendar or WorkCalendar()).add_working_days(today, amount)
    if unit.startswith("w"):
        return today + timedelta(weeks=amount)
    if unit.startswith("m"):
        moved: date = today + relativedelta(months=amount)
        return moved
    return today + timedelta(days=amount)


def _day_month(text: str, today: date, recent: bool) -> date | None:
    """A day and a month, with or without a year: without one, the next (or last) such date.

    "3 dec", "dec 3rd", "3 december 2026".
    """
    match = _DAY_MONTH.match(text)
    if match:
        day_text, month_text, year_text = match.groups()
    else:
        match = _MONTH_DAY.match(text)
        if not match:
            return None
        month_text, day_text, year_text = match.groups()
    month = MONTHS.get(month_text)
    if month is None:
        return None
    day = int(day_text)
    if year_text:
        year = int(year_text)
        if not 1 <= day <= monthrange(year, month)[1]:
            raise InvalidInput(f"{date(year, month, 1):%B %Y} has no day {day}")
        return date(year, month, day)
    if not 1 <= day <= (29 if month == 2 else monthrange(2001, month)[1]):
        raise InvalidInput(f"{date(2000, month, 1):%B} has no day {day}")
    step = -1 if recent else 1
    for year in range(today.year, today.year + 9 * step, step):  # 29 Feb: a leap year
        if day <= monthrange(year, month)[1]:
            found = date(year, month, day)
            if (found <= today) if recent else (found >= today):
                return found
    raise InvalidInput(f"{date(2000, month, 1):%B} has no day {day}")  # pragma: no cover


def short_date(day: date | None, today: date, *, long: bool = False) -> str:
    """``19 Nov`` (or ``Thu 19 Nov``); the year only when it is not this year's; ``—`` for none."""
    if day is None:
        return "—"
    text = f"{day:%a %d %b}" if long else f"{day:%d %b}"
    return text if day.year == today.year else f"{text} {day:%y}"
