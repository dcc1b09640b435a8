"""The Timeline (a Gantt chart): rows grouped by milestone, bars on a working-day axis.

Pure layout over a computed schedule (``domain/network.py``); the widget only paints it.

- **Rows**: per project (by key), one heading per milestone (by baseline, then id) followed
  by its open tasks, then the project's tasks with no milestone; tasks by early start, then
  id. Done tasks are not shown (they cannot move any more); reached milestones are.
- **Axis**: the working days of the projects shown: a day is on the axis when any of their
  calendars works on it, so weekends and holidays that all of them share are left out.
  Day 0 is the first axis day on or after today; earlier days are negative.
- **Bars**: the current plan is the computed early start..early finish; the baseline is
  the task's planned start..finish (a planned finish alone is a one-day baseline).
- **Zoom**: ``day`` draws each working day 3 cells wide, ``week`` 1 cell, ``month`` one
  cell per 5 working days. Column ``c`` holds days ``c*d//k .. ((c+1)*d-1)//k`` for ``k``
  cells per ``d`` days, so today is always column 0 and columns can be negative.
- **Cells**: a cell with the plan only is the upper half block ``▀``, with the baseline
  only the lower half ``▄``, with both a full block (top: plan, bottom: baseline), so a slip
  reads without colour. A flag follows a bar: ``!!`` negative float (a baseline that cannot
  be met), ``!`` critical, ``~`` near-critical. Milestones are diamonds on their heading
  row: ``◇`` baseline, ``◆`` computed forecast, ``◈`` both in one cell. Today is ``│``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.network import (
    MilestoneForecast,
    Network,
    ScheduleResult,
    TaskTiming,
)
from itpm_tui.domain.wording import plural
from itpm_tui.heap import no_gc_pauses
from itpm_tui.models import Project, Task, TaskLink

FLAG_LATE = "!!"
"""Negative total float: a milestone baseline downstream cannot be met."""
FLAG_CRITICAL = "!"
"""Total float 0: any slip moves the finish."""
FLAG_NEAR = "~"
"""Near-critical: float within the project's threshold."""
PLAN, BASELINE, BOTH = "▀", "▄", "█"
DIAMOND_BASELINE, DIAMOND_FORECAST, DIAMOND_BOTH = "◇", "◆", "◈"
TODAY = "│"
PADDING_DAYS = 10
"""Axis days before the earliest and after the latest date shown."""


class Zoom(Enum):
    """How many cells a working day takes: ``(cells, days)`` = cells per that many days."""

    DAY = (3, 1)
    WEEK = (1, 1)
    MONTH = (1, 5)

    @property
    def cells(self) -> int:
        """Cells per ``days`` working days."""
        return self.value[0]

    @property
    def days(self) -> int:
        """Working days per ``cells`` cells."""
        return self.value[1]

    @property
    def label(self) -> str:
        """``day``, ``week`` or ``month``."""
        return self.name.lower()

    def column(self, day: int) -> int:
        """The column a working day is drawn in (its first cell at day zoom)."""
        return day * self.cells // self.days

    def first_day(self, column: int) -> int:
        """The first working day a column shows."""
        return column * self.days // self.cells

    def last_day(self, column: int) -> int:
        """The last working day a column shows."""
        return ((column + 1) * self.days - 1) // self.cells

    def span_columns(self, span: Span) -> tuple[int, int]:
        """First and last column a span of days covers."""
        return self.column(span.first), ((span.last + 1) * self.cells - 1) // self.days

    def zoomed_in(self) -> Zoom:
        """One step closer (month, week, day); day stays day."""
        order = list(Zoom)
        return order[max(0, order.index(self) - 1)]

    def zoomed_out(self) -> Zoom:
        """One step further (day, week, month); month stays month."""
        order = list(Zoom)
        return order[min(len(order) - 1, order.index(self) + 1)]


class Span(NamedTuple):
    """Working days ``first..last`` of the axis, both included (a tuple: cheap by the 10,000)."""

    first: int
    last: int


