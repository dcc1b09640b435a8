"""Many OS processes writing the same shared file at once lose nothing and never see a lock.

The workers (``tests/unit/store_worker.py``) use the real ``Store`` API, exactly as the CLI
and the app do; the checks below only read the file afterwards.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itpm_tui.models import Project, Task
from itpm_tui.store import Store
from itpm_tui.store.schema import SCHEMA_VERSION
from tests.conftest import connect
from tests.unit.store_worker import run_together

WORKERS = 8
SECONDS = 3.0
START_HOURS = 10_000.0
SHARED_TASKS = 4
"""Few tasks, so the eight workers collide on them all the time."""


def _rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    with connect(path) as conn:
        if isinstance(conn, sqlite3.Connection):
            conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def _assert_file_is_sound(path: Path) -> None:
    if isinstance(path, str):  # PostgreSQL: the doctor's integrity checks
        from itpm_tui.store.admin import doctor

        assert doctor(path).integrity == "ok"
        return
    assert _rows(path, "PRAGMA integrity_check")[0][0] == "ok"
    assert _rows(path, "PRAGMA foreign_key_check") == []


def _total(results: list[dict[str, Any]], key: str) -> Counter[int]:
    total: Counter[int] = Counter()
    for result in results:
        total.update({int(task): n for task, n in result[key].items()})
    return total


@pytest.mark.slow
def test_eight_processes_updating_the_same_tasks_lose_nothing(store: Store) -> None:
    project = store.projects.add(Project(key="NET", name="Network upgrade"))
    ids = [
        store.tasks.add(
            Task(title=f"shared {n}", project_id=project.id, remaining_hours=START_HOURS)
        ).id
        for n in range(SHARED_TASKS)
    ]
    path = store.path
    store.close()

    shared = ["--tasks", ",".join(map(str, ids)), "--project", str(project.id)]
    job = ["hammer", str(path), "--seconds", str(SECONDS), *shared]
    results = run_together([[*job, "--worker", str(w)] for w in range(WORKERS)])

    # Nobody saw "database is locked", DatabaseBusy or anything else.
    assert [e for r in results for e in r["errors"]] == []
    assert max(r["slowest"] for r in results) < 5.0  # well inside the busy timeout
    # The workers really fought over the rows (else the test proves nothing).
    assert all(sum(r["decrements"].values()) > 0 for r in results)
    # A clash is refused (stale) or, when another writer already set the value wanted,
    # absorbed; PostgreSQL's shorter windows give mostly the latter.
    assert sum(r["stale"] + r["absorbed"] for r in results) > 0

    decrements, notes = _total(results, "decrements"), _total(results, "notes")
    for task_id in ids:
        task = _rows(path, "SELECT * FROM tasks WHERE id = ?", (task_id,))[0]
        # Every applied decrement is in the final value: no lost update.
        assert task["remaining_hours"] == START_HOURS - decrements[task_id]
        updates = decrements[task_id] + notes[task_id]
        assert task["version"] == 1 + updates

        audit = _rows(
            path, "SELECT * FROM audit WHERE entity = 'task' AND entity_id = ? ORDER BY version",
            (task_id,),
        )  # fmt: skip
        # One audit row per successful update, plus the creation; one per version.
        assert len(audit) == 1 + updates
        assert [a["version"] for a in audit] == list(range(1, task["version"] + 1))
        assert audit[0]["field"] == "created"
        # The remaining-hours history is one unbroken chain: each change starts where the
        # previous one ended, so no write was based on a value someone else had replaced.
        chain = [a for a in audit if a["field"] == "remaining_hours"]
        assert len(chain) == decrements[task_id]
        expected_old = START_HOURS
        for row in chain:
            assert float(row["old"]) == expected_old
            assert float(row["new"]) == expected_old - 1
            expected_old -= 1
        last_note = [a for a in audit if a["field"] == "notes"][-1]
        assert task["notes"] == last_note["new"]
        assert sum(1 for a in audit if a["field"] == "notes") == notes[task_id]

    amounts = [row[0] for row in _rows(path, "SELECT amount FROM cost_entries")]
    assert len(amounts) == sum(r["costs"] for r in results)
    written = sum(Decimal(r["cost_sum"]) for r in results)
    assert sum(Decimal(a) for a in amounts) == written
    cost_audit = _rows(path, "SELECT count(*) FROM audit WHERE entity = 'cost'")[0][0]
    assert cost_audit == len(amounts)
    _assert_file_is_sound(path)


@pytest.mark.slow
def test_eight_processes_creating_the_same_new_file_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "team.db"  # neither the folder nor the file exists

    results = run_together([["open", str(path), "--worker", str(w)] for w in range(WORKERS)])

    assert [r.get("error") for r in results] == [None] * WORKERS
    assert {r["schema"] for r in results} == {SCHEMA_VERSION}
    assert sorted(r["task"] for r in results) == list(range(1, WORKERS + 1))
    assert _rows(path, "PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert _rows(path, "PRAGMA journal_mode")[0][0] == "wal"
    # The migration ran once: every table exists once and holds exactly the workers' rows.
    tables = [r[0] for r in _rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert len(tables) == len(set(tables))
    assert _rows(path, "SELECT count(*) FROM audit")[0][0] == WORKERS
    _assert_file_is_sound(path)
