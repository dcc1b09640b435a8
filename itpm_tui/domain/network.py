"""The schedule network: task dependencies, the critical path method (CPM) and "what if" slips.

(``domain/schedule.py`` is something else: milestone slip and task flags from typed dates.
This module computes dates from the links between tasks.)

Two layers:

- ``critical_path`` is the textbook algorithm on whole time units (a unit calendar): a
  forward pass for early start/finish, a backward pass for late start/finish, total and
  free float. Time ``t`` is a boundary: an activity with ``es = 2`` and duration 3 works in
  units 2, 3 and 4 and has ``ef = 5``.
- ``build_network`` turns tasks, links and milestones into such a network in working days
  of each project's calendar, counted from the as-of day (boundary 0 = the start of the
  first working day on or after it), and ``Network.schedule()`` maps the result back to
  dates.

Link rules, for a predecessor P, successor S, lag L (negative: a lead), duration d:

- FS: ``es(S) >= ef(P) + L``; SS: ``es(S) >= es(P) + L``;
  FF: ``ef(S) >= ef(P) + L``; SF: ``ef(S) >= es(P) + L``.
- Nothing starts before the network's start (boundary 0, the as-of day) or before its own
  ``earliest`` bound. Durations are fixed, so ``ls - es == lf - ef`` (total float).
- The backward pass starts every activity at its group's finish (a project's latest early
  finish) and lowers it by each successor's constraint and by its ``deadline``, if any.
  Without deadlines every total float is >= 0; a deadline that cannot be met gives
  negative float.
- Free float is the smallest slack of the activity's outgoing links (how far it can slip
  without moving any successor's early dates); with no successors, its group's finish
  minus its early finish; never below 0 nor above the total float.
- Tie-break: activities are ordered topologically, always taking the ready activity that
  was given first (tasks by id, then milestones); a cycle is named from its lowest member
  in link direction. Dates and floats do not depend on the order, only the report's does.

Task rules (``build_network``):

- Duration of an open task: its remaining hours (``remaining_hours``, else estimate x
  (1 - progress)) over the project's hours per day, **rounded up** to whole working days
  (0.5 h is 1 wd; 0 h is 0 wd). With no hours: the working days of its planned
  start..finish (from the as-of day, if it started already); at least 1 wd. With neither: 1 wd.
- An open task starts no earlier than the as-of day, and a to-do task no earlier than its
  planned start.
- A done task is fixed at its actual dates: finish on the day it was done, start on its
  planned start (if before that), else the same day. It constrains its successors but no
  longer has a float of its own; links into a done task constrain nothing.
- A milestone is a zero-duration successor (FS, no lag) of every task linked to it; its
  computed forecast is the day its last upstream task finishes. Its baseline is a deadline
  ("finish no later than"): when it cannot be met, the tasks upstream get negative float.
  A reached milestone is fixed at its actual date.
- Float to a milestone counts only the tasks upstream of it: how many working days a task
  can slip before that milestone's computed forecast moves.
- Links across projects convert at the link: the successor may work on its own calendar's
  first working day after the predecessor's last one (the backward pass uses the exact
  inverse); the lag counts in the successor's calendar.
- Critical: total float <= 0. Near-critical: 0 < total float <= the project's
  ``near_critical_days`` threshold (default 2 wd).
- A slip of N wd delays the whole task N working days after its early start (start and
  finish); a milestone then moves by ``max(0, N - float to it)``.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Generic, NamedTuple

from typing_extensions import TypeVar

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.schedule import remaining_hours
from itpm_tui.errors import InvalidInput
from itpm_tui.heap import no_gc_pauses
from itpm_tui.models import LinkType, Milestone, Project, Status, Task, TaskFacts, TaskLink

T = TypeVar("T", bound=TaskFacts, default=Task)
"""The kind of task a network holds: full ``Task``s, or light ``TaskRow``s for health."""

Key = Any
"""An activity's id: a task id, or a textbook letter; any hashable value (typed ``Any`` so
callers keep their own key type: ``Mapping`` is invariant in its keys)."""

_FS, _SS, _FF, _SF = 0, 1, 2, 3
_KIND = {LinkType.FS: _FS, LinkType.SS: _SS, LinkType.FF: _FF, LinkType.SF: _SF}


class NetworkCycle(InvalidInput):
    """The links make a loop, so no schedule exists; ``cycle`` names it, first node last too."""

    def __init__(self, cycle: Sequence[Key]) -> None:
        self.cycle = tuple(cycle)
        super().__init__("the links make a cycle: " + " -> ".join(_label(k) for k in cycle))


def _label(key: Key) -> str:
    return f"#{key}" if isinstance(key, int) else str(key)


class Link(NamedTuple):
    """One precedence link of a network: ``pred`` -> ``succ`` (a tuple: cheap by the 100,000)."""

    pred: Key
    succ: Key
    kind: LinkType = LinkType.FS
    lag: int = 0


Convert = Callable[[int, int, int], int]
"""``(pred index, succ index, boundary) -> boundary`` across two calendars."""


@dataclass
class Times:
    """The result of both passes, one list entry per activity (in input order)."""

    keys: list[Key]
    index: dict[Key, int]
    duration: list[int]
    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    total_float: list[int]
    free_float: list[int]
    fixed: list[bool]
    group_finish: dict[Key, int]
    order: list[int]
    """Activity indices in topological order."""
    position: list[int] = field(repr=False)
    """Per activity: its place in ``order``."""
    preds: list[list[int]] = field(repr=False)
    """Incoming link numbers per activity."""
    succs: list[list[int]] = field(repr=False)
    """Outgoing link numbers per activity."""
    link_from: list[int] = field(repr=False)
    link_to: list[int] = field(repr=False)
    link_kind: list[int] = field(repr=False)
    link_lag: list[int] = field(repr=False)
    start_bound: list[int] = field(repr=False)
    """Per activity: its start-no-earlier-than bound (0 if none), before the passes."""
    crossing: list[bool] = field(repr=False)
    """Per link: whether it crosses calendars (empty when nothing converts)."""
    to_succ: Convert = field(repr=False)
    """The forward boundary conversion the passes used."""

    def early_finish_with(self, changed: int, duration: int) -> list[int]:
        """Every early finish if activity ``changed`` (not fixed) took ``duration``.

        Only ``changed`` and the activities after it are passed again, in topological
        order: nothing else depends on it, so this equals a whole forward pass with that
        duration, for the cost of its successors only.
        """
        succs, preds, link_to, link_from = self.succs, self.preds, self.link_to, self.link_from
        reached = {changed}
        todo = [changed]
        while todo:
            for number in succs[todo.pop()]:
                s = link_to[number]
                if s not in reached:
                    reached.add(s)
                    todo.append(s)
        es, ef = list(self.es), list(self.ef)
        crossing, to_succ = self.crossing, self.to_succ
        for s in sorted(reached, key=self.position.__getitem__):
            if self.fixed[s]:
                continue
            d = duration if s == changed else self.duration[s]
            start = self.start_bound[s]
            for number in preds[s]:
                p = link_from[number]
                base = ef[p] if self.link_kind[number] in (_FS, _FF) else es[p]
                if crossing and crossing[number]:
                    base = to_succ(p, s, base)
                bound = base + self.link_lag[number]
                if self.link_kind[number] in (_FF, _SF):
                    bound -= d
                if bound > start:
                    start = bound
            es[s] = start
            ef[s] = start + d
        return ef

    @property
    def finish(self) -> int:
        """The latest early finish of all activities (0 for an empty network)."""
        return max(self.ef, default=0)

    def of(self, key: Key) -> tuple[int, int, int, int, int, int]:
        """``(es, ef, ls, lf, total float, free float)`` of one activity."""
        i = self.index[key]
        return (self.es[i], self.ef[i], self.ls[i], self.lf[i], self.total_float[i],
                self.free_float[i])  # fmt: skip

    def critical(self) -> list[Key]:
        """Keys with total float <= 0 (fixed activities excluded), in topological order."""
        return [self.keys[i] for i in self.order if not self.fixed[i] and self.total_float[i] <= 0]


def critical_path(
    durations: Mapping[Key, int] | Sequence[tuple[Key, int]],
    links: Iterable[Link],
    *,
    earliest: Mapping[Key, int] | None = None,
    deadline: Mapping[Key, int] | None = None,
    fixed: Mapping[Key, tuple[int, int]] | None = None,
    group: Mapping[Key, Key] | None = None,
    convert: tuple[Convert, Convert] | None = None,
    cross: Callable[[int, int], bool] | None = None,
) -> Times:
    """Forward and backward pass over activities and links, in whole units (see the module).

    ``earliest``: start-no-earlier-than bounds (default 0); ``deadline``: finish-no-later-
    than bounds; ``fixed``: ``(start, finish)`` of finished work; ``group``: activities whose
    backward pass starts from their own group's finish (default: one group). ``convert``
    (forward, backward) and ``cross`` translate boundaries on links between calendars.
    Raises ``NetworkCycle`` naming a cycle, ``InvalidInput`` for a link to an unknown key.
    """
    with no_gc_pauses():
        return _critical_path(durations, links, earliest, deadline, fixed, group, convert, cross)


def _critical_path(
    durations: Mapping[Key, int] | Sequence[tuple[Key, int]],
    links: Iterable[Link],
    earliest: Mapping[Key, int] | None,
    deadline: Mapping[Key, int] | None,
    fixed: Mapping[Key, tuple[int, int]] | None,
    group: Mapping[Key, Key] | None,
    convert: tuple[Convert, Convert] | None,
    cross: Callable[[int, int], bool] | None,
) -> Times:
    items = list(durations.items()) if isinstance(durations, Mapping) else list(durations)
    keys = [k for k, _ in items]
    index = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    dur = [d for _, d in items]
    succs: list[list[int]] = [[] for _ in range(n)]
    preds: list[list[int]] = [[] for _ in range(n)]
    link_from: list[int] = []
    link_to: list[int] = []
    link_kind: list[int] = []
    link_lag: list[int] = []
    for link in links:
        p = index.get(link.pred)
        s = index.get(link.succ)
        if p is None or s is None:
            missing = link.pred if p is None else link.succ
            raise InvalidInput(f"a link refers to {_label(missing)}, which is not in the network")
        number = len(link_from)
        link_from.append(p)
        link_to.append(s)
        link_kind.append(_KIND[link.kind])
        link_lag.append(link.lag)
        succs[p].append(number)
        preds[s].append(number)
    order = _topological(keys, succs, preds, link_to, link_from)
    # Per link: whether it waits for the predecessor's finish (else its start), and whether
    # it holds back the successor's finish (else its start).
    from_finish = [k in (_FS, _FF) for k in link_kind]
    to_finish = [k in (_FF, _SF) for k in link_kind]

    is_fixed = [False] * n
    es = [0] * n
    ef = [0] * n
    if earliest:
        for k, v in earliest.items():
            es[index[k]] = max(0, v)
    if fixed:
        for k, (start, finish) in fixed.items():
            i = index[k]
            is_fixed[i] = True
            es[i], ef[i] = start, finish
    to_succ, to_pred = convert if convert else (_same, _same)
    crossing = (
        [cross(link_from[k], link_to[k]) for k in range(len(link_from))]
        if convert is not None and cross is not None
        else []
    )
    any_cross = any(crossing)
    start_bound = list(es)

    # Forward pass.
    for s in order:
        if is_fixed[s]:
            continue
        d = dur[s]
        start = es[s]
        for number in preds[s]:
            p = link_from[number]
            base = ef[p] if from_finish[number] else es[p]
            if any_cross and crossing[number]:
                base = to_succ(p, s, base)
            bound = base + link_lag[number]
            if to_finish[number]:
                bound -= d
            if bound > start:
                start = bound
        es[s] = start
        ef[s] = start + d

    groups = [group.get(k) if group else None for k in keys]
    group_finish: dict[Key, int] = {}
    for i in range(n):
        g = groups[i]
        if ef[i] > group_finish.get(g, -(10**9)):
            group_finish[g] = ef[i]

    # Backward pass.
    lf = [group_finish[groups[i]] for i in range(n)]
    if deadline:
        for k, v in deadline.items():
            i = index[k]
            if v < lf[i]:
                lf[i] = v
    ls = [0] * n
    for p in reversed(order):
        if is_fixed[p]:
            ls[p], lf[p] = es[p], ef[p]
            continue
        d = dur[p]
        finish = lf[p]
        for number in succs[p]:
            s = link_to[number]
            if is_fixed[s]:
                continue
            base = lf[s] if to_finish[number] else ls[s]
            base -= link_lag[number]
            if any_cross and crossing[number]:
                base = to_pred(p, s, base)
            if not from_finish[number]:
                base += d
            if base < finish:
                finish = base
        lf[p] = finish
        ls[p] = finish - d

    total = [lf[i] - ef[i] for i in range(n)]
    free = [0] * n
    for p in range(n):
        if is_fixed[p]:
            continue
        slack: int | None = None
        for number in succs[p]:
            s = link_to[number]
            if is_fixed[s]:
                continue
            mine = ef[p] if from_finish[number] else es[p]
            if any_cross and crossing[number]:
                mine = to_succ(p, s, mine)
            theirs = ef[s] if to_finish[number] else es[s]
            value = theirs - link_lag[number] - mine
            if slack is None or value < slack:
                slack = value
        own = (group_finish[groups[p]] - ef[p]) if slack is None else slack
        free[p] = max(0, min(own, total[p]))  # a lead before the network start: not more
    position = [0] * n
    for place, i in enumerate(order):
        position[i] = place
    return Times(keys, index, dur, es, ef, ls, lf, total, free, is_fixed, group_finish, order,
                 position,
                 preds, succs, link_from, link_to, link_kind, link_lag, start_bound,
                 crossing if any_cross else [], to_succ)  # fmt: skip


def _same(p: int, s: int, boundary: int) -> int:
    return boundary


def _topological(
    keys: list[Key],
    succs: list[list[int]],
    preds: list[list[int]],
    link_to: list[int],
    link_from: list[int],
) -> list[int]:
    """Kahn's algorithm, of the ready activities the one given first; ``NetworkCycle`` names a cycle if there is one."""
    n = len(keys)
    waiting = [len(p) for p in preds]
    ready = [i for i in range(n) if not waiting[i]]  # already a heap: sorted
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for number in succs[i]:
            s = link_to[number]
            waiting[s] -= 1
            if not waiting[s]:
                heapq.heappush(ready, s)
    if len(order) == n:
        return order
    # Some activities wait forever: walk predecessors among them until one repeats.
    stuck = {i for i in range(n) if waiting[i]}
    start = min(stuck)
    path = [start]
    seen = {start: 0}
    node = start
    while True:
        node = min(link_from[number] for number in preds[node] if link_from[number] in stuck)
        if node in seen:
            loop = path[seen[node] :][::-1]  # walked backwards: reverse to link direction
            first = loop.index(min(loop))
            loop = loop[first:] + loop[:first]
            loop.append(loop[0])
            raise NetworkCycle([keys[i] for i in loop])
        seen[node] = len(path)
        path.append(node)


