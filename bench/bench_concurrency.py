"""Concurrency benchmark: many writer processes and one long reader on one shared file.

Run: ``python bench/bench_concurrency.py [--tasks 100000] [--procs 8,32] [--seconds 15]``
(``--quick`` for a few-second smoke run). For each process count, a fresh copy of a
``make_db`` file gets one reader process that holds a read snapshot for the whole run
(``BEGIN; SELECT ...``, like ``list --json --all | less`` left open) and that many writer
processes, in rotation: versioned status updates through the store, adds through the
store, and ``itpm-tui set``/``add`` commands run one after another as new processes.
Each writer pauses ``--pause`` seconds between writes (people think between edits).

Reported per process count: writes ok, writes failed (an exception or a non-zero exit;
a refused stale version counts as ok: it is answered at once), median and p99 write
latency, and the peak size of the ``-wal`` file sampled every 20 ms. A store write's
latency is the call; a CLI write's is its process from after Python's imports to its exit,
the close included (start-up on a loaded 2-core machine is noise, not locking).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):  # first, or this folder's bench.py hides the bench package
    sys.path.insert(0, str(ROOT))

from bench.bench import TODAY, USER, make_db  # noqa: E402

KINDS = ("status", "add", "cli")
"""Writer kinds, assigned to the processes in rotation."""

_HOLD = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN')\n"
    "conn.execute('SELECT count(*) FROM tasks').fetchone()\n"
    "print('holding', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.execute('COMMIT')\n"
)
"""The long reader: a snapshot held until stdin says stop."""

TIMED_CLI = (
    "import atexit, sys, time\n"
    "from itpm_tui.cli import main\n"
    "started = time.monotonic()\n"
    "atexit.register(lambda: print(f'elapsed {time.monotonic() - started}', file=sys.stderr))\n"
    "main()\n"
)
"""``itpm-tui`` timed from after its imports to its exit (the close included): what the
user waits for beyond Python's start-up, which a loaded machine makes noisy."""


@dataclass
class Outcome:
    """One run: how many writes landed or failed, how long they took, how big the WAL got."""

    procs: int
    seconds: float
    writes_ok: int
    writes_failed: int
    stale: int
    median_ms: float
    p99_ms: float
    max_ms: float
    close_max_ms: float
    """The slowest ``Store.close()`` of a store writer (a close could block the others)."""
    wal_peak_mb: float
    wal_end_mb: float
    """The ``-wal`` file after everyone closed (SQLite removes it when the last one closes)."""
    errors: list[str]
    by_kind: dict[str, list[float]]
    """Per writer kind: writes ok, failed, p99 and max latency in ms."""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "ITPM_USER": USER,
            "ITPM_TODAY": TODAY.isoformat()}  # fmt: skip


def worker(kind: str, path: Path, number: int, seconds: float, pause: float, n_tasks: int) -> None:
    """One writer process: wait for 'go', write until the time is up, print JSON."""
    from itpm_tui.clock import FixedClock
    from itpm_tui.errors import StaleWrite
    from itpm_tui.models import Status, Task
    from itpm_tui.store import Store

    print("ready", flush=True)
    sys.stdin.readline()
    rng = random.Random(number)
    latencies: list[float] = []
    errors: list[str] = []
    stale = 0
    deadline = time.monotonic() + seconds
    store = None if kind == "cli" else Store(path, user=f"w{number}", clock=FixedClock(TODAY))
    while time.monotonic() < deadline:
        task_id = rng.randint(1, n_tasks)
        started = time.monotonic()
        try:
            if kind == "cli":
                args = (["set", str(task_id), "--status", rng.choice(["todo", "doing"])]
                        if rng.random() < 0.5 else ["add", f"cli w{number}"])  # fmt: skip
                done = subprocess.run(
                    [sys.executable, "-c", TIMED_CLI, "--db", str(path), *args],
                    capture_output=True, text=True, env=_env(), check=False,
                )  # fmt: skip
                lines = done.stderr.strip().splitlines()
                if done.returncode != 0:
                    said = [line for line in lines if not line.startswith("elapsed ")]
                    raise RuntimeError(said[-1] if said else f"exit {done.returncode}")
                started = time.monotonic() - float(lines[-1].split()[1])
            elif kind == "status":
                assert store is not None
                seen = store.tasks.get(task_id)
                new = Status.TODO if seen.status is Status.DOING else Status.DOING
                try:
                    store.tasks.update(task_id, {"status": new}, expected_version=seen.version)
                except StaleWrite:
                    stale += 1
            else:
                assert store is not None
                store.tasks.add(Task(title=f"bench w{number}", assignee=USER))
            latencies.append(time.monotonic() - started)
        except Exception as err:  # a failed write is what we count, not a crash
            errors.append(f"{type(err).__name__}: {err}")
        time.sleep(pause)
    closed = 0.0
    if store is not None:
        started = time.monotonic()
        store.close()
        closed = time.monotonic() - started
    result = {"kind": kind, "latencies": latencies, "errors": errors, "stale": stale,
              "close": closed}  # fmt: skip
    print(json.dumps(result), flush=True)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _kind_figures(results: list[dict[str, Any]]) -> list[float]:
    latencies = [t for r in results for t in r["latencies"]]
    failed = sum(len(r["errors"]) for r in results)
    return [len(latencies), failed, round(_percentile(latencies, 0.99) * 1000),
            round(max(latencies, default=0.0) * 1000)]  # fmt: skip


