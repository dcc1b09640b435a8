"""Earned value and earned schedule (Lipke) for a project at an as-of date.

Conventions, so every number can be checked by hand:

- Money (PV, EV, AC, BAC, EAC, ETC, VAC, burn rate) is ``Decimal``. Project-level money is
  rounded to cents (half to even) once, after exact arithmetic.
- Ratios and durations (SPI, CPI, TCPI, percentages, ES, SV(t), SPI(t), IEAC(t), runway) are
  also ``Decimal``: unrounded, to the 28 significant digits of the default decimal context.
  Decimal everywhere means ``CPI == EV / AC`` holds exactly and nothing mixes floats into money.
  Round only for display.
- A value that would need a division by zero (or by a negative remaining budget) is ``None``:
  nothing earned yet, no cost yet, zero budget, as-of before the start. Never an exception.
- Time is counted in working days of the project calendar (weekends and holidays excluded).
  Period ``k`` of the planned value curve is the ``k``-th working day from the start;
  AT is the number of working days from the start up to and including the as-of date.

The performance measurement baseline is every task with a planned cost and both planned
dates. Such a task's planned cost is spread evenly over the working days of its
``planned_start..planned_finish`` (inclusive); a span with no working day at all puts the whole
cost on the first working day on or after its planned start. Tasks without a planned cost or
without planned dates contribute nothing to PV *and* nothing to EV, so SPI and earned schedule
compare like with like; they are listed in ``EarnedValue.unscheduled_task_ids`` so the gap can
be shown. AC is every cost entry of the project up to the as-of date, baseline or not, plus
the labour cost of the time logged on the project's tasks up to that date (``domain.labour``:
hours x the rate in force on each day), rounded to cents once; the burn rate counts both.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal, Inexact, localcontext
from fractions import Fraction

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.labour import NO_LABOUR, LabourCost, to_money
from itpm_tui.models import CostFacts, Project, TaskFacts

Number = Decimal | int
"""What the formula functions accept: exact numbers only (never float)."""

DEFAULT_BURN_WINDOW = 10
"""Working days of spending the burn rate averages over."""

FORECAST_HORIZON = 5000
"""Working days (about 20 years) beyond which no forecast date is given: a pace that slow
(a cent earned on a large plan) says "not at this rate", not a date."""

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_ONE_DAY = timedelta(days=1)


# --- the textbook formulas over plain numbers ---------------------------------------------


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _div(numerator: Number, denominator: Number) -> Decimal | None:
    """``numerator / denominator``, or ``None`` when the denominator is zero."""
    den = _dec(denominator)
    if den == 0:
        return None
    return _dec(numerator) / den


def sv(ev: Number, pv: Number) -> Decimal:
    """Schedule variance SV = EV - PV (money; negative is behind plan)."""
    return _dec(ev) - _dec(pv)


def cv(ev: Number, ac: Number) -> Decimal:
    """Cost variance CV = EV - AC (money; negative is over budget)."""
    return _dec(ev) - _dec(ac)


def spi(ev: Number, pv: Number) -> Decimal | None:
    """Schedule performance index SPI = EV / PV; ``None`` while nothing was planned."""
    return _div(ev, pv)


def cpi(ev: Number, ac: Number) -> Decimal | None:
    """Cost performance index CPI = EV / AC; ``None`` while nothing was spent."""
    return _div(ev, ac)


def eac_typical(bac: Number, cpi_value: Number | None) -> Decimal | None:
    """EAC = BAC / CPI: the rest of the work costs what the work so far did (the default)."""
    if cpi_value is None:
        return None
    return _div(bac, cpi_value)


def eac_atypical(bac: Number, ev: Number, ac: Number) -> Decimal:
    """EAC = AC + (BAC - EV): the overrun so far was a one-off, the rest goes to plan."""
    return _dec(ac) + (_dec(bac) - _dec(ev))


def eac_combined(
    bac: Number, ev: Number, ac: Number, cpi_value: Number | None, spi_value: Number | None
) -> Decimal | None:
    """EAC = AC + (BAC - EV) / (CPI x SPI): cost and schedule pressure both carry on."""
    if cpi_value is None or spi_value is None:
        return None
    rest = _div(_dec(bac) - _dec(ev), _dec(cpi_value) * _dec(spi_value))
    return None if rest is None else _dec(ac) + rest


def etc(eac: Number | None, ac: Number) -> Decimal | None:
    """Estimate to complete ETC = EAC - AC: what is still to be spent."""
    return None if eac is None else _dec(eac) - _dec(ac)


def vac(bac: Number, eac: Number | None) -> Decimal | None:
    """Variance at completion VAC = BAC - EAC (negative is the expected overrun)."""
    return None if eac is None else _dec(bac) - _dec(eac)


def tcpi(bac: Number, ev: Number, ac: Number, target: Number | None = None) -> Decimal | None:
    """To-complete performance index (BAC - EV) / (target - AC), the target BAC by default.

    It is the CPI the remaining work needs to land on the target. ``None`` when no money is
    left under the target: no efficiency can finish the work within it.
    """
    funds_left = _dec(bac if target is None else target) - _dec(ac)
    if funds_left <= 0:
        return None
    return (_dec(bac) - _dec(ev)) / funds_left


def percent(part: Number, whole: Number) -> Decimal | None:
    """``part`` as a percentage of ``whole``; ``None`` when ``whole`` is zero."""
    ratio = _div(part, whole)
    return None if ratio is None else ratio * _HUNDRED


def burn_rate(spent: Number, days: int) -> Decimal | None:
    """Money spent per working day over ``days`` working days."""
    return _div(spent, days) if days > 0 else None


def runway(remaining: Number, rate: Number | None) -> Decimal | None:
    """Working days until ``remaining`` money is gone at ``rate`` per day (0 if none left)."""
    if rate is None or _dec(rate) <= 0:
        return None
    if _dec(remaining) <= 0:
        return _ZERO
    return _dec(remaining) / _dec(rate)


def planned_duration(pv_by_period: Sequence[Number]) -> int:
    """PD: the first period whose cumulative PV reaches the plan's total (0 for no plan)."""
    if not pv_by_period or _dec(pv_by_period[-1]) <= 0:
        return 0
    total = _dec(pv_by_period[-1])
    return next(i + 1 for i, value in enumerate(pv_by_period) if _dec(value) >= total)


