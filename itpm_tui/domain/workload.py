"""Capacity and workload per person per ISO week, across every project.

The load-spreading rule (README, "Time and workload"):

- Each open task assigned to someone carries its remaining hours (its estimate when no
  remaining is recorded). They are spread evenly over the person's working days (their
  weekdays, minus their days off) from max(planned start, today) to the task's due date, or
  its planned finish when it has no due date, both days included.
- A task that ends before it starts (overdue, or due before its planned start), or whose span
  has no working day of the person, puts all its hours on the person's first working day on
  or after that start.
- A task with neither a due date nor a planned finish is not spread: its hours are counted
  in the person's "unscheduled" bucket, never dropped. Unassigned tasks are counted apart.
- Capacity of a week is hours per day x the person's working days in it (from today on for
  the current week), minus days off; never negative. A week is over-allocated above 100%;
  a day is a peak when its load passes the person's hours per day while the week is not over.

Hours are floats (hours, not money): the loads add up to the remaining hours within float
rounding (about 1e-9 h), which keeps 100,000 tasks well under a second where exact
fractions took seconds. Nothing here reads the clock: ``today`` is a parameter.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from itpm_tui.models import Task

DEFAULT_HOURS_PER_DAY = 8.0
"""Hours per working day of someone with no capacity of their own set."""
DEFAULT_WORKDAYS = frozenset({1, 2, 3, 4, 5})
"""ISO weekdays someone works when they have set none (Monday to Friday)."""
_EPSILON = 1e-9
"""Hours below this are float rounding, not load (3 x 1/3 h is not over 1 h)."""
_SEARCH_DAYS = 3660
"""How far ahead to look for a first working day (ten years; then the start day itself)."""


@dataclass(frozen=True)
class PersonCalendar:
    """When one person works: hours per working day, weekdays, and days off."""

    login: str
    hours_per_day: float = DEFAULT_HOURS_PER_DAY
    workdays: frozenset[int] = DEFAULT_WORKDAYS
    days_off: frozenset[date] = frozenset()
    _off_workdays: tuple[date, ...] = field(default=(), init=False, repr=False, compare=False)

    _partial: tuple[tuple[int, ...], ...] = field(default=(), init=False, repr=False,
                                                  compare=False)  # fmt: skip

    def __post_init__(self) -> None:
        off = tuple(sorted(d for d in self.days_off if d.isoweekday() in self.workdays))
        object.__setattr__(self, "_off_workdays", off)
        # _partial[w][n]: working weekdays among the n days starting on ISO weekday w + 1.
        partial = tuple(
            tuple(sum(1 for k in range(n) if (w + k) % 7 + 1 in self.workdays) for n in range(7))
            for w in range(7)
        )
        object.__setattr__(self, "_partial", partial)

    def works_on(self, day: date) -> bool:
        """True on a working weekday that is not a day off."""
        return day.isoweekday() in self.workdays and day not in self.days_off

    def count(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included (0 when last < first)."""
        if last < first:
            return 0
        weeks, rest = divmod((last - first).days + 1, 7)
        total = weeks * len(self.workdays) + self._partial[first.weekday()][rest]
        if self._off_workdays:
            off = self._off_workdays
            total -= bisect_right(off, last) - bisect_left(off, first)
        return total

    def first_working_day(self, start: date) -> date:
        """The first working day on or after ``start`` (``start`` itself if none for years)."""
        day = start
        for _ in range(_SEARCH_DAYS):
            if self.works_on(day):
                return day
            day += timedelta(days=1)
        return start


@dataclass(frozen=True)
class WeekLoad:
    """One person's load and capacity in one ISO week."""

    monday: date
    load: float
    capacity: float
    peak_days: tuple[date, ...] = ()
    """Days over the hours per day while the week as a whole is not over."""

    @property
    def week(self) -> str:
        """``2026-W48``."""
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def percent(self) -> float | None:
        """Load as a percentage of capacity (``None`` when there is no capacity)."""
        if self.capacity <= 0:
            return None
        return self.load * 100 / self.capacity

    @property
    def over(self) -> bool:
        """More load than capacity (any load in a week with no capacity is over)."""
        return self.load > self.capacity + _EPSILON


@dataclass(frozen=True)
class PersonLoad:
    """One person's weeks, the load after them, and their unscheduled work."""

    login: str
    hours_per_day: float
    weeks: tuple[WeekLoad, ...]
    later: float
    """Spread hours that fall after the last week shown."""
    unscheduled: float
    """Hours of tasks with no due date or planned finish (not spread)."""
    unscheduled_task_ids: tuple[int, ...]
    task_ids: tuple[int, ...]
    """The scheduled tasks behind the load."""


@dataclass(frozen=True)
class Workload:
    """Everyone's load per week from the current ISO week on."""

    today: date
    people: tuple[PersonLoad, ...]
    unassigned: float
    """Hours of open tasks nobody owns (in no one's load)."""
    unassigned_task_ids: tuple[int, ...]