def run(
    base: Path, folder: Path, procs: int, seconds: float, pause: float, n_tasks: int
) -> Outcome:
    """One scenario on a fresh copy of ``base``."""
    path = folder / f"run-{procs}.db"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, path)
    wal = path.with_name(path.name + "-wal")
    reader = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    writers: list[subprocess.Popen[str]] = []
    peak = [0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.02):
            with contextlib.suppress(FileNotFoundError):
                peak[0] = max(peak[0], wal.stat().st_size)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "holding"
        for number in range(procs):
            command = [sys.executable, "-m", "bench.bench_concurrency", "--worker",
                       KINDS[number % len(KINDS)], "--db", str(path), "--number", str(number),
                       "--seconds", str(seconds), "--pause", str(pause),
                       "--tasks", str(n_tasks)]  # fmt: skip
            writers.append(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            text=True, env=_env(), cwd=ROOT))  # fmt: skip
        for process in writers:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        sampler.start()
        for process in writers:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [json.loads(p.communicate(timeout=seconds + 120)[0].splitlines()[-1])
                   for p in writers]  # fmt: skip
        reader.stdin.write("stop\n")
        reader.stdin.flush()
        reader.wait(timeout=30)
    finally:
        sampling.set()
        for process in (reader, *writers):
            if process.poll() is None:
                process.kill()
                process.wait()
    latencies = [t for r in results for t in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    return Outcome(
        procs=procs, seconds=seconds, writes_ok=len(latencies), writes_failed=len(errors), stale=sum(r["stale"] for r in results),
        median_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=_percentile(latencies, 0.99) * 1000, max_ms=max(latencies, default=0.0) * 1000,
        close_max_ms=max(r["close"] for r in results) * 1000,
        by_kind={kind: _kind_figures([r for r in results if r["kind"] == kind]) for kind in KINDS},
        wal_peak_mb=peak[0] / 2**20, wal_end_mb=wal.stat().st_size / 2**20 if wal.exists() else 0,
        errors=sorted(set(errors))[:5],
    )  # fmt: skip


def main() -> None:
    """Build the file once, run each process count, print a table (and JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--tasks", type=int, default=100_000, help="Tasks in the file.")
    parser.add_argument("--procs", default="8,32", help="Writer process counts, comma-separated.")
    parser.add_argument("--seconds", type=float, default=15.0, help="Length of each run.")
    parser.add_argument(
        "--pause", type=float, default=0.2, help="Seconds between a writer's writes."
    )
    parser.add_argument("--quick", action="store_true", help="2,000 tasks, 3 processes, 3 s.")
    parser.add_argument("--json", type=Path, help="Also write the results here as JSON.")
    parser.add_argument("--dir", type=Path, help="Keep the databases here (default: a temp dir).")
    parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--number", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.db, args.number, args.seconds, args.pause, args.tasks)
        return
    if args.quick:
        args.tasks, args.procs, args.seconds = 2000, "3", 3.0
    with tempfile.TemporaryDirectory(prefix="itpm-bench-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = folder / f"base-{args.tasks}.db"
        if not base.exists():
            print(f"building {args.tasks:,} tasks ...", file=sys.stderr, flush=True)
            make_db(base, args.tasks)
        outcomes = []
        for procs in (int(p) for p in args.procs.split(",")):
            print(f"{procs} writer processes for {args.seconds:g} s ...", file=sys.stderr,
                  flush=True)  # fmt: skip
            outcomes.append(run(base, folder, procs, args.seconds, args.pause, args.tasks))
    print(f"{args.tasks:,} tasks, one reader holding a snapshot throughout, "
          f"{args.pause:g} s between a writer's writes")  # fmt: skip
    print(f"{'procs':>5} {'ok':>6} {'failed':>6} {'stale':>5} {'median':>9} {'p99':>9} "
          f"{'max':>9} {'close':>9} {'WAL peak':>9} {'WAL end':>8}")  # fmt: skip
    for o in outcomes:
        print(f"{o.procs:>5} {o.writes_ok:>6} {o.writes_failed:>6} {o.stale:>5} "
              f"{o.median_ms:>7.0f}ms {o.p99_ms:>7.0f}ms {o.max_ms:>7.0f}ms "
              f"{o.close_max_ms:>7.0f}ms {o.wal_peak_mb:>6.1f} MB {o.wal_end_mb:>5.1f} MB")  # fmt: skip
        for kind, (ok, failed, p99, slowest) in o.by_kind.items():
            print(f"      {kind:>6}: {ok:.0f} ok, {failed:.0f} failed, p99 {p99:.0f}ms, "
                  f"max {slowest:.0f}ms")  # fmt: skip
        for error in o.errors:
            print(f"      e.g. {error}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n")


if __name__ == "__main__":
    main()
