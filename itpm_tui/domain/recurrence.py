"""Repeat rules of recurring tasks, read from what people type and stepped with dateutil.

A rule is stored as its canonical text (what ``parse_repeat`` returns), so it reads the
same in the CLI, the form, the detail pane and an export:

- ``daily`` / ``every N days`` (also ``every day``);
- ``weekly`` (on the due date's weekday) / ``every N weeks``;
- ``weekly on mon,thu`` (also ``every monday``, ``every mon and thu``, ``every weekday``);
- ``monthly`` (on the due date's day) / ``monthly on day N`` (also ``monthly on the 15th``);
  a month without day N (31 in April) is skipped, as dateutil's rrule does;
- ``monthly on the 1st mon`` (also ``every month on the second tuesday``, ``monthly on the
  last fri``): a weekday of the month, first to fifth or last (a month without a fifth
  one is skipped);
- ``every N working days`` (also ``every N wd``): the project's working days, holidays out.

The next occurrence is the rule's first date strictly after an anchor (the finished
task's due date, or today when that is later or missing). Pure: today is a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil import rrule

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as rules spell them (ISO order)."""
_RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_HORIZON_DAYS = 3660
"""A rule with no date in ten years never fires."""
EXAMPLES = (
    "daily, every 2 days, weekly on mon,thu, every 2 weeks, monthly on day 15, "
    "monthly on the last fri, every 3 working days"
)


@dataclass(frozen=True)
class RepeatRule:
    """A parsed rule: the step and its canonical text."""

    unit: str
    """``day``, ``week``, ``month`` or ``workday``."""
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    """ISO weekdays (1 = Monday) for ``weekly on ...``."""
    monthday: int | None = None
    nth: int | None = None
    """For ``monthly on the 2nd tue``: which of the month's ``weekdays`` (1-5, -1 last)."""

    @property
    def text(self) -> str:
        """The canonical text (``parse_repeat(rule.text) == rule``)."""
        n = self.interval
        if self.unit == "day":
            return "daily" if n == 1 else f"every {n} days"
        if self.unit == "workday":
            return "every working day" if n == 1 else f"every {n} working days"
        if self.unit == "week":
            if self.weekdays:
                return "weekly on " + ",".join(WEEKDAYS[d - 1] for d in self.weekdays)
            return "weekly" if n == 1 else f"every {n} weeks"
        if self.monthday is not None:
            return f"monthly on day {self.monthday}"
        if self.nth is not None:
            which = "last" if self.nth == -1 else _ORDINALS[self.nth - 1]
            return f"monthly on the {which} {WEEKDAYS[self.weekdays[0] - 1]}"
        return "monthly" if n == 1 else f"every {n} months"

    def next_after(self, anchor: date, calendar: WorkCalendar | None = None,
                   origin: date | None = None) -> date | None:  # fmt: skip
        """The first date of the rule strictly after ``anchor`` (``None``: never in ten
        years), counting from ``origin`` (default ``anchor``): "every 2 weeks" from a task
        due on a Monday stays on every other Monday, and a weekly or monthly rule with no
        weekday or day keeps ``origin``'s. Working days count from ``anchor``."""
        if self.unit == "workday":
            return (calendar or WorkCalendar()).add_working_days(anchor, self.interval)
        first = origin if origin is not None and origin <= anchor else anchor
        start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        after = datetime(anchor.year, anchor.month, anchor.day, tzinfo=UTC)
        kwargs: dict[str, object] = {"interval": self.interval, "dtstart": start}
        if self.unit == "day":
            freq = rrule.DAILY
        elif self.unit == "week":
            freq = rrule.WEEKLY
            if self.weekdays:
                kwargs["byweekday"] = [_RRULE_DAYS[d - 1] for d in self.weekdays]
        elif self.nth is not None:
            freq = rrule.MONTHLY
            kwargs["byweekday"] = [_RRULE_DAYS[self.weekdays[0] - 1](self.nth)]
        else:
            freq = rrule.MONTHLY
            kwargs["bymonthday"] = self.monthday or first.day
        kwargs["until"] = after + timedelta(days=_HORIZON_DAYS)
        found = rrule.rrule(freq, **kwargs).after(after, inc=False)
        return None if found is None else found.date()