def find_cycle(links: Iterable[tuple[int, int]]) -> tuple[int, ...] | None:
    """A cycle in these task links (``(pred, succ)`` ids) as ``(a, b, ..., a)``, else ``None``."""
    pairs = list(links)
    ids = sorted({i for pair in pairs for i in pair})
    try:
        critical_path([(i, 0) for i in ids], [Link(p, s) for p, s in pairs])
    except NetworkCycle as err:
        return tuple(int(k) for k in err.cycle)
    return None


# --- working days as integer boundaries --------------------------------------------------


class DayIndex:
    """A calendar's working days numbered from an origin: 0 is the first on or after it.

    The table grows on demand in both directions, so any date maps in O(log n).
    """

    def __init__(self, calendar: WorkCalendar, origin: date) -> None:
        self.calendar = calendar
        first = calendar.on_or_after(origin)
        self._days = [first]
        self._offset = 0
        """``self._days[i + self._offset]`` is working day ``i``."""

    def _grow_to(self, i: int) -> None:
        cal = self.calendar
        while i + self._offset >= len(self._days):
            day = self._days[-1] + timedelta(days=1)
            while not cal.is_working_day(day):
                day += timedelta(days=1)
            self._days.append(day)
        if i + self._offset < 0:
            # Collected backwards and prepended once: one insert(0) per day copied the
            # whole table each time (thousands of days back at 100k tasks).
            earlier: list[date] = []
            day = self._days[0]
            while i + self._offset + len(earlier) < 0:
                day -= timedelta(days=1)
                while not cal.is_working_day(day):
                    day -= timedelta(days=1)
                earlier.append(day)
            earlier.reverse()
            self._days[:0] = earlier
            self._offset += len(earlier)

    def day(self, i: int) -> date:
        """Working day number ``i``."""
        j = i + self._offset
        if j < 0 or j >= len(self._days):
            self._grow_to(i)
            j = i + self._offset
        return self._days[j]

    def on_or_after(self, day: date) -> int:
        """The number of the first working day on or after ``day``."""
        while day > self._days[-1]:
            self._grow_to(len(self._days) - self._offset + 64)
        while day < self._days[0]:
            self._grow_to(-self._offset - 64)
        return bisect.bisect_left(self._days, day) - self._offset

    def on_or_before(self, day: date) -> int:
        """The number of the last working day on or before ``day``."""
        i = self.on_or_after(day)
        return i if self.day(i) == day else i - 1