def earned_schedule(pv_by_period: Sequence[Number], ev: Number) -> Decimal | None:
    """Earned schedule ES = C + (EV - PV_C) / (PV_C+1 - PV_C), in periods (Lipke 2003).

    ``pv_by_period[k]`` is the cumulative PV at the end of period ``k + 1``; PV at time 0 is 0.
    C is the number of periods whose cumulative PV the EV has reached, so a stretch of periods
    with nothing planned counts as earned once its work is done. ES never exceeds the planned
    duration PD: EV at or above the plan's total earns the whole schedule. ``None`` when there
    is no plan (no PV at all).
    """
    pd = planned_duration(pv_by_period)
    if pd == 0:
        return None
    earned = _dec(ev)
    cumulative = [_dec(v) for v in pv_by_period[:pd]]
    whole = bisect_right(cumulative, earned)
    if whole >= pd:
        return Decimal(pd)
    before = cumulative[whole - 1] if whole else _ZERO
    after = cumulative[whole]
    # after > earned >= before, so the increment is never zero here.
    return whole + (earned - before) / (after - before)


def sv_t(es: Number | None, at: Number) -> Decimal | None:
    """Schedule variance in time SV(t) = ES - AT (periods; negative is behind)."""
    return None if es is None else _dec(es) - _dec(at)


def spi_t(es: Number | None, at: Number) -> Decimal | None:
    """Schedule performance index in time SPI(t) = ES / AT; ``None`` before any time passed."""
    return None if es is None else _div(es, at)


def ieac_t(pd: Number, spi_t_value: Number | None) -> Decimal | None:
    """Independent estimate at completion in time IEAC(t) = PD / SPI(t) (periods)."""
    if spi_t_value is None:
        return None
    return _div(pd, spi_t_value)


# --- the planned value curve of a project -------------------------------------------------


def _cents(value: Fraction) -> Decimal:
    """An exact amount rounded to cents, half to even; rounding is monotonic, so curves stay."""
    return _cents_of(value.numerator, value.denominator)


