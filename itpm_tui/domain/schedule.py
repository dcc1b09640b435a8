"""Milestone slip, status and trend, and the task flags (overdue, due soon, blocked, at risk, stale).

Every count of days here is in working days of the project calendar, and every result carries
reason sentences so the UI and CLI only render them.

Milestone status, at an as-of date (``as_of`` counts as a working day still available, as
health is read in the morning):

- **done**: its actual date is on or before the baseline.
- **done late**: its actual date is after the baseline.
- **late**: not done and the as-of date is past the baseline: the commitment is already missed,
  whatever the forecast now says.
- **at risk**: not done, not late, and any of: the forecast is after the baseline (slip > 0);
  the forecast date has passed; a linked open task is overdue or due after the forecast; some
  assignee's remaining hours on linked open tasks exceed their working hours left before the
  forecast (``hours_per_day`` per working day from the as-of date to the forecast, inclusive).
  The last two make a milestone at risk even if nobody moved its forecast.
- **on track**: otherwise.

Slip is ``forecast - baseline`` (``actual - baseline`` once done) in working days. A
forecast that has passed while the milestone is open is stale: slip then counts to the as-of
date (it cannot be reached earlier) and the trend says it is slipping.

Task flags (only open tasks are flagged):

- **overdue**: due before the as-of date.
- **due soon**: due on the as-of date or within ``due_soon_days`` working days after it.
- **blocked**: status blocked for more than ``blocked_days`` working days (since
  ``blocked_since``, else since its last update).
- **at risk**: not overdue, and its remaining hours exceed ``hours_per_day`` x the working
  days from the as-of date to its due date, inclusive.
- **stale**: in progress (doing or review) with no update for ``stale_days`` working days or more.

Remaining hours are ``remaining_hours`` when set, else ``estimate_hours`` x (1 - progress);
a task with neither is not counted (and cannot be at risk by hours).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.numbers import hours_text
from itpm_tui.domain.wording import plural
from itpm_tui.models import Milestone, Project, RagThresholds, Status, TaskFacts

_IN_PROGRESS = (Status.DOING, Status.REVIEW)


def _days(count: int) -> str:
    return plural(count, "working day")


def remaining_hours(task: TaskFacts) -> float | None:
    """Hours of work left on ``task``; ``None`` when nobody estimated it."""
    if task.status is Status.DONE:
        return 0.0
    if task.remaining_hours is not None:
        return task.remaining_hours
    if task.estimate_hours is not None:
        return task.estimate_hours * (1.0 - task.progress / 100.0)
    return None


# --- milestones ---------------------------------------------------------------------------


class MilestoneStatus(StrEnum):
    """Where a milestone stands at the as-of date."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    LATE = "late"
    DONE = "done"
    DONE_LATE = "done late"


class TrendDirection(StrEnum):
    """Which way the latest forecast change moved the slip."""

    SLIPPING = "slipping"
    STABLE = "stable"
    RECOVERING = "recovering"


@dataclass(frozen=True)
class TrendPoint:
    """One recorded forecast and its slip against the baseline (milestone trend analysis)."""

    recorded_on: date
    forecast: date
    slip: int
    """Working days the forecast lies after the baseline."""


@dataclass(frozen=True)
class MilestoneTrend:
    """The forecast history as slip points, and the direction of the latest change."""

    points: tuple[TrendPoint, ...]
    direction: TrendDirection
    reason: str


@dataclass(frozen=True)
class AssigneeLoad:
    """Open work one person has on a milestone's tasks against the time left before it."""

    assignee: str | None
    """``None`` for unassigned work, weighed as one person's capacity."""
    remaining_hours: float
    available_hours: float

    @property
    def fits(self) -> bool:
        """True if the work fits in the time left."""
        return self.remaining_hours <= self.available_hours


