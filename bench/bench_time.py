"""Time and workload benchmarks: ``python bench/bench_time.py [--worklogs N] [--runs R]``.

- AC from 1,000,000 worklogs: the ``worklog_days`` summary's person-days priced and summed
  per day in SQL at the rates in force (``WorklogRepo.labour_cost``), on a real file,
  against the path before schema 9 (the worklogs themselves summed in SQL,
  ``from_worklogs=True``) and the reference (the person-days priced in Python:
  ``logged_per_day`` + ``labour_cost``), interleaved. ``--db postgresql://...`` runs it on
  PostgreSQL instead (``pg_virtualenv -- python bench/bench_time.py --db postgresql://
  --worklogs 200000 --ac-only``).
- What the summary triggers cost a worklog write: ``--bulk`` worklogs inserted in one
  transaction and ``--logs`` logged one by one through the store, with and without them.
- Workload for 200 people x 26 weeks over 100,000 open tasks: the pure computation.
- ``--screen``: the Workload screen (key 8) of the real app in a pseudo-terminal, through
  the shared harness (``tui_bench.py``, as bench_keys.py runs it), on ``bench.make_db``'s
  file with ``--tasks`` tasks (100,000 tasks give 400 people): key 8 from Today to the
  grid's first paint (one press per launch), then ``l``/``h`` moving the week cursor.
Each prints the median and p90 wall time and the median CPU time of a few runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from itpm_tui.clock import FixedClock
from itpm_tui.domain.labour import labour_cost
from itpm_tui.domain.workload import PersonCalendar, workload
from itpm_tui.models import PersonRate, Project, Task, Worklog
from itpm_tui.store import Store

TODAY = date(2026, 11, 23)
PEOPLE = 200


def _timings(runs: int, *jobs: Callable[[], object]) -> list[tuple[float, float, float]]:
    """Per job: median and p90 (nearest rank) wall time and median CPU time, in seconds.

    The jobs run interleaved (a, b, a, b, ...) so a machine shared with other work slows
    them alike and their ratio stays meaningful; CPU time is this process's own.
    """
    walls: list[list[float]] = [[] for _ in jobs]
    cpus: list[list[float]] = [[] for _ in jobs]
    for _ in range(runs):
        for index, job in enumerate(jobs):
            start, cpu = time.perf_counter(), time.process_time()
            job()
            walls[index].append(time.perf_counter() - start)
            cpus[index].append(time.process_time() - cpu)
    results = []
    for wall, cpu_times in zip(walls, cpus, strict=True):
        ranked = sorted(wall)
        p90 = ranked[min(len(ranked) - 1, max(0, -(-9 * len(ranked) // 10) - 1))]
        results.append((statistics.median(wall), p90, statistics.median(cpu_times)))
    return results


def _line(what: str, timing: tuple[float, float, float], runs: int) -> str:
    median, p90, cpu = timing
    return (f"{what}: median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
            f"CPU {cpu * 1000:.0f} ms over {runs} runs")  # fmt: skip


def _fill(store: Store, count: int) -> int:
    """``count`` worklogs of one project (200 people, 1,000 tasks, 500 days), two rates each."""
    project = store.projects.add(Project(key="BIG", name="Big"))
    logins = [f"p{n:03d}" for n in range(PEOPLE)]
    rng = random.Random(1)
    with store.db.write() as conn:
        conn.executemany("INSERT INTO people (login) VALUES (?)", [(x,) for x in logins])
        conn.executemany(
            "INSERT INTO tasks (project_id, title, created_at, updated_at) VALUES (?,?,?,?)",
            [(project.id, f"t{n}", "2026-01-01", "2026-01-01") for n in range(1000)],
        )
        first_task = int(conn.execute("SELECT min(id) FROM tasks").fetchone()[0])
        first = TODAY - timedelta(days=499)
        conn.executemany(
            "INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes,"
            " created_at) VALUES (?, ?, ?, ?, ?, '2026-01-01')",
            (
                (rng.choice(logins), first_task + rng.randrange(1000),
                 (first + timedelta(days=rng.randrange(500))).isoformat(),
                 rng.choice((30, 60, 90, 120)), rng.choice((0, 0, 0, 30)))
                for _ in range(count)
            ),
        )  # fmt: skip
    for login in logins:
        store.worklogs.set_rate(PersonRate(person=login, effective_from=date(2024, 1, 1),
                                           rate=Decimal("50.00"),
                                           overtime_rate=Decimal("62.50")))  # fmt: skip
        store.worklogs.set_rate(PersonRate(person=login, effective_from=date(2026, 6, 1),
                                           rate=Decimal("55.25")))  # fmt: skip
    return project.id


@contextlib.contextmanager
def _summary_triggers_off(store: Store) -> Iterator[None]:
    """The worklogs' ``worklog_days`` triggers off meanwhile (what a write cost before)."""
    pg = isinstance(store.db.path, str)
    with store.db.write() as conn:
        if pg:
            conn.execute("ALTER TABLE worklogs DISABLE TRIGGER worklog_days_sync")
            saved = []
        else:
            saved = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'worklogs' AND name LIKE 'worklog_days_%'"
            ).fetchall()
            for name, _ in saved:
                conn.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        with store.db.write() as conn:
            if pg:
                conn.execute("ALTER TABLE worklogs ENABLE TRIGGER worklog_days_sync")
            for _, sql in saved:
                conn.execute(sql)


