"""The tasks behind a workload cell add up to the cell, and each cell reads without colour.

``task_week_hours`` applies domain/workload.py's spreading rule (remaining work loaded
uniformly over the remaining duration, as in a resource-loading histogram: Kerzner,
*Project Management*, on resource loading and leveling) to one task and one week; the
Workload screen lists a cell's tasks with it, so they must sum to ``workload``'s load.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.workload import PersonCalendar, WeekLoad, task_week_hours, workload
from itpm_tui.models import Task
from itpm_tui.store import Store
from itpm_tui.widgets.workload_grid import cell_text
from tests.conftest import TODAY

MONDAY = TODAY  # 2026-11-23, a Monday (ISO week 48)


def _task(task_id: int, hours: float, start: date | None, due: date | None) -> Task:
    return Task(id=task_id, title=f"t{task_id}", assignee="dana", remaining_hours=hours,
                planned_start=start, due=due)  # fmt: skip


def test_40_hours_over_monday_to_friday_is_all_in_that_week() -> None:
    cal = PersonCalendar("dana")
    task = _task(1, 40, MONDAY, MONDAY + timedelta(days=4))
    assert task_week_hours(task, cal, TODAY, MONDAY) == 40
    assert task_week_hours(task, cal, TODAY, MONDAY + timedelta(days=7)) == 0


def test_a_task_over_two_weeks_with_a_day_off_splits_by_working_days() -> None:
    # Mon 23 Nov .. Fri 4 Dec is 10 working days; a day off on Tue 1 Dec leaves 9: 4 in
    # week 49 of 36 h is 16 h, 5 in week 48 is 20 h.
    cal = PersonCalendar("dana", days_off=frozenset({date(2026, 12, 1)}))
    task = _task(1, 36, MONDAY, date(2026, 12, 4))
    assert task_week_hours(task, cal, TODAY, MONDAY) == 20
    assert task_week_hours(task, cal, TODAY, MONDAY + timedelta(days=7)) == 16


def test_an_overdue_task_is_all_on_the_first_working_day_from_today() -> None:
    cal = PersonCalendar("dana")
    saturday = MONDAY + timedelta(days=5)
    task = _task(1, 6, None, MONDAY - timedelta(days=3))
    assert task_week_hours(task, cal, saturday, MONDAY) == 0  # Sat, Sun: nobody works
    assert task_week_hours(task, cal, saturday, MONDAY + timedelta(days=7)) == 6


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), st.integers(-10, 40), st.integers(-20, 60)),
                max_size=8),
       st.frozensets(st.integers(0, 50), max_size=6), st.integers(0, 6))  # fmt: skip
def test_the_tasks_behind_each_week_add_up_to_its_load(
    specs: list[tuple[int, int, int]], off: frozenset[int], shift: int
) -> None:
    today = MONDAY + timedelta(days=shift)
    cal = PersonCalendar("dana", days_off=frozenset(TODAY + timedelta(days=d) for d in off))
    tasks = [_task(i + 1, hours, TODAY + timedelta(days=s), TODAY + timedelta(days=s + span))
             for i, (hours, s, span) in enumerate(specs)]  # fmt: skip
    (person,) = workload(tasks, {"dana": cal}, today, weeks=6).people
    for week in person.weeks:
        shares = sum(task_week_hours(t, cal, today, week.monday) for t in tasks)
        assert abs(shares - week.load) < 1e-6


def test_each_cell_says_its_state_in_text() -> None:
    cells = [WeekLoad(MONDAY, 72, 40), WeekLoad(MONDAY, 40, 40), WeekLoad(MONDAY, 38, 40),
             WeekLoad(MONDAY, 30, 40, (MONDAY,)), WeekLoad(MONDAY, 16, 40),
             WeekLoad(MONDAY, 0, 0), WeekLoad(MONDAY, 4, 0)]  # fmt: skip
    assert [cell_text(w) for w in cells] == [("180%", "!", "over"), ("100%", "", "near"),
                                             ("95%", "", "near"), ("75%", "^", "near"),
                                             ("40%", "·", "idle"), ("—", "", ""),
                                             ("∞", "!", "over")]  # fmt: skip


def test_the_workload_view_lists_each_cells_tasks_on_a_real_database(store: Store) -> None:
    from itpm_tui.models import Leave, Person
    from itpm_tui.reports import workload_view

    store.people.save(Person(login="dana", team="Ops"))
    store.worklogs.add_leave(Leave(person="dana", first_day=MONDAY + timedelta(days=8),
                                   last_day=MONDAY + timedelta(days=8)))  # fmt: skip
    for n, (hours, span) in enumerate(((40, 4), (18, 11), (6, 0))):
        store.tasks.add(Task(title=f"t{n}", assignee="dana", estimate_hours=hours,
                             planned_start=MONDAY, due=MONDAY + timedelta(days=span)))  # fmt: skip
    view = workload_view(store, TODAY, "Ops", weeks=3)
    (person,) = view.load.people
    # 18 h over 9 working days (Tue 1 Dec off): 10 h in week 48, 8 h in week 49.
    assert [round(w.load, 6) for w in person.weeks] == [56, 8, 0]
    assert [round(w.capacity) for w in person.weeks] == [40, 32, 40]
    w48 = [(s.task.title, round(s.hours, 6)) for s in view.tasks_behind("dana", MONDAY)]
    assert w48 == [("t0", 40), ("t1", 10), ("t2", 6)]
    assert view.tasks_behind("dana", MONDAY + timedelta(days=14)) == ()
    assert view.teams == ("Ops",) and workload_view(store, TODAY, "Apps").load.people == ()