@dataclass(frozen=True)
class MilestoneHealth:
    """A milestone at the as-of date: dates, slip, status, trend, linked work and reasons."""

    milestone_id: int
    name: str
    baseline: date
    forecast: date
    """The forecast in force at the as-of date."""
    actual: date | None
    """When it was reached, if on or before the as-of date."""
    slip: int
    """Working days after the baseline: of the actual date once done, else of the forecast."""
    status: MilestoneStatus
    trend: MilestoneTrend
    days_left: int
    """Working days from the as-of date to the forecast, inclusive (0 once passed or done)."""
    open_task_ids: tuple[int, ...]
    overdue_task_ids: tuple[int, ...]
    """Linked open tasks due before the as-of date."""
    late_task_ids: tuple[int, ...]
    """Linked open tasks due after the forecast."""
    loads: tuple[AssigneeLoad, ...]
    unestimated_task_ids: tuple[int, ...]
    """Linked open tasks with no remaining or estimated hours: not in the loads."""
    reasons: tuple[str, ...]

    @property
    def is_done(self) -> bool:
        """Reached (on time or late)."""
        return self.status in (MilestoneStatus.DONE, MilestoneStatus.DONE_LATE)

    @property
    def past_baseline(self) -> bool:
        """Open and the as-of date is past its baseline."""
        return self.status is MilestoneStatus.LATE

    @property
    def over_capacity(self) -> bool:
        """Someone's remaining work on it does not fit before the forecast."""
        return any(not load.fits for load in self.loads)


def forecast_as_of(milestone: Milestone, as_of: date) -> date:
    """The forecast in force at ``as_of``: the last one recorded on or before it.

    Without history the current forecast is used; with history that all lies after ``as_of``
    the baseline is, as nothing had moved it yet.
    """
    if not milestone.history:
        return milestone.forecast
    recorded = [h for h in milestone.history if h.recorded_on <= as_of]
    if not recorded:
        return milestone.baseline
    # Stable sort: of two forecasts recorded the same day, the later-recorded one wins.
    return sorted(recorded, key=lambda h: h.recorded_on)[-1].forecast


def milestone_trend(milestone: Milestone, as_of: date, calendar: WorkCalendar) -> MilestoneTrend:
    """Slip of every forecast recorded up to ``as_of``, and whether the latest move slipped."""
    history = sorted(
        (h for h in milestone.history if h.recorded_on <= as_of), key=lambda h: h.recorded_on
    )
    points = tuple(
        TrendPoint(h.recorded_on, h.forecast, calendar.between(milestone.baseline, h.forecast))
        for h in history
    )
    if len(points) < 2:
        return MilestoneTrend(points, TrendDirection.STABLE, "No forecast change recorded.")
    before, last = points[-2], points[-1]

    def day(value: date) -> str:
        return short_date(value, as_of)

    change = last.slip - before.slip
    moves = sum(1 for a, b in pairwise(points) if a.forecast != b.forecast)
    summary = f"Forecast moved {plural(moves, 'time')}; now {_slip_text(last.slip)} its baseline."
    if change > 0:
        direction = TrendDirection.SLIPPING
        latest = (
            f"Slipping: on {day(last.recorded_on)} the forecast moved from "
            f"{day(before.forecast)} to {day(last.forecast)} (+{_days(change)})."
        )
    elif change < 0:
        direction = TrendDirection.RECOVERING
        latest = (
            f"Recovering: on {day(last.recorded_on)} the forecast moved from "
            f"{day(before.forecast)} to {day(last.forecast)} (-{_days(-change)})."
        )
    else:
        direction = TrendDirection.STABLE
        latest = (
            f"Stable: the forecast recorded on {day(last.recorded_on)} did not change the slip."
        )
    return MilestoneTrend(points, direction, f"{latest} {summary}")


def _slip_text(slip: int) -> str:
    if slip == 0:
        return "on"
    if slip > 0:
        return f"{_days(slip)} after"
    return f"{_days(-slip)} before"