def bench_writes(store: Store, project_id: int, bulk: int, logs: int, runs: int) -> None:
    """What the summary triggers add to a worklog write: ``bulk`` worklogs in one
    transaction, and ``logs`` single ``WorklogRepo.log`` calls (one IMMEDIATE transaction
    each, with its checks and audit row), with and without the triggers, interleaved. The
    rows are deleted again untimed, so the summary stays exact."""
    with store.db.read() as conn:
        tasks = [int(r[0]) for r in conn.execute(
            "SELECT id FROM tasks WHERE project_id = ? ORDER BY id", (project_id,)).fetchall()]  # fmt: skip
    rng = random.Random(3)
    rows = [(f"p{rng.randrange(PEOPLE):03d}", rng.choice(tasks),
             (TODAY - timedelta(days=rng.randrange(500))).isoformat(), 30, 0)
            for _ in range(bulk)]  # fmt: skip

    def insert_bulk() -> None:
        with store.db.write() as conn:
            conn.executemany(
                "INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes,"
                " created_at) VALUES (?, ?, ?, ?, ?, '2026-01-01')", rows,
            )  # fmt: skip

    # Days before the filled 500 (their person-days hold up to ~24 h already), 30 min each.
    singles = [Worklog(person=f"p{rng.randrange(PEOPLE):03d}", task_id=rng.choice(tasks),
                       day=TODAY - timedelta(days=500 + rng.randrange(200)), minutes=30)
               for _ in range(logs)]  # fmt: skip

    def log_each() -> None:
        for worklog in singles:
            store.worklogs.log(worklog)

    results: dict[str, list[tuple[float, float]]] = {}
    for _ in range(runs):
        for name, job in (("bulk", insert_bulk), ("log", log_each)):
            for triggers in (True, False):
                with contextlib.ExitStack() as stack:
                    if not triggers:
                        stack.enter_context(_summary_triggers_off(store))
                    with store.db.read() as conn:
                        last = int(conn.execute(
                            "SELECT coalesce(max(id), 0) FROM worklogs").fetchone()[0])  # fmt: skip
                    start, cpu = time.perf_counter(), time.process_time()
                    job()
                    took = (time.perf_counter() - start, time.process_time() - cpu)
                    with store.db.write() as conn:
                        conn.execute("DELETE FROM worklogs WHERE id > ?", (last,))
                results.setdefault(f"{name} {'with' if triggers else 'without'}", []).append(took)
    for name, count in (("bulk", bulk), ("log", logs)):
        what = (f"{count:,} worklogs inserted in one transaction" if name == "bulk"
                else f"{count:,} worklogs logged one by one (WorklogRepo.log)")  # fmt: skip
        for state in ("with", "without"):
            times = results[f"{name} {state}"]
            wall = sorted(t[0] for t in times)
            p90 = wall[min(len(wall) - 1, max(0, -(-9 * len(wall) // 10) - 1))]
            median_wall = statistics.median(wall)
            median_cpu = statistics.median(t[1] for t in times)
            print(f"{what}, {state} the summary triggers: median {median_wall * 1000:.0f} ms"
                  f" ({median_wall / count * 1e6:.1f} us a worklog), p90 {p90 * 1000:.0f} ms,"
                  f" CPU {median_cpu * 1000:.0f} ms over {runs} runs")  # fmt: skip


def bench_ac(target: Path | str | None, count: int, runs: int, bulk: int, logs: int) -> None:
    """AC of ``count`` worklogs of one project: from the summary, from the worklogs
    themselves (the path before schema 9) and priced in Python, interleaved; then the cost
    of the summary triggers per worklog write. ``target``: a PostgreSQL URL (an empty
    database or schema) or ``None`` for an SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        where = target if target is not None else Path(folder) / "bench.db"
        store = Store(where, user="pm", clock=FixedClock(TODAY))
        start = time.perf_counter()
        project_id = _fill(store, count)
        if isinstance(store.db.path, str):  # as autovacuum soon would after a bulk load
            with store.db.write() as conn:
                conn.execute("ANALYZE")
        print(f"{store.db.path}: {count:,} worklogs written (summary triggers on) in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip

        def summary() -> None:
            store.worklogs.labour_cost(project_id, TODAY, store.worklogs.rates(), "EUR")

        def scan() -> None:
            store.worklogs.labour_cost(project_id, TODAY, store.worklogs.rates(), "EUR",
                                       from_worklogs=True)  # fmt: skip

        def per_person_day() -> None:
            rates = store.worklogs.rates()
            labour_cost(store.worklogs.logged_per_day(project_id, TODAY), rates, "EUR")

        scan()  # warm the page cache
        rates = store.worklogs.rates()
        total = store.worklogs.labour_cost(project_id, TODAY, rates)
        assert total == store.worklogs.labour_cost(project_id, TODAY, rates, from_worklogs=True)
        reference = labour_cost(store.worklogs.logged_per_day(project_id, TODAY), rates, "EUR")
        assert total == reference, (total.total, reference.total)
        fast, old, slow = _timings(runs, summary, scan, per_person_day)
        print(_line(f"AC from {count:,} worklogs ({total.total:,} EUR), worklog_days summary",
                    fast, runs))  # fmt: skip
        print(_line("  (before schema 9: the worklogs summed in SQL)", old, runs))
        print(_line("  (reference: the summary's person-days priced in Python)", slow, runs))
        if bulk or logs:
            bench_writes(store, project_id, bulk, logs, max(3, runs // 2))
        store.close()


def bench_workload(tasks: int, runs: int) -> None:
    """Median time of the workload computation for 200 people x 26 weeks."""
    rng = random.Random(2)
    logins = [f"p{n:03d}" for n in range(PEOPLE)]
    calendars = {
        login: PersonCalendar(login, days_off=frozenset(
            TODAY + timedelta(days=rng.randrange(180)) for _ in range(10)))
        for login in logins
    }  # fmt: skip
    items = []
    for n in range(tasks):
        start = TODAY + timedelta(days=rng.randrange(-30, 150))
        items.append(Task(id=n + 1, title="t", assignee=rng.choice(logins),
                          remaining_hours=rng.choice((2.0, 4.5, 8.0, 16.0, 40.0)),
                          planned_start=start, due=start + timedelta(days=rng.randrange(0, 40))
                          if n % 10 else None))  # fmt: skip
    (timing,) = _timings(runs, lambda: workload(items, calendars, TODAY, 26))
    print(_line(f"workload {PEOPLE} people x 26 weeks over {tasks:,} tasks", timing, runs))


def _harness(db: Path, runs: int, keys: list[str], repeat: int,
             setup: list[str]) -> dict[str, dict[str, float]]:  # fmt: skip
    """One run of the shared pty harness over the real app on ``db``; its JSON summary."""
    harness = Path(os.environ.get("TUI_BENCH", "/work/shared/tools/tui_bench.py"))
    root = Path(__file__).resolve().parent.parent
    cmd = f"{shlex.quote(sys.executable)} -m itpm_tui --db {shlex.quote(str(db))}"
    args = [sys.executable, str(harness), "--cmd", cmd, "--cwd", str(root),
            "--marker", "Overdue", "--env", f"ITPM_TODAY={TODAY.isoformat()}",
            "--env", "ITPM_USER=pm", "--env", f"ITPM_CONFIG={db.parent / 'none.toml'}",
            "--unset-env", "NO_COLOR", "--unset-env", "TEXTUAL_THEME", "--size", "120x40",
            "--runs", str(runs), "--warmup", "1", "--quit-key", "q",
            "--repeat", str(repeat)]  # fmt: skip
    for key in keys:
        args += ["--key", key]
    for key in setup:
        args += ["--setup-key", key]
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    summary: dict[str, dict[str, float]] = json.loads(out.stdout)
    return summary


def bench_screen(tasks: int, runs: int) -> None:
    """The Workload screen's first paint and a cursor key, as a terminal sees them."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.bench import make_db

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        counts = make_db(db, tasks)
        people = counts.get("people", 0)
        first = _harness(db, runs, ["8"], 1, [])
        moves = _harness(db, runs, ["l", "h"], 20, ["8"])
    for what, summary in (
        (
            f"key 8 to the Workload grid's first paint ({people} people, {tasks:,} tasks, 120x40)",
            first,
        ),
        ("  l/h on the grid", moves),
    ):
        shown = summary.get("key_latency_ms", {})
        settled = summary.get("key_settle_ms", {})
        cpu = summary.get("cpu_ms_per_key", {})
        print(f"{what}: first change median {shown.get('median', float('nan')):.0f} ms, "
              f"p90 {shown.get('p90', float('nan')):.0f} ms; settled median "
              f"{settled.get('median', float('nan')):.0f} ms, p90 "
              f"{settled.get('p90', float('nan')):.0f} ms; CPU "
              f"{cpu.get('median', float('nan')):.0f} ms a key")  # fmt: skip


def main() -> None:
    """Run the benchmarks (the screen's only with ``--screen``)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worklogs", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screen", action="store_true", help="the Workload screen only")
    parser.add_argument("--db", help="a PostgreSQL URL (an empty database) for AC and writes")
    parser.add_argument(
        "--bulk",
        type=int,
        default=10_000,
        help="worklogs inserted in one transaction, with and without triggers",
    )
    parser.add_argument(
        "--logs",
        type=int,
        default=500,
        help="worklogs logged one by one, with and without triggers",
    )
    parser.add_argument("--ac-only", action="store_true", help="AC and writes, no workload")
    args = parser.parse_args()
    if args.screen:
        bench_screen(args.tasks, args.runs)
        return
    bench_ac(args.db, args.worklogs, args.runs, args.bulk, args.logs)
    if args.ac_only:
        return
    bench_workload(args.tasks, args.runs)


if __name__ == "__main__":
    main()
