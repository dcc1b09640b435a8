"""Portfolio benchmark: 50 projects over 100,000 tasks (issue 14's figures).

Run: ``python bench/bench_portfolio.py [--tasks 100000] [--projects 50] [--reps 5]
[--dir DIR]``.

Reported, as the median and 90th percentile of ``--reps`` runs, each in a fresh process
state (a new Store, so no cache carries over between runs):

- ``portfolio``: ``reports.portfolio_view`` - every project's health today and its rating
  a week ago (replayed from the audit log), worst first: what Health shows first;
- ``unchanged``: ``portfolio_view`` again on the same store with nothing committed since:
  what a reload of Health costs when the database did not change (the change-token cache);
- ``first paint``: the real app at 120x40 under ``run_test``, from pressing ``4`` to the
  first frame that shows the filled portfolio table (the load runs in a worker);
- ``report``: ``reports.status_report_of`` for the whole portfolio, the week ending on the
  Friday before 'today', plus rendering it as Markdown and as HTML.

CPU seconds are printed beside wall seconds: on the two shared cores here wall time moves
with other load, CPU time much less. Each line ends with the median's ratio to its aim
(``AIMS``: wall / aim and CPU / aim; below 1.00 meets it). Compare runs on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench import TODAY, USER, make_db  # noqa: E402
from itpm_tui.clock import FixedClock  # noqa: E402
from itpm_tui.store import Store  # noqa: E402

WEEK_END = date(2026, 11, 20)
"""The Friday before the benchmark's today (Monday 23 Nov 2026)."""

AIMS = {"portfolio": 0.300, "unchanged": 0.300, "first paint": 0.300, "report": 2.0}
"""Issue 14's aims in seconds at 50 projects / 100,000 tasks: the portfolio table computed
and first painted in under 300 ms, one weekly report for the portfolio in under 2 s."""


def _store(path: Path) -> Store:
    return Store(path, user=USER, clock=FixedClock(TODAY))


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall, cpu) seconds of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def portfolio(path: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """``portfolio_view`` on a fresh store, then again with nothing changed since."""
    from itpm_tui.reports import portfolio_view

    store = _store(path)
    try:
        return _timed(lambda: portfolio_view(store, TODAY)), _timed(
            lambda: portfolio_view(store, TODAY)
        )
    finally:
        store.close()


def report(path: Path) -> tuple[float, float]:
    """The portfolio's weekly report, built and rendered as Markdown and HTML."""
    from itpm_tui.domain.report_render import to_html, to_markdown
    from itpm_tui.reports import status_report_of

    store = _store(path)

    def build() -> None:
        result = status_report_of(store, WEEK_END)
        to_markdown(result)
        to_html(result)

    try:
        return _timed(build)
    finally:
        store.close()


async def first_paint(path: Path) -> tuple[float, float]:
    """Key ``4`` to the first frame drawn with the portfolio table filled (120x40)."""
    from textual import events

    from itpm_tui.cli import make_app
    from itpm_tui.config import Settings
    from itpm_tui.widgets.portfolio_table import PortfolioTable

    store = _store(path)
    settings = Settings(db_path=path, db_is_default=False, user=USER, today=TODAY,
                        theme="textual-dark")  # fmt: skip
    app = make_app(settings, store)
    seen: list[float] = []
    display = app._display

    def filled() -> bool:
        tables = app.screen.query(PortfolioTable)
        return bool(tables) and bool(tables.first().rows)

    def hooked(screen: Any, renderable: Any) -> None:
        if renderable is not None and not seen and filled():
            seen.append(time.perf_counter())
        display(screen, renderable)

    app._display = hooked  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)  # Today is up and the other screens are imported
        cpu, sent = time.process_time(), time.perf_counter()
        app.post_message(events.Key("4", "4"))
        deadline = sent + 120
        while not seen and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        if not seen:
            raise TimeoutError("the portfolio never painted")
        result = seen[0] - sent, time.process_time() - cpu
    store.close()
    return result


def _line(name: str, runs: list[tuple[float, float]]) -> str:
    walls = sorted(w for w, _ in runs)
    cpus = sorted(c for _, c in runs)

    def p90(values: list[float]) -> float:
        return values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]

    aim = AIMS[name]
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    return (f"{name:<12} wall median {wall * 1000:8.1f} ms p90 {p90(walls) * 1000:8.1f} ms  "
            f"cpu median {cpu * 1000:8.1f} ms p90 {p90(cpus) * 1000:8.1f} ms  "
            f"aim {aim * 1000:5.0f} ms: x{wall / aim:.2f} wall, x{cpu / aim:.2f} cpu"
            f"  ({len(runs)} runs)")  # fmt: skip


def main() -> None:
    """Build (or reuse) the database, then time each figure ``--reps`` times, interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="Keep the database here (default: a temp dir).")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="itpm-portfolio-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"portfolio-{args.projects}p-{args.tasks}t.db"
    if not path.exists():
        make_db(path, args.tasks, n_projects=args.projects)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in AIMS}
    for _ in range(args.reps):
        cold, unchanged = portfolio(path)
        runs["portfolio"].append(cold)
        runs["unchanged"].append(unchanged)
        runs["first paint"].append(asyncio.run(first_paint(path)))
        runs["report"].append(report(path))
    print(f"{args.projects} projects, {args.tasks:,} tasks ({path})")
    for name, values in runs.items():
        print(_line(name, values))


if __name__ == "__main__":
    main()