# --- tasks and milestones ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskTiming:
    """One task's computed dates, in working days of its project's calendar."""

    task_id: int
    project_id: int | None
    duration: int
    """Working days of work left (done tasks: the days they took)."""
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int | None
    """``None`` for a done task (it cannot slip any more)."""
    free_float: int | None
    critical: bool
    near_critical: bool
    done: bool


@dataclass(frozen=True)
class MilestoneForecast:
    """A milestone's forecast computed from its upstream network, beside the typed one."""

    milestone_id: int
    project_id: int
    name: str
    baseline: date
    typed_forecast: date
    forecast: date | None
    """``None`` when no task leads to it (nothing to compute from)."""
    slack: int | None
    """Working days from the computed forecast to the baseline; negative: cannot be met."""
    done: bool
    _detail: Callable[[], tuple[tuple[int, ...], Mapping[int, int]]] = field(
        repr=False, compare=False
    )
    """Computes ``upstream`` and ``float_to`` on first use (see ``MilestoneSweep``: one sweep
    shared by the result's milestones, then a backward pass over this one's upstream)."""

    @cached_property
    def _upstream_and_float(self) -> tuple[tuple[int, ...], Mapping[int, int]]:
        return self._detail()

    @property
    def upstream(self) -> tuple[int, ...]:
        """Task ids that lead to it, in topological order."""
        return self._upstream_and_float[0]

    @property
    def float_to(self) -> Mapping[int, int]:
        """Per open upstream task: working days it can slip before this forecast moves."""
        return self._upstream_and_float[1]

    @property
    def moved(self) -> int | None:
        """Computed forecast minus the typed one in calendar days (``None``: no forecast)."""
        return None if self.forecast is None else (self.forecast - self.typed_forecast).days


