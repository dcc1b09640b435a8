"""Schedule network benchmark: the critical path method on random DAGs.

Run: ``python bench/bench_network.py [--sizes 10000,100000] [--reps 5]``.

For each size N it builds a random DAG of N activities and 2N links (every link from a
lower to a higher number, within 200 places, so the network is deep like a real plan; a
tenth of the links are SS/FF/SF and a tenth have a lag or lead) and reports the MEDIAN of
``--reps`` runs (and the 90th percentile) of:

- ``core``: ``critical_path`` alone, both passes and both floats (integer units);
- ``tasks``: ``build_network(...).schedule()`` on N tasks of 10 projects with holidays
  and 20 milestones: durations from hours, working-day calendars, dates, floats and each
  milestone's computed forecast;
- ``floats``: then every milestone's upstream tasks and float-to-milestone (computed on
  first use: one reverse topological sweep for all milestones, then one backward pass
  over each milestone's own upstream tasks);
- ``floats only``: that last step alone, in CPU seconds (``time.process_time``: other
  processes on the two shared cores count less), the schedule made before the clock starts;

plus the peak memory of one ``tasks`` run (tracemalloc). Targets: core < 100 ms at 10k and
< 1 s at 100k.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from itpm_tui.domain.network import Link, build_network, critical_path  # noqa: E402
from itpm_tui.models import LinkType, Milestone, Project, Status, Task, TaskLink  # noqa: E402

TODAY = date(2026, 11, 23)


def random_links(n: int, rng: random.Random) -> list[tuple[int, int, LinkType, int]]:
    """``2n`` distinct links ``(pred, succ, kind, lag)`` with ``pred < succ`` (a DAG)."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 2 * n:
        a = rng.randrange(n - 1)
        pairs.add((a, rng.randrange(a + 1, min(n, a + 200))))
    kinds = (LinkType.SS, LinkType.FF, LinkType.SF)
    return [
        (a, b, rng.choice(kinds) if rng.random() < 0.1 else LinkType.FS,
         rng.randint(-2, 3) if rng.random() < 0.1 else 0)
        for a, b in sorted(pairs)
    ]  # fmt: skip


def median_time(reps: int, run: Callable[[], object]) -> tuple[float, float]:
    """Median and 90th percentile wall-clock seconds of ``reps`` calls."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(reps - 1, round(0.9 * (reps - 1)))]


def bench(n: int, reps: int) -> dict[str, tuple[float, float] | float]:
    """(median, p90) seconds of the core pass and of the full task schedule, and peak MB."""
    rng = random.Random(n)
    raw = random_links(n, rng)
    durations = [(i, rng.randint(0, 10)) for i in range(n)]
    links = [Link(a, b, k, lag) for a, b, k, lag in raw]
    core = median_time(reps, lambda: critical_path(durations, links))

    holidays = (date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1))
    projects = [Project(id=p, key=f"P{p}", name=f"Project {p}", holidays=holidays)
                for p in range(1, 11)]  # fmt: skip
    milestones = [Milestone(id=m, project_id=1 + m % 10, name=f"M{m}",
                            baseline=TODAY + timedelta(days=60 + m),
                            forecast=TODAY + timedelta(days=60 + m)) for m in range(1, 21)]  # fmt: skip
    statuses = (Status.TODO, Status.TODO, Status.DOING, Status.DONE)
    tasks = [
        Task(id=i + 1, project_id=1 + (i * 10) // n, title=f"Task {i}",
             status=statuses[i % 4], remaining_hours=float(rng.randint(0, 40)),
             milestone_id=(1 + rng.randrange(20)) if i % 50 == 0 else None)
        for i in range(n)
    ]  # fmt: skip
    tasks = [t if t.milestone_id is None or t.project_id == milestones[t.milestone_id - 1]
             .project_id else t.model_copy(update={"milestone_id": None}) for t in tasks]  # fmt: skip
    task_links = [TaskLink(pred_id=a + 1, succ_id=b + 1, kind=k, lag=lag) for a, b, k, lag in raw]

    def full() -> object:
        return build_network(tasks, task_links, milestones, projects, TODAY).schedule()

    whole = median_time(reps, full)

    def floats() -> object:
        result = build_network(tasks, task_links, milestones, projects, TODAY).schedule()
        return [len(m.float_to) for m in result.milestones.values()]

    with_floats = median_time(reps, floats)

    network = build_network(tasks, task_links, milestones, projects, TODAY)
    cpu: list[float] = []
    for _ in range(reps):
        result = network.schedule()
        start = time.process_time()
        for m in result.milestones.values():
            len(m.float_to)
        cpu.append(time.process_time() - start)
    ordered = sorted(cpu)
    floats_cpu = statistics.median(ordered), ordered[min(reps - 1, round(0.9 * (reps - 1)))]
    tracemalloc.start()
    full()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"core_s": core, "tasks_s": whole, "floats_s": with_floats,
            "floats_cpu_s": floats_cpu, "peak_mb": peak / 1e6}  # fmt: skip


def ms(seconds: tuple[float, float] | float) -> str:
    """``median / p90 ms`` of a timing pair."""
    assert isinstance(seconds, tuple)
    return f"{seconds[0] * 1000:.1f} / {seconds[1] * 1000:.1f} ms"


def main() -> None:
    """Print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        r = bench(n, args.reps)
        print(f"{n:>7} tasks, {2 * n:>7} links (median / p90 of {args.reps}): core CPM "
              f"{ms(r['core_s'])}, tasks {ms(r['tasks_s'])}, + milestone floats "
              f"{ms(r['floats_s'])} (floats alone {ms(r['floats_cpu_s'])} CPU), "
              f"peak {r['peak_mb']:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