def task_hours(task: Task) -> float:
    """The hours a task still needs: remaining, else the estimate, else none."""
    hours = task.remaining_hours if task.remaining_hours is not None else task.estimate_hours
    return hours or 0.0


def task_end(task: Task) -> date | None:
    """The last day the task's hours are spread to: its due date, else its planned finish."""
    return task.due or task.planned_finish


def workload(
    tasks: Iterable[Task],
    calendars: Mapping[str, PersonCalendar],
    today: date,
    weeks: int = 4,
) -> Workload:
    """Each person's load per ISO week for ``weeks`` weeks from today's (module rule).

    ``calendars`` are by login; an assignee without one gets the default calendar, and
    everyone in ``calendars`` gets a row even with nothing to do.
    """
    if weeks < 1:
        raise ValueError("show at least one week")
    monday = today - timedelta(days=today.weekday())
    horizon = monday + timedelta(days=7 * weeks - 1)
    days = (horizon - today).days + 1
    by_person: dict[str, list[Task]] = {login: [] for login in calendars}
    unassigned = 0.0
    unassigned_ids: list[int] = []
    for task in tasks:
        if not task.is_open:
            continue
        hours = task_hours(task)
        if task.assignee is None:
            if hours:
                unassigned += hours
                unassigned_ids.append(task.id)
            continue
        by_person.setdefault(task.assignee, []).append(task)
    people = []
    for login in sorted(by_person):
        cal = calendars.get(login) or PersonCalendar(login)
        people.append(_person_load(cal, by_person[login], today, monday, horizon, days))
    return Workload(today, tuple(people), unassigned, tuple(unassigned_ids))


def _person_load(
    cal: PersonCalendar, tasks: list[Task], today: date, monday: date, horizon: date, days: int
) -> PersonLoad:
    delta = [0.0] * (days + 1)
    later = 0.0
    unscheduled = 0.0
    unscheduled_ids: list[int] = []
    task_ids: list[int] = []
    for task in tasks:
        hours = task.remaining_hours if task.remaining_hours is not None else task.estimate_hours
        if not hours:
            continue
        end = task.due or task.planned_finish
        if end is None:
            unscheduled += hours
            unscheduled_ids.append(task.id)
            continue
        task_ids.append(task.id)
        start = max(task.planned_start or today, today)
        count = cal.count(start, end)
        if count == 0:
            start = end = cal.first_working_day(start)
            count = 1
        rate = hours / count
        last = min(end, horizon)
        shown = cal.count(start, last)
        if shown:
            delta[(start - today).days] += rate
            delta[(last - today).days + 1] -= rate
        later += hours - rate * shown
    weeks: list[WeekLoad] = []
    running = 0.0
    hours_per_day = cal.hours_per_day
    week_load = week_capacity = 0.0
    over_days: list[date] = []
    week_start = monday
    day = today
    one_day = timedelta(days=1)
    workdays = cal.workdays
    days_off = cal.days_off
    weekday = today.isoweekday()
    for index in range(days):
        running += delta[index]
        if running < 0:  # float drift as a task's rate comes off again, never real load
            running = 0.0
        if weekday in workdays and day not in days_off:
            week_load += running
            week_capacity += hours_per_day
            if running > hours_per_day + _EPSILON:
                over_days.append(day)
        if weekday == 7:
            peaks = () if week_load > week_capacity + _EPSILON else tuple(over_days)
            weeks.append(WeekLoad(week_start, week_load, week_capacity, peaks))
            week_start = day + one_day
            week_load = week_capacity = 0.0
            over_days = []
            weekday = 1
        else:
            weekday += 1
        day += one_day
    return PersonLoad(cal.login, cal.hours_per_day, tuple(weeks), later, unscheduled,
                      tuple(unscheduled_ids), tuple(task_ids))  # fmt: skip


def hours_text(value: float) -> str:
    """Hours for people, to one decimal: ``72``, ``7.5``."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def week_cell(week: WeekLoad) -> str:
    """A week as text, never colour alone: ``180% over``, ``40%``, ``95% peak``, ``—``."""
    percent = week.percent
    if percent is None:
        return f"{hours_text(week.load)}h over" if week.load > _EPSILON else "—"
    text = f"{percent:.0f}%"
    if week.over:
        return text + " over"
    if week.peak_days:
        return text + " peak"
    return text


def task_week_hours(task: Task, cal: PersonCalendar, today: date, monday: date) -> float:
    """The hours ``task`` puts on ``cal``'s person in the ISO week of ``monday`` (module rule).

    The same spreading as :func:`workload` for one task, so the tasks behind a week add up
    to its load; 0 for a closed, empty or unscheduled task.
    """
    hours = task_hours(task)
    end = task_end(task)
    if not task.is_open or not hours or end is None:
        return 0.0
    start = max(task.planned_start or today, today)
    count = cal.count(start, end)
    if count == 0:
        start = end = cal.first_working_day(start)
        count = 1
    first = max(start, monday)
    last = min(end, monday + timedelta(days=6))
    return hours * cal.count(first, last) / count