@dataclass(frozen=True)
class ScheduleResult:
    """The whole network at an as-of day: per task, per milestone, per project finish."""

    as_of: date
    tasks: Mapping[int, TaskTiming]
    milestones: Mapping[int, MilestoneForecast]
    project_finish: Mapping[int | None, date]
    order: tuple[int, ...]
    """Task ids in topological order (predecessors first)."""

    @property
    def critical_ids(self) -> tuple[int, ...]:
        """Open tasks with total float <= 0, in topological order."""
        return tuple(i for i in self.order if self.tasks[i].critical)


@dataclass(frozen=True)
class Move:
    """Something whose date a what-if moves: a milestone or a project's finish."""

    what: str
    """``milestone`` or ``project``."""
    id: int | None
    name: str
    before: date | None
    after: date | None
    working_days: int
    """Positive: later."""

    def text(self, day: Callable[[date | None], str] = str) -> str:
        """``milestone "Cut-over" moves +2 wd (2026-12-18 -> 2026-12-21)``, dates by ``day``."""
        label = f'milestone "{self.name}"' if self.what == "milestone" else f"{self.name} finish"
        return f"{label} moves {self.working_days:+d} wd ({day(self.before)} -> {day(self.after)})"


NOTHING_MOVES = "nothing moves (within float)"
"""What a what-if says when every slip stays within float."""


