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
from functools import cached_property
from itertools import accumulate

from itpm_tui.domain.numbers import hours_text
from itpm_tui.domain.wording import plural
from itpm_tui.models import Status, Task, TaskFacts

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

    @cached_property
    def over_sentences(self) -> Mapping[str, str]:
        """Each over-allocated person's ``over_sentence``, by login in ``people``'s order.

        Worked out once per load: a portfolio's fifty projects each name their own people
        of the same hundreds (``over_reasons``).
        """
        sentences = {}
        for person in self.people:
            over = [w for w in person.weeks if w.over]
            if over:
                sentences[person.login] = over_sentence(person.login, over[0], len(over) - 1)
        return sentences


def task_hours(task: TaskFacts) -> float:
    """The hours a task still needs: remaining, else the estimate, else none."""
    hours = task.remaining_hours if task.remaining_hours is not None else task.estimate_hours
    return hours or 0.0


def task_end(task: TaskFacts) -> date | None:
    """The last day the task's hours are spread to: its due date, else its planned finish."""
    return task.due or task.planned_finish


_Work = tuple[float, date | None, date | None, int]
"""What spreading needs of a task: hours (> 0), end, planned start, id."""


def workload(
    tasks: Iterable[TaskFacts],
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
    by_person: dict[str, list[_Work]] = {login: [] for login in calendars}
    unassigned = 0.0
    unassigned_ids: list[int] = []
    done = Status.DONE
    # One pass reads each task once, keeping the four fields spreading needs in a small
    # tuple: 100,000 models are too big for the cache, and reading them twice (group, then
    # spread) cost more than all the arithmetic (bench_time.py).
    for task in tasks:
        if task.status is done:
            continue
        hours = task.remaining_hours
        if hours is None:
            hours = task.estimate_hours
        login = task.assignee
        if login is None:
            if hours:
                unassigned += hours
                unassigned_ids.append(task.id)
            continue
        own = by_person.get(login)
        if own is None:
            own = by_person[login] = []
        if hours:
            own.append((hours, task.due or task.planned_finish, task.planned_start, task.id))
    people = []
    for login in sorted(by_person):
        cal = calendars.get(login) or PersonCalendar(login)
        people.append(_person_load(cal, by_person[login], today, monday, horizon, days))
    return Workload(today, tuple(people), unassigned, tuple(unassigned_ids))


def _person_load(
    cal: PersonCalendar, tasks: list[_Work], today: date, monday: date, horizon: date, days: int
) -> PersonLoad:
    delta = [0.0] * (days + 1)
    later = 0.0
    unscheduled = 0.0
    unscheduled_ids: list[int] = []
    task_ids: list[int] = []
    # Days are offsets from today; cum[i] counts the working days in offsets 0..i-1, so a
    # span's working days are two lookups instead of a count per task (twice) with bisects.
    cum = _working_prefix(cal, today, days + _PREFIX_EXTRA_DAYS)
    size = len(cum) - 1
    last_shown = days - 1
    origin = today.toordinal()
    starts: dict[int, int] = {}  # first_working_day from an offset, as found
    for hours, end, planned, task_id in tasks:
        if end is None:
            unscheduled += hours
            unscheduled_ids.append(task_id)
            continue
        task_ids.append(task_id)
        first = planned.toordinal() - origin if planned is not None else 0
        if first < 0:
            first = 0
        final = end.toordinal() - origin
        if final < first:
            count = 0
        elif final < size:
            count = cum[final + 1] - cum[first]
        else:
            count = cal.count(today + timedelta(days=first), end)
        if count == 0:  # all on one working day; overdue work (most of it) on today's
            found = starts.get(first)
            if found is None:
                working_day = cal.first_working_day(today + timedelta(days=first))
                found = starts[first] = working_day.toordinal() - origin
            first = final = found
            count = 1
        rate = hours / count
        last = final if final < last_shown else last_shown
        shown = cum[last + 1] - cum[first] if first <= last else 0
        if shown:
            delta[first] += rate
            delta[last + 1] -= rate
        later += hours - rate * shown
    # Each day's load is the running sum of the deltas (float drift below zero, as a task's
    # rate comes off again, is never real load); a week's load is the sum over its working
    # days, which ``cum`` numbers in order, so they are one slice of ``working``.
    running = list(accumulate(delta[:days], _add_not_below_zero))
    working = [index for index in range(days) if cum[index + 1] != cum[index]]
    hours_per_day = cal.hours_per_day
    peak = hours_per_day + _EPSILON
    weeks: list[WeekLoad] = []
    week_first = 0
    week_last = 7 - today.isoweekday()  # the first Sunday
    week_start = monday
    while week_first < days:
        days_worked = working[cum[week_first] : cum[week_last + 1]]
        loads = [running[i] for i in days_worked]
        week_load = sum(loads)
        week_capacity = hours_per_day * len(loads)
        peaks: tuple[date, ...] = ()
        if loads and max(loads) > peak and week_load <= week_capacity + _EPSILON:
            peaks = tuple(today + timedelta(days=i) for i in days_worked if running[i] > peak)
        weeks.append(WeekLoad(week_start, week_load, week_capacity, peaks))
        week_first, week_last = week_last + 1, week_last + 7
        week_start += timedelta(days=7)
    return PersonLoad(cal.login, cal.hours_per_day, tuple(weeks), later, unscheduled,
                      tuple(unscheduled_ids), tuple(task_ids))  # fmt: skip


def _add_not_below_zero(total: float, step: float) -> float:
    total += step
    return total if total > 0.0 else 0.0


_PREFIX_EXTRA_DAYS = 366
"""Working days are tabled this far past the weeks shown; later ends are counted directly."""


def _working_prefix(cal: PersonCalendar, today: date, size: int) -> list[int]:
    """``cum[i]``: the person's working days among the ``i`` days from ``today`` on."""
    start = today.weekday()
    week = [1 if (start + k) % 7 + 1 in cal.workdays else 0 for k in range(7)]
    flags = week * (size // 7 + 1)
    del flags[size:]
    origin = today.toordinal()
    for day in cal.days_off:
        index = day.toordinal() - origin
        if 0 <= index < size:
            flags[index] = 0
    return [0, *accumulate(flags)]


def week_cell(week: WeekLoad) -> str:
    """A week as text, never colour alone: ``180% over``, ``40%``, ``95% peak``, ``—``."""
    percent = week.percent
    if percent is None:
        return f"{hours_text(week.load)} over" if week.load > _EPSILON else "—"
    text = f"{percent:.0f}%"
    if week.over:
        return text + " over"
    if week.peak_days:
        return text + " peak"
    return text


def task_week_hours(task: TaskFacts, cal: PersonCalendar, today: date, monday: date) -> float:
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


# --- reasons: who is over, in words -------------------------------------------------------


def load_sentence(login: str, week: WeekLoad) -> str:
    """``dana is at 180% in 2026-W49 (72 h of work, 40 h available)``."""
    percent = week.percent
    if percent is None:
        return (f"{login} has {hours_text(week.load, unit=False)} h of work in {week.week} "
                "and no hours available")  # fmt: skip
    return f"{login} is at {percent:.0f}% in {week.week} ({_work_and_capacity(week)})"


def _work_and_capacity(week: WeekLoad) -> str:
    load, capacity = (hours_text(h, unit=False) for h in (week.load, week.capacity))
    return f"{load} h of work, {capacity} h available"


def week_summary(week: WeekLoad) -> str:
    """``72 h of work, 40 h available = 180% over``: one person's week in one phrase."""
    return f"{_work_and_capacity(week)} = {week_cell(week)}"


def over_reasons(load: Workload, logins: Iterable[str] | None = None) -> tuple[str, ...]:
    """One sentence per over-allocated person (of ``logins``; ``None``: everyone), by login.

    Each names the person's first week over capacity in the weeks of ``load`` and how many
    later ones are over too: "dana is at 180% in 2026-W49 (72 h of work, 40 h available);
    2 more weeks over". Reasons only: they never change a rating.
    """
    sentences = load.over_sentences
    if logins is None:
        return tuple(sentences.values())
    wanted = set(logins)
    return tuple(sentence for login, sentence in sentences.items() if login in wanted)


def over_sentence(login: str, first: WeekLoad, more_weeks: int) -> str:
    """``dana is at 180% in 2026-W49 (...); 2 more weeks over``: a person's first week over
    capacity and how many later ones are over too."""
    sentence = load_sentence(login, first)
    if more_weeks:
        sentence += f"; {plural(more_weeks, 'more week')} over"
    return sentence


def task_load_reason(task: Task, person: PersonLoad, cal: PersonCalendar,
                     today: date) -> str | None:  # fmt: skip
    """Why a task's owner may not get to it: the first of the shown weeks in which the task
    has hours and its owner is over capacity, as :func:`load_sentence` says it."""
    for week in person.weeks:
        if week.over and task_week_hours(task, cal, today, week.monday) > _EPSILON:
            return load_sentence(person.login, week)
    return None


# --- "who can take this?" -----------------------------------------------------------------

NO_DUE_DAYS = 14
"""A task with neither a due date nor a planned finish is asked about for two weeks."""


@dataclass(frozen=True)
class Candidate:
    """One person's free hours from today to a task's end (module rule)."""

    login: str
    free: float
    """Sum over their working days in the window of max(0, hours per day - load that day)."""
    capacity: float
    """Hours available in the window (hours per day x working days)."""
    load: float
    """Hours of their open work (other tasks) spread into the window."""
    fits: bool
    """The task's hours (some) fit in ``free``."""

    @property
    def free_percent(self) -> float | None:
        """Free hours as a percentage of the hours available (``None``: no hours at all)."""
        return None if self.capacity <= 0 else self.free * 100 / self.capacity


@dataclass(frozen=True)
class TakeOptions:
    """Who could take a task: everyone but its owner, most free hours first."""

    task: Task
    first: date
    last: date
    """The window: today to the task's due date (else planned finish, else two weeks)."""
    hours: float
    """The hours the task still needs."""
    candidates: tuple[Candidate, ...]


def day_loads(cal: PersonCalendar, tasks: Iterable[TaskFacts], today: date,
              last: date) -> list[float]:  # fmt: skip
    """Load per day from ``today`` to ``last`` (index 0 is today) by the spreading rule.

    The same rule as :func:`workload`: each open task's hours evenly over the person's
    working days from max(planned start, today) to its end, all on its first working day
    when its span has none; unscheduled tasks are not spread and count nowhere here.
    """
    days = (last - today).days + 1
    if days <= 0:
        return []
    delta = [0.0] * (days + 1)
    for task in tasks:
        hours = task_hours(task)
        end = task_end(task)
        if not task.is_open or not hours or end is None:
            continue
        start = max(task.planned_start or today, today)
        count = cal.count(start, end)
        if count == 0:
            start = end = cal.first_working_day(start)
            count = 1
        if start > last:
            continue
        stop = min(end, last)
        rate = hours / count
        delta[(start - today).days] += rate
        delta[(stop - today).days + 1] -= rate
    loads = []
    running = 0.0
    day = today
    for index in range(days):
        running = max(running + delta[index], 0.0)
        loads.append(running if cal.works_on(day) else 0.0)
        day += timedelta(days=1)
    return loads


def who_can_take(task: Task, tasks: Iterable[TaskFacts], calendars: Mapping[str, PersonCalendar],
                 today: date) -> TakeOptions:  # fmt: skip
    """Everyone in ``calendars`` but the task's owner, by free hours before the task's end.

    The window runs from today to the task's due date (else its planned finish, else
    ``NO_DUE_DAYS`` days); an overdue task asks about today only. A person's free hours are
    the sum over their working days in the window of max(0, hours per day - their load that
    day), so an overbooked day never lends hours to an idle one. ``tasks`` are the open
    tasks of everyone (the one asked about is left out of every load).
    """
    end = task_end(task) or today + timedelta(days=NO_DUE_DAYS - 1)
    last = max(end, today)
    by_person: dict[str, list[TaskFacts]] = {}
    for other in tasks:
        if other.id != task.id and other.assignee is not None:
            by_person.setdefault(other.assignee, []).append(other)
    hours = task_hours(task)
    candidates = []
    for login, cal in calendars.items():
        if login == task.assignee:
            continue
        loads = day_loads(cal, by_person.get(login, ()), today, last)
        free = capacity = load = 0.0
        day = today
        for value in loads:
            if cal.works_on(day):
                capacity += cal.hours_per_day
                load += value
                free += max(0.0, cal.hours_per_day - value)
            day += timedelta(days=1)
        fits = hours > _EPSILON and free + _EPSILON >= hours
        candidates.append(Candidate(login, free, capacity, load, fits))
    candidates.sort(key=lambda c: (-c.free, c.login))
    return TakeOptions(task, today, last, hours, tuple(candidates))


def needed_text(options: TakeOptions) -> str:
    """``6 h needed`` (``no hours estimated`` for a task with none)."""
    if options.hours <= _EPSILON:
        return "no hours estimated"
    return f"{hours_text(options.hours, unit=False)} h needed"


def candidate_text(candidate: Candidate) -> str:
    """``dana   24 h free of 40 h (60%)`` with ``fits`` when the task's hours fit."""
    percent = candidate.free_percent
    share = "" if percent is None else f" ({percent:.0f}%)"
    fits = " · fits" if candidate.fits else ""
    return (f"{candidate.login}: {hours_text(candidate.free, unit=False)} h free of "
            f"{hours_text(candidate.capacity, unit=False)} h{share}{fits}")  # fmt: skip