@dataclass(frozen=True)
class Axis:
    """The axis days as dates: ``dates[i]`` is day ``first + i``."""

    first: int
    dates: tuple[date, ...]

    @property
    def last(self) -> int:
        """The last day on the axis."""
        return self.first + len(self.dates) - 1

    def date_of(self, day: int) -> date:
        """The date of an axis day (clamped to the axis)."""
        return self.dates[max(0, min(len(self.dates) - 1, day - self.first))]

    def on_or_after(self, when: date) -> int:
        """The first axis day on or after a date."""
        return bisect.bisect_left(self.dates, when) + self.first

    def on_or_before(self, when: date) -> int:
        """The last axis day on or before a date."""
        return bisect.bisect_right(self.dates, when) - 1 + self.first

    def span(self, start: date, finish: date) -> Span:
        """The axis days of ``start..finish`` (at least one day)."""
        first = self.on_or_after(start)
        return Span(first, max(first, self.on_or_before(finish)))


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of the chart: a milestone (or group) heading, or a task."""

    heading: bool
    label: str
    """A heading's text, or a task's title."""
    project_key: str
    task_id: int | None = None
    milestone_id: int | None = None
    plan: Span | None = None
    baseline: Span | None = None
    flag: str = ""
    """``!!``, ``!``, ``~`` or empty (see the module)."""
    forecast_day: int | None = None
    """A milestone heading: the axis day of its computed forecast (or actual date)."""
    baseline_day: int | None = None
    """A milestone heading: the axis day of its baseline."""

    @property
    def ref(self) -> str:
        """``#42`` for a task, ``M7`` for a milestone, empty for a plain heading."""
        if self.task_id is not None:
            return f"#{self.task_id}"
        return f"M{self.milestone_id}" if self.milestone_id is not None else ""


@dataclass(frozen=True)
class Timeline:
    """Everything the Timeline screen draws, for one project (or all) on one day."""

    today: date
    project_key: str | None
    axis: Axis
    rows: tuple[TimelineRow, ...]
    tasks: Mapping[int, Task]
    timings: Mapping[int, TaskTiming]
    milestones: Mapping[int, MilestoneForecast]
    links: Mapping[int, tuple[TaskLink, ...]]
    """Per task shown: its links, incoming and outgoing."""
    peers: Mapping[int, Task]
    """Tasks at the other end of those links that are not shown (done, or elsewhere)."""
    project_keys: Mapping[int | None, str]


def flag_of(timing: TaskTiming) -> str:
    """The symbol that marks a task's float without colour."""
    if timing.critical:
        return FLAG_LATE if (timing.total_float or 0) < 0 else FLAG_CRITICAL
    return FLAG_NEAR if timing.near_critical else ""


def axis_calendar(projects: Iterable[Project | None]) -> WorkCalendar:
    """Days any of these calendars works on (holidays only those all of them share)."""
    calendars = [WorkCalendar.for_project(p) for p in projects] or [WorkCalendar()]
    workdays = frozenset().union(*(c.workdays for c in calendars))
    holidays = frozenset.intersection(*(frozenset(c.holidays) for c in calendars))
    return WorkCalendar(workdays, holidays)


def build_axis(calendar: WorkCalendar, today: date, dates: Iterable[date]) -> Axis:
    """Axis days from before the earliest to after the latest date, day 0 on/after today."""
    known = [today, *dates]
    start, end = min(known), max(known)
    day = start
    for _ in range(PADDING_DAYS):
        day = calendar.add_working_days(day, -1)
    stop = end
    for _ in range(PADDING_DAYS):
        stop = calendar.add_working_days(stop, 1)
    days: list[date] = []
    one = timedelta(days=1)
    while day <= stop:
        if calendar.is_working_day(day):
            days.append(day)
        day += one
    zero = bisect.bisect_left(days, today)
    return Axis(-zero, tuple(days))


def build_timeline(network: Network, result: ScheduleResult, key: str | None) -> Timeline:
    """The rows of one project (``key``) or of all, from a computed schedule."""
    with no_gc_pauses():  # thousands of small rows: the cyclic collector kept rescanning them
        return _build_timeline(network, result, key)


