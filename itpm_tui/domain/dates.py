"""Reading dates the way people type them: ISO, "fri", "tomorrow", "+3d", "next monday"."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.errors import InvalidInput

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_RELATIVE = re.compile(
    r"^([+-])\s*(\d{1,4})\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|wd|bd)$"
)
DATE_HELP = (
    "use YYYY-MM-DD, today, tomorrow, fri, next monday, +3d, +2w, +1m or +2wd (working days)"
)


def parse_date(text: str, today: date, calendar: WorkCalendar | None = None) -> date:
    """Read ``text`` as a date relative to ``today``; raise ``InvalidInput`` if it is not one.

    A bare weekday ("fri") is the next such day on or after today; "next fri" is strictly
    after today. "+3wd" counts working days on ``calendar`` (Monday-Friday by default).
    """
    raw = text
    text = text.strip().lower()
    if not text:
        raise InvalidInput(f"a date is empty: {DATE_HELP}")
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
    if text in ("next week", "eow", "end of week"):
        target = 0 if text == "next week" else 4
        ahead = (target - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    match = _RELATIVE.match(text)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        amount = sign * int(match.group(2))
        unit = match.group(3)
        if unit in ("wd", "bd"):
            return (calendar or WorkCalendar()).add_working_days(today, amount)
        if unit.startswith("w"):
            return today + timedelta(weeks=amount)
        if unit.startswith("m"):
            moved: date = today + relativedelta(months=amount)
            return moved
        return today + timedelta(days=amount)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if not re.search(r"\d", text) and not any(m in text for m in _MONTHS):
        raise InvalidInput(f"can't read {raw.strip()!r} as a date: {DATE_HELP}")
    try:
        parsed = date_parser.parse(text, default=datetime.combine(today, time()), fuzzy=False)
    except (ValueError, OverflowError) as err:
        raise InvalidInput(f"can't read {raw.strip()!r} as a date: {DATE_HELP}") from err
    result: date = parsed.date()
    return result


def parse_optional_date(
    text: str | None, today: date, calendar: WorkCalendar | None = None
) -> date | None:
    """Like ``parse_date`` but "", "-", "none" and ``None`` mean no date."""
    if text is None or text.strip().lower() in ("", "-", "none", "clear"):
        return None
    return parse_date(text, today, calendar)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
