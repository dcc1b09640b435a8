"""A reader that keeps a snapshot open never slows down or fails anyone's writes.

Issue 9 (part 2): every command ended with a TRUNCATE checkpoint under the 5 s busy
timeout, which waits for open snapshots while holding the write lock, so one idle reader
made each CLI write take 5 s and block every other writer meanwhile. Here the reader is a
real process holding ``BEGIN; SELECT ...`` open, and the writers are CLI processes and
store-level worker processes (``tests/unit/store_worker.py``) running at the same time.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.bench_concurrency import TIMED_CLI
from itpm_tui.models import Task
from itpm_tui.store import Store
from itpm_tui.store.db import JOURNAL_SIZE_LIMIT
from itpm_tui.store.transfer import export_json
from tests.unit.store_worker import ROOT, release, spawn, wait_ready

pytestmark = pytest.mark.sqlite_only  # WAL, checkpoints, pinned snapshots: SQLite's; a
# PostgreSQL reader holds back no writer by design (MVCC), and its snapshot pins no file

LIMIT = 1.0
"""Seconds any one write (or the close after it) may take with the reader open."""
STORE_WORKERS = 3
CLI_WRITES = 6

_HOLD = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN')\n"
    "n = conn.execute('SELECT count(*) FROM tasks').fetchone()[0]\n"
    "print('holding', n, flush=True)\n"
    "sys.stdin.readline()\n"
    "print('still', conn.execute('SELECT count(*) FROM tasks').fetchone()[0], flush=True)\n"
)
"""A reader process: opens a read transaction and keeps it until stdin says stop."""


def _cli(path: Path, *args: str) -> tuple[int, float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ITPM_USER": "pm", "ITPM_TODAY": "2026-11-23"}
    done = subprocess.run(
        [sys.executable, "-c", TIMED_CLI, "--db", str(path), *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    elapsed = [float(line.split()[1]) for line in done.stderr.splitlines()
               if line.startswith("elapsed ")]  # fmt: skip
    return done.returncode, elapsed[-1] if elapsed else float("inf"), done.stderr


@pytest.mark.slow
def test_writes_from_several_processes_stay_fast_while_a_reader_holds_a_snapshot(
    store: Store,
) -> None:
    ids = [store.tasks.add(Task(title=f"shared {n}")).id for n in range(10)]
    path = store.path
    store.close()

    reader = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    workers: list[subprocess.Popen[str]] = []
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().split() == ["holding", "10"]
        tasks = ",".join(map(str, ids))
        workers = [
            spawn("writes", str(path), "--worker", str(w), "--count", "10", "--tasks", tasks)
            for w in range(STORE_WORKERS)
        ]
        for worker in workers:
            wait_ready(worker)
        for worker in workers:
            release(worker)
        commands = [
            ["set", str(ids[n % len(ids)]), "--notes", f"cli {n}"] if n % 2
            else ["add", f"cli task {n}"]
            for n in range(CLI_WRITES)
        ]  # fmt: skip
        with ThreadPoolExecutor(max_workers=2) as pool:
            cli_results = list(pool.map(lambda args: _cli(path, *args), commands))
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err[-2000:]
            results.append(json.loads(out.splitlines()[-1]))

        # The reader kept its snapshot through every write (else the test proves nothing).
        assert reader.poll() is None
        reader.stdin.write("stop\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["still", "10"]
    finally:
        for process in (reader, *workers):
            if process.poll() is None:
                process.kill()
                process.wait()

    assert [(code, err) for code, _, err in cli_results if code != 0] == []
    cli_times = [elapsed for _, elapsed, _ in cli_results]
    assert max(cli_times) < LIMIT, cli_times
    assert [e for r in results for e in r["errors"]] == []
    write_times = [t for r in results for t in r["latencies"]]
    assert len(write_times) == STORE_WORKERS * 10
    assert max(write_times) < LIMIT, sorted(write_times)[-5:]
    assert max(r["close"] for r in results) < LIMIT
    # Every write landed: the adds of both kinds of writer are all in the file.
    conn = sqlite3.connect(path)
    try:
        total = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    finally:
        conn.close()
    assert total == len(ids) + STORE_WORKERS * 5 + CLI_WRITES // 2


def _pinned(path: Path) -> bool:
    """True if some connection still reads an old snapshot: another process commits, and a
    TRUNCATE checkpoint that waits for nobody (busy timeout 0) cannot reset the WAL."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("UPDATE tasks SET notes = notes || '.' WHERE id = 1")
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy)
    finally:
        conn.close()


def test_a_slow_consumer_of_a_task_listing_pins_no_snapshot(store: Store) -> None:
    for n in range(1200):  # more than one fetch batch
        store.tasks.add(Task(title=f"task {n}"))
    assert not _pinned(store.path)

    listing = store.tasks.iter_find()
    first = next(listing)  # the pager shows a screenful and waits for the user
    assert not _pinned(store.path)
    rest = list(listing)

    assert [first.id, *(t.id for t in rest)] == list(range(1, 1201))
    assert first.notes == "."  # one write before the listing began, not the one during it


class _SlowOutput(io.StringIO):
    """An export target that checks, on its first write, whether a snapshot is pinned."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.pinned: bool | None = None

    def write(self, text: str) -> int:
        if self.pinned is None:
            self.pinned = _pinned(self.path)
        return super().write(text)


def test_an_export_to_a_slow_output_pins_no_snapshot(store: Store) -> None:
    for n in range(1200):
        store.tasks.add(Task(title=f"task {n}"))
    out = _SlowOutput(store.path)

    counts = export_json(store.db, out)

    assert out.pinned is False
    assert counts["tasks"] == 1200
    data = json.loads(out.getvalue())
    assert len(data["tables"]["tasks"]["rows"]) == 1200
    notes = data["tables"]["tasks"]["columns"].index("notes")
    assert data["tables"]["tasks"]["rows"][0][notes] == ""  # from the snapshot before


def test_a_wal_that_grew_behind_a_reader_is_cut_back_when_it_restarts(store: Store) -> None:
    for n in range(1000):
        store.tasks.add(Task(title=f"task {n}"))
    wal = store.path.with_name(store.path.name + "-wal")
    reader = sqlite3.connect(store.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM tasks").fetchone()
    for _ in range(4):  # each rewrite is ~4 MB of pages the reader's snapshot keeps in the WAL
        with store.db.write() as conn:
            conn.execute("UPDATE tasks SET notes = hex(randomblob(2000))")
    grown = wal.stat().st_size
    reader.execute("COMMIT")
    reader.close()

    other = sqlite3.connect(store.path, isolation_level=None)  # another user's checkpoint
    other.execute("PRAGMA wal_checkpoint(PASSIVE)")
    with store.db.write() as conn:  # the next write starts the WAL over
        conn.execute("UPDATE tasks SET notes = '' WHERE id = 1")
    other.close()

    assert grown > 2 * JOURNAL_SIZE_LIMIT
    assert wal.stat().st_size <= JOURNAL_SIZE_LIMIT
