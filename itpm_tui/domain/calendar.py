"""Working-day arithmetic over a project's calendar (weekends and holidays excluded)."""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from itpm_tui.models import Project

_ONE_DAY = timedelta(days=1)


@functools.cache
def _partial_weeks(workdays: frozenset[int]) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(sum(1 for i in range(r) if (w + i) % 7 + 1 in workdays) for r in range(7))
        for w in range(7)
    )


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: ISO weekdays plus a set of holidays."""

    workdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset[date] = field(default_factory=frozenset)
    _partial: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    """``_partial[w][r]``: working weekdays among ``r`` days starting on ISO weekday w + 1."""
    _off: tuple[date, ...] = field(init=False, repr=False, compare=False)
    """The holidays that fall on working weekdays, sorted (the ones ``count`` subtracts)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_partial", _partial_weeks(self.workdays))
        off = sorted(h for h in self.holidays if h.isoweekday() in self.workdays)
        object.__setattr__(self, "_off", tuple(off))

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
        weeks, rest = divmod((end - start).days + 1, 7)
        total = weeks * len(self.workdays) + self._partial[start.isoweekday() - 1][rest]
        if self._off:
            total -= bisect_right(self._off, end) - bisect_left(self._off, start)
        return total

    def between(self, start: date, end: date) -> int:
        """Signed working days from ``start`` to ``end``: how far ``end`` lies past ``start``.

        ``between(d, d) == 0``; a later ``end`` is positive, an earlier one negative, so
        ``add_working_days(start, between(start, end)) == end`` for working days.
        """
        if end >= start:
            return self.count(start + _ONE_DAY, end)
        return -self.count(end + _ONE_DAY, start)
