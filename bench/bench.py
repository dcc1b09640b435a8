"""Store benchmark: open, list, update and insert on databases of 10,000 and 100,000 tasks.

Run: ``python bench/bench.py [--sizes 10000,100000] [--reps 7] [--json out.json]``.
Every figure is the MEDIAN of several repetitions (the count is printed beside it); machines
are noisy, so compare ratios between runs on one machine rather than absolute numbers.

``make_db(path, n_tasks, seed)`` builds a realistic database quickly and is meant to be
imported by other benchmarks (``bench/bench_ui.py``): ``from bench.bench import make_db``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from itpm_tui.clock import FixedClock  # noqa: E402
from itpm_tui.models import Status, Task  # noqa: E402
from itpm_tui.store import Store, TaskFilter  # noqa: E402

TODAY = date(2026, 11, 23)
"""The benchmark's 'today'; generated dates spread around it."""
USER = "pm"
"""Who the benchmark acts as; also one of the generated people."""

_VERBS = ("Migrate", "Upgrade", "Patch", "Review", "Install", "Test", "Plan", "Audit",
          "Decommission", "Document", "Renew", "Configure", "Monitor", "Back up")  # fmt: skip
_THINGS = ("firewall", "core switch", "VPN", "backup server", "ERP", "payroll", "CRM", "wiki",
           "DNS", "load balancer", "SAN", "mail relay", "SSO", "certificates", "Wi-Fi")  # fmt: skip
_SITES = ("HQ", "DC1", "DC2", "Berlin", "Lyon", "Leeds", "staging", "prod", "lab")
_STATUS_WEIGHTS = ((Status.DONE, 55), (Status.TODO, 22), (Status.DOING, 10),
                   (Status.REVIEW, 7), (Status.BLOCKED, 6))  # fmt: skip
"""A team's file that has lived a while: most tasks are done."""


