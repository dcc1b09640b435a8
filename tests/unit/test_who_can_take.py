""" "Who can take this?": free hours before a task's due date, per person (domain/workload.py).

Hand-calculated: TODAY is Monday 2026-11-23. The task asked about is bob's, 6 h, due
Wednesday 25 Nov: the window is Mon-Wed, 3 working days. A person's free hours are, per
working day in it, max(0, hours per day - their load that day):

- dana (8 h/day) has 12 h due Wednesday: 4 h a day, so 3 x (8 - 4) = 12 h free of 24 (50%);
- erik (8 h/day) has 20 h due today: all 20 h on Monday (0 free), Tue and Wed free:
  0 + 8 + 8 = 16 h free of 24 (67%), not 24 - 20 = 4: an overbooked day lends nothing;
- fatima (8 h/day) is off on Tuesday: 2 days, 16 h free of 16 (100%);
- chen (6 h/day) has 30 h due Friday: 6 h a day, 0 h free of 18 (0%);
- bob owns the task and is not listed.
Sorted by free hours, then login: erik 16, fatima 16, dana 12, chen 0; the 6 h fit all but chen.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from itpm_tui.domain.workload import PersonCalendar, candidate_text, who_can_take
from itpm_tui.models import Person, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli

WEDNESDAY = TODAY + timedelta(days=2)
FRIDAY = TODAY + timedelta(days=4)


def _task(task_id: int, hours: float, due: date | None, who: str | None) -> Task:
    return Task(id=task_id, title=f"t{task_id}", assignee=who, remaining_hours=hours, due=due)


ASKED = _task(1, 6, WEDNESDAY, "bob")
OTHERS = [_task(2, 12, WEDNESDAY, "dana"), _task(3, 20, TODAY, "erik"),
          _task(4, 30, FRIDAY, "chen"), _task(5, 50, FRIDAY, "bob")]  # fmt: skip
CALENDARS = {
    "bob": PersonCalendar("bob"),
    "dana": PersonCalendar("dana"),
    "erik": PersonCalendar("erik"),
    "fatima": PersonCalendar("fatima", days_off=frozenset({TODAY + timedelta(days=1)})),
    "chen": PersonCalendar("chen", hours_per_day=6),
}


def test_free_hours_before_the_due_date_worked_by_hand() -> None:
    options = who_can_take(ASKED, [ASKED, *OTHERS], CALENDARS, TODAY)
    assert (options.first, options.last, options.hours) == (TODAY, WEDNESDAY, 6.0)
    got = [(c.login, c.free, c.capacity, c.load, c.fits) for c in options.candidates]
    assert got == [
        ("erik", 16.0, 24.0, 20.0, True),
        ("fatima", 16.0, 16.0, 0.0, True),
        ("dana", 12.0, 24.0, 12.0, True),
        ("chen", 0.0, 18.0, 18.0, False),
    ]
    assert [candidate_text(c) for c in options.candidates] == [
        "erik: 16 h free of 24 h (67%) · fits",
        "fatima: 16 h free of 16 h (100%) · fits",
        "dana: 12 h free of 24 h (50%) · fits",
        "chen: 0 h free of 18 h (0%)",
    ]


def test_the_task_asked_about_is_in_nobodys_load() -> None:
    mine = _task(1, 6, WEDNESDAY, "dana")  # dana's own: leaves her out, and bob's 50 h count
    options = who_can_take(mine, [mine, *OTHERS], CALENDARS, TODAY)
    # bob: 50 h over Mon-Fri = 10 h a day, over his 8 every day: 0 free, like chen.
    assert [(c.login, c.free) for c in options.candidates] == [
        ("erik", 16.0), ("fatima", 16.0), ("bob", 0.0), ("chen", 0.0)]  # fmt: skip


def test_an_overdue_task_asks_about_today_and_one_without_dates_about_two_weeks() -> None:
    late = who_can_take(_task(1, 2, TODAY - timedelta(days=5), None), OTHERS, CALENDARS, TODAY)
    assert (late.first, late.last) == (TODAY, TODAY)
    assert {c.login: c.free for c in late.candidates}["fatima"] == 8.0
    undated = who_can_take(_task(1, 2, None, None), [], CALENDARS, TODAY)
    assert undated.last == TODAY + timedelta(days=13)
    # Two weeks of Mon-Fri: 10 working days of 8 h; fatima has one of them off.
    assert {c.login: c.free for c in undated.candidates}["fatima"] == 72.0


def _team(store: Store) -> Task:
    for login in ("bob", "dana", "erik"):
        store.people.save(Person(login=login))
    store.tasks.add(_task(0, 12, WEDNESDAY, "dana"))
    store.tasks.add(_task(0, 20, TODAY, "erik"))
    return store.tasks.add(_task(0, 6, WEDNESDAY, "bob"))


def test_cli_lists_people_by_free_hours_and_json_has_the_numbers(store: Store, run: Cli) -> None:
    asked = _team(store)
    out = run("who-can-take", str(asked.id)).output
    assert out.splitlines() == [
        f"#{asked.id} t0: 6 h needed; free hours 2026-11-23 to 2026-11-25",
        "  erik: 16 h free of 24 h (67%) · fits",
        "  dana: 12 h free of 24 h (50%) · fits",
    ]
    data = json.loads(run("who-can-take", f"#{asked.id}", "--json").output)
    assert data["hours"] == "6.00"
    assert [(c["login"], c["free_hours"], c["free_percent"], c["fits"])
            for c in data["candidates"]][:2] == [
        ("erik", "16.00", "66.7", True), ("dana", "12.00", "50.0", True)]  # fmt: skip


def test_cli_refuses_a_bad_or_unknown_id_in_one_line(store: Store, run: Cli) -> None:
    _team(store)
    for bad, said in (("abc", "id must be an id number"), ("999", "no task #999")):
        result = run("who-can-take", bad, ok=False)
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [result.output.strip()]
        assert said in result.output and result.output.startswith("Error:")