def _cents_of(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` (denominator > 0) rounded to cents, half to even."""
    return Decimal(_half_even(numerator * 100, denominator)).scaleb(-2)


def _half_even(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded to an integer, half to even."""
    whole, rest = divmod(numerator, denominator)
    if 2 * rest > denominator or (2 * rest == denominator and whole % 2):
        whole += 1
    return whole


def _nth_working_day(calendar: WorkCalendar, start: date, n: int) -> date:
    """The ``n``-th working day counting ``start`` itself as the first candidate (n >= 1)."""
    return calendar.add_working_days(start - _ONE_DAY, n)


def in_baseline(task: TaskFacts) -> bool:
    """True if the task has a planned cost and both planned dates, so it counts in PV and EV."""
    return (
        task.planned_cost is not None
        and task.planned_start is not None
        and task.planned_finish is not None
    )


@dataclass(frozen=True)
class PlannedValueCurve:
    """Cumulative planned value at the end of each working day of the plan."""

    start: date | None
    """Where period 1 may begin: the project start or the earliest planned start."""
    days: tuple[date, ...]
    """The working days of the plan; period ``k`` ends on ``days[k - 1]``."""
    cumulative: tuple[Decimal, ...]
    """PV up to and including ``days[k - 1]``, in cents; never decreasing."""
    total: Decimal
    """The sum of the baseline's planned costs."""

    def at(self, as_of: date) -> Decimal:
        """PV up to and including ``as_of`` (0 before the first planned day)."""
        index = bisect_right(self.days, as_of)
        return self.cumulative[index - 1] if index else Decimal("0.00")

    @property
    def planned_duration(self) -> int:
        """PD in working days: when PV reaches its total (0 when nothing is planned).

        As ``planned_duration(self.cumulative)``, by bisection: the curve never decreases.
        """
        cumulative = self.cumulative
        if not cumulative or cumulative[-1] <= 0:
            return 0
        return bisect_left(cumulative, cumulative[-1]) + 1

    @property
    def planned_finish(self) -> date | None:
        """The working day on which PV reaches its total."""
        pd = self.planned_duration
        return self.days[pd - 1] if pd else None


def planned_value_curve(
    project: Project, tasks: Iterable[TaskFacts], calendar: WorkCalendar | None = None
) -> PlannedValueCurve:
    """Spread each baseline task's planned cost evenly over its working days and accumulate."""
    cal = calendar or WorkCalendar.for_project(project)
    # This runs over every baseline task of a portfolio, for today and for a week ago: the
    # calendar tests, the baseline test and the rounding are inline, not a call each, and
    # repeated planned starts and amounts are worked out once.
    workdays, holidays = cal.workdays, cal.holidays
    spans: list[tuple[date, date, int]] = []
    firsts: dict[date, date] = {}
    cents_of: dict[Decimal, int] = {}
    for task in tasks:
        cost, start, finish = task.planned_cost, task.planned_start, task.planned_finish
        if cost is None or start is None or finish is None:  # not in_baseline(task)
            continue
        first = firsts.get(start)
        if first is None:
            working = start.isoweekday() in workdays and start not in holidays
            first = firsts[start] = start if working else cal.on_or_after(start)
        cents = cents_of.get(cost)
        if cents is None:
            cents = cents_of[cost] = int(cost * 100)  # Money has two places
        spans.append((first, finish if first <= finish else first, cents))
    starts = [s for s, _, _ in spans] + ([project.start] if project.start else [])
    if not spans:
        return PlannedValueCurve(min(starts, default=None), (), (), Decimal("0.00"))
    origin = min(starts)
    finish = max(last for _, last, _ in spans)
    days: list[date] = []
    day = cal.on_or_after(origin)
    while day <= finish:  # every working day from the first to the last
        if day.isoweekday() in workdays and day not in holidays:
            days.append(day)
        day += _ONE_DAY
    index = {d: i for i, d in enumerate(days)}
    # A difference array of daily rates keeps this linear in tasks + days. Each task's daily
    # share (cents / working days) is exact as an integer over one common denominator, the
    # lcm of the spans' lengths, so PV hits each planned cost to the cent on its last day
    # with integer sums only.
    shares = []
    for first, last, cents in spans:
        hi = index.get(last)  # a finish on a working day, else the working day before it
        shares.append((index[first], bisect_right(days, last) - 1 if hi is None else hi, cents))
    denominator = math.lcm(*(hi - lo + 1 for lo, hi, _ in shares))
    rate_change = [0] * (len(days) + 1)
    for lo, hi, cents in shares:
        step = cents * (denominator // (hi - lo + 1))
        rate_change[lo] += step
        rate_change[hi + 1] -= step
    rate = 0
    running = 0
    cumulative: list[Decimal] = []
    for change in rate_change[:-1]:
        rate += change
        running += rate
        whole, rest = divmod(running, denominator)  # _half_even(running, denominator)
        if 2 * rest > denominator or (2 * rest == denominator and whole % 2):
            whole += 1
        cumulative.append(Decimal(whole).scaleb(-2))
    total = Decimal(sum(cents for _, _, cents in spans)).scaleb(-2)
    return PlannedValueCurve(origin, tuple(days), tuple(cumulative), total)


@dataclass(frozen=True)
class TaskValue:
    """One baseline task's share of the project's PV and EV: the lines behind SV."""

    task_id: int
    planned_cost: Decimal
    pv: Decimal
    """What the plan says this task should have earned by the as-of date."""
    ev: Decimal
    """What it has earned: planned cost times percent complete."""
    ac: Decimal | None = None
    """The labour cost of the time logged on it (``None``: no time logged)."""
    planned_finish: date | None = None

    @property
    def sv(self) -> Decimal:
        """EV - PV: below zero the task is behind its plan."""
        return self.ev - self.pv

    @property
    def cv(self) -> Decimal | None:
        """EV - AC: below zero the task cost more than it earned (``None``: no time logged)."""
        return None if self.ac is None else self.ev - self.ac

    @property
    def to_earn(self) -> Decimal:
        """Planned cost not yet earned."""
        return self.planned_cost - self.ev


def task_values(
    project: Project,
    tasks: Iterable[TaskFacts],
    as_of: date,
    calendar: WorkCalendar | None = None,
    actual: Mapping[int, Decimal] | None = None,
) -> list[TaskValue]:
    """Each baseline task's own PV and EV at ``as_of``, by the rules the project totals use.

    The totals are sums over work packages (PMI, *Practice Standard for Earned Value
    Management*, 2nd ed., ch. 4): each task's cost is spread evenly over its planned working
    days, so these add up to the project's PV and EV to within a cent per task (rounding).
    ``actual`` is the labour cost logged per task id (cost entries belong to the project).
    """
    actual = actual or {}
    cal = calendar or WorkCalendar.for_project(project)
    values: list[TaskValue] = []
    for task in tasks:
        if not in_baseline(task):
            continue
        cost = Decimal(task.planned_cost or 0).quantize(Decimal("0.01"))
        pv = planned_value_curve(project, [task], cal).at(as_of)
        ev = _cents(Fraction(task.planned_cost or 0) * _progress(task))
        values.append(TaskValue(task.id, cost, pv, ev, actual.get(task.id), task.planned_finish))
    return values


def behind_plan(values: Iterable[TaskValue], as_of: date) -> tuple[list[TaskValue], ...]:
    """The tasks behind SV: first those past their planned finish and not fully earned, then
    the rest with SV below zero; each most behind first."""
    behind = sorted((v for v in values if v.sv < 0), key=lambda v: (v.sv, v.task_id))
    late = [v for v in behind if v.planned_finish is not None and v.planned_finish < as_of]
    late_ids = {v.task_id for v in late}
    return late, [v for v in behind if v.task_id not in late_ids]


def cost_variances(values: Iterable[TaskValue]) -> tuple[list[TaskValue], ...]:
    """The tasks behind CV: those with time logged, the largest overrun (lowest CV) first;
    then those with no time logged yet but money left to earn, the most first."""
    values = list(values)
    booked = sorted((v for v in values if v.ac is not None),
                    key=lambda v: (v.ev - (v.ac or 0), v.task_id))  # fmt: skip
    rest = sorted((v for v in values if v.ac is None and v.to_earn > 0),
                  key=lambda v: (-v.to_earn, v.task_id))  # fmt: skip
    return booked, rest


# --- the project at an as-of date ---------------------------------------------------------


@dataclass(frozen=True)
class EarnedValue:
    """Every earned value and earned schedule number of one project at one as-of date."""

    as_of: date
    bac: Decimal
    """Budget at completion: the project's budget."""
    pv: Decimal
    """Planned value: baseline cost planned up to and including the as-of date."""
    ev: Decimal
    """Earned value: baseline planned cost x progress."""
    ac: Decimal
    """Actual cost: labour cost plus cost entries, up to and including the as-of date."""
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    """The default estimate at completion, BAC / CPI."""
    eac_atypical: Decimal
    """AC + (BAC - EV)."""
    eac_combined: Decimal | None
    """AC + (BAC - EV) / (CPI x SPI)."""
    etc: Decimal | None
    """EAC - AC."""
    vac: Decimal | None
    """BAC - EAC."""
    tcpi_bac: Decimal | None
    """CPI needed on the remaining work to finish on BAC."""
    tcpi_eac: Decimal | None
    """CPI needed on the remaining work to finish on EAC."""
    percent_complete: Decimal | None
    """EV / BAC x 100."""
    percent_spent: Decimal | None
    """AC / BAC x 100."""
    percent_planned: Decimal | None
    """PV / BAC x 100."""
    burn_rate: Decimal | None
    """AC per working day over the last ``burn_window`` working days."""
    burn_window: int
    """Working days the burn rate averages over (fewer right after the start)."""
    runway_days: Decimal | None
    """Working days after the as-of date until BAC is used up at the burn rate."""
    runway_end: date | None
    """The working day on which the budget runs out at the burn rate (none past the horizon)."""
    start: date | None
    """The first day of the plan (period 1 is the first working day on or after it)."""
    planned_finish: date | None
    """The working day on which PV reaches its total."""
    pd: int
    """Planned duration in working days."""
    at: int
    """Actual time: working days from the start up to and including the as-of date."""
    es: Decimal | None
    """Earned schedule in working days."""
    sv_t: Decimal | None
    """ES - AT in working days."""
    spi_t: Decimal | None
    """ES / AT."""
    ieac_t: Decimal | None
    """PD / SPI(t): the forecast duration in working days."""
    forecast_finish: date | None
    """The working day IEAC(t) lands on, counted from the start (none past the horizon)."""
    forecast_slip_days: int | None
    """Working days the forecast finish lies past the planned finish (negative is early)."""
    baseline_task_count: int
    """Tasks in the performance measurement baseline (planned cost and dates)."""
    planned_total: Decimal
    """What the baseline tasks' planned costs add up to (PV at the planned finish)."""
    unscheduled_task_ids: tuple[int, ...]
    """Tasks with a planned cost but missing planned dates: not in PV or EV."""
    labour_cost: Decimal = Decimal("0.00")
    """The part of AC that is logged time at its rates (``domain.labour``)."""
    other_cost: Decimal = Decimal("0.00")
    """The part of AC that is cost entries."""
    unpriced_minutes: int = 0
    """Minutes logged up to the as-of date on days with no rate in force (not in AC)."""
    foreign_minutes: int = 0
    """Minutes logged at a rate in another currency than the project's (not in AC)."""


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def _progress(task: TaskFacts) -> Fraction:
    # repr() is the shortest exact form of the float, i.e. what a person would type.
    return Fraction(Decimal(repr(task.progress))) / 100


def _earned(baseline: Sequence[TaskFacts]) -> Decimal:
    """EV: the sum of planned cost x percent complete, exact, then rounded to cents once."""
    with localcontext(prec=60) as exact:  # products of cents and a float's shortest form fit
        exact.clear_flags()  # the copy carries the caller's flags
        # Costs are summed per percent complete first (most tasks share 0 or 100), then
        # multiplied: exact arithmetic, so the same sum with far fewer products.
        by_progress: dict[float, Decimal] = {}
        for t in baseline:
            by_progress[t.progress] = by_progress.get(t.progress, _ZERO) + Decimal(
                t.planned_cost or 0
            )
        total = sum(
            (cost * Decimal(repr(progress)) for progress, cost in by_progress.items()),
            Decimal(0),
        )
        if exact.flags[Inexact]:  # pragma: no cover - 60 digits hold any realistic sum
            return _cents(sum((Fraction(t.planned_cost or 0) * _progress(t) for t in baseline),
                              Fraction()))  # fmt: skip
    return _cents(Fraction(total) / 100)


def earned_value(
    project: Project,
    tasks: Iterable[TaskFacts],
    costs: Iterable[CostFacts],
    as_of: date,
    *,
    burn_window: int = DEFAULT_BURN_WINDOW,
    calendar: WorkCalendar | None = None,
    labour: LabourCost = NO_LABOUR,
) -> EarnedValue:
    """Earned value, forecasts, burn rate and earned schedule of ``project`` at ``as_of``.

    ``tasks``, ``costs`` and ``labour`` (the time logged on its tasks, priced) are the
    project's own; nothing here reads the clock.
    """
    if burn_window < 1:
        raise ValueError("the burn-rate window is at least one working day")
    cal = calendar or WorkCalendar.for_project(project)
    task_list = list(tasks)
    cost_list = list(costs)  # read twice: AC and the burn window
    baseline: list[TaskFacts] = []
    unscheduled_ids: list[int] = []
    for t in task_list:  # in_baseline(t), inline: this runs for every task of a portfolio
        if t.planned_cost is None:
            continue
        if t.planned_start is not None and t.planned_finish is not None:
            baseline.append(t)
        else:
            unscheduled_ids.append(t.id)
    unscheduled = tuple(unscheduled_ids)
    curve = planned_value_curve(project, baseline, cal)

    bac = project.bac
    pv = curve.at(as_of)
    ev = _earned(baseline)
    other = sum((c.amount for c in cost_list if c.spent_on <= as_of), Decimal("0.00"))
    labour_ac = labour.money_up_to(as_of)
    ac = other + labour_ac

    spi_value = spi(ev, pv)
    cpi_value = cpi(ev, ac)
    eac_value = _money(eac_typical(bac, cpi_value))

    start = curve.start
    at = cal.count(start, as_of) if start else 0
    pd = curve.planned_duration
    es = earned_schedule(curve.cumulative, ev)
    spi_t_value = spi_t(es, at)
    ieac = ieac_t(pd, spi_t_value)
    forecast_finish = None
    forecast_slip = None
    if ieac is not None and start is not None:
        # A forecast of 9.2 working days needs the 10th day to finish.
        days_needed = max(1, _ceil(ieac))
        if days_needed <= FORECAST_HORIZON:
            forecast_finish = _nth_working_day(cal, start, days_needed)
            forecast_slip = days_needed - pd

    # The window is the last ``burn_window`` working days up to as_of, cut at the start so a
    # young project's rate is not diluted by days before it began.
    window_start = cal.add_working_days(as_of + _ONE_DAY, -burn_window)
    if start is not None and window_start < start:
        window_start = start
    window_days = cal.count(window_start, as_of)
    spent_in_window = sum(
        (c.amount for c in cost_list if window_start <= c.spent_on <= as_of), Decimal("0.00")
    ) + to_money(labour.between(window_start, as_of))
    rate = burn_rate(spent_in_window, window_days)
    runway_days = runway(bac - ac, rate)
    runway_end = None
    if runway_days is not None and runway_days <= FORECAST_HORIZON:
        runway_end = cal.add_working_days(as_of, _ceil(runway_days))

    return EarnedValue(
        as_of=as_of,
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=sv(ev, pv),
        cv=cv(ev, ac),
        spi=spi_value,
        cpi=cpi_value,
        eac=eac_value,
        eac_atypical=eac_atypical(bac, ev, ac),
        eac_combined=_money(eac_combined(bac, ev, ac, cpi_value, spi_value)),
        etc=etc(eac_value, ac),
        vac=vac(bac, eac_value),
        tcpi_bac=tcpi(bac, ev, ac),
        tcpi_eac=tcpi(bac, ev, ac, eac_value),
        percent_complete=percent(ev, bac),
        percent_spent=percent(ac, bac),
        percent_planned=percent(pv, bac),
        burn_rate=_money(rate),
        burn_window=window_days,
        runway_days=runway_days,
        runway_end=runway_end,
        start=start,
        planned_finish=curve.planned_finish,
        pd=pd,
        at=at,
        es=es,
        sv_t=sv_t(es, at),
        spi_t=spi_t_value,
        ieac_t=ieac,
        forecast_finish=forecast_finish,
        forecast_slip_days=forecast_slip,
        baseline_task_count=len(baseline),
        planned_total=curve.total,
        unscheduled_task_ids=unscheduled,
        labour_cost=labour_ac,
        other_cost=other,
        unpriced_minutes=labour.unpriced_up_to(as_of),
        foreign_minutes=labour.foreign_up_to(as_of),
    )


def _money(value: Decimal | None) -> Decimal | None:
    """A forecast amount in cents, so ETC and VAC add up exactly against it."""
    return None if value is None else value.quantize(Decimal("0.01"))
