"""Backup benchmark: ``backup now`` on a large file while writer processes keep writing.

Run: ``python bench/bench_backup.py [--tasks 100000] [--writers 2] [--reps 5]``.
A ``make_db`` file gets ``--writers`` processes that each commit a one-row
``BEGIN IMMEDIATE`` update every 2 ms and time every commit. Each repetition measures
the commits of a quiet second (no backup), then runs ``online_backup`` (as ``backup now``
does) and keeps the commits that overlapped it. Reported: backup time (median, p90),
and the writers' commit latency with and without a backup running (median, p90, max):
the max is the writer stall.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))

from bench.bench import TODAY, USER, make_db  # noqa: E402
from itpm_tui.clock import FixedClock  # noqa: E402
from itpm_tui.store import Store  # noqa: E402
from itpm_tui.store.backup import online_backup  # noqa: E402

WRITER = (
    "import json, sqlite3, sys, time\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)\n"
    "conn.execute('PRAGMA busy_timeout = 5000')\n"
    "conn.execute('PRAGMA synchronous = NORMAL')\n"
    "print('ready', flush=True)\n"
    "stop = time.monotonic() + float(sys.argv[2])\n"
    "n = 0\n"
    "out = []\n"
    "while time.monotonic() < stop:\n"
    "    started = time.monotonic()\n"
    "    conn.execute('BEGIN IMMEDIATE')\n"
    "    conn.execute('UPDATE tasks SET notes = ? WHERE id = ?', (str(n), 1 + n % 5000))\n"
    "    conn.execute('COMMIT')\n"
    "    out.append((started, time.monotonic() - started))\n"
    "    n += 1\n"
    "    time.sleep(0.002)\n"
    "print(json.dumps(out))\n"
)
"""A writer: commits timed as [start, seconds], printed as JSON at the end."""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(tasks: int, writers: int, reps: int) -> dict[str, object]:
    """One file, ``reps`` backups under load; the summary as plain data."""
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as tmp:
        path = Path(tmp) / "team.db"
        make_db(path, tasks)
        seconds = 2.0 + reps * 3.0
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(seconds)],
                                  stdout=subprocess.PIPE, text=True) for _ in range(writers)]  # fmt: skip
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        store = Store(path, user=USER, clock=FixedClock(TODAY))
        windows: list[tuple[str, float, float]] = []
        durations: list[float] = []
        sizes: list[int] = []
        time.sleep(0.5)
        for rep in range(reps):
            quiet = time.monotonic()
            time.sleep(1.0)
            windows.append(("quiet", quiet, time.monotonic()))
            target = Path(tmp) / f"copy{rep}.db"
            started = time.monotonic()
            result = online_backup(store.db, target)
            ended = time.monotonic()
            windows.append(("backup", started, ended))
            durations.append(ended - started)
            sizes.append(result.bytes)
            target.unlink()
            time.sleep(0.5)
        store.close()
        commits: list[tuple[float, float]] = []
        for proc in procs:
            out, _ = proc.communicate(timeout=seconds + 60)
            commits += [tuple(c) for c in json.loads(out.strip().splitlines()[-1])]
    by_kind: dict[str, list[float]] = {"quiet": [], "backup": []}
    for kind, start, end in windows:
        by_kind[kind] += [lat for at, lat in commits if start <= at <= end or
                          (at < start and at + lat > start)]  # fmt: skip

    def summary(values: list[float]) -> dict[str, float]:
        return {"n": len(values), "median_ms": statistics.median(values) * 1000,
                "p90_ms": _pct(values, 0.9) * 1000, "max_ms": max(values) * 1000}  # fmt: skip

    return {
        "tasks": tasks, "writers": writers, "reps": reps,
        "file_mib": sizes[0] / 2**20,
        "backup_median_s": statistics.median(durations), "backup_p90_s": _pct(durations, 0.9),
        "writes_quiet": summary(by_kind["quiet"]), "writes_during_backup": summary(by_kind["backup"]),
    }  # fmt: skip


def main() -> None:
    """Parse arguments, run, print a table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = run(args.tasks, args.writers, args.reps)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{out['tasks']} tasks, {out['file_mib']:.1f} MiB, {out['writers']} writers, "
          f"{out['reps']} backups")  # fmt: skip
    print(f"backup now: median {out['backup_median_s']:.3f} s, p90 {out['backup_p90_s']:.3f} s")
    for key in ("writes_quiet", "writes_during_backup"):
        s = out[key]
        assert isinstance(s, dict)
        print(f"{key:<22} n={s['n']:<5} median {s['median_ms']:.2f} ms  p90 "
              f"{s['p90_ms']:.2f} ms  max {s['max_ms']:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
