"""Invariants of earned value, earned schedule and working days, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain import evm
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.models import CostEntry, Project, Status, Task

FIRST = date(2026, 11, 2)
"""Plans in these tests start on or after this Monday."""
SPAN = 90
"""Days after FIRST that dates are drawn from."""

FAST = settings(max_examples=60, deadline=None)
"""Enough examples to find edge cases while the suite stays quick."""

money = st.integers(min_value=0, max_value=5_000_000).map(lambda cents: Decimal(cents) / 100)
positive_money = st.integers(min_value=1, max_value=5_000_000).map(
    lambda cents: Decimal(cents) / 100
)
days = st.integers(min_value=0, max_value=SPAN).map(lambda n: FIRST + timedelta(days=n))
workdays = st.sets(st.integers(min_value=1, max_value=7), min_size=1).map(
    lambda s: tuple(sorted(s))
)
holidays = st.lists(days, max_size=12).map(lambda ds: tuple(sorted(set(ds))))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    return WorkCalendar(frozenset(draw(workdays)), frozenset(draw(holidays)))


@st.composite
def planned_tasks(draw: st.DrawFn) -> Task:
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=25))
    status = draw(st.sampled_from(list(Status)))
    return Task(
        id=draw(st.integers(min_value=1, max_value=10_000)),
        title="t",
        planned_start=start,
        planned_finish=start + timedelta(days=length),
        planned_cost=draw(money),
        status=status,
        percent_complete=draw(st.none() | st.integers(min_value=0, max_value=100)),
    )


@st.composite
def projects_with_tasks(draw: st.DrawFn) -> tuple[Project, list[Task]]:
    """A project whose BAC is exactly what its tasks' planned costs add up to."""
    tasks = draw(st.lists(planned_tasks(), min_size=1, max_size=8))
    bac = sum((t.planned_cost or Decimal(0) for t in tasks), Decimal(0))
    project = Project(
        key="PROP", name="Prop", bac=bac, start=draw(st.none() | days),
        workdays=draw(workdays), holidays=draw(holidays),
    )  # fmt: skip
    return project, tasks


# --- the formulas ---------------------------------------------------------------------------


@FAST
@given(ev=money, ac=money)
def test_cpi_is_ev_over_ac_and_unknown_without_cost(ev: Decimal, ac: Decimal) -> None:
    assert evm.cpi(ev, ac) == (ev / ac if ac else None)


@FAST
@given(ev=money, pv=money)
def test_spi_is_ev_over_pv_and_unknown_without_plan(ev: Decimal, pv: Decimal) -> None:
    assert evm.spi(ev, pv) == (ev / pv if pv else None)


@FAST
@given(bac=money, ev=money, ac=money, spi=st.none() | positive_money)
def test_forecast_identities_hold_for_every_eac_variant(
    bac: Decimal, ev: Decimal, ac: Decimal, spi: Decimal | None
) -> None:
    cpi = evm.cpi(ev, ac)
    for eac in (
        evm.eac_typical(bac, cpi),
        evm.eac_atypical(bac, ev, ac),
        evm.eac_combined(bac, ev, ac, cpi, spi),
    ):
        if eac is None:
            assert evm.vac(bac, eac) is None and evm.etc(eac, ac) is None
        else:
            assert evm.vac(bac, eac) == bac - eac
            assert evm.etc(eac, ac) == eac - ac
    assert evm.eac_atypical(bac, ev, ac) - ac == bac - ev


@FAST
@given(bac=money, ev=money, ac=money)
def test_tcpi_is_unknown_exactly_when_no_money_is_left(
    bac: Decimal, ev: Decimal, ac: Decimal
) -> None:
    result = evm.tcpi(bac, ev, ac)
    if bac - ac > 0:
        assert result == (bac - ev) / (bac - ac)
    else:
        assert result is None


@st.composite
def pv_curves(draw: st.DrawFn) -> list[Decimal]:
    increments = draw(st.lists(money, min_size=1, max_size=30))
    running = Decimal(0)
    curve = []
    for step in increments:
        running += step
        curve.append(running)
    return curve


def interpolated_pv(curve: list[Decimal], t: Decimal) -> Decimal:
    whole = int(t)
    before = curve[whole - 1] if whole else Decimal(0)
    if whole >= len(curve):
        return curve[-1]
    return before + (curve[whole] - before) * (t - whole)


@FAST
@given(curve=pv_curves(), share=st.fractions(min_value=0, max_value=1))
def test_earned_schedule_stays_within_the_plan_and_inverts_the_pv_curve(
    curve: list[Decimal], share: Fraction
) -> None:
    total = curve[-1]
    ev = (total * share.numerator / share.denominator).quantize(Decimal("0.01")).min(total)
    es = evm.earned_schedule(curve, ev)
    pd = evm.planned_duration(curve)
    if total == 0:
        assert es is None and pd == 0
        return
    assert es is not None
    assert 0 <= es <= pd
    # The point on the PV curve at ES is the EV itself (up to decimal precision).
    assert abs(interpolated_pv(curve, es) - ev) <= Decimal("1e-20") * max(total, Decimal(1))


