"""Time and workload benchmarks: ``python bench/bench_time.py [--worklogs N] [--runs R]``.

- AC from 1,000,000 worklogs: the SQL sum per person per day plus pricing at the rates in
  force (``WorklogRepo.logged_per_day`` + ``labour_cost``), on a real file.
- Workload for 200 people x 26 weeks over 100,000 open tasks: the pure computation.
Each prints the median and p90 of a few runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
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


def _timings(runs: int, job: object) -> tuple[float, float]:
    """Median and p90 (nearest rank) of ``runs`` timed calls of ``job``, in seconds."""
    assert callable(job)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    ranked = sorted(times)
    p90 = ranked[min(len(ranked) - 1, max(0, -(-9 * len(ranked) // 10) - 1))]
    return statistics.median(times), p90


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

        def job() -> None:
            rates = store.worklogs.rates()
            labour_cost(store.worklogs.logged_per_day(project.id, TODAY), rates, "EUR")

        job()  # warm the page cache
        rows = store.worklogs.logged_per_day(project.id, TODAY)
        total = labour_cost(rows, store.worklogs.rates(), "EUR").total
        median, p90 = _timings(runs, job)
        print(f"AC from {count:,} worklogs ({len(rows):,} person-days): {total:,} EUR, "
              f"median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms over {runs} runs")  # fmt: skip
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
    median, p90 = _timings(runs, lambda: workload(items, calendars, TODAY, 26))
    print(
        f"workload {PEOPLE} people x 26 weeks over {tasks:,} tasks: "
        f"median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms over {runs} runs"
    )


def main() -> None:
    """Run both benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worklogs", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_ac(args.worklogs, args.runs)
    bench_workload(args.tasks, args.runs)


if __name__ == "__main__":
    main()