_ORDINALS = ("1st", "2nd", "3rd", "4th", "5th")
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
                  **{word: n for n, word in enumerate(_ORDINALS, start=1)}}  # fmt: skip
_NTH_WEEKDAY = re.compile(r"(monthly|every month) on (the )?(?P<nth>[a-z0-9]+) (?P<day>[a-z]+)")
_NUMBER = r"(?P<n>[0-9]{1,3})"
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(daily|every day)", "day"),
    (rf"every {_NUMBER} days?", "day"),
    (r"(every )?(working day|workday|weekday working day)s?", "workday1"),
    (rf"every {_NUMBER} (working days?|workdays?|wd)", "workday"),
    (r"(weekly|every week)", "week"),
    (rf"every {_NUMBER} weeks?", "week"),
    (r"(monthly|every month)", "month"),
    (rf"every {_NUMBER} months?", "month"),
    (r"(monthly|every month) on (the |day )?(?P<d>[0-9]{1,2})(st|nd|rd|th)?", "monthday"),
)


def _weekday(word: str) -> int:
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and (["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][index].startswith(word)):  # fmt: skip
            return index + 1
        if word == name:
            return index + 1
    raise InvalidInput(f"{word!r} is not a weekday (mon, tue, ... sun)")


def parse_repeat(text: str) -> RepeatRule | None:
    """The rule for what someone typed (``None`` for ``none``, ``-`` or nothing); one
    ``InvalidInput`` sentence for anything else it cannot read, or a rule that never fires."""
    typed = " ".join(text.strip().lower().split())
    if typed in ("", "-", "none", "never"):
        return None
    rule = _parse(typed)
    if rule.next_after(date(2000, 1, 31)) is None:
        raise InvalidInput(f"repeat rule {text.strip()!r} never fires")
    return rule


def _parse(typed: str) -> RepeatRule:
    for pattern, unit in _PATTERNS:
        match = re.fullmatch(pattern, typed)
        if not match:
            continue
        n = int(match.group("n")) if "n" in match.groupdict() and match.group("n") else 1
        if n < 1:
            raise InvalidInput(f"repeat every 1 or more, not {n} (got {typed!r})")
        if unit == "monthday":
            day = int(match.group("d"))
            if not 1 <= day <= 31:
                raise InvalidInput(f"a month has days 1 to 31 (got {day})")
            return RepeatRule("month", monthday=day)
        if unit == "workday1":
            return RepeatRule("workday")
        return RepeatRule(unit, interval=n)
    nth = _NTH_WEEKDAY.fullmatch(typed)
    if nth and nth.group("nth") in _ORDINAL_WORDS:
        return RepeatRule("month", weekdays=(_weekday(nth.group("day")),),
                          nth=_ORDINAL_WORDS[nth.group("nth")])  # fmt: skip
    days = re.fullmatch(r"(every|weekly on|on) (?P<days>[a-z, ]+)", typed)
    if days:
        words = [w for w in re.split(r"[ ,]+|\band\b", days.group("days")) if w and w != "and"]
        if words == ["weekday"] or words == ["weekdays"]:
            return RepeatRule("week", weekdays=(1, 2, 3, 4, 5))
        return RepeatRule("week", weekdays=tuple(sorted({_weekday(w) for w in words})))
    raise InvalidInput(f"cannot read the repeat rule {typed!r}; try: {EXAMPLES}")


def next_due(rule: RepeatRule, due: date | None, today: date,
             calendar: WorkCalendar | None = None) -> date:  # fmt: skip
    """The next occurrence's due date: the rule's first date after the later of ``due``
    and ``today`` (a task finished late does not spawn one already overdue), in the rhythm
    of ``due`` (``RepeatRule.next_after``)."""
    anchor = max(due or today, today)
    found = rule.next_after(anchor, calendar, origin=due)
    if found is None:
        raise InvalidInput(f"repeat rule {rule.text!r} has no date after {anchor}")
    return found


def skipped_due(repeat: str | None, due: date | None, today: date,
                calendar: WorkCalendar | None = None) -> date | None:  # fmt: skip
    """Where a skipped occurrence moves: its rule's next date (``next_due``), so the task
    stays one open task and nothing is added; ``None`` when the task does not repeat."""
    rule = parse_repeat(repeat or "")
    return None if rule is None else next_due(rule, due, today, calendar)
