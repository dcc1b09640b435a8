"""A separate OS process that uses the store, for the concurrency and crash-safety tests.

Run as ``python -m tests.unit.store_worker JOB DB [options]``. The worker opens nothing
until it has printed ``ready`` and read one line from stdin, so the test can start many
workers and release them at the same moment. It prints its result as one JSON line.

Jobs:
- ``hammer``: for ``--seconds``, decrement ``remaining_hours`` (read, update with
  ``expected_version``, retry on ``StaleWrite``), set ``notes`` with one-shot updates
  (``expected_version=None``) and add cost entries, on the same tasks as everyone else.
- ``open``: open (and so create and migrate) the database, then add one task.
- ``writes``: ``--count`` writes, alternately a versioned status change of one of
  ``--tasks`` and a new task, each timed (closing the store is timed too).
- ``rerate``: read RAID item 1, then (once released) set its impact to ``--count`` with
  the version it read: two at once test the version guard.
- ``approve``: read change request 1, then (once released) approve it with the version
  read, printing whether it won or what it was told: two at once test the status guard.
- ``batches``: forever, rewrite every task in one large transaction (each task row and
  its audit rows), printing ``committed N`` after each commit, until killed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from itpm_tui.clock import FixedClock
from itpm_tui.errors import StaleWrite
from itpm_tui.models import CostEntry, Status, Task
from itpm_tui.store import Store
from itpm_tui.store.rows import validate, versioned_update

TODAY = date(2026, 11, 23)
BATCH_FIELDS = ("notes", "remaining_hours", "waiting_on")
"""Fields every ``batches`` transaction changes on every task: one audit row each."""
BATCH_NOTE_SIZE = 4000
"""Characters of notes per task: a batch of 300 tasks is several MB, more than the page
cache, so SQLite spills uncommitted pages into the WAL before the commit."""


ROOT = Path(__file__).resolve().parents[2]
"""The checkout, so ``python -m tests.unit.store_worker`` imports this very code."""


def spawn(*args: str) -> subprocess.Popen[str]:
    """Start one worker process; it waits for a line on stdin before doing anything."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.unit.store_worker", *args], cwd=ROOT, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_ready(process: subprocess.Popen[str]) -> None:
    """Block until the worker has imported everything and says ``ready``."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"worker did not start: {line!r} {err[-2000:]}")


def release(process: subprocess.Popen[str]) -> None:
    """Let a ready worker start its job."""
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


def run_together(jobs: list[list[str]], timeout: float = 60.0) -> list[dict[str, Any]]:
    """Start one worker per job, release them all at once, return their JSON results."""
    processes = [spawn(*job) for job in jobs]
    try:
        for process in processes:
            wait_ready(process)
        for process in processes:
            release(process)
        results = []
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            assert process.returncode == 0, err[-2000:]
            results.append(json.loads(out.splitlines()[-1]))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _database(text: str) -> Path:
    """A file path, or a PostgreSQL URL kept as text (``Path`` would fold its ``//``)."""
    return cast(Path, text) if text.startswith("postgresql://") else Path(text)


def _open(path: Path, user: str) -> Store:
    return Store(path, user=user, clock=FixedClock(TODAY))


def _wait_for_go() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def hammer(path: Path, worker: int, seconds: float, task_ids: list[int], project: int) -> None:
    """Mixed writes to shared tasks until the time is up; print what was applied."""
    _wait_for_go()
    me = f"w{worker}"
    store = _open(path, me)
    rng = random.Random(worker)
    decrements: Counter[int] = Counter()
    notes: Counter[int] = Counter()
    stale = absorbed = costs = 0
    cost_sum = Decimal(0)
    errors: list[str] = []
    slowest = 0.0
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and len(errors) < 5:
        n += 1
        task_id = rng.choice(task_ids)
        started = time.monotonic()
        try:
            roll = rng.random()
            if roll < 0.5:
                while True:  # optimistic read-modify-write, retried until it lands
                    seen = store.tasks.get(task_id)
                    assert seen.remaining_hours is not None
                    try:
                        saved = store.tasks.update(
                            task_id,
                            {"remaining_hours": seen.remaining_hours - 1},
                            expected_version=seen.version,
                        )
                    except StaleWrite:
                        stale += 1
                        continue
                    if saved.updated_by == me and saved.version > seen.version:
                        decrements[task_id] += 1
                        break
                    # Someone else already set the value we wanted: "same value, no
                    # conflict" wrote nothing, so for a counter our decrement is still due.
                    absorbed += 1
            elif roll < 0.75:
                value = f"{me}-{n}"
                saved = store.tasks.update(task_id, {"notes": value})
                assert saved.notes == value and saved.updated_by == me
                notes[task_id] += 1
            else:
                amount = Decimal(worker + 1) + Decimal(n % 100) / 100
                store.costs.add(
                    CostEntry(project_id=project, spent_on=TODAY, amount=amount, note=me)
                )
                costs += 1
                cost_sum += amount
        except Exception as err:  # every other failure is a finding: report, do not crash
            errors.append(f"{type(err).__name__}: {err}")
        slowest = max(slowest, time.monotonic() - started)
    store.close()
    result: dict[str, Any] = {
        "worker": worker, "decrements": decrements, "notes": notes, "costs": costs,
        "cost_sum": str(cost_sum), "stale": stale, "absorbed": absorbed, "errors": errors,
        "slowest": slowest,
    }  # fmt: skip
    print(json.dumps(result), flush=True)


def open_new(path: Path, worker: int) -> None:
    """Open (create, migrate) the file at the same moment as others, then write once."""
    _wait_for_go()
    result: dict[str, Any] = {"worker": worker}
    try:
        store = _open(path, f"w{worker}")
        result["schema"] = store.db.schema_version()
        result["task"] = store.tasks.add(Task(title=f"from w{worker}")).id
        store.close()
    except Exception as err:
        result["error"] = f"{type(err).__name__}: {err}"
    print(json.dumps(result), flush=True)


def rerate(path: Path, worker: int, impact: int) -> None:
    """Read RAID item 1, wait for go, then write a new impact against the version read."""
    store = _open(path, f"w{worker}")
    seen = store.raid.get(1)
    _wait_for_go()
    result: dict[str, Any] = {"worker": worker}
    try:
        store.raid.update(1, {"impact": Decimal(impact)}, expected_version=seen.version)
        result["saved"] = True
    except StaleWrite as err:
        result["saved"] = False
        result["error"] = str(err)
    store.close()
    print(json.dumps(result), flush=True)


def approve(path: Path, worker: int) -> None:
    """Read change 1, wait for go, then approve it against the version read."""
    from itpm_tui.errors import ItpmError
    from itpm_tui.models import ChangeStatus

    store = _open(path, f"w{worker}")
    seen = store.changes.get(1)
    _wait_for_go()
    result: dict[str, Any] = {"worker": worker}
    try:
        store.changes.decide(1, ChangeStatus.APPROVED, expected_version=seen.version)
        result["saved"] = True
    except ItpmError as err:
        result["saved"] = False
        result["error"] = str(err)
    store.close()
    print(json.dumps(result), flush=True)


def timed_writes(path: Path, worker: int, count: int, task_ids: list[int]) -> None:
    """A few writes spaced out in time, each timed; print the latencies and any error."""
    _wait_for_go()
    rng = random.Random(worker)
    latencies: list[float] = []
    errors: list[str] = []
    stale = 0
    started = time.monotonic()
    store = _open(path, f"w{worker}")
    opened = time.monotonic() - started
    for n in range(count):
        started = time.monotonic()
        try:
            if n % 2:
                store.tasks.add(Task(title=f"w{worker} task {n}"))
            else:
                seen = store.tasks.get(rng.choice(task_ids))
                new = Status.DOING if seen.status is Status.TODO else Status.TODO
                try:
                    store.tasks.update(seen.id, {"status": new}, expected_version=seen.version)
                except StaleWrite:
                    stale += 1  # refused at once, as it should be: not a slow write
        except Exception as err:  # every failure is a finding: report, do not crash
            errors.append(f"{type(err).__name__}: {err}")
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    started = time.monotonic()
    store.close()
    closed = time.monotonic() - started
    result = {"worker": worker, "latencies": latencies, "errors": errors, "stale": stale,
              "open": opened, "close": closed}  # fmt: skip
    print(json.dumps(result), flush=True)


def batches(path: Path) -> None:
    """Rewrite every task in one big transaction, over and over, until killed."""
    store = _open(path, "batcher")
    _wait_for_go()
    db = store.db
    with db.read() as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM tasks ORDER BY id").fetchall()]
    while True:
        with db.write() as conn:
            for task_id in ids:
                row = conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
                current = validate(Task, dict(row))
                batch = current.version  # the version this batch will write
                filler = f"batch {batch} " * (BATCH_NOTE_SIZE // 10)
                versioned_update(
                    conn, table="tasks", entity="task", entity_id=task_id, current=current,
                    changes={"notes": filler, "remaining_hours": float(batch),
                             "waiting_on": f"batch {batch}"},
                    expected_version=current.version, who="batcher", at=store.now(),
                )  # fmt: skip
        print(f"committed {batch}", flush=True)


def main() -> None:
    """Parse the command line and run one job."""
    parser = argparse.ArgumentParser()
    parser.add_argument("job", choices=["hammer", "open", "writes", "batches", "rerate", "approve"])
    parser.add_argument("db", type=_database)
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--tasks", default="")
    parser.add_argument("--project", type=int, default=1)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    if args.job == "hammer":
        task_ids = [int(t) for t in args.tasks.split(",")]
        hammer(args.db, args.worker, args.seconds, task_ids, args.project)
    elif args.job == "open":
        open_new(args.db, args.worker)
    elif args.job == "writes":
        timed_writes(args.db, args.worker, args.count, [int(t) for t in args.tasks.split(",")])
    elif args.job == "rerate":
        rerate(args.db, args.worker, args.count)
    elif args.job == "approve":
        approve(args.db, args.worker)
    else:
        batches(args.db)


if __name__ == "__main__":
    main()