def _build_timeline(network: Network, result: ScheduleResult, key: str | None) -> Timeline:
    projects = network.projects
    keys: dict[int | None, str] = {pid: p.key for pid, p in projects.items()}
    keys[None] = "personal"
    chosen = [p for p in projects.values() if key is None or p.key == key]
    chosen_ids = {p.id for p in chosen}
    tasks = [
        t
        for t in network.tasks.values()
        if t.is_open and (t.project_id in chosen_ids or (key is None and t.project_id is None))
    ]
    milestones = [m for m in network.milestones.values() if m.project_id in chosen_ids]
    shown_projects: list[Project | None] = list(chosen)
    if any(t.project_id is None for t in tasks):
        shown_projects.append(None)
    calendar = axis_calendar(shown_projects)
    timings = result.tasks
    forecasts = result.milestones
    dates: list[date] = []
    for t in tasks:
        timing = timings[t.id]
        dates += (timing.early_start, timing.early_finish)
        dates += [d for d in (t.planned_start, t.planned_finish) if d is not None]
    for m in milestones:
        dates.append(m.baseline)
        forecast = forecasts[m.id].forecast
        if forecast is not None:
            dates.append(forecast)
    axis = build_axis(calendar, network.as_of, dates)

    def task_row(t: Task) -> TimelineRow:
        timing = timings[t.id]
        baseline = None
        if t.planned_finish is not None:
            baseline = axis.span(t.planned_start or t.planned_finish, t.planned_finish)
        return TimelineRow(
            heading=False, label=t.title, project_key=keys.get(t.project_id, "personal"),
            task_id=t.id, milestone_id=t.milestone_id,
            plan=axis.span(timing.early_start, timing.early_finish), baseline=baseline,
            flag=flag_of(timing),
        )  # fmt: skip

    by_group: dict[tuple[int | None, int | None], list[Task]] = {}
    for t in tasks:
        milestone = t.milestone_id if t.milestone_id in network.milestones else None
        by_group.setdefault((t.project_id, milestone), []).append(t)
    rows: list[TimelineRow] = []
    order = sorted(shown_projects, key=lambda p: (p is None, p.key if p else ""))
    for project in order:
        pid = project.id if project else None
        pkey = keys[pid]
        for m in sorted((m for m in milestones if m.project_id == pid),
                        key=lambda m: (m.baseline, m.id)):  # fmt: skip
            f = forecasts[m.id]
            when = f.forecast
            rows.append(TimelineRow(
                heading=True, label=f"{pkey} · M{m.id} {m.name}", project_key=pkey,
                milestone_id=m.id, flag=FLAG_LATE if (f.slack or 0) < 0 and not f.done else "",
                forecast_day=axis.on_or_after(when) if when is not None else None,
                baseline_day=axis.on_or_after(m.baseline),
            ))  # fmt: skip
            rows += [task_row(t) for t in _by_start(by_group.get((pid, m.id), []), timings)]
        loose = by_group.get((pid, None), [])
        if loose:
            name = "no milestone" if project else "personal to-dos"
            rows.append(TimelineRow(heading=True, label=f"{pkey} · {name}", project_key=pkey))
            rows += [task_row(t) for t in _by_start(loose, timings)]
    shown = {t.id for t in tasks}
    links: dict[int, list[TaskLink]] = {}
    peers: dict[int, Task] = {}
    everything = network.tasks
    for link in network.links:
        pred, succ = link.pred_id, link.succ_id
        pred_shown, succ_shown = pred in shown, succ in shown
        if pred_shown:
            links.setdefault(pred, []).append(link)
        if succ_shown:
            links.setdefault(succ, []).append(link)
        if pred_shown != succ_shown:  # the other end is done or elsewhere
            other = succ if pred_shown else pred
            peers[other] = everything[other]
    return Timeline(
        today=network.as_of, project_key=key, axis=axis, rows=tuple(rows),
        tasks={t.id: t for t in tasks}, timings=timings,
        milestones={m.id: forecasts[m.id] for m in milestones},
        links={k: tuple(v) for k, v in links.items()}, project_keys=keys, peers=peers,
    )  # fmt: skip


def _by_start(tasks: Sequence[Task], timings: Mapping[int, TaskTiming]) -> list[Task]:
    return sorted(tasks, key=lambda t: (timings[t.id].early_start, t.id))


# --- drawing: cells of one row, and the axis header ---------------------------------------

Cell = tuple[str, str]
"""A run of characters and what they are: ``plan``, ``baseline``, ``both``, ``flag``,
``today``, ``milestone``, ``heading`` or ``empty`` (the widget maps these to styles)."""


