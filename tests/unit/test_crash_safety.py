"""A writer killed with SIGKILL in the middle of a big transaction leaves a sound database.

The ``batches`` worker (``tests/unit/store_worker.py``) rewrites every task in one
transaction, over and over: each task row gets a new version and three audit rows. A batch
is several MB, more than SQLite's page cache, so uncommitted pages reach the WAL before the
commit: a kill then leaves a half-written transaction in the WAL for the next process to
discard. After each kill, the file must show whole batches only.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Project, Status, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, connect
from tests.unit.store_worker import BATCH_FIELDS, ROOT, release, spawn, wait_ready

TASKS = 300
KILLS = 6


def _committed(lines: str) -> int:
    """The last batch the worker reported as committed (0 if none)."""
    done = [int(line.split()[1]) for line in lines.splitlines() if line.startswith("committed")]
    return max(done, default=0)


def _assert_whole_batches_only(path: Path, committed: int) -> int:
    """Every task carries the same batch, with all its audit rows; return that version."""
    if isinstance(path, str):  # PostgreSQL: the doctor's checks stand in for SQLite's
        from itpm_tui.store.admin import doctor

        assert doctor(path).integrity == "ok"
    with connect(path) as conn:
        if isinstance(conn, sqlite3.Connection):
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        states = conn.execute(
            "SELECT version, remaining_hours, waiting_on, count(*) FROM tasks GROUP BY 1, 2, 3"
        ).fetchall()
        assert len(states) == 1, f"tasks from different batches: {states}"
        version, remaining, waiting_on, count = states[0]
        assert count == TASKS
        # Durable: every batch reported committed is there (with at most one more, committed
        # just before the kill but not yet reported); the batch in flight is not.
        assert committed + 1 <= version <= committed + 2
        if version > 1:
            assert (remaining, waiting_on) == (version - 1, f"batch {version - 1}")
        per_version = conn.execute(
            "SELECT version, count(*), count(DISTINCT entity_id) FROM audit"
            " WHERE entity = 'task' GROUP BY version ORDER BY version"
        ).fetchall()
        fields = len(BATCH_FIELDS)
        assert per_version == [(1, TASKS, TASKS)] + [
            (v, TASKS * fields, TASKS) for v in range(2, version + 1)
        ]
        return int(version)


def _save_project(store: Store, key: str, took: list[float]) -> None:
    started = time.monotonic()
    store.projects.add(Project(key=key, name="written while the batcher was killed"))
    took.append(time.monotonic() - started)


@pytest.mark.slow
def test_a_writer_killed_mid_transaction_leaves_whole_transactions_only(
    store: Store, db_path: Path
) -> None:
    for n in range(TASKS):
        store.tasks.add(Task(title=f"task {n}", remaining_hours=0.0))
    rng = random.Random(7)
    version = 1
    for round_ in range(KILLS):
        batcher = spawn("batches", str(db_path))
        wait_ready(batcher)
        release(batcher)
        assert batcher.stdout is not None
        first = batcher.stdout.readline()  # one batch done: it is surely in its loop now
        assert first.startswith("committed"), first
        # Another user saves while the batcher holds the write lock; it must get through.
        took: list[float] = []
        waiter = threading.Thread(target=_save_project, args=(store, f"KILL{round_}", took))
        time.sleep(rng.uniform(0.0, 0.4))
        waiter.start()
        time.sleep(0.02)
        os.kill(batcher.pid, signal.SIGKILL)
        rest, _ = batcher.communicate(timeout=30)
        assert batcher.returncode == -signal.SIGKILL
        waiter.join(timeout=30)
        assert len(took) == 1 and took[0] < 5.0, "the other user's save failed or hung"

        committed = max(_committed(first), _committed(rest))
        version = _assert_whole_batches_only(db_path, committed)

    # The batches did happen, and the file is as usable as ever, for us and for a new process.
    assert version > KILLS
    task = store.tasks.get(1)
    saved = store.tasks.update(1, {"status": Status.DONE}, expected_version=task.version)
    assert (saved.status, saved.version) == (Status.DONE, version + 1)
    assert len(store.projects.find()) == KILLS
    after = Store(db_path, user="next", clock=FixedClock(TODAY))
    assert after.tasks.add(Task(title="after the crashes")).id == TASKS + 1
    after.close()
    env = {**os.environ, "ITPM_USER": "next"}
    doctor = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(db_path), "doctor"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