@dataclass(frozen=True)
class WhatIf:
    """What a set of slips would move, computed without saving anything."""

    slips: Mapping[int, int]
    moves: tuple[Move, ...]
    result: ScheduleResult

    def lines(self, day: Callable[[date | None], str] = str) -> list[str]:
        """``what if #14 +3 wd:`` then one line per milestone or finish that moves (dates
        written by ``day``: ISO by default, as the CLI prints them)."""
        slips = ", ".join(f"#{k} +{v} wd" for k, v in self.slips.items())
        if not self.moves:
            return [f"what if {slips}: {NOTHING_MOVES}"]
        return [f"what if {slips}:", *(f"  {move.text(day)}" for move in self.moves)]


@dataclass(frozen=True)
class LateReason:
    """A late task that moves a milestone, with the sentence that says so."""

    task_id: int
    milestone_id: int
    project_id: int
    late: int
    """Working days its computed finish lies after its planned one."""
    moves: int
    """Working days the milestone would come in if this task were on time."""
    text: str


def _mkey(milestone_id: int) -> str:
    return f"M{milestone_id}"


class Network(Generic[T]):
    """Tasks, links and milestones prepared for the CPM passes (see ``build_network``)."""

    def __init__(
        self,
        tasks: Sequence[T],
        links: Sequence[TaskLink],
        milestones: Sequence[Milestone],
        projects: Mapping[int, Project],
        as_of: date,
        *,
        constrain: bool = True,
    ) -> None:
        self.as_of = as_of
        self.tasks: dict[int, T] = {t.id: t for t in tasks}
        self.milestones = {m.id: m for m in milestones}
        self.projects = projects
        self.links = [lk for lk in links if lk.pred_id in self.tasks and lk.succ_id in self.tasks]
        self.constrain = constrain
        self._index: dict[int | None, DayIndex] = {}
        self._durations: list[tuple[Key, int]] = []
        self._earliest: dict[Key, int] = {}
        self._fixed: dict[Key, tuple[int, int]] = {}
        self._deadline: dict[Key, int] = {}
        self._group: dict[Key, Key] = {}
        self._project_of: list[int | None] = []
        with no_gc_pauses():
            self._add_tasks(tasks)
            self._net_links = [Link(lk.pred_id, lk.succ_id, lk.kind, lk.lag) for lk in self.links]
            by_milestone: dict[int, list[int]] = {}
            for task in tasks:
                if task.milestone_id is not None:
                    by_milestone.setdefault(task.milestone_id, []).append(task.id)
            for m in milestones:
                self._add_milestone(m, by_milestone.get(m.id, []))

    def calendar_index(self, project_id: int | None) -> DayIndex:
        """The working-day numbering of a project's calendar from the as-of day."""
        index = self._index.get(project_id)
        if index is None:
            project = self.projects.get(project_id) if project_id is not None else None
            index = DayIndex(WorkCalendar.for_project(project), self.as_of)
            self._index[project_id] = index
        return index

    def _hours_per_day(self, project_id: int | None) -> float:
        project = self.projects.get(project_id) if project_id is not None else None
        return project.hours_per_day if project else 8.0

    def _add_tasks(self, tasks: Sequence[T]) -> None:
        """Each task's duration, and the fixed span of a done one, in working-day numbers.

        The project's day index and hours a day are looked up once per run of tasks of one
        project (the tasks come by project), not per task: this runs for every task of a
        portfolio, done ones too.
        """
        as_of, before = self.as_of, self.as_of - timedelta(days=1)
        group, project_of, durations = self._group, self._project_of, self._durations
        fixed, earliest = self._fixed, self._earliest
        if not tasks:
            return
        current = tasks[0].project_id
        days, per_day = self.calendar_index(current), self._hours_per_day(current)
        for task in tasks:
            project_id = task.project_id
            if project_id != current:
                current = project_id
                days = self.calendar_index(project_id)
                per_day = self._hours_per_day(project_id)
            key = task.id
            group[key] = project_id
            project_of.append(project_id)
            status = task.status
            if status is Status.DONE:
                finish = (task.done_at.date() if task.done_at else None) or task.planned_finish
                finish = finish or before
                start = task.planned_start
                if not (start and start <= finish):
                    start = finish
                first = days.on_or_after(start)
                last = max(first, days.on_or_before(finish))
                durations.append((key, last + 1 - first))
                fixed[key] = (first, last + 1)
                continue
            hours = remaining_hours(task)
            if hours is not None:
                duration = math.ceil(round(hours / per_day, 9))
            elif task.planned_finish is not None:
                begin = task.planned_start or task.planned_finish
                if status is not Status.TODO or begin < as_of:
                    begin = max(begin, as_of)
                duration = max(1, days.calendar.count(begin, task.planned_finish))
            else:
                duration = 1
            durations.append((key, duration))
            if status is Status.TODO and task.planned_start and task.planned_start > as_of:
                earliest[key] = days.on_or_after(task.planned_start)

    def _add_milestone(self, m: Milestone, task_ids: list[int]) -> None:
        key = _mkey(m.id)
        days = self.calendar_index(m.project_id)
        self._group[key] = m.project_id
        self._project_of.append(m.project_id)
        self._durations.append((key, 0))
        if m.actual is not None:
            at = days.on_or_before(m.actual) + 1
            self._fixed[key] = (at, at)
        elif self.constrain:
            self._deadline[key] = days.on_or_before(m.baseline) + 1
        self._net_links.extend(Link(task_id, key) for task_id in task_ids)

    def _pass(
        self,
        earliest: Mapping[Key, int] | None = None,
        durations: Mapping[Key, int] | None = None,
    ) -> Times:
        projects = self._project_of

        def cross(p: int, s: int) -> bool:
            return projects[p] != projects[s]

        # A boundary is the end of the working day before it. Forward: the successor's
        # calendar's boundary after the same day; backward: the latest predecessor boundary
        # that forward maps on or before the successor's (its exact inverse, so no float is
        # lost or invented across calendars).
        def forward(p: int, s: int, boundary: int) -> int:
            last = self.calendar_index(projects[p]).day(boundary - 1)
            return self.calendar_index(projects[s]).on_or_before(last) + 1

        def backward(p: int, s: int, boundary: int) -> int:
            when = self.calendar_index(projects[s]).day(boundary)
            return self.calendar_index(projects[p]).on_or_before(when - timedelta(days=1)) + 1

        bounds = dict(self._earliest)
        if earliest:
            for k, v in earliest.items():
                bounds[k] = max(bounds.get(k, 0), v)
        items = self._durations
        if durations:
            items = [(k, durations.get(k, d)) for k, d in items]
        return critical_path(
            items, self._net_links, earliest=bounds, deadline=self._deadline,
            fixed=self._fixed, group=self._group, convert=(forward, backward), cross=cross,
        )  # fmt: skip

    def schedule(self) -> ScheduleResult:
        """Both passes and every milestone's forecast and float, as dates."""
        times = self._pass()
        with no_gc_pauses():
            return self._result(times)

    def what_if(self, slips: Mapping[int, int]) -> WhatIf:
        """Delay some tasks by N working days each; what milestones and finishes move.

        Nothing is saved: this recomputes the network with each slipped task starting no
        earlier than its early start plus its slip.
        """
        for task_id, days in slips.items():
            task = self.tasks.get(task_id)
            if task is None:
                raise InvalidInput(f"no task #{task_id} in this schedule")
            if not task.is_open:
                raise InvalidInput(f"#{task_id} is done: it cannot slip any more")
            if days < 0:
                raise InvalidInput(f"a slip is a number of working days >= 0 (got {days})")
        before_times = self._pass()
        bounds: dict[Key, int] = {
            k: before_times.es[before_times.index[k]] + n for k, n in slips.items()
        }
        after_times = self._pass(bounds)
        before, after = self._result(before_times), self._result(after_times)
        moves: list[Move] = []
        for mid, m in before.milestones.items():
            new = after.milestones[mid]
            key = _mkey(mid)
            shift = (
                after_times.ef[after_times.index[key]] - before_times.ef[before_times.index[key]]
            )
            if shift and not m.done:
                moves.append(Move("milestone", mid, m.name, m.forecast, new.forecast, shift))
        for pid, finish in before.project_finish.items():
            shift = after_times.group_finish[pid] - before_times.group_finish[pid]
            if shift:
                project = self.projects.get(pid) if pid is not None else None
                moves.append(Move("project", pid, project.key if project else "personal",
                                  finish, after.project_finish[pid], shift))  # fmt: skip
        return WhatIf(dict(slips), tuple(moves), after)

    def late_reasons(self, limit: int = 20) -> tuple[LateReason, ...]:
        """Why milestones move: each open task finishing after its plan, and what it costs.

        A task is late by the working days from its planned finish (else its due date) to its
        computed early finish. For each such task (the latest first, at most ``limit``) the
        network is computed again with the task's own part on time (its remaining work
        shortened by its lateness, at most all of it); a milestone that then comes in by M
        wd is moved by this task: "#42 is 3 wd late with 1 wd float: milestone Cut-over
        moves +2 wd (forecast 18 Dec)", the float being its own lateness minus M (the year
        is said when it is not the as-of date's).
        Lateness inherited from predecessors is said as such; tasks whose lateness fits in
        their float give no reason.
        """
        times = self._pass()
        late: list[tuple[int, int]] = []
        for task_id, task in self.tasks.items():
            planned = task.planned_finish or task.due
            i = times.index[task_id]
            if not task.is_open or planned is None or times.fixed[i]:
                continue
            days = self.calendar_index(task.project_id)
            by = times.ef[i] - (days.on_or_before(planned) + 1)
            if by > 0 and times.duration[i] > 0:
                late.append((task_id, by))
        late.sort(key=lambda item: (-item[1], item[0]))
        reasons: list[LateReason] = []
        for task_id, by in late[:limit]:
            i = times.index[task_id]
            own = min(by, times.duration[i])
            on_time = times.early_finish_with(i, times.duration[i] - own)
            for m in self.milestones.values():
                key = _mkey(m.id)
                j = times.index[key]
                moves = times.ef[j] - on_time[j]
                if moves > 0 and not times.fixed[j]:
                    forecast = self.calendar_index(m.project_id).day(times.ef[j] - 1)
                    waiting = (
                        f" ({by - own} wd of it waiting for its predecessors)" if own < by else ""
                    )
                    text = (
                        f"#{task_id} is {by} wd late{waiting} with {own - moves} wd float: "
                        f"milestone {m.name} moves +{moves} wd "
                        f"(forecast {short_date(forecast, self.as_of)})"
                    )
                    reasons.append(LateReason(task_id, m.id, m.project_id, by, moves, text))
        return tuple(reasons)

    def _near(self, project_id: int | None) -> int:
        project = self.projects.get(project_id) if project_id is not None else None
        return project.thresholds.near_critical_days if project else 2

    def _result(self, times: Times) -> ScheduleResult:
        tasks: dict[int, TaskTiming] = {}
        for task_id, task in self.tasks.items():
            i = times.index[task_id]
            days = self.calendar_index(task.project_id)
            es, ef, ls, lf = times.es[i], times.ef[i], times.ls[i], times.lf[i]
            done = times.fixed[i]
            total = None if done else times.total_float[i]
            tasks[task_id] = TaskTiming(
                task_id=task_id, project_id=task.project_id, duration=ef - es,
                early_start=days.day(es), early_finish=days.day(max(es, ef - 1)),
                late_start=days.day(ls), late_finish=days.day(max(ls, lf - 1)),
                total_float=total, free_float=None if done else times.free_float[i],
                critical=total is not None and total <= 0,
                near_critical=total is not None and 0 < total <= self._near(task.project_id),
                done=done,
            )  # fmt: skip
        sweep = MilestoneSweep(times, [times.index[_mkey(mid)] for mid in self.milestones])
        milestones = {m.id: self._forecast(m, times, sweep) for m in self.milestones.values()}
        finish: dict[int | None, date] = {}
        for pid, boundary in times.group_finish.items():
            pid_ = pid if isinstance(pid, int) else None
            finish[pid_] = self.calendar_index(pid_).day(boundary - 1)
        order = tuple(k for k in (times.keys[i] for i in times.order) if isinstance(k, int))
        return ScheduleResult(self.as_of, tasks, milestones, finish, order)

    def _forecast(self, m: Milestone, times: Times, sweep: MilestoneSweep) -> MilestoneForecast:
        key = _mkey(m.id)
        i = times.index[key]
        days = self.calendar_index(m.project_id)
        done = times.fixed[i]
        forecast: date | None
        if done:
            forecast = m.actual
        elif times.preds[i]:
            forecast = days.day(times.ef[i] - 1)
        else:
            forecast = None
        slack = None
        if forecast is not None:
            slack = days.on_or_before(m.baseline) + 1 - times.ef[i]

        def detail() -> tuple[tuple[int, ...], Mapping[int, int]]:
            upstream = tuple(k for k in sweep.upstream(i) if isinstance(k, int))
            return upstream, sweep.float_to(i) if upstream else {}

        return MilestoneForecast(
            milestone_id=m.id, project_id=m.project_id, name=m.name, baseline=m.baseline,
            typed_forecast=m.forecast, forecast=forecast, slack=slack, done=done,
            _detail=detail,
        )  # fmt: skip


