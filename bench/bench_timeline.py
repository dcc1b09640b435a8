"""Timeline benchmark: CPM plus the Gantt layout, then the chart's first paint and a scroll key.

Run: ``python bench/bench_timeline.py [--sizes 100,10000,100000] [--reps 7]``.

For each size N: N tasks of 10 projects with holidays, 20 milestones, 2N random links
(the DAG of ``bench_network.py``), planned dates for baselines. Reported, as the median
and 90th percentile of ``--reps`` runs:

- ``cpm``: ``build_network(...).schedule()`` (durations, calendars, both passes, dates);
- ``layout``: ``build_timeline`` (rows grouped by milestone, spans on the axis);
- ``paint``: the Gantt widget in a running app at 120x40, from ``set_timeline`` to the
  first frame sent to the terminal;
- ``scroll``: an ``l`` key event posted to the app, to the first frame after the axis moved.

and the memory of one network build + schedule + layout, each measured in a fresh Python
process that first makes the tasks and links (the input, not counted):

- ``traced``: the tracemalloc peak of that phase (Python allocations only);
- ``rss``: the process's resident high-water mark (``VmHWM`` of ``/proc/self/status``),
  reset just before the phase by writing 5 to ``/proc/self/clear_refs``, minus the
  resident size before it; and the whole process's ``VmHWM`` (interpreter and input
  included). A separate run without tracemalloc, whose own tables would inflate it.

Compare sizes with each other (the chart's cost should not grow with N), not with another
machine: the numbers depend on the two shared cores this runs on.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_network import TODAY, random_links  # noqa: E402
from itpm_tui.domain.network import Network, build_network  # noqa: E402
from itpm_tui.domain.timeline import Timeline, build_timeline  # noqa: E402
from itpm_tui.models import Milestone, Project, Status, Task, TaskLink  # noqa: E402

WIDTH, HEIGHT = 120, 40


def make_network(n: int) -> Callable[[], Network]:
    """Builds the network of N tasks, 2N links, 20 milestones over 10 projects (seeded)."""
    rng = random.Random(n)
    raw = random_links(n, rng)
    holidays = (TODAY + timedelta(days=32), TODAY + timedelta(days=33))
    projects = [Project(id=p, key=f"P{p}", name=f"Project {p}", holidays=holidays)
                for p in range(1, 11)]  # fmt: skip
    milestones = [Milestone(id=m, project_id=1 + (m - 1) % 10, name=f"M{m}",
                            baseline=TODAY + timedelta(days=60 + m),
                            forecast=TODAY + timedelta(days=60 + m)) for m in range(1, 21)]  # fmt: skip
    statuses = (Status.TODO, Status.TODO, Status.DOING, Status.DONE)
    tasks = []
    for i in range(n):
        project = 1 + (i * 10) // n
        start = TODAY + timedelta(days=rng.randint(-20, 90))
        milestone = project + 10 * rng.randrange(2) if i % 5 == 0 else None
        tasks.append(Task(id=i + 1, project_id=project, project_key=f"P{project}",
                          title=f"Task {i} of project {project}", status=statuses[i % 4],
                          remaining_hours=float(rng.randint(0, 40)), milestone_id=milestone,
                          planned_start=start,
                          planned_finish=start + timedelta(days=rng.randint(0, 10))))  # fmt: skip
    links = [TaskLink(pred_id=a + 1, succ_id=b + 1, kind=k, lag=lag) for a, b, k, lag in raw]
    return lambda: build_network(tasks, links, milestones, projects, TODAY)


def timed(reps: int, run: Callable[[], object]) -> list[float]:
    """Seconds of each of ``reps`` calls."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


