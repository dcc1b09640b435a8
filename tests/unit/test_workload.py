"""Workload: remaining hours spread over working days, per person per ISO week, vs capacity.

The spreading rule (remaining work loaded uniformly over the remaining duration, as in a
resource-loading histogram: Kerzner, *Project Management*, on resource loading and
leveling) is stated in domain/workload.py and the README; the examples are worked by hand.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.workload import (
    PersonCalendar,
    Workload,
    day_loads,
    task_hours,
    task_week_hours,
    week_cell,
    workload,
)
from itpm_tui.models import Status, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli

MONDAY = TODAY  # the suite's TODAY is a Monday (2026-11-23, ISO week 48)


def _task(task_id: int, hours: float, due: date | None = None, start: date | None = None,
          who: str | None = "dana", finish: date | None = None) -> Task:  # fmt: skip
    return Task(id=task_id, title=f"t{task_id}", assignee=who, remaining_hours=hours, due=due,
                planned_start=start, planned_finish=finish)  # fmt: skip


def test_a_task_spreads_evenly_over_working_days_into_its_weeks() -> None:
    # 30 h from Monday of week 48 to Friday of week 49: 10 working days, 3 h a day.
    load = workload([_task(1, 30, due=MONDAY + timedelta(days=11))], {}, TODAY, weeks=3)
    weeks = load.people[0].weeks
    assert [(w.week, w.load, w.capacity) for w in weeks] == [
        ("2026-W48", 15.0, 40.0), ("2026-W49", 15.0, 40.0), ("2026-W50", 0.0, 40.0)]  # fmt: skip
    assert [week_cell(w) for w in weeks] == ["38%", "38%", "0%"]


def test_dana_at_180_percent_is_flagged_over() -> None:
    tasks = [
        _task(1, 40, due=MONDAY + timedelta(days=4)),
        _task(2, 32, due=MONDAY + timedelta(days=4), start=MONDAY - timedelta(days=9)),
    ]
    week = workload(tasks, {}, TODAY, weeks=1).people[0].weeks[0]
    assert (week.load, week.capacity, week.percent, week.over) == (72.0, 40.0, 180.0, True)
    assert week_cell(week) == "180% over"


def test_a_day_over_its_hours_in_a_week_under_capacity_is_a_peak() -> None:
    week = workload([_task(1, 12, due=MONDAY)], {}, TODAY, weeks=1).people[0].weeks[0]
    assert (week.percent, week.over, week.peak_days) == (30.0, False, (MONDAY,))
    assert week_cell(week) == "30% peak"


def test_days_off_lower_capacity_and_move_the_load_to_other_days() -> None:
    cal = PersonCalendar(
        "dana", hours_per_day=6, days_off=frozenset({MONDAY, MONDAY.replace(day=24)})
    )
    week = workload([_task(1, 9, due=MONDAY + timedelta(days=4))], {"dana": cal}, TODAY,
                    weeks=1).people[0].weeks[0]  # fmt: skip
    assert (week.load, week.capacity) == (9.0, 18.0)


def test_overdue_and_undated_tasks_are_never_dropped() -> None:
    tasks = [_task(1, 5, due=MONDAY - timedelta(days=3)), _task(2, 7),
             _task(3, 4, who=None, due=MONDAY)]  # fmt: skip
    load = workload(tasks, {}, TODAY, weeks=1)
    dana = load.people[0]
    assert (dana.weeks[0].load, dana.unscheduled, dana.unscheduled_task_ids) == (5.0, 7.0, (2,))
    assert (load.unassigned, load.unassigned_task_ids) == (4.0, (3,))


def test_work_beyond_the_weeks_shown_is_counted_later() -> None:
    load = workload([_task(1, 20, due=MONDAY + timedelta(days=11))], {}, TODAY, weeks=1)
    assert (load.people[0].weeks[0].load, load.people[0].later) == (10.0, 10.0)


_days = st.integers(min_value=-30, max_value=120).map(lambda n: TODAY + timedelta(days=n))
_tasks = st.lists(
    st.builds(
        lambda i, hours, due, start, finish, who, done: Task(
            id=i + 1, title="t", assignee=who, remaining_hours=hours, due=due,
            planned_start=start,
            planned_finish=max(finish, start) if finish and start else finish,
            status=Status.DONE if done else Status.TODO,
        ),
        st.integers(0, 10_000), st.floats(0, 500, allow_nan=False).map(lambda h: round(h, 2)),
        st.none() | _days, st.none() | _days, st.none() | _days,
        st.sampled_from(["ann", "bob", None]), st.booleans(),
    ),
    max_size=30,
)  # fmt: skip
_calendars = st.fixed_dictionaries({
    "ann": st.builds(PersonCalendar, st.just("ann"), st.sampled_from([4.0, 7.5, 8.0]),
                     st.frozensets(st.integers(1, 7), min_size=1),
                     st.frozensets(_days, max_size=20)),
})  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_tasks, _calendars, st.integers(1, 20))
def test_total_load_equals_the_remaining_hours_of_scheduled_tasks(
    tasks: list[Task], calendars: dict[str, PersonCalendar], weeks: int
) -> None:
    load: Workload = workload(tasks, calendars, TODAY, weeks)
    spread = sum(sum(w.load for w in p.weeks) + p.later for p in load.people)
    scheduled = [t for t in tasks if t.is_open and t.assignee and (t.due or t.planned_finish)]
    assert spread == pytest.approx(sum(task_hours(t) for t in scheduled), abs=1e-6)
    unscheduled = sum(p.unscheduled for p in load.people)
    assert unscheduled == pytest.approx(  # hours are floats: sums in another order differ
        sum(task_hours(t) for t in tasks if t.is_open and t.assignee and not task_end_of(t)),
        abs=1e-6,
    )
    for person in load.people:
        assert len(person.weeks) == weeks
        assert all(w.capacity >= 0 and w.load >= 0 for w in person.weeks)


@settings(max_examples=200, deadline=None)
@given(_tasks, _calendars, st.integers(1, 8), st.integers(0, 6))
def test_the_fast_workload_equals_the_rule_applied_task_by_task(
    tasks: list[Task], calendars: dict[str, PersonCalendar], weeks: int, weekday: int
) -> None:
    """``workload`` (one pass, day-index arithmetic) against the simple definition: each
    task's hours in each week by ``task_week_hours``, capacity day by day, peaks from
    ``day_loads`` (per-day loads of the same rule), from any weekday on."""
    today = TODAY + timedelta(days=weekday)
    load = workload(tasks, calendars, today, weeks)
    for person in load.people:
        cal = calendars.get(person.login) or PersonCalendar(person.login)
        own = [t for t in tasks if t.assignee == person.login and t.is_open]
        per_day = day_loads(cal, own, today, person.weeks[-1].monday + timedelta(days=6))
        for week in person.weeks:
            expected = sum(task_week_hours(t, cal, today, week.monday) for t in own)
            assert week.load == pytest.approx(expected, abs=1e-6)
            days = [week.monday + timedelta(days=k) for k in range(7)]
            open_days = [d for d in days if d >= today and cal.works_on(d)]
            assert week.capacity == pytest.approx(cal.hours_per_day * len(open_days))
            # The same additions in the same order as day_loads: the floats are equal.
            peaks = tuple(d for d in open_days
                          if per_day[(d - today).days] > cal.hours_per_day + 1e-9)  # fmt: skip
            assert week.peak_days == (() if week.over else peaks)
        shown = sum(w.load for w in person.weeks)
        scheduled = sum(task_hours(t) for t in own if t.due or t.planned_finish)
        assert person.later == pytest.approx(scheduled - shown, abs=1e-6)


def task_end_of(task: Task) -> date | None:
    return task.due or task.planned_finish


def test_workload_cli_shows_percentages_and_reasons(run: Cli) -> None:
    run("person", "add", "dana", "--team", "ops")
    run("person", "add", "eve", "--team", "dev")
    run("person", "set", "dana", "--hours-per-day", "8", "--workdays", "1-5")
    run("leave", "add", "dana", "2026-11-27")
    run("add", "big", "--assignee", "dana", "--estimate", "72h", "--due", "2026-11-26")
    run("add", "floating", "--assignee", "eve", "--estimate", "5h")
    out = run("workload", "--weeks", "2").stdout.splitlines()
    assert out[0].split() == ["person", "W48", "W49", "later", "unsched"]
    assert out[1].split() == ["dana", "225%", "over", "0%", "0h", "0h"]
    assert out[2].split() == ["eve", "0%", "0%", "0h", "5h"]
    assert out[3] == "dana is at 225% in 2026-W48 (72 h of work, 32 h available)"
    data = json.loads(run("workload", "--team", "ops", "--weeks", "1", "--json").stdout)
    assert [p["login"] for p in data["people"]] == ["dana"]
    assert data["people"][0]["weeks"][0] == {
        "week": "2026-W48", "monday": "2026-11-23", "load_hours": "72.00",
        "capacity_hours": "32.00", "percent": "225.0", "over": True, "peak_days": []}  # fmt: skip


def test_leave_that_ends_before_it_starts_is_refused(run: Cli) -> None:
    run("person", "add", "dana")
    result = run("leave", "add", "dana", "2026-11-27", "2026-11-26", ok=False)
    assert (result.exit_code, result.stderr) == (
        1, "Error: the leave ends (2026-11-26) before it starts (2026-11-27)\n")  # fmt: skip
    assert run("leave", "add", "zoe", "2026-11-27", ok=False).stderr.startswith(
        "Error: no person 'zoe'")  # fmt: skip


def test_a_teams_public_holiday_is_leave_for_each_member_and_bad_input_adds_none(
    run: Cli, store: Store
) -> None:
    for login, team in (("dana", "Ops"), ("finn", "Ops"), ("eve", "Apps")):
        run("person", "add", login, "--team", team)
    out = run("leave", "team", "Ops", "2026-12-24", "2026-12-25", "--note", "Christmas").stdout
    assert out == "added leave for 2 in team Ops: dana, finn 2026-12-24..2026-12-25 (2 days)\n"
    assert [(x.person, x.first_day, x.last_day, x.note) for x in store.worklogs.leave()] == [
        ("dana", date(2026, 12, 24), date(2026, 12, 25), "Christmas"),
        ("finn", date(2026, 12, 24), date(2026, 12, 25), "Christmas"),
    ]
    data = json.loads(run("workload", "--team", "Ops", "--weeks", "6", "--json").stdout)
    week52 = next(w for w in data["people"][0]["weeks"] if w["week"] == "2026-W52")
    assert week52["capacity_hours"] == "24.00"  # 5 days less 2 of 8 h
    for args, said in ((("Nobody", "2026-12-24"), "Error: no one is in team 'Nobody'"),
                       (("Ops", "2026-12-27", "2026-12-26"), "Error: the leave ends")):  # fmt: skip
        result = run("leave", "team", *args, ok=False)
        assert result.exit_code == 1 and result.stderr.startswith(said), result.stderr
        assert result.stderr.count("\n") == 1
    assert len(store.worklogs.leave()) == 2
