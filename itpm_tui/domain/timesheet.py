"""A person's weekly timesheet: days x tasks of logged minutes, with totals and missing days.

Pure: the worklogs, titles and the person's calendar come in; nothing reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from itpm_tui.models import Worklog


@dataclass(frozen=True)
class TimesheetRow:
    """One task's minutes on each day Monday..Sunday (standard plus overtime)."""

    task_id: int
    title: str
    minutes: tuple[int, ...]
    overtime_minutes: tuple[int, ...] = (0,) * 7
    """Of each day's minutes, those logged as overtime (already inside ``minutes``)."""

    @property
    def total(self) -> int:
        """Minutes in the week."""
        return sum(self.minutes)

    @property
    def overtime(self) -> int:
        """Overtime minutes in the week."""
        return sum(self.overtime_minutes)


@dataclass(frozen=True)
class Timesheet:
    """One person's ISO week of logged time."""

    person: str
    monday: date
    rows: tuple[TimesheetRow, ...]
    """By task id."""
    missing: tuple[date, ...]
    """Working days up to today with no time logged at all."""

    @property
    def days(self) -> tuple[date, ...]:
        """Monday..Sunday."""
        return tuple(self.monday + timedelta(days=n) for n in range(7))

    @property
    def week(self) -> str:
        """``2026-W48``."""
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def day_totals(self) -> tuple[int, ...]:
        """Minutes per day over every task."""
        return tuple(sum(r.minutes[n] for r in self.rows) for n in range(7))

    @property
    def total(self) -> int:
        """Minutes in the week."""
        return sum(r.total for r in self.rows)

    @property
    def day_overtime(self) -> tuple[int, ...]:
        """Overtime minutes per day over every task."""
        return tuple(sum(r.overtime_minutes[n] for r in self.rows) for n in range(7))


def timesheet(person: str, monday: date, worklogs: Iterable[Worklog], titles: Mapping[int, str],
              works_on: Iterable[date], today: date) -> Timesheet:  # fmt: skip
    """``person``'s week from ``monday``: their worklogs by task and day; ``works_on`` are
    their working days in the week (weekdays minus leave), of which those up to ``today``
    with nothing logged are missing."""
    by_task: dict[int, list[int]] = {}
    overtime: dict[int, list[int]] = {}
    for log in worklogs:
        offset = (log.day - monday).days
        if log.person != person or not 0 <= offset < 7:
            continue
        by_task.setdefault(log.task_id, [0] * 7)[offset] += log.total_minutes
        overtime.setdefault(log.task_id, [0] * 7)[offset] += log.overtime_minutes
    rows = tuple(TimesheetRow(task_id, titles.get(task_id, ""), tuple(days),
                              tuple(overtime[task_id]))
                 for task_id, days in sorted(by_task.items()))  # fmt: skip
    logged = {monday + timedelta(days=n) for n in range(7)
              if any(r.minutes[n] for r in rows)}  # fmt: skip
    missing = tuple(sorted(d for d in works_on if d <= today and d not in logged))
    return Timesheet(person, monday, rows, missing)


def minutes_text(minutes: int) -> str:
    """``1:30`` for 90 minutes, ``-`` for none."""
    return f"{minutes // 60}:{minutes % 60:02d}" if minutes else "-"


def _name_width(width: int) -> int:
    """The task column: what ``width`` leaves after the seven days and the total."""
    return max(12, width - 7 * 6 - 7 - 1)


def cell_span(width: int, day: int) -> tuple[int, int]:
    """Where day ``day`` (0 = Monday) of a task row sits in ``timesheet_lines(.., width)``."""
    start = _name_width(width) + 6 * day
    return start, start + 6


def timesheet_lines(sheet: Timesheet, width: int = 80) -> list[str]:
    """The timesheet as text: the title, the days, a row per task (from the third line),
    the totals, the overtime within them (when any) and the missing days.

    The task column takes what ``width`` leaves after the seven days and the total."""
    name_width = _name_width(width)
    sunday = sheet.days[-1]
    lines = [f"{sheet.person} · {sheet.week} ({sheet.monday:%d %b} - {sunday:%d %b})"]
    lines.append(f"{'task':<{name_width}}" + "".join(f"{d:%a}".rjust(6) for d in sheet.days)
                 + f"{'total':>7}")  # fmt: skip
    for row in sheet.rows:
        name = f"#{row.task_id} {row.title}"
        name = name if len(name) < name_width else name[: name_width - 2] + "…"
        lines.append(f"{name:<{name_width}}" + "".join(minutes_text(m).rjust(6)
                                                       for m in row.minutes)
                     + minutes_text(row.total).rjust(7))  # fmt: skip
    lines.append(f"{'total':<{name_width}}" + "".join(minutes_text(m).rjust(6)
                                                      for m in sheet.day_totals)
                 + minutes_text(sheet.total).rjust(7))  # fmt: skip
    if any(sheet.day_overtime):
        lines.append(f"{'of which overtime':<{name_width}}"
                     + "".join(minutes_text(m).rjust(6) for m in sheet.day_overtime)
                     + minutes_text(sum(sheet.day_overtime)).rjust(7))  # fmt: skip
    if sheet.missing:
        lines.append("missing: " + ", ".join(f"{d:%a %d %b}" for d in sheet.missing))
    if not sheet.rows:
        lines.append("no time logged this week")
    return lines