class MilestoneSweep:
    """What leads to each milestone, and the float to it, for one result's milestones at once.

    One reverse topological sweep over every link finds, per activity, the milestones it
    leads to (a bit per milestone): by any path (``upstream``) and by a path of open
    activities only (the ones a backward pass from the milestone reaches, since links into
    done work constrain nothing). Each milestone's float is then one backward pass over
    exactly its own upstream activities, from its own early finish, in reverse topological
    order: no search, no sort, no dict per milestone. Computed on first use: a schedule
    that never asks for a float to a milestone pays nothing.

    Links between two calendars are taken at face value here (working-day counts, not
    dates), so across projects with different holidays this float can be off by those
    holidays.
    """

    def __init__(self, times: Times, targets: Sequence[int]) -> None:
        self.times = times
        self.bit = {t: 1 << k for k, t in enumerate(targets)}
        """Per milestone activity: its bit in the masks."""
        self._found: dict[int, list[int]] = {}

    @cached_property
    def _masks(self) -> tuple[list[int], list[int]]:
        """Per activity: the milestones it leads to by any path, and through open work only."""
        times, bit = self.times, self.bit
        n = len(times.keys)
        own = [0] * n
        for t, b in bit.items():
            own[t] = b
        fixed, succs, link_to = times.fixed, times.succs, times.link_to
        up = [0] * n
        live = [0 if fixed[i] else own[i] for i in range(n)]
        with no_gc_pauses():
            for p in reversed(times.order):
                numbers = succs[p]
                if not numbers:
                    continue
                u = 0
                v = 0
                for number in numbers:
                    s = link_to[number]
                    u |= up[s] | own[s]
                    v |= live[s]
                up[p] = u
                if not fixed[p]:
                    live[p] |= v
        return up, live

    @cached_property
    def _offsets(self) -> list[int]:
        """Per link: ``lf(pred) <= ls(succ) + offset`` (FS, SS, FF, SF in one sum)."""
        times = self.times
        dur, link_from, link_to = times.duration, times.link_from, times.link_to
        return [
            -lag + (dur[link_to[k]] if kind in (_FF, _SF) else 0)
            + (dur[link_from[k]] if kind in (_SS, _SF) else 0)
            for k, (kind, lag) in enumerate(zip(times.link_kind, times.link_lag, strict=True))
        ]  # fmt: skip

    def _upstream(self, target: int) -> list[int]:
        """Indices of every activity with a path of links to ``target``, in topological order."""
        found = self._found.get(target)
        if found is None:
            up = self._masks[0]
            b = self.bit[target]
            found = self._found[target] = [p for p in self.times.order if up[p] & b]
        return found

    def upstream(self, target: int) -> list[Key]:
        """Keys of every activity with a path of links to ``target``, in topological order."""
        keys = self.times.keys
        return [keys[p] for p in self._upstream(target)]

    def float_to(self, target: int) -> dict[int, int]:
        """Per open task leading to ``target`` through open work: late finish against the
        target's early finish, minus its early finish, in topological order."""
        times = self.times
        if times.fixed[target]:
            return {}
        live = self._masks[1]
        b = self.bit[target]
        members = [p for p in self._upstream(target) if live[p] & b]
        offsets = self._offsets
        succs, link_to, dur, ef, keys = (
            times.succs, times.link_to, times.duration, times.ef, times.keys
        )  # fmt: skip
        unreached = 1 << 62  # never the minimum: every member has a reached successor
        ls = [unreached] * len(keys)
        ls[target] = ef[target] - dur[target]
        for p in reversed(members):
            finish = unreached
            for number in succs[p]:
                value = ls[link_to[number]] + offsets[number]
                if value < finish:
                    finish = value
            ls[p] = finish - dur[p]
        return {key: ls[p] + dur[p] - ef[p] for p in members if isinstance(key := keys[p], int)}


def build_network(
    tasks: Iterable[T],
    links: Iterable[TaskLink],
    milestones: Iterable[Milestone],
    projects: Iterable[Project],
    as_of: date,
    *,
    constrain: bool = True,
) -> Network[T]:
    """A network of the given tasks (links to tasks not given are left out) at ``as_of``.

    ``constrain=False`` ignores milestone baselines, so every float is >= 0.
    """
    return Network(list(tasks), list(links), list(milestones), {p.id: p for p in projects},
                   as_of, constrain=constrain)  # fmt: skip