def make_db(
    path: Path, n_tasks: int, seed: int = 1, n_projects: int | None = None
) -> dict[str, int]:
    """Create ``path`` with ``n_tasks`` tasks spread over projects, people and statuses.

    ``n_projects`` defaults to one project per 500 tasks (at least 3).

    Tasks, their 'created' audit rows, milestones with forecast history and cost entries are
    bulk-inserted in one transaction (seconds for 100k tasks, not minutes). The same
    ``seed`` gives the same file content. Returns the number of rows per table.
    """
    if path.exists():
        raise FileExistsError(path)
    rng = random.Random(seed)
    store = Store(path, user=USER, clock=FixedClock(TODAY))
    n_projects = n_projects or max(3, n_tasks // 500)
    n_people = max(9, n_tasks // 250)
    logins = [USER] + [f"user{i:04d}" for i in range(1, n_people)]
    teams = [f"team{i}" for i in range(max(1, n_people // 8))]
    tz = timezone(timedelta(hours=1))
    counts: dict[str, int] = {}

    def stamp(day: date, hour: int) -> str:
        return datetime(day.year, day.month, day.day, hour, tzinfo=tz).isoformat()

    statuses = [s for s, _ in _STATUS_WEIGHTS]
    weights = [w for _, w in _STATUS_WEIGHTS]
    with store.db.write() as conn:
        conn.executemany(
            "INSERT INTO people (login, name, team) VALUES (?, ?, ?)",
            [(login, login.title(), rng.choice(teams)) for login in logins],
        )
        projects = []
        for p in range(n_projects):
            start = TODAY - timedelta(days=rng.randint(30, 720))
            finish = start + timedelta(days=rng.randint(90, 540))
            cursor = conn.execute(
                "INSERT INTO projects (key, name, bac, start, baseline_finish, version)"
                " VALUES (?, ?, ?, ?, ?, 1)",
                (f"P{p:04d}", f"{rng.choice(_VERBS)} {rng.choice(_THINGS)} {p}",
                 str(rng.randint(20, 900) * 1000), start.isoformat(), finish.isoformat()),
            )  # fmt: skip
            projects.append((int(cursor.lastrowid or 0), start, finish))
        milestones: dict[int, list[int]] = {}
        for project_id, start, finish in projects:
            span = (finish - start).days
            for m in range(4):
                baseline = start + timedelta(days=span * (m + 1) // 4)
                forecast = baseline + timedelta(days=rng.choice([0, 0, 0, 3, 7, 14]))
                cursor = conn.execute(
                    "INSERT INTO milestones (project_id, name, baseline, forecast, version)"
                    " VALUES (?, ?, ?, ?, 1)",
                    (project_id, f"Phase {m + 1}", baseline.isoformat(), forecast.isoformat()),
                )
                milestone_id = int(cursor.lastrowid or 0)
                milestones.setdefault(project_id, []).append(milestone_id)
                conn.executemany(
                    "INSERT INTO milestone_forecasts (milestone_id, recorded_on, forecast)"
                    " VALUES (?, ?, ?)",
                    [(milestone_id, start.isoformat(), baseline.isoformat()),
                     (milestone_id, (start + timedelta(days=30)).isoformat(),
                      forecast.isoformat())],
                )  # fmt: skip
        tasks = []
        audit = []
        for i in range(1, n_tasks + 1):
            personal = rng.random() < 0.1
            project_id, start, finish = rng.choice(projects)
            status = rng.choices(statuses, weights)[0]
            created = TODAY - timedelta(days=rng.randint(0, 700))
            planned_start = created + timedelta(days=rng.randint(0, 30))
            planned_finish = planned_start + timedelta(days=rng.randint(1, 20))
            estimate = float(rng.choice([1, 2, 4, 8, 16, 24, 40]))
            remaining = 0.0 if status is Status.DONE else round(estimate * rng.random(), 1)
            done = status is Status.DONE
            blocked = status is Status.BLOCKED
            tasks.append((
                i, None if personal else project_id,
                None if personal or rng.random() < 0.5 else rng.choice(milestones[project_id]),
                f"{rng.choice(_VERBS)} {rng.choice(_THINGS)} at {rng.choice(_SITES)} #{i}",
                f"Change ticket CHG-{rng.randint(1000, 99999)}; see runbook."
                if rng.random() < 0.3 else "",
                status.value, rng.choice(logins) if rng.random() < 0.9 else None,
                rng.choices((1, 2, 3, 4), (5, 20, 50, 25))[0],
                (planned_finish + timedelta(days=rng.randint(0, 5))).isoformat()
                if rng.random() < 0.7 else None,
                planned_start.isoformat(), planned_finish.isoformat(), estimate, remaining,
                rng.choice([None] * 9 + [rng.randint(0, 100)]),
                None if personal or rng.random() < 0.5 else str(rng.randint(1, 200) * 50),
                "waiting for vendor" if blocked else "",
                stamp(TODAY - timedelta(days=rng.randint(0, 10)), 11) if blocked else None,
                stamp(created, 9), stamp(created + timedelta(days=1), 10), rng.choice(logins),
                stamp(planned_finish, 16) if done else None,
            ))  # fmt: skip
            audit.append((stamp(created, 9), USER, "task", i, "created", None, tasks[-1][3], 1))
        conn.executemany(
            "INSERT INTO tasks (id, project_id, milestone_id, title, notes, status, assignee,"
            " priority, due, planned_start, planned_finish, estimate_hours, remaining_hours,"
            " percent_complete, planned_cost, blocked_reason, blocked_since, created_at,"
            " updated_at, updated_by, done_at, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            tasks,
        )
        conn.executemany(
            "INSERT INTO audit (at, who, entity, entity_id, field, old, new, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            audit,
        )
        costs = []
        for _ in range(n_tasks // 5):
            project_id, start, _finish = rng.choice(projects)
            spent_on = start + timedelta(days=rng.randint(0, max(0, (TODAY - start).days)))
            costs.append((project_id, spent_on.isoformat(),
                          f"{rng.randint(50, 20000)}.{rng.randint(0, 99):02d}",
                          rng.choice(["labour", "licences", "hardware", "services"]), USER))  # fmt: skip
        conn.executemany(
            "INSERT INTO cost_entries (project_id, spent_on, amount, category, created_by)"
            " VALUES (?, ?, ?, ?, ?)",
            costs,
        )
        for table in ("people", "projects", "milestones", "tasks", "cost_entries", "audit"):
            counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    store.close()
    return counts


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Measure:
    """One benchmark figure: the median of ``reps`` runs, in ``unit``."""

    name: str
    median: float
    unit: str
    reps: int
    runs: list[float] = field(default_factory=list)
    note: str = ""


def _timed(action: Callable[[], object], reps: int) -> list[float]:
    runs = []
    for _ in range(reps):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return runs


def _ms(name: str, runs: list[float], note: str = "") -> Measure:
    ms = [r * 1000 for r in runs]
    return Measure(name, statistics.median(ms), "ms", len(ms), ms, note)


_PEAK_RSS = (
    "import atexit, sys\n"
    "def peak():\n"
    "    with open('/proc/self/status') as status:\n"
    "        kb = next(line.split()[1] for line in status if line.startswith('VmHWM'))\n"
    "    print(f'VmHWM {kb}', file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "from itpm_tui.cli import main\n"
    "main()\n"
)
"""Runs the CLI and prints its own peak RSS (VmHWM) on exit. The child's rusage can't be
used: Linux carries the forking parent's peak into it, and this benchmark is big."""


def _cli(path: Path, *args: str) -> tuple[float, float]:
    """Run ``itpm-tui`` once as a new process: (seconds, peak RSS in MB)."""
    env = {**os.environ, "ITPM_USER": USER, "ITPM_TODAY": TODAY.isoformat()}
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, "--db", str(path), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"itpm-tui {' '.join(args)} failed: {process.stderr[-500:]}")
    peak_kb = next(
        int(line.split()[1]) for line in process.stderr.splitlines() if line.startswith("VmHWM")
    )
    return elapsed, peak_kb / 1024


def bench_size(path: Path, n_tasks: int, reps: int) -> list[Measure]:
    """Every measure on one database (which must not exist yet)."""
    results: list[Measure] = []
    started = time.perf_counter()
    make_db(path, n_tasks)
    results.append(Measure("make_db (bulk insert, once)", (time.perf_counter() - started) * 1000,
                           "ms", 1))  # fmt: skip
    clock = FixedClock(TODAY)

    def open_close() -> None:
        Store(path, user=USER, clock=clock).close()

    results.append(_ms("open the database (Store() + close)", _timed(open_close, reps * 3)))

    for label, args in (("list --json (open tasks)", ["list", "--json"]),
                        ("list --json --all", ["list", "--json", "--all"])):  # fmt: skip
        runs = [_cli(path, *args) for _ in range(reps)]
        results.append(_ms(f"`itpm-tui {label}` process", [t for t, _ in runs]))
        results.append(Measure("  peak RSS of that process", statistics.median(
            rss for _, rss in runs), "MB", reps))  # fmt: skip
    results.append(_ms("`itpm-tui list --limit 50` process", [
        _cli(path, "list", "--limit", "50")[0] for _ in range(reps)]))  # fmt: skip

    store = Store(path, user=USER, clock=clock)
    try:
        found: list[Task] = []

        def find_all() -> None:
            found[:] = store.tasks.find()

        results.append(_ms("TaskRepo.find() all tasks, in process", _timed(find_all, reps),
                           note=f"{len(store.tasks.find_ids())} tasks"))  # fmt: skip
        open_only = TaskFilter(open_only=True)
        results.append(_ms("TaskRepo.find(open_only), in process",
                           _timed(lambda: store.tasks.find(open_only), reps)))  # fmt: skip
        results.append(_ms("TaskRepo.find(open, limit 50), in process",
                           _timed(lambda: store.tasks.find(open_only, limit=50), reps)))  # fmt: skip
        results.append(_ms("TaskRepo.find_ids() all, in process",
                           _timed(store.tasks.find_ids, reps)))  # fmt: skip
        found.clear()
        tracemalloc.start()
        store.tasks.find()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        results.append(Measure("  Python memory peak of find() all", peak, "MB", 1))

        rng = random.Random(2)
        cycle = [Status.DOING, Status.REVIEW, Status.BLOCKED, Status.TODO]

        def one_update() -> None:
            task = store.tasks.get(rng.randint(1, n_tasks))
            new = next(s for s in cycle if s is not task.status)
            store.tasks.update(task.id, {"status": new}, expected_version=task.version)

        results.append(_ms("single status update (get + update)",
                           _timed(one_update, reps * 10)))  # fmt: skip

        inserts = 200
        project_id = store.projects.find()[0].id
        template = Task(title="bench insert", project_id=project_id, assignee=USER,
                        estimate_hours=4, due=TODAY)  # fmt: skip

        def add_many() -> None:
            for _ in range(inserts):
                store.tasks.add(template)

        rates = [inserts / t for t in _timed(add_many, reps)]
        results.append(Measure("rows inserted via TaskRepo.add", statistics.median(rates),
                               "rows/s", reps, rates, f"{inserts} adds per run, one "
                               "transaction each"))  # fmt: skip
    finally:
        store.close()
    return results


def _table(by_size: dict[int, list[Measure]]) -> str:
    sizes = list(by_size)
    names = [m.name for m in by_size[sizes[0]]]
    width = max(len(n) for n in names) + 2
    head = f"{'median of reps':<{width}}" + "".join(f"{f'{s:,} tasks':>22}" for s in sizes)
    lines = [head, "-" * len(head)]
    for i, name in enumerate(names):
        cells = []
        for size in sizes:
            m = by_size[size][i]
            value = f"{m.median:,.0f}" if m.median >= 100 else f"{m.median:,.2f}"
            cells.append(f"{value} {m.unit} (x{m.reps})".rjust(22))
        lines.append(f"{name:<{width}}" + "".join(cells))
    return "\n".join(lines)


def main() -> None:
    """Build databases of each size, measure, print a table (and JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000", help="Task counts, comma-separated.")
    parser.add_argument("--reps", type=int, default=7, help="Repetitions per measure (median).")
    parser.add_argument("--json", type=Path, help="Also write the results here as JSON.")
    parser.add_argument("--dir", type=Path, help="Keep the databases here (default: a temp dir).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="itpm-bench-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        by_size: dict[int, list[Measure]] = {}
        for size in sizes:
            path = folder / f"bench-{size}.db"
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            print(f"measuring {size:,} tasks ...", file=sys.stderr, flush=True)
            by_size[size] = bench_size(path, size, args.reps)
    print(_table(by_size))
    if args.json:
        machine = {"python": sys.version.split()[0], "cpus": os.cpu_count(),
                   "sqlite": __import__("sqlite3").sqlite_version}  # fmt: skip
        data: dict[str, Any] = {"machine": machine, "results": {
            str(size): [asdict(m) for m in measures] for size, measures in by_size.items()}}  # fmt: skip
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