@FAST
@given(curve=pv_curves(), low=money, high=money)
def test_earned_schedule_grows_with_earned_value(
    curve: list[Decimal], low: Decimal, high: Decimal
) -> None:
    low, high = min(low, high), max(low, high)
    es_low, es_high = evm.earned_schedule(curve, low), evm.earned_schedule(curve, high)
    if es_low is not None and es_high is not None:
        assert es_low <= es_high


# --- working days ---------------------------------------------------------------------------


@FAST
@given(cal=calendars(), start=days, n=st.integers(min_value=-40, max_value=40))
def test_adding_working_days_round_trips_through_between(
    cal: WorkCalendar, start: date, n: int
) -> None:
    day = cal.on_or_after(start)
    moved = cal.add_working_days(day, n)
    assert cal.is_working_day(moved)
    assert cal.between(day, moved) == n


@FAST
@given(cal=calendars(), a=days, b=days)
def test_between_working_days_round_trips_through_add(cal: WorkCalendar, a: date, b: date) -> None:
    start, end = cal.on_or_after(a), cal.on_or_after(b)
    assert cal.add_working_days(start, cal.between(start, end)) == end
    assert cal.between(start, end) == -cal.between(end, start)


@FAST
@given(cal=calendars(), a=days, b=days)
def test_count_is_the_number_of_working_days_in_the_closed_range(
    cal: WorkCalendar, a: date, b: date
) -> None:
    brute = sum(1 for i in range((b - a).days + 1) if cal.is_working_day(a + timedelta(days=i)))
    assert cal.count(a, b) == brute


# --- the project --------------------------------------------------------------------------


@FAST
@given(setup=projects_with_tasks(), as_ofs=st.lists(days, min_size=2, max_size=6))
def test_pv_is_monotonic_and_never_exceeds_bac(
    setup: tuple[Project, list[Task]], as_ofs: list[date]
) -> None:
    project, tasks = setup
    curve = evm.planned_value_curve(project, tasks)
    values = [curve.at(d) for d in sorted(as_ofs)]
    assert values == sorted(values)
    assert all(Decimal(0) <= v <= project.bac for v in values)
    assert list(curve.cumulative) == sorted(curve.cumulative)


@FAST
@given(setup=projects_with_tasks())
def test_pv_reaches_the_total_planned_cost_at_the_planned_finish(
    setup: tuple[Project, list[Task]],
) -> None:
    project, tasks = setup
    cal = WorkCalendar.for_project(project)
    curve = evm.planned_value_curve(project, tasks)
    assert curve.total == project.bac
    last_finish = max(t.planned_finish for t in tasks if t.planned_finish)
    assert curve.at(last_finish + timedelta(days=30)) == project.bac
    if project.bac > 0:
        assert curve.planned_finish is not None
        assert curve.at(curve.planned_finish) == project.bac
        before = cal.add_working_days(curve.planned_finish, -1)
        assert curve.at(before) < project.bac
    # Each task's whole cost is planned by the end of its own last working day.
    for task in tasks:
        assert task.planned_finish is not None and task.planned_start is not None
        end = max(task.planned_finish, cal.on_or_after(task.planned_start))
        share = sum(
            (t.planned_cost or Decimal(0) for t in tasks
             if t.planned_start and cal.on_or_after(t.planned_start) <= end
             and t.planned_finish and t.planned_finish <= end),
            Decimal(0),
        )  # fmt: skip
        assert curve.at(end) >= share


@FAST
@given(setup=projects_with_tasks(), as_of=days, spent=st.lists(money, max_size=5))
def test_project_metrics_are_consistent_at_any_as_of_date(
    setup: tuple[Project, list[Task]], as_of: date, spent: list[Decimal]
) -> None:
    project, tasks = setup
    costs = [
        CostEntry(project_id=0, spent_on=FIRST + timedelta(days=7 * i), amount=amount)
        for i, amount in enumerate(spent)
    ]
    result = evm.earned_value(project, tasks, costs, as_of)
    assert result.ac == sum((c.amount for c in costs if c.spent_on <= as_of), Decimal(0))
    assert result.ev <= result.planned_total == result.bac
    assert result.cpi == (result.ev / result.ac if result.ac else None)
    assert result.spi == (result.ev / result.pv if result.pv else None)
    if result.eac is not None:
        assert result.vac == result.bac - result.eac
        assert result.etc == result.eac - result.ac
    if result.es is not None:
        assert 0 <= result.es <= result.pd
    if result.spi_t is not None:
        assert result.es is not None
        assert result.spi_t == result.es / result.at
        # Nothing earned yet gives SPI(t) 0, and a crawl gives a forecast decades away: no
        # finish date is forecast from either pace.
        too_slow = result.spi_t == 0 or (
            result.ieac_t is not None and result.ieac_t > evm.FORECAST_HORIZON
        )
        assert (result.forecast_finish is None) == too_slow
    if result.runway_days is not None:
        assert result.runway_days >= 0


