"""Recurring tasks: repeat rules (domain/recurrence.py, dateutil's rrule) and the next
occurrence the store adds when one is finished (store/tasks.py), on real files.

Worked by hand: TODAY is Monday 2026-11-23. "weekly on mon,thu" due today gives Thursday
26 Nov; "every 3 working days" from Friday 27 Nov skips the weekend to Wednesday 2 Dec;
"monthly on day 31" from 30 Nov gives 31 Dec (and from 31 Jan skips February to 31 Mar).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.recurrence import RepeatRule, next_due, parse_repeat
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Project, Status, Task
from itpm_tui.store import Store, TaskFilter
from itpm_tui.store.transfer import export_text, import_json, parse_export
from tests.conftest import TODAY, Cli, export_of

RULES = st.one_of(
    st.builds(RepeatRule, st.just("day"), st.integers(1, 30)),
    st.builds(RepeatRule, st.just("workday"), st.integers(1, 30)),
    st.builds(RepeatRule, st.just("week"), st.integers(1, 8)),
    st.builds(
        lambda days: RepeatRule("week", weekdays=tuple(sorted(days))),
        st.sets(st.integers(1, 7), min_size=1),
    ),
    st.builds(RepeatRule, st.just("month"), st.integers(1, 12)),
    st.builds(lambda day: RepeatRule("month", monthday=day), st.integers(1, 31)),
    st.builds(lambda day, nth: RepeatRule("month", weekdays=(day,), nth=nth),
              st.integers(1, 7), st.sampled_from((1, 2, 3, 4, 5, -1))),
)  # fmt: skip
CALENDARS = st.builds(
    WorkCalendar,
    st.sets(st.integers(1, 7), min_size=1).map(frozenset),
    st.sets(st.dates(date(2026, 1, 1), date(2028, 12, 31)), max_size=20).map(frozenset),
)
DAYS = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@settings(max_examples=400, deadline=None)
@given(RULES, st.none() | DAYS, DAYS, CALENDARS)
def test_the_next_occurrence_is_strictly_after_due_and_today(
    rule: RepeatRule, due: date | None, today: date, calendar: WorkCalendar
) -> None:
    found = next_due(rule, due, today, calendar)
    assert found > max(due or today, today)
    assert parse_repeat(rule.text) == rule  # the stored text reads back as the same rule
    if rule.unit == "workday":  # asked for working days: lands on one, the n-th after
        assert calendar.is_working_day(found)
        assert calendar.count(max(due or today, today) + timedelta(days=1), found) == rule.interval
    if rule.weekdays:
        assert found.isoweekday() in rule.weekdays
    if rule.monthday is not None:
        assert found.day == rule.monthday


@pytest.mark.parametrize(("text", "due", "expected"), [
    ("weekly on mon,thu", TODAY, date(2026, 11, 26)),
    ("every 3 working days", date(2026, 11, 27), date(2026, 12, 2)),
    ("monthly on day 31", date(2026, 11, 30), date(2026, 12, 31)),
    ("monthly on day 31", date(2027, 1, 31), date(2027, 3, 31)),
    ("every 2 weeks", date(2026, 11, 9), date(2026, 12, 7)),  # every other Monday from 9 Nov
    ("daily", date(2026, 11, 20), date(2026, 11, 24)),  # finished late: after today
    ("monthly on the first monday", TODAY, date(2026, 12, 7)),  # 1 Dec is a Tuesday
    ("every month on the 2nd tue", TODAY, date(2026, 12, 8)),
    ("monthly on the last fri", TODAY, date(2026, 11, 27)),
    ("monthly on the 5th fri", date(2026, 11, 27), date(2027, 1, 29)),  # December has four
])  # fmt: skip
def test_worked_examples(text: str, due: date, expected: date) -> None:
    rule = parse_repeat(text)
    assert rule is not None
    today = max(TODAY, due - timedelta(days=1)) if due > TODAY else TODAY
    assert next_due(rule, due, today, WorkCalendar()) == expected


@pytest.mark.parametrize(("text", "said"), [
    ("every blursday", "'blursday' is not a weekday"),
    ("every 0 days", "every 1 or more"),
    ("monthly on day 32", "days 1 to 31"),
    ("sometimes", "cannot read the repeat rule 'sometimes'; try: daily"),
    ("monthly on the sixth mon", "cannot read the repeat rule"),
    ("monthly on the last blursday", "'blursday' is not a weekday"),
    ("every 600 weeks", "repeat rule 'every 600 weeks' never fires"),  # none in ten years
    ("every 999 months", "never fires"),
])  # fmt: skip
def test_rules_it_cannot_read_are_refused_in_one_sentence(text: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said):
        parse_repeat(text)


def test_finishing_a_recurring_task_adds_the_next_once_with_its_audit_row(store: Store) -> None:
    net = store.projects.add(Project(key="NET", name="Network"))
    first = store.tasks.add(Task(title="Check backups", project_id=net.id, assignee="pm",
                                 due=TODAY, estimate_hours=1, remaining_hours=0.25,
                                 planned_cost=100, repeat="weekly on mon,thu"))  # fmt: skip
    store.tasks.update(first.id, {"status": Status.DONE})
    [following] = store.tasks.find(TaskFilter(open_only=True))
    assert (following.title, following.due, following.repeat, following.repeat_of) == (
        "Check backups",
        date(2026, 11, 26),
        "weekly on mon,thu",
        first.id,
    )
    # Hours start again at the estimate; planned cost stays with the finished one.
    assert (following.remaining_hours, following.planned_cost, following.project_id) == (
        1.0,
        None,
        net.id,
    )
    assert [e.field for e in store.tasks.history(following.id)] == ["created", "repeat_of"]
    # Reopened and finished again: still one task after it.
    store.tasks.update(first.id, {"status": Status.TODO})
    store.tasks.update(first.id, {"status": Status.DONE})
    assert len(store.tasks.find(TaskFilter(open_only=True))) == 1
    # Stopping the repeat: finishing the next adds nothing.
    store.tasks.update(following.id, {"repeat": None})
    store.tasks.update(following.id, {"status": Status.DONE})
    assert store.tasks.find(TaskFilter(open_only=True)) == []


@pytest.mark.slow
def test_two_processes_finishing_one_occurrence_add_one_next(store: Store, db_path: Path) -> None:
    first = store.tasks.add(Task(title="Rotate keys", due=TODAY, repeat="daily"))
    env = {**os.environ, "ITPM_DB": str(db_path), "ITPM_USER": "pm",
           "ITPM_TODAY": TODAY.isoformat()}  # fmt: skip
    procs = [subprocess.Popen([sys.executable, "-m", "itpm_tui", "done", str(first.id)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]  # fmt: skip
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    tasks = store.tasks.find(TaskFilter(ids=None))
    assert [(t.id, t.status, t.repeat_of, t.due) for t in tasks] == [
        (first.id, Status.DONE, None, TODAY),
        (first.id + 1, Status.TODO, first.id, TODAY + timedelta(days=1)),
    ]


def test_cli_add_and_set_repeat_refuse_bad_rules_and_export_carries_them(
    run: Cli, db_path: Path, store: Store, tmp_path: Path
) -> None:
    run("add", "Check backups", "--due", "today", "--repeat", "every mon and thu")
    shown = json.loads(run("show", "1", "--json").output)
    assert shown["repeat"] == "weekly on mon,thu"
    before = export_of(db_path)
    for args in (("add", "x", "--repeat", "every blursday"),
                 ("set", "1", "--repeat", "monthly on day 40"),
                 ("set", "1", "--repeat", "every -2 days"),
                 ("add", "y", "--repeat", "every 600 weeks")):  # fmt: skip
        result = run(*args, ok=False)
        lines = result.output.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error:"), args
    assert export_of(db_path) == before
    run("done", "1")
    text = export_text(store.db)
    copy = Store(tmp_path / "copy.db", user="pm", clock=store.clock)
    import_json(copy.db, parse_export(text))
    assert export_text(copy.db) == text
    assert [(t.repeat, t.repeat_of) for t in copy.tasks.find()] == [
        ("weekly on mon,thu", None), ("weekly on mon,thu", 1)]  # fmt: skip
    copy.close()


def test_cli_skip_moves_a_recurring_task_to_its_next_date_and_refuses_others(
    run: Cli, db_path: Path
) -> None:
    run("add", "Check backups", "--due", "today", "--repeat", "weekly on mon,thu")
    run("add", "Order cables", "--due", "fri")
    assert run("skip", "1").output == "skipped #1: Check backups, next due 2026-11-26\n"
    assert json.loads(run("show", "1", "--json").output)["due"] == "2026-11-26"
    assert run("skip", "#1").output.endswith("next due 2026-11-30\n")  # Thursday, then Monday
    before = export_of(db_path)
    for args, said in ((("skip", "2"), "Error: #2 does not repeat: nothing to skip"),
                       (("skip", "9"), "Error: no task #9")):  # fmt: skip
        result = run(*args, ok=False)
        assert result.exit_code == 1 and result.output.strip() == said, result.output
    assert export_of(db_path) == before