async def paint_and_scroll(timeline: Timeline, reps: int) -> tuple[list[float], list[float]]:
    """First paint and one scroll key of the chart in a running app, ``reps`` times each."""
    from textual import events
    from textual.app import App, ComposeResult

    from itpm_tui.widgets.gantt import Gantt

    class ChartApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Gantt()

    app = ChartApp()
    watch: list[Callable[[], bool]] = []
    seen: list[float] = []
    display = app._display

    def hooked(screen: Any, renderable: Any) -> None:
        if renderable is not None and watch and watch[0]():
            seen.append(time.perf_counter())
            watch.clear()
        display(screen, renderable)

    app._display = hooked  # type: ignore[method-assign]

    async def until_frame(timeout: float = 20.0) -> None:
        deadline = time.perf_counter() + timeout
        while not seen:
            if time.perf_counter() > deadline:
                raise TimeoutError("no frame")
            await asyncio.sleep(0.0005)

    paints: list[float] = []
    scrolls: list[float] = []
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        chart = app.query_one(Gantt)
        chart.focus()
        await pilot.pause(0.2)
        for _ in range(reps):
            chart.rows = ()
            chart.rows_changed()
            await pilot.pause(0.05)
            seen.clear()
            watch[:] = [lambda: bool(chart.rows)]
            sent = time.perf_counter()
            chart.set_timeline(timeline)
            await until_frame()
            paints.append(seen[0] - sent)
            await pilot.pause(0.05)
            chart.action_today()
            await pilot.pause(0.05)
            before = chart.first_column
            seen.clear()
            watch[:] = [lambda before=before: chart.first_column != before]  # type: ignore[misc]
            sent = time.perf_counter()
            app.post_message(events.Key("l", "l"))
            await until_frame()
            scrolls.append(seen[0] - sent)
            await pilot.pause(0.05)
    return paints, scrolls


def _status_kb(field: str) -> int:
    """A ``kB`` field of ``/proc/self/status`` (0 where there is no such file)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_high_water_mark() -> bool:
    """Start ``VmHWM`` again from the current resident size (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def memory_child(n: int, traced: bool) -> dict[str, float]:
    """In this (fresh) process: the memory of building, scheduling and laying out N tasks."""
    build = make_network(n)  # the input: tasks, links, milestones, projects
    gc.collect()
    reset = _reset_high_water_mark()
    before = _status_kb("VmRSS")
    if traced:
        tracemalloc.start()
    network = build()
    result = network.schedule()
    timeline = build_timeline(network, result, None)
    out: dict[str, float] = {"rows": len(timeline.rows)}
    if traced:
        out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        hwm = _status_kb("VmHWM")
        out["rss_growth_mb"] = (hwm - before) / 1024 if reset else float("nan")
        out["hwm_mb"] = hwm / 1024
    return out


def memory(n: int) -> dict[str, float]:
    """``memory_child`` in two fresh processes: one traced, one for the resident size."""
    out: dict[str, float] = {}
    for traced in (True, False):
        command = [sys.executable, __file__, "--memory-child", str(n)]
        if traced:
            command.append("--traced")
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        out.update(json.loads(done.stdout))
    return out


def stats(times: list[float]) -> str:
    """``median / p90`` in milliseconds."""
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:7.1f} / {p90 * 1000:7.1f} ms"


def main() -> None:
    """Print one block per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        print(json.dumps(memory_child(args.memory_child, args.traced)))
        return
    for n in (int(s) for s in args.sizes.split(",")):
        build = make_network(n)
        network = build()
        result = network.schedule()
        cpm = timed(args.reps, lambda build=build: build().schedule())  # type: ignore[misc]
        layout = timed(args.reps, lambda n=network, r=result: build_timeline(n, r, None))  # type: ignore[misc]
        timeline = build_timeline(network, result, None)
        paints, scrolls = asyncio.run(paint_and_scroll(timeline, args.reps))
        print(f"{n:>6} tasks, {2 * n:>6} links, {len(timeline.rows):>6} rows "
              f"(median / p90 of {args.reps}):")  # fmt: skip
        print(f"  cpm     {stats(cpm)}")
        print(f"  layout  {stats(layout)}")
        print(f"  paint   {stats(paints)}   (120x40, set_timeline to the first frame)")
        print(f"  scroll  {stats(scrolls)}   (l key to the first frame)")
        mem = memory(n)
        print(f"  memory  traced peak {mem['traced_peak_mb']:.1f} MB, resident +"
              f"{mem['rss_growth_mb']:.1f} MB (process high-water mark "
              f"{mem['hwm_mb']:.0f} MB)   (build + schedule + layout)")  # fmt: skip


if __name__ == "__main__":
    main()
