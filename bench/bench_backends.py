"""PostgreSQL vs SQLite on the same data: open, list --json, one update, 8 writers, change seen.

Run: ``pg_virtualenv -- python bench/bench_backends.py [--sizes 10000,100000] [--reps 9]``
(any PostgreSQL the PG* variables or ``--url`` reach; each size gets its own schema, dropped
afterwards). For each size, ``bench.make_db`` builds an SQLite file and ``migrate-to``'s
``copy_database`` copies it into PostgreSQL, so both hold exactly the same rows. Measured
on each backend, medians and p90 over ``--reps``:

- open: ``Store(...)`` and close, in this process (schema check included);
- list --json: ``itpm-tui list --json --all`` as a new process, to its exit;
- status update: one versioned ``tasks.update`` (a write transaction with its audit row);
- 8 writers: 8 processes for ``--seconds``, alternating versioned status updates and adds
  through the store: writes ok / failed and p99 latency;
- change seen: another client's commit until this client's ``change_token()`` moves, polled
  every 5 ms;
- on screen: another client adds a task; the running app (headless, 80x24, its real 0.5 s
  poll) has published the change and its screen has finished reloading (a long Today list
  may scroll the new task out of sight, so the reload, not the text, is the end mark).
  ``--screen-only`` measures just this.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))

from bench.bench import TODAY, USER, make_db  # noqa: E402
from itpm_tui.clock import FixedClock  # noqa: E402
from itpm_tui.errors import StaleWrite  # noqa: E402
from itpm_tui.models import Status, Task  # noqa: E402
from itpm_tui.store import Store  # noqa: E402

WRITERS = 8
STATUSES = (Status.TODO, Status.DOING, Status.REVIEW)


def _open(target: Path | str, user: str = USER) -> Store:
    return Store(target, user=user, clock=FixedClock(TODAY))


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _figures(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"median_ms": round(statistics.median(ms), 2), "p90_ms": round(_p(ms, 0.9), 2)}


def _timed(action: Any, reps: int) -> list[float]:
    runs = []
    for _ in range(reps):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return runs


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "ITPM_USER": USER,
            "ITPM_TODAY": TODAY.isoformat()}  # fmt: skip


def _list_json(target: Path | str) -> None:
    subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(target), "list", "--json", "--all"],
        env=_env(), stdout=subprocess.DEVNULL, check=True,
    )  # fmt: skip


def worker(target: str, number: int, seconds: float, n_tasks: int) -> None:
    """One of the 8 writers: versioned status updates and adds until the time is up."""
    sys.stdin.readline()  # released with the others
    store = _open(target if target.startswith("postgresql") else Path(target), f"w{number}")
    rng = random.Random(number)
    ok = failed = 0
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            if ok % 2:
                store.tasks.add(Task(title=f"added by w{number}"))
            else:
                task = store.tasks.get(rng.randint(1, n_tasks))
                status = rng.choice([s for s in STATUSES if s is not task.status])
                with contextlib.suppress(StaleWrite):  # refused at once: an answer, not a failure
                    store.tasks.update(task.id, {"status": status}, expected_version=task.version)
            ok += 1
        except Exception as err:
            failed += 1
            errors.append(f"{type(err).__name__}: {err}"[:200])
        latencies.append(time.perf_counter() - started)
        time.sleep(0.01)
    store.close()
    print(json.dumps({"ok": ok, "failed": failed, "latencies": latencies, "errors": errors[:3]}))


def eight_writers(target: Path | str, seconds: float, n_tasks: int) -> dict[str, Any]:
    """8 writer processes at once: ok, failed, p99 latency."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(target),
               "--seconds", str(seconds), "--tasks-in-db", str(n_tasks)]  # fmt: skip
    procs = [
        subprocess.Popen(
            [*command, "--number", str(n)],
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    time.sleep(1.0)  # all imported and waiting
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [json.loads(proc.communicate(timeout=seconds + 120)[0]) for proc in procs]
    latencies = [v for r in results for v in r["latencies"]]
    return {
        "ok": sum(r["ok"] for r in results), "failed": sum(r["failed"] for r in results),
        "p99_ms": round(_p(latencies, 0.99) * 1000, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 2),
        "errors": [e for r in results for e in r["errors"]][:3],
    }  # fmt: skip


def change_seen(target: Path | str, reps: int) -> list[float]:
    """Seconds from another client's commit until this client's token moves."""
    watcher, writer = _open(target), _open(target, "bob")
    seen: list[float] = []
    try:
        for _ in range(reps):
            before = watcher.change_token()
            time.sleep(0.05)
            writer.tasks.update(1, {"notes": uuid.uuid4().hex})
            committed = time.perf_counter()
            while watcher.change_token() == before:
                time.sleep(0.005)
            seen.append(time.perf_counter() - committed)
    finally:
        watcher.close()
        writer.close()
    return seen


def on_screen(target: Path | str, reps: int) -> list[float]:
    """Seconds from another client's commit until the running app has reloaded with it."""
    import asyncio

    from textual.worker import WorkerState

    from itpm_tui.app import ItpmApp
    from itpm_tui.cli.base import make_app
    from itpm_tui.config import Settings
    from tests.tui.helpers import settle, wait_for_workers

    async def measure() -> list[float]:
        store, writer = _open(target), _open(target, "bob")
        settings = Settings(
            db_path=Path(str(target)), db_is_default=False, user=USER, today=TODAY,
            theme="textual-dark", db_url=target if isinstance(target, str) else "",
        )  # fmt: skip
        app = make_app(settings, store, FixedClock(TODAY))
        assert isinstance(app, ItpmApp)
        seen: list[float] = []
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(app, pilot)
                for n in range(reps):
                    title = f"Seen {n} {uuid.uuid4().hex[:6]}"
                    await asyncio.sleep(random.uniform(0.1, 0.6))  # any point of the poll
                    writer.tasks.add(Task(title=title, due=TODAY, assignee=USER, priority=1))
                    committed = time.perf_counter()
                    token = app._token
                    while app._token == token:  # the app's poll saw it and told the screens
                        await asyncio.sleep(0.005)
                    # and the screen reloaded (a slow reload may be replaced by the next)
                    while any(w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                              for w in app.workers):  # fmt: skip
                        await wait_for_workers(app)
                    await pilot.pause()
                    seen.append(time.perf_counter() - committed)
        finally:
            store.close()
            writer.close()
        return seen

    return asyncio.run(measure())


def bench_backend(target: Path | str, n_tasks: int, reps: int, seconds: float) -> dict[str, Any]:
    """Every measure on one database."""
    out: dict[str, Any] = {"open": _figures(_timed(lambda: _open(target).close(), reps))}
    out["list_json"] = _figures(_timed(lambda: _list_json(target), max(3, reps // 2)))
    store = _open(target)
    rng = random.Random(3)

    def update() -> None:
        task = store.tasks.get(rng.randint(1, n_tasks))
        status = next(s for s in STATUSES if s is not task.status)
        started = time.perf_counter()
        store.tasks.update(task.id, {"status": status}, expected_version=task.version)
        times.append(time.perf_counter() - started)

    times: list[float] = []
    for _ in range(reps * 3):
        update()
    store.close()
    out["status_update"] = _figures(times)
    out["eight_writers"] = eight_writers(target, seconds, n_tasks)
    out["change_seen"] = _figures(change_seen(target, reps * 2))
    out["on_screen"] = _figures(on_screen(target, reps * 2))
    return out


def main() -> None:
    """Build both databases per size, measure, print a table (and JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=10.0, help="Length of the 8-writer run.")
    parser.add_argument("--url", default="postgresql://", help="The PostgreSQL server/database.")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--screen-only", action="store_true", help="Only the app measure.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--number", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--tasks-in-db", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.number, args.seconds, args.tasks_in_db)
        return
    import psycopg

    from itpm_tui.store.transfer import copy_database

    results: dict[str, Any] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.db"
            make_db(path, size)
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(args.url, autocommit=True) as admin:
                admin.execute(f"CREATE SCHEMA {schema}")
            sep = "&" if "?" in args.url else "?"
            url = f"{args.url}{sep}options=-csearch_path%3D{schema}"
            try:
                source, target = _open(path), Store(url, user=USER, clock=FixedClock(TODAY),
                                                    setup=True)  # fmt: skip
                started = time.perf_counter()
                copy_database(source.db, target.db)
                copied = time.perf_counter() - started
                source.close()
                target.close()
                results[str(size)] = {
                    "copy_seconds": round(copied, 1),
                    "sqlite": _measure(path, size, args),
                    "postgresql": _measure(url, size, args),
                }
            finally:
                with psycopg.connect(args.url, autocommit=True) as admin:
                    admin.execute(f"DROP SCHEMA {schema} CASCADE")
        print(_table(size, results[str(size)]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


def _measure(target: Path | str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    if args.screen_only:
        return {"on_screen": _figures(on_screen(target, args.reps * 2))}
    return bench_backend(target, size, args.reps, args.seconds)


def _table(size: int, result: dict[str, Any]) -> str:
    lines = [f"\n{size:,} tasks (migrate-to SQLite -> PostgreSQL: {result['copy_seconds']} s)",
             f"{'measure':<28} {'SQLite':>24} {'PostgreSQL':>24}"]  # fmt: skip
    for key, label in (("open", "open"), ("list_json", "list --json --all"),
                       ("status_update", "status update"), ("change_seen", "change seen"),
                       ("on_screen", "change on screen (app)")):  # fmt: skip
        if key not in result["sqlite"]:
            continue
        cells = [f"{r[key]['median_ms']:.1f} ms (p90 {r[key]['p90_ms']:.1f})"
                 for r in (result["sqlite"], result["postgresql"])]  # fmt: skip
        lines.append(f"{label:<28} {cells[0]:>24} {cells[1]:>24}")
    if "eight_writers" not in result["sqlite"]:
        return "\n".join(lines)
    cells = [f"{r['eight_writers']['ok']} ok/{r['eight_writers']['failed']} failed, "
             f"p99 {r['eight_writers']['p99_ms']:.0f} ms"
             for r in (result["sqlite"], result["postgresql"])]  # fmt: skip
    lines.append(f"{'8 writers':<28} {cells[0]:>24} {cells[1]:>24}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
