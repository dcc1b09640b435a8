"""Timers (one per person, in the file), worklog corrections and the weekly timesheet.

Real database files; a second OS process for the one-timer-per-person rule. TODAY is Monday
2026-11-23; the fixed clock starts at 09:00.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import InvalidInput, NotFound, TaskNotFound
from itpm_tui.models import Leave, Person, Task, Worklog
from itpm_tui.store import Store
from itpm_tui.store.transfer import export_text, import_json, parse_export
from itpm_tui.store.worklogs import WorklogFilter
from tests.conftest import TODAY, Cli, export_of


def _two_tasks(store: Store) -> tuple[Task, Task]:
    store.people.save(Person(login="pm"))
    store.people.save(Person(login="bob"))
    return store.tasks.add(Task(title="Write runbook")), store.tasks.add(Task(title="Patch"))


def test_stopping_a_timer_logs_its_whole_minutes_with_audit_rows(
    store: Store, clock: FixedClock
) -> None:
    first, _ = _two_tasks(store)
    timer, _ = store.timers.start(first.id)
    assert (timer.person, timer.task_id, f"{timer.started_at:%H:%M}") == ("pm", first.id, "09:00")
    clock.advance(90 * 60 + 59)  # 90 minutes and 59 seconds: 90 whole minutes
    stopped = store.timers.stop(note="runbook draft")
    assert stopped.minutes == 90 and stopped.logged is not None
    [log] = store.worklogs.find(WorklogFilter(task_id=first.id))
    assert (log.person, log.day, log.minutes, log.note) == ("pm", TODAY, 90, "runbook draft")
    assert store.timers.running() is None
    fields = [(e.entity, e.field) for e in store.audit.find(newest_first=False)
              if e.entity in ("timer", "worklog")]  # fmt: skip
    assert fields == [("timer", "pm.started"), ("timer", "pm.stopped"), ("worklog", "minutes")]


def test_one_timer_per_person_a_switch_logs_the_first(store: Store, clock: FixedClock) -> None:
    first, second = _two_tasks(store)
    store.timers.start(first.id)
    with pytest.raises(InvalidInput, match=f"running on #{first.id} since 09:00; stop it"):
        store.timers.start(second.id)
    with pytest.raises(InvalidInput, match="already running"):
        store.timers.start(first.id)
    store.timers.start(second.id, "bob")  # bob has his own
    clock.advance(30 * 60)
    timer, stopped = store.timers.start(second.id, switch=True)
    assert stopped is not None and stopped.minutes == 30 and timer.task_id == second.id
    assert [w.minutes for w in store.worklogs.find(WorklogFilter(task_id=first.id))] == [30]


def test_bad_timer_requests_change_nothing(store: Store, db_path: Path, clock: FixedClock) -> None:
    first, _ = _two_tasks(store)
    before = export_of(db_path)
    with pytest.raises(NotFound, match="pm has no timer running"):
        store.timers.stop()
    with pytest.raises(TaskNotFound, match="no task #99"):
        store.timers.start(99)
    with pytest.raises(NotFound, match="no person 'zoe'"):
        store.timers.start(first.id, "zoe")
    assert export_of(db_path) == before
    store.timers.start(first.id)
    running = export_of(db_path)
    clock.advance(25 * 3600)  # forgotten overnight: more than a day is refused, kept running
    with pytest.raises(InvalidInput, match="more than a day"):
        store.timers.stop()
    assert export_of(db_path) == running
    assert store.timers.cancel().task_id == first.id
    assert store.worklogs.find() == []


@pytest.mark.slow
def test_two_processes_starting_timers_at_once_leave_one(store: Store, db_path: Path) -> None:
    first, second = _two_tasks(store)
    env = {**os.environ, "ITPM_DB": str(db_path), "ITPM_USER": "pm",
           "ITPM_TODAY": TODAY.isoformat()}  # fmt: skip
    procs = [subprocess.Popen([sys.executable, "-m", "itpm_tui", "timer", "start", str(t.id)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for t in (first, second)]  # fmt: skip
    results = [(p.wait(timeout=60), p.stdout.read() if p.stdout else "",
                p.stderr.read() if p.stderr else "") for p in procs]  # fmt: skip
    assert sorted(code for code, _, _ in results) == [0, 1]
    [refused] = [err for code, _, err in results if code == 1]
    assert refused.startswith("Error: pm has a timer running on #") and refused.count("\n") == 1
    assert store.timers.running() is not None


def test_timers_round_trip_through_export_and_import(store: Store, tmp_path: Path) -> None:
    first, _ = _two_tasks(store)
    store.timers.start(first.id)
    text = export_text(store.db)
    assert len(json.loads(text)["tables"]["timers"]["rows"]) == 1
    copy = Store(tmp_path / "copy.db", user="pm", clock=FixedClock(TODAY))
    import_json(copy.db, parse_export(text))
    assert export_text(copy.db) == text
    assert copy.timers.running() == store.timers.running()
    copy.close()


def _week_of_time(store: Store) -> tuple[Task, Task]:
    first, second = _two_tasks(store)
    store.worklogs.add_leave(Leave(person="pm", first_day=TODAY - timedelta(days=6),
                                   last_day=TODAY - timedelta(days=6)))  # fmt: skip
    for task, back, minutes, overtime in ((first, 7, 90, 0), (first, 5, 480, 60),
                                          (second, 5, 30, 0), (second, 3, 240, 0)):  # fmt: skip
        store.worklogs.log(Worklog(person="pm", task_id=task.id,
                                   day=TODAY - timedelta(days=back), minutes=minutes,
                                   overtime_minutes=overtime))  # fmt: skip
    return first, second


def test_the_timesheet_sums_days_and_tasks_and_flags_missing_days(store: Store, run: Cli) -> None:
    # Week 47 (Mon 16 - Sun 22 Nov): Mon 1:30 on #1; Wed 8:00 + 1:00 overtime on #1 and
    # 0:30 on #2; Fri 4:00 on #2. Tue 17 is leave, so Thu 19 is the only day missing.
    first, second = _week_of_time(store)
    out = run("timesheet", "--week", "2026-W47").output.splitlines()
    assert out[0] == "pm · 2026-W47 (16 Nov - 22 Nov)"
    assert out[2].split() == [f"#{first.id}", "Write", "runbook", "1:30", "-", "9:00", "-", "-",
                              "-", "-", "10:30"]  # fmt: skip
    assert out[3].split() == [f"#{second.id}", "Patch", "-", "-", "0:30", "-", "4:00", "-", "-",
                              "4:30"]  # fmt: skip
    assert out[4].split() == ["total", "1:30", "-", "9:30", "-", "4:00", "-", "-", "15:00"]
    assert out[5].split() == ["of", "which", "overtime", "-", "-", "1:00", "-", "-", "-", "-",
                              "1:00"]  # fmt: skip
    assert out[6] == "missing: Thu 19 Nov"
    data = json.loads(run("timesheet", "--week", "2026-11-18", "--json").output)
    assert data["total_minutes"] == 900 and data["day_totals"] == [90, 0, 570, 0, 240, 0, 0]
    assert data["tasks"][0]["overtime_minutes"] == 60
    assert data["tasks"][0]["day_overtime_minutes"] == [0, 0, 60, 0, 0, 0, 0]
    assert data["missing_days"] == ["2026-11-19"]


def test_worklog_set_and_rm_correct_time_and_refuse_bad_input(
    store: Store, run: Cli, db_path: Path
) -> None:
    _week_of_time(store)
    assert run("worklog", "set", "1", "--hours", "2h", "--note", "redo").output.startswith(
        "worklog 1: 2 h on #1 for pm on 2026-11-16"
    )
    assert store.worklogs.get(1).minutes == 120
    before = export_of(db_path)
    for args, said in (
        (("worklog", "set", "1", "--hours", "-1"), ""),
        (("worklog", "set", "1", "--hours", "25h"), "24"),
        (("worklog", "set", "1", "--date", "tomorrow"), "future"),
        (("worklog", "set", "1", "--hours", "0"), "worklog rm"),
        (("worklog", "set", "99", "--hours", "1"), "no worklog 99"),
        (("worklog", "set", "1"), "nothing to change"),
        (("worklog", "rm", "99"), "no worklog 99"),
        (("worklog", "rm", "x"), "id"),
        (("timesheet", "--person", "zoe"), "no person 'zoe'"),
        (("timesheet", "--week", "2026-W60"), "does not exist"),
        (("timer", "start", "99"), "no task #99"),
        (
            (
                "timer",
                "stop",
            ),
            "no timer running",
        ),
    ):
        result = run(*args, ok=False)
        assert result.exit_code == 1, args
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error:") and said in lines[0], args
    assert export_of(db_path) == before
    assert run("worklog", "rm", "1").output.startswith("removed worklog 1: 2 h on #1")
    assert [w.id for w in store.worklogs.find()] == [2, 3, 4]


def test_typing_a_cell_sets_its_total_keeping_overtime_with_audit_rows(store: Store) -> None:
    first, second = _two_tasks(store)
    day = TODAY - timedelta(days=2)
    store.worklogs.log(Worklog(person="pm", task_id=first.id, day=day, minutes=60,
                               overtime_minutes=30, note="night"))  # fmt: skip
    store.worklogs.log(Worklog(person="pm", task_id=first.id, day=day, minutes=45))

    def cell() -> list[tuple[int, int, str]]:
        found = store.worklogs.find(WorklogFilter(task_id=first.id, person="pm"))
        return [(w.minutes, w.overtime_minutes, w.note) for w in found]

    # More time goes onto the newest worklog of the cell.
    assert store.worklogs.set_day("pm", first.id, day, 180, expected=135) == ()
    assert cell() == [(60, 30, "night"), (90, 0, "")]
    # Less comes off the newest first; a worklog left with no time is deleted.
    store.worklogs.set_day("pm", first.id, day, 60, expected=180)
    assert cell() == [(30, 30, "night")]
    audit = store.audit.find(entity="worklog", entity_id=2, newest_first=False)
    assert [(e.field, e.old, e.new) for e in audit] == [
        ("minutes", None, "45"), ("minutes", "45", "90"), ("minutes", "90", None)]  # fmt: skip
    # An empty cell gets a new worklog; the overtime stays, so the total cannot go below it.
    store.worklogs.set_day("pm", second.id, day, 90, expected=0)
    assert [w.minutes for w in store.worklogs.find(WorklogFilter(task_id=second.id))] == [90]
    with pytest.raises(InvalidInput, match="0:30 of overtime is logged"):
        store.worklogs.set_day("pm", first.id, day, 15, expected=60)
    assert cell() == [(30, 30, "night")]
    assert store.tasks.get(first.id).remaining_hours == first.remaining_hours


def test_overtime_typed_into_a_cell_resplits_its_time_and_keeps_the_total(
    store: Store, db_path: Path
) -> None:
    from itpm_tui.errors import StaleWrite

    first, _ = _two_tasks(store)
    day = TODAY - timedelta(days=2)
    store.worklogs.log(Worklog(person="pm", task_id=first.id, day=day, minutes=120))
    store.worklogs.log(Worklog(person="pm", task_id=first.id, day=day, minutes=45))

    def cell() -> list[tuple[int, int]]:
        found = store.worklogs.find(WorklogFilter(task_id=first.id, person="pm"))
        return [(w.minutes, w.overtime_minutes) for w in found]

    # 1:00 of the 2:45 was overtime: taken from the newest worklog first, the total kept.
    store.worklogs.set_overtime("pm", first.id, day, 60, expected=(165, 0))
    assert cell() == [(105, 15), (0, 45)]
    audit = store.audit.find(entity="worklog", entity_id=2, newest_first=False)
    assert [(e.field, e.old, e.new) for e in audit][-2:] == [
        ("minutes", "45", "0"), ("overtime_minutes", "0", "45")]  # fmt: skip
    store.worklogs.set_overtime("pm", first.id, day, 0, expected=(165, 60))  # none again
    assert cell() == [(120, 0), (45, 0)]
    before = export_of(db_path)
    with pytest.raises(
        InvalidInput, match=r"pm has 2:45 on #1 on Sat 21 Nov; .* type at most that"
    ):
        store.worklogs.set_overtime("pm", first.id, day, 170, expected=(165, 0))
    with pytest.raises(StaleWrite):  # someone typed 0:30 of overtime meanwhile
        store.worklogs.set_overtime("pm", first.id, day, 60, expected=(165, 30))
    with pytest.raises(InvalidInput, match="0 or more"):
        store.worklogs.set_overtime("pm", first.id, day, -5, expected=None)
    assert export_of(db_path) == before


def test_a_bad_or_stale_cell_changes_nothing(store: Store, db_path: Path) -> None:
    from itpm_tui.errors import StaleWrite

    first, _ = _two_tasks(store)
    day = TODAY - timedelta(days=1)
    store.worklogs.log(Worklog(person="pm", task_id=first.id, day=day, minutes=20 * 60))
    before = export_of(db_path)
    for args, error, said in (
        (("pm", first.id, day, 25 * 60, 20 * 60), InvalidInput, "0 to 24 hours"),
        (("pm", first.id, TODAY + timedelta(days=1), 60, 0), InvalidInput, "in the future"),
        (("zoe", first.id, day, 60, 0), NotFound, "no person 'zoe'"),
        (("pm", 99, day, 60, 0), TaskNotFound, "no task #99"),
        # Someone logged more meanwhile: the total seen (19 h) is not the one stored (20 h).
        (("pm", first.id, day, 22 * 60, 19 * 60), StaleWrite,
         r"pm's time on 2026-11-22 to '20:00' at 09:00"),
        # 24 h a day counts the person's other tasks too.
        (("pm", 2, day, 5 * 60, 0), InvalidInput, "at most 24 h in a day"),
    ):  # fmt: skip
        person, task_id, on, minutes, seen = args
        with pytest.raises(error, match=said):
            store.worklogs.set_day(person, task_id, on, minutes, expected=seen)
    assert export_of(db_path) == before


_CELL_WORKER = """
import sys, time
from datetime import date
from pathlib import Path
from itpm_tui.clock import FixedClock
from itpm_tui.errors import StaleWrite
from itpm_tui.store import Store
from itpm_tui.store.worklogs import WorklogFilter