@given(setup=projects_with_tasks(), as_of=days)
def test_task_values_add_up_to_the_projects_pv_and_ev_within_a_cent_each(
    setup: tuple[Project, list[Task]], as_of: date
) -> None:
    project, tasks = setup
    values = evm.task_values(project, tasks, as_of)
    total = evm.earned_value(project, tasks, [], as_of)
    slack = Decimal("0.01") * max(1, len(values))  # each task's share is rounded to the cent
    assert abs(sum((v.pv for v in values), Decimal(0)) - total.pv) <= slack
    assert abs(sum((v.ev for v in values), Decimal(0)) - total.ev) <= slack
    assert all(Decimal(0) <= v.ev <= v.planned_cost and v.pv <= v.planned_cost for v in values)


def _reference_curve(project: Project, tasks: list[Task]) -> list[Decimal]:
    """PV per working day by plain Fraction sums: the definition the integer curve keeps."""
    cal = WorkCalendar.for_project(project)
    curve = evm.planned_value_curve(project, tasks, cal)
    spans = []
    for t in tasks:
        if evm.in_baseline(t):
            assert t.planned_start and t.planned_finish and t.planned_cost is not None
            first = cal.on_or_after(t.planned_start)
            last = max(first, t.planned_finish)
            n = sum(1 for d in curve.days if first <= d <= last)
            spans.append((first, last, Fraction(t.planned_cost) / n))
    return [
        evm._cents(sum((share * sum(1 for e in curve.days if first <= e <= min(d, last))
                        for first, last, share in spans), Fraction()))
        for d in curve.days
    ]  # fmt: skip


@FAST
@given(projects_with_tasks(), workdays, holidays)
def test_the_integer_pv_curve_equals_the_fraction_sums(
    project_tasks: tuple[Project, list[Task]], week: tuple[int, ...], off: tuple[date, ...]
) -> None:
    project, tasks = project_tasks
    project = project.model_copy(update={"workdays": week, "holidays": off})
    curve = evm.planned_value_curve(project, tasks)
    assert list(curve.cumulative) == _reference_curve(project, tasks)
    cal = WorkCalendar.for_project(project)
    assert list(curve.days) == [d for d in _days_between(curve.days) if cal.is_working_day(d)]
    assert curve.planned_duration == evm.planned_duration(curve.cumulative)


def _days_between(days: tuple[date, ...]) -> list[date]:
    """Every calendar day from the first of ``days`` to the last."""
    if not days:
        return []
    return [days[0] + timedelta(days=n) for n in range((days[-1] - days[0]).days + 1)]


@FAST
@given(st.lists(planned_tasks(), max_size=12))
def test_ev_in_decimals_equals_the_exact_fraction_sum(tasks: list[Task]) -> None:
    baseline = [t for t in tasks if evm.in_baseline(t)]
    exact = sum((Fraction(t.planned_cost or 0) * evm._progress(t) for t in baseline), Fraction())
    assert evm._earned(baseline) == evm._cents(exact)


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**12), 10**12), st.integers(1, 10**9))
def test_integer_cent_rounding_is_half_to_even_like_fractions(num: int, den: int) -> None:
    assert evm._cents_of(num, den) == Decimal(round(Fraction(num, den) * 100)).scaleb(-2)


def test_integer_cent_rounding_ties_go_to_the_even_cent() -> None:
    assert [str(evm._cents_of(n, 200)) for n in (1, 3, -1, -3)] == ["0.00", "0.02", "0.00", "-0.02"]


@FAST
@given(st.lists(st.tuples(money, st.floats(0.5, 80), st.floats(0, 80)), max_size=10))
def test_ev_from_hours_progress_equals_the_exact_fraction_sum(
    parts: list[tuple[Decimal, float, float]],
) -> None:
    tasks = [Task(id=i + 1, title="t", planned_start=FIRST, planned_finish=FIRST,
                  planned_cost=cost, estimate_hours=estimate, remaining_hours=left)
             for i, (cost, estimate, left) in enumerate(parts)]  # fmt: skip
    exact = sum((Fraction(t.planned_cost or 0) * evm._progress(t) for t in tasks), Fraction())
    assert evm._earned(tasks) == evm._cents(exact)
