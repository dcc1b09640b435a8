"""Time and workload benchmarks: ``python bench/bench_time.py [--worklogs N] [--runs R]``.

- AC from 1,000,000 worklogs: summed and priced per day in SQL at the rates in force
  (``WorklogRepo.labour_cost``), on a real file, against the reference path (per-person-day
  sums priced in Python: ``logged_per_day`` + ``labour_cost``), interleaved.
- Workload for 200 people x 26 weeks over 100,000 open tasks: the pure computation.
- ``--screen``: the Workload screen (key 8) of the real app in a pseudo-terminal, through
  the shared harness (``tui_bench.py``, as bench_keys.py runs it), on ``bench.make_db``'s
  file with ``--tasks`` tasks (100,000 tasks give 400 people): key 8 from Today to the
  grid's first paint (one press per launch), then ``l``/``h`` moving the week cursor.
Each prints the median and p90 wall time and the median CPU time of a few runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from itpm_tui.clock import FixedClock
from itpm_tui.domain.labour import labour_cost
from itpm_tui.domain.workload import PersonCalendar, workload
from itpm_tui.models import PersonRate, Project, Task
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


def bench_ac(count: int, runs: int) -> None:
    """Median time to price ``count`` worklogs of one project."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db", user="pm", clock=FixedClock(TODAY))
        project = store.projects.add(Project(key="BIG", name="Big"))
        logins = [f"p{n:03d}" for n in range(PEOPLE)]
        rng = random.Random(1)
        with store.db.write() as conn:
            conn.executemany("INSERT INTO people (login) VALUES (?)", [(x,) for x in logins])
            conn.executemany(
                "INSERT INTO tasks (project_id, title, created_at, updated_at) VALUES (?,?,?,?)",
                [(project.id, f"t{n}", "2026-01-01", "2026-01-01") for n in range(1000)],
            )
            first = TODAY - timedelta(days=499)
            conn.executemany(
                "INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes,"
                " created_at) VALUES (?, ?, ?, ?, ?, '2026-01-01')",
                (
                    (rng.choice(logins), rng.randint(1, 1000),
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

        def grouped() -> None:
            store.worklogs.labour_cost(project.id, TODAY, store.worklogs.rates(), "EUR")

        def per_person_day() -> None:
            rates = store.worklogs.rates()
            labour_cost(store.worklogs.logged_per_day(project.id, TODAY), rates, "EUR")

        grouped()  # warm the page cache
        total = store.worklogs.labour_cost(project.id, TODAY, store.worklogs.rates()).total
        reference = labour_cost(store.worklogs.logged_per_day(project.id, TODAY),
                                store.worklogs.rates(), "EUR").total  # fmt: skip
        assert total == reference, (total, reference)
        fast, slow = _timings(runs, grouped, per_person_day)
        print(_line(f"AC from {count:,} worklogs ({total:,} EUR), priced in SQL", fast, runs))
        print(_line("  (reference: person-days priced in Python)", slow, runs))
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
    args = parser.parse_args()
    if args.screen:
        bench_screen(args.tasks, args.runs)
        return
    bench_ac(args.worklogs, args.runs)
    bench_workload(args.tasks, args.runs)


if __name__ == "__main__":
    main()