path, count, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
day = date(2026, 11, 20)
while not go.exists():
    time.sleep(0.005)
store = Store(path, user="pm", clock=FixedClock(date(2026, 11, 23)))
retries = 0
for _ in range(count):
    while True:  # what a timesheet does: show the total, type total + 6 minutes
        shown = sum(w.total_minutes for w in store.worklogs.find(
            WorklogFilter(task_id=1, person="bob", first_day=day, last_day=day)))
        try:
            store.worklogs.set_day("bob", 1, day, shown + 6, expected=shown)
            break
        except StaleWrite:
            retries += 1
store.close()
print(retries)
"""


@pytest.mark.slow
def test_two_processes_typing_into_one_cell_lose_no_minutes(store: Store, db_path: Path,
                                                            tmp_path: Path) -> None:  # fmt: skip
    _two_tasks(store)
    go, count = tmp_path / "go", 60
    workers = [subprocess.Popen([sys.executable, "-c", _CELL_WORKER, str(db_path), str(count),
                                 str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]  # fmt: skip
    go.touch()
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    # A total typed over one that changed meanwhile is refused (StaleWrite), never lost.
    cell = store.worklogs.find(WorklogFilter(task_id=1, person="bob"))
    assert sum(w.minutes for w in cell) == 2 * count * 6
    assert len(cell) == 1  # more time goes onto the cell's newest worklog