def _loads(
    tasks: Sequence[TaskFacts], available_hours: float
) -> tuple[tuple[AssigneeLoad, ...], tuple[int, ...]]:
    by_person: dict[str | None, float] = {}
    unestimated: list[int] = []
    for task in tasks:
        hours = remaining_hours(task)
        if hours is None:
            unestimated.append(task.id)
            continue
        by_person[task.assignee] = by_person.get(task.assignee, 0.0) + hours
    loads = tuple(
        AssigneeLoad(person, hours, available_hours)
        for person, hours in sorted(
            by_person.items(), key=lambda item: (item[0] is None, item[0] or "")
        )
    )
    return loads, tuple(unestimated)


def _refs(ids: Iterable[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)


def milestone_health(
    milestone: Milestone,
    tasks: Iterable[TaskFacts],
    as_of: date,
    project: Project,
    calendar: WorkCalendar | None = None,
) -> MilestoneHealth:
    """Slip, status, trend and at-risk evidence of ``milestone`` at ``as_of``.

    ``tasks`` may be all of the project's tasks; only those linked to the milestone count.
    """
    cal = calendar or WorkCalendar.for_project(project)
    forecast = forecast_as_of(milestone, as_of)
    actual = milestone.actual if milestone.actual and milestone.actual <= as_of else None
    trend = milestone_trend(milestone, as_of, cal)

    def day(value: date) -> str:
        return short_date(value, as_of)

    if actual is None and forecast < as_of:
        trend = MilestoneTrend(
            trend.points,
            TrendDirection.SLIPPING,
            f"Stale: the forecast {day(forecast)} has passed, so the slip grows each working day "
            f"until a new forecast is recorded. {trend.reason}",
        )
    linked = [t for t in tasks if t.milestone_id == milestone.id and t.is_open]
    reasons: list[str] = []

    if actual is not None:
        slip = cal.between(milestone.baseline, actual)
        if slip > 0:
            status = MilestoneStatus.DONE_LATE
            reasons.append(
                f"Reached on {day(actual)}, {_days(slip)} after its baseline "
                f"{day(milestone.baseline)}."
            )
        else:
            status = MilestoneStatus.DONE
            reasons.append(f"Reached on {day(actual)}, {_slip_text(slip)} its baseline.")
        return MilestoneHealth(
            milestone_id=milestone.id, name=milestone.name, baseline=milestone.baseline,
            forecast=forecast, actual=actual, slip=slip, status=status, trend=trend,
            days_left=0, open_task_ids=(), overdue_task_ids=(), late_task_ids=(), loads=(),
            unestimated_task_ids=(), reasons=tuple(reasons),
        )  # fmt: skip

    stale = forecast < as_of
    # A forecast that has passed is stale: the milestone cannot be reached before today, so
    # its slip counts up to today until someone records a new forecast.
    slip = cal.between(milestone.baseline, as_of if stale else forecast)
    days_left = cal.count(as_of, forecast)
    available = days_left * project.hours_per_day
    loads, unestimated = _loads(linked, available)
    overdue = tuple(t.id for t in linked if t.due is not None and t.due < as_of)
    late_tasks = tuple(t.id for t in linked if t.due is not None and t.due > forecast)

    at_risk = False
    if as_of > milestone.baseline:
        status = MilestoneStatus.LATE
        reasons.append(
            f"Its baseline {day(milestone.baseline)} has passed "
            f"({_days(cal.between(milestone.baseline, as_of))} ago) and it is not done."
        )
    else:
        status = MilestoneStatus.ON_TRACK
    if slip > 0 and not stale:
        at_risk = True
        reasons.append(
            f"Forecast {day(forecast)} is {_days(slip)} after its baseline "
            f"{day(milestone.baseline)}."
        )
    elif slip < 0 and not stale:
        reasons.append(f"Forecast {day(forecast)} is {_days(-slip)} ahead of its baseline.")
    if stale:
        at_risk = True
        reasons.append(
            f"Its forecast {day(forecast)} has passed and it is not done: the forecast is stale. "
            f"Counted from today it is {_slip_text(slip)} its baseline {day(milestone.baseline)} "
            f"until a new forecast is recorded."
        )
    if overdue:
        at_risk = True
        count = len(overdue)
        reasons.append(
            f"{count} linked task{'s are' if count != 1 else ' is'} overdue: {_refs(overdue)}."
        )
    if late_tasks:
        at_risk = True
        count = len(late_tasks)
        reasons.append(
            f"{count} linked task{'s are' if count != 1 else ' is'} due after the forecast "
            f"{day(forecast)}: {_refs(late_tasks)}."
        )
    # Every load has the same hours available (``_loads``): one wording for the hundreds of
    # owners a large milestone may have.
    until = f"{hours_text(available)} ({_days(days_left)}) before {day(forecast)}."
    for load in loads:
        if not load.fits:
            at_risk = True
            who = load.assignee or "Unassigned work"
            reasons.append(
                f"{who} has {hours_text(load.remaining_hours)} of open work on it but only {until}"
            )
    if unestimated:
        reasons.append(
            f"{len(unestimated)} linked open task{'s have' if len(unestimated) != 1 else ' has'} "
            f"no estimate, so the workload check leaves them out: {_refs(unestimated)}."
        )
    if status is MilestoneStatus.ON_TRACK and at_risk:
        status = MilestoneStatus.AT_RISK
    if status is MilestoneStatus.ON_TRACK:
        reasons.insert(
            0,
            f"Forecast {day(forecast)} is {_slip_text(slip)} its baseline and the linked open work "
            f"fits in the {_days(days_left)} left.",
        )
    return MilestoneHealth(
        milestone_id=milestone.id, name=milestone.name, baseline=milestone.baseline,
        forecast=forecast, actual=None, slip=slip, status=status, trend=trend,
        days_left=days_left, open_task_ids=tuple(t.id for t in linked),
        overdue_task_ids=overdue, late_task_ids=late_tasks, loads=loads,
        unestimated_task_ids=unestimated, reasons=tuple(reasons),
    )  # fmt: skip


# --- tasks --------------------------------------------------------------------------------


class TaskFlagKind(StrEnum):
    """Why an open task needs attention."""

    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    BLOCKED = "blocked"
    AT_RISK = "at risk"
    STALE = "stale"


class TaskFlag(NamedTuple):
    """One flag on one task, with the facts behind it; ``reason`` words them.

    The sentence is written when read, and the flag is a tuple: a portfolio flags tens of
    thousands of tasks and shows the sentences of one project at a time; wording them all
    and building frozen dataclasses were most of the flags' cost (``bench_portfolio.py``).
    """

    task_id: int
    kind: TaskFlagKind
    as_of: date
    day: date
    """The day the flag is about: the due date (overdue, due soon, at risk), the day the task
    was blocked since (blocked) or last updated (stale)."""
    calendar: WorkCalendar
    """The project calendar the days are counted in (overdue counts them when worded)."""
    days: int = 0
    """Working days: blocked for (blocked), without an update (stale), available before the
    due date (at risk), until due (due soon); overdue counts them when worded."""
    hours: float = 0.0
    """At risk: hours of work left."""
    available: float = 0.0
    """At risk: working hours left before the due date."""
    blocked_reason: str = ""

    @property
    def reason(self) -> str:
        """The sentence that explains the flag."""
        kind, day, as_of = self.kind, self.day, self.as_of
        if kind is TaskFlagKind.OVERDUE:
            late_by = self.calendar.between(day, as_of)
            return f"Due {short_date(day, as_of)}, {_days(late_by)} ago, and not done."
        if kind is TaskFlagKind.DUE_SOON:
            when = "today" if day == as_of else f"in {_days(self.days)} ({short_date(day, as_of)})"
            return f"Due {when}."
        if kind is TaskFlagKind.AT_RISK:
            return (
                f"{hours_text(self.hours)} of work left but only {hours_text(self.available)} "
                f"({_days(self.days)}) before it is due on {short_date(day, as_of)}."
            )
        if kind is TaskFlagKind.BLOCKED:
            why = f": {self.blocked_reason}" if self.blocked_reason else ""
            return f"Blocked for {_days(self.days)} since {short_date(day, as_of)}{why}."
        return (
            f"In progress with no update for {_days(self.days)} (last on {short_date(day, as_of)})."
        )

    def to_json_dict(self) -> dict[str, object]:
        """The flag as ``health --json`` gives it: the task, the kind and the sentence."""
        return {"task_id": self.task_id, "kind": self.kind.value, "reason": self.reason}


def flag_condition(kind: TaskFlagKind, thresholds: RagThresholds) -> str:
    """When a flag fires, in a few words, so a count of 0 is never read as "none blocked"."""
    if kind is TaskFlagKind.BLOCKED:
        return f"blocked over {_days(thresholds.blocked_days)}"
    if kind is TaskFlagKind.STALE:
        return f"no update for {_days(thresholds.stale_days)}"
    if kind is TaskFlagKind.DUE_SOON:
        return f"due within {_days(thresholds.due_soon_days)}"
    if kind is TaskFlagKind.AT_RISK:
        return "work left does not fit before due"
    return "due date passed"


def _day_of(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def task_flags(
    task: TaskFacts,
    as_of: date,
    calendar: WorkCalendar,
    thresholds: RagThresholds,
    hours_per_day: float,
) -> tuple[TaskFlag, ...]:
    """Every flag that fires on ``task`` at ``as_of``, in a fixed order."""
    if not task.is_open:
        return ()
    flags: list[TaskFlag] = []
    task_id = task.id
    due = task.due
    if due is not None and due < as_of:
        flags.append(TaskFlag(task_id, TaskFlagKind.OVERDUE, as_of, due, calendar))
    elif due is not None:
        ahead = calendar.between(as_of, due)
        if ahead <= thresholds.due_soon_days:
            flags.append(TaskFlag(task_id, TaskFlagKind.DUE_SOON, as_of, due, calendar, ahead))
        hours = remaining_hours(task)
        days = calendar.count(as_of, due)
        available = days * hours_per_day
        if hours is not None and hours > available:
            flags.append(TaskFlag(task_id, TaskFlagKind.AT_RISK, as_of, due, calendar, days,
                                  hours, available))  # fmt: skip

    if task.status is Status.BLOCKED:
        since = _day_of(task.blocked_since) or _day_of(task.updated_at)
        if since is not None:
            blocked_for = calendar.between(since, as_of)
            if blocked_for > thresholds.blocked_days:
                flags.append(TaskFlag(task_id, TaskFlagKind.BLOCKED, as_of, since, calendar,
                                      blocked_for, blocked_reason=task.blocked_reason))  # fmt: skip

    if task.status in _IN_PROGRESS:
        last = _day_of(task.updated_at) or _day_of(task.created_at)
        if last is not None:
            quiet = calendar.between(last, as_of)
            if quiet >= thresholds.stale_days:
                flags.append(TaskFlag(task_id, TaskFlagKind.STALE, as_of, last, calendar, quiet))
    return tuple(flags)


def flag_tasks(
    tasks: Iterable[TaskFacts], as_of: date, project: Project, calendar: WorkCalendar | None = None
) -> tuple[TaskFlag, ...]:
    """The flags of every open task of ``project`` at ``as_of``, by task then kind."""
    cal = calendar or WorkCalendar.for_project(project)
    thresholds, hours_per_day = project.thresholds, project.hours_per_day
    return tuple(
        f
        for task in tasks
        if task.is_open  # as task_flags, without a call for each of the many done tasks
        for f in task_flags(task, as_of, cal, thresholds, hours_per_day)
    )
