"""The light task rows health reads over a portfolio hold what the full task models hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.errors import InvalidInput
from itpm_tui.models import Project, Status, Task, TaskRow
from itpm_tui.store import Store, TaskFilter
from tests.conftest import connect


def _varied_tasks(store: Store) -> None:
    """Tasks with every kind of value a row converts: empty and shared dates, each status,
    progress from a percent or from estimate and remaining, money, a blocked reason."""
    project = store.projects.add(Project(key="NET", name="Network", bac=Decimal("1000")))
    shared = date(2026, 12, 1)
    store.tasks.add(Task(title="Bare"))
    store.tasks.add(Task(title="Personal, due", due=shared))
    store.tasks.add(Task(
        title="Planned", project_id=project.id, due=shared, planned_start=date(2026, 11, 2),
        planned_finish=shared, estimate_hours=10.5, remaining_hours=4.0,
        planned_cost=Decimal("1234.50"), assignee="pm",
    ))  # fmt: skip
    store.tasks.add(Task(title="Percent", project_id=project.id, percent_complete=40,
                         planned_start=shared, planned_finish=shared))  # fmt: skip
    store.tasks.add(Task(title="Blocked", project_id=project.id, status=Status.BLOCKED,
                         blocked_reason="waits for the vendor", waiting_on="vendor"))  # fmt: skip
    store.tasks.add(Task(title="Done", project_id=project.id, status=Status.DONE,
                         estimate_hours=3.0, remaining_hours=3.0, due=shared))  # fmt: skip


def test_every_light_row_holds_its_tasks_values(store: Store) -> None:
    _varied_tasks(store)
    tasks = store.tasks.find()
    rows = store.tasks.find_rows()
    assert [r.id for r in rows] == [t.id for t in tasks]
    for row, task in zip(rows, tasks, strict=True):
        for name in TaskRow._fields:
            value, expected = getattr(row, name), getattr(task, name)
            assert value == expected, (task.title, name)
            assert type(value) is type(expected), (task.title, name)


def test_light_rows_of_one_project_are_its_tasks(store: Store) -> None:
    _varied_tasks(store)
    project = store.projects.by_key("NET")
    where = TaskFilter(project_id=project.id)
    assert [r.id for r in store.tasks.find_rows(where)] == [t.id for t in store.tasks.find(where)]


@pytest.mark.sqlite_only  # PostgreSQL's date column refuses the bad text itself
def test_a_light_row_that_cannot_be_read_is_named(store: Store, db_path: Path) -> None:
    store.tasks.add(Task(title="Fine", due=date(2026, 12, 1)))
    bad = store.tasks.add(Task(title="Bad"))
    with connect(db_path) as conn:
        conn.execute("UPDATE tasks SET due = '31/12/2026' WHERE id = ?", (bad.id,))
    with pytest.raises(InvalidInput, match=f"cannot read task #{bad.id}: "):
        store.tasks.find_rows()


def test_light_rows_take_every_filter_the_full_read_takes(store: Store) -> None:
    """Light rows read the tasks table alone: each filter still selects what ``find`` does."""
    _varied_tasks(store)
    project = store.projects.by_key("NET")
    given = {
        "project_id": project.id, "personal": True, "in_project": True, "assignee": "pm",
        "unassigned": True, "statuses": (Status.BLOCKED, Status.DONE), "open_only": True,
        "open_or_done_since": date(2026, 1, 1), "milestone_id": 1, "ids": (1, 3),
        "text": "plan", "due_on_or_before": date(2026, 12, 1),
        "snoozed_after": date(2026, 1, 1), "waiting_mentions": ("vendor",),
    }  # fmt: skip
    assert set(given) == set(TaskFilter.__dataclass_fields__)
    for name, value in given.items():
        where = TaskFilter(**{name: value})  # type: ignore[arg-type]
        found = [t.id for t in store.tasks.find(where)]
        assert [r.id for r in store.tasks.find_rows(where)] == found, name
