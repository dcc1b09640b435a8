"""Working-day arithmetic over a project's calendar (weekends and holidays excluded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from itpm_tui.models import Project

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: ISO weekdays plus a set of holidays."""

    workdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def for_project(cls, project: Project | None) -> WorkCalendar:
        """The project's calendar, or Monday-Friday with no holidays."""
        if project is None:
            return cls()
        return cls(frozenset(project.workdays), frozenset(project.holidays))

    def is_working_day(self, day: date) -> bool:
        """True if work happens on ``day``."""
        return day.isoweekday() in self.workdays and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """Move ``count`` working days from ``day`` (backwards if negative).

        ``day`` itself need not be a working day; zero returns it unchanged.
        """
        step = _ONE_DAY if count >= 0 else -_ONE_DAY
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def count(self, start: date, end: date) -> int:
        """Working days in the closed range ``start..end`` (0 if end < start)."""
        if end < start:
            return 0
        days = (end - start).days + 1
        weeks, rest = divmod(days, 7)
        total = weeks * len(self.workdays)
        first_rest = start + timedelta(days=weeks * 7)
        total += sum(
            1 for i in range(rest) if (first_rest + timedelta(days=i)).isoweekday() in self.workdays
        )
        total -= sum(
            1 for h in self.holidays if start <= h <= end and h.isoweekday() in self.workdays
        )
        return total

    def between(self, start: date, end: date) -> int:
        """Signed working days from ``start`` to ``end``: how far ``end`` lies past ``start``.

        ``between(d, d) == 0``; a later ``end`` is positive, an earlier one negative, so
        ``add_working_days(start, between(start, end)) == end`` for working days.
        """
        if end >= start:
            return self.count(start + _ONE_DAY, end)
        return -self.count(end + _ONE_DAY, start)