def line_cells(row: TimelineRow, zoom: Zoom, offset: int, width: int, label: int) -> list[Cell]:
    """A whole line as runs: the label column (``label`` cells), then the chart from column
    ``offset``. A heading's text runs on into the chart; only diamonds are drawn over it."""
    chart = max(0, width - label)
    chars, kinds = _chart(row, zoom, offset, chart)
    if row.heading:
        text = (f"{row.flag} " if row.flag else "") + row.label
        diamond = next((label + c for c in range(chart) if kinds[c] == "milestone"), width)
        if len(text) > diamond - 1:
            text = text[: max(0, diamond - 2)] + "…"
        line = [" "] * width
        what = ["heading"] * width
        for x in range(width):
            c = x - label
            if x < len(text) and not (c >= 0 and kinds[c] == "milestone"):
                line[x] = text[x]
            elif c >= 0:
                line[x], what[x] = chars[c], kinds[c]
        return _runs(line, what)
    head = task_label(row, label)
    flag = len(row.flag)
    return _runs(list(head) + chars, ["flag"] * flag + ["label"] * (len(head) - flag) + kinds)


def _chart(row: TimelineRow, zoom: Zoom, offset: int, width: int) -> tuple[list[str], list[str]]:
    chars = [" "] * width
    kinds = ["empty"] * width

    def put(column: int, char: str, kind: str) -> None:
        x = column - offset
        if 0 <= x < width:
            chars[x], kinds[x] = char, kind

    put(0, TODAY, "today")
    if row.heading:
        marks: dict[int, str] = {}
        if row.baseline_day is not None:
            marks[zoom.column(row.baseline_day)] = DIAMOND_BASELINE
        if row.forecast_day is not None:
            column = zoom.column(row.forecast_day)
            both = marks.get(column) == DIAMOND_BASELINE
            marks[column] = DIAMOND_BOTH if both else DIAMOND_FORECAST
        for column, char in marks.items():
            put(column, char, "milestone")
        return chars, kinds
    plan = zoom.span_columns(row.plan) if row.plan else None
    base = zoom.span_columns(row.baseline) if row.baseline else None
    spans = [s for s in (plan, base) if s is not None]
    if not spans:
        return chars, kinds
    lo = max(offset, min(s[0] for s in spans))
    hi = min(offset + width - 1, max(s[1] for s in spans))
    for column in range(lo, hi + 1):
        in_plan = plan is not None and plan[0] <= column <= plan[1]
        in_base = base is not None and base[0] <= column <= base[1]
        if in_plan and in_base:
            put(column, BOTH, "both")
        elif in_plan:
            put(column, PLAN, "plan")
        elif in_base:
            put(column, BASELINE, "baseline")
    if row.flag:
        end = max(s[1] for s in spans) + 1
        for i, char in enumerate(row.flag):
            put(end + i, char, "flag")
    return chars, kinds


def _runs(chars: list[str], kinds: list[str]) -> list[Cell]:
    runs: list[Cell] = []
    start = 0
    for x in range(1, len(chars) + 1):
        if x == len(chars) or kinds[x] != kinds[start]:
            runs.append(("".join(chars[start:x]), kinds[start]))
            start = x
    return runs


def header_lines(axis: Axis, zoom: Zoom, offset: int, width: int) -> tuple[str, str]:
    """The two axis lines above the chart: months (years at month zoom) and days.

    Day zoom numbers every day, week zoom the first day of each week, month zoom names the
    months. A label starts in the column where its period starts (and in the first column
    shown) and is cut one cell before the next label.
    """
    top: list[tuple[int, str]] = []
    bottom: list[tuple[int, str]] = []
    previous: date | None = None
    for x in range(width):
        column = offset + x
        day = zoom.first_day(column)
        if day < axis.first or day > axis.last:
            previous = None
            continue
        when = axis.date_of(day)
        if zoom is Zoom.MONTH:
            if previous is None or when.year != previous.year:
                top.append((x, f"{when.year}"))
            if previous is None or when.month != previous.month:
                bottom.append((x, f"{when:%b}"))
        else:
            if previous is None or (when.year, when.month) != (previous.year, previous.month):
                top.append((x, f"{when:%b %Y}"))
            if (zoom is Zoom.DAY and zoom.column(day) == column) or (
                zoom is Zoom.WEEK
                and (previous is None or when.isocalendar()[:2] != previous.isocalendar()[:2])
            ):
                bottom.append((x, f"{when.day}"))
        previous = when
    return _labels(top, width), _labels(bottom, width)


def _labels(labels: list[tuple[int, str]], width: int) -> str:
    line = [" "] * width
    for i, (x, text) in enumerate(labels):
        stop = labels[i + 1][0] - 1 if i + 1 < len(labels) else width
        for j, char in enumerate(text[: max(0, min(stop, width) - x)]):
            line[x + j] = char
    return "".join(line)


def label_width(width: int) -> int:
    """The label column: flag, id and title when there is room, flag and id at 80 columns."""
    return 34 if width >= 100 else 9


def task_label(row: TimelineRow, width: int) -> str:
    """A task row's label in ``width`` cells: ``!!#12345 `` collapsed, else with the title."""
    head = f"{row.flag:<2}{row.ref:<6} "
    if width <= len(head):
        return head[:width].ljust(width)
    room = width - len(head) - 1
    title = row.label if len(row.label) <= room else row.label[: room - 1] + "…"
    return f"{head}{title}".ljust(width)


# --- words: the detail line ---------------------------------------------------------------


def _link_word(link: TaskLink, other: int, timeline: Timeline, task: Task) -> str:
    lag = f" {link.lag:+d}" if link.lag else ""
    peer = timeline.tasks.get(other) or timeline.peers.get(other)
    across = ""
    if peer is not None and not peer.is_open:
        across = " (done)"
    elif peer is not None and peer.project_id != task.project_id:
        across = f" ({timeline.project_keys.get(peer.project_id, 'personal')})"
    return f"#{other} {link.kind.value}{lag}{across}"


def describe(row: TimelineRow, timeline: Timeline) -> tuple[str, str, str]:
    """Three lines on the highlighted row: what it is, its dates and float, its links."""

    def day(value: date | None) -> str:
        return short_date(value, timeline.today)

    if row.task_id is not None:
        task = timeline.tasks[row.task_id]
        timing = timeline.timings[row.task_id]
        word = {FLAG_LATE: "LATE: a baseline downstream cannot be met",
                FLAG_CRITICAL: "critical", FLAG_NEAR: "near-critical"}.get(row.flag)  # fmt: skip
        first = f"{task.ref} {task.title}" + (f" · {row.flag} {word}" if word else "")
        second = f"plan {day(timing.early_start)}-{day(timing.early_finish)} ({timing.duration} wd)"
        if task.planned_finish is not None:
            second += f" · baseline {day(task.planned_start or task.planned_finish)}-"
            second += day(task.planned_finish)
        if timing.total_float is not None:
            second += f" · float {timing.total_float} wd, free {timing.free_float}"
        links = timeline.links.get(row.task_id, ())
        after = [_link_word(lk, lk.pred_id, timeline, task) for lk in links
                 if lk.succ_id == row.task_id]  # fmt: skip
        before = [_link_word(lk, lk.succ_id, timeline, task) for lk in links
                  if lk.pred_id == row.task_id]  # fmt: skip
        parts = []
        if after:
            parts.append("after " + ", ".join(after))
        if before:
            parts.append("before " + ", ".join(before))
        return first, second, "links: " + (" · ".join(parts) if parts else "none")
    if row.milestone_id is not None:
        m = timeline.milestones[row.milestone_id]
        first = f"M{m.milestone_id} {m.name}" + (f" · {FLAG_LATE} LATE" if row.flag else "")
        second = f"baseline {day(m.baseline)} {DIAMOND_BASELINE}"
        if m.done:
            second += f" · reached {day(m.forecast)}" if m.forecast else " · reached"
        elif m.forecast is not None:
            second += f" · computed forecast {day(m.forecast)} {DIAMOND_FORECAST}"
            if m.slack is not None:
                second += f" ({m.slack} wd to spare)" if m.slack >= 0 else f" ({-m.slack} wd late)"
        else:
            second += " · no open task leads to it"
        count = sum(1 for r in timeline.rows if r.milestone_id == m.milestone_id and not r.heading)
        third = f"typed forecast {day(m.typed_forecast)}"
        return first, second, f"{third} · {plural(count, 'open task')}"
    return row.label, "", ""
