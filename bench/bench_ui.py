"""UI benchmark: start-up, key latency and memory of the real app over 10,000 tasks.

Two harnesses:

* **pty** - the installed app in a pseudo-terminal, as a user runs it: time from launch
  to the first full Today screen, from ``2`` to the full Tasks table, from a key press to
  the end of the repaint it causes (j/k), and the process's peak RSS (VmHWM).
* **in-process** - the app under ``run_test`` with a hook on each frame sent to the
  terminal: key (posted as the terminal driver would) to the first frame that shows its
  effect, for j/k and for a status change (``s``: save, change poll, reload, repaint).

Run: ``python bench/bench_ui.py [--tasks 10000] [--presses 50] [--size 80x24]``.
Targets (issue 4): first screen < 1 s, keys < 50 ms median, memory < 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import make_db  # noqa: E402
from itpm_tui.clock import FixedClock  # noqa: E402
from itpm_tui.models import Status  # noqa: E402
from itpm_tui.store import Store  # noqa: E402

TODAY = date(2026, 11, 23)
USER = "pm"
ANSI = re.compile(
    rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|[=>78])"
)
LAUNCHES = 5
"""Start-up is timed over this many launches (the first pays for cold caches)."""
QUIET = 0.03
"""Seconds without output that end a repaint burst."""


# --- data ------------------------------------------------------------------------------------


def build_db(path: Path, count: int) -> str:
    """The benchmark database shared with ``bench/bench.py``; returns where it came from."""
    make_db(path, count)
    return "bench.bench.make_db"


# --- pty harness -------------------------------------------------------------------------------


class PtyApp:
    """The app in a pseudo-terminal; output is collected with arrival times."""

    def __init__(self, db: Path, width: int, height: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL_", "ITPM_"))}
        env.pop("NO_COLOR", None)
        env |= {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "ITPM_USER": USER,
            "ITPM_TODAY": TODAY.isoformat(),
            "ITPM_CONFIG": str(db.with_suffix(".toml")),
        }
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal, then become the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
            os.execvpe(sys.executable, [sys.executable, "-m", "itpm_tui", "--db", str(db)], env)
        self.pid, self.fd = pid, fd
        self.chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.5)
                if not ready:
                    continue
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.chunks.append((time.perf_counter(), data))

    def mark(self) -> int:
        """An index into the output, to read what arrives after it."""
        with self._lock:
            return len(self.chunks)

    def text_since(self, mark: int) -> str:
        """Output after ``mark`` with terminal escapes removed."""
        with self._lock:
            raw = b"".join(data for _, data in self.chunks[mark:])
        return ANSI.sub(b"", raw).decode("utf-8", "replace")

    def wait_for(self, pattern: str, mark: int, timeout: float = 20.0) -> float:
        """Wait for ``pattern`` (regex) in the output after ``mark``; return when it arrived."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                chunks = self.chunks[mark:]
            text = b""
            for arrived, data in chunks:
                text += data
                if regex.search(ANSI.sub(b"", text).decode("utf-8", "replace")):
                    return arrived
            time.sleep(0.002)
        raise TimeoutError(f"{pattern!r} not seen; got: {self.text_since(mark)[-400:]!r}")

    def settle(self, quiet: float = 0.3) -> None:
        """Wait until the app has been silent for ``quiet`` seconds."""
        while True:
            with self._lock:
                last = self.chunks[-1][0] if self.chunks else self.started
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(0.01)

    def key_to_repaint(self, key: bytes) -> float:
        """Seconds from writing ``key`` to the last byte of the repaint burst it causes."""
        self.settle(0.12)
        mark = self.mark()
        sent = time.perf_counter()
        os.write(self.fd, key)
        while True:
            with self._lock:
                chunks = self.chunks[mark:]
            if chunks and time.perf_counter() - chunks[-1][0] >= QUIET:
                return chunks[-1][0] - sent
            if time.perf_counter() - sent > 5:
                raise TimeoutError(f"no repaint after {key!r}")
            time.sleep(0.001)

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM) in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def quit(self) -> None:
        """Press q and reap the process."""
        os.write(self.fd, b"q")
        for _ in range(100):
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def run_pty(db: Path, width: int, height: int, presses: int) -> dict[str, float]:
    """Launch, switch to Tasks, walk with j/k, scroll to the end; return the timings."""
    results: dict[str, float] = {}
    launches = []
    for _ in range(LAUNCHES):
        app = PtyApp(db, width, height)
        launches.append(app.wait_for(r"Overdue \(\d+\)", 0) - app.started)
        app.settle()
        app.quit()
    results["launch_to_today_median_s"] = statistics.median(launches)
    results["launch_to_today_min_s"] = min(launches)
    app = PtyApp(db, width, height)
    try:
        app.wait_for(r"Overdue \(\d+\)", 0)
        app.settle()
        today_keys = [app.key_to_repaint(b"jk"[i % 2 : i % 2 + 1]) for i in range(presses)]
        results["today_jk_median_ms"] = statistics.median(today_keys) * 1000
        results["today_jk_p90_ms"] = statistics.quantiles(today_keys, n=10)[-1] * 1000
        mark = app.mark()
        sent = time.perf_counter()
        os.write(app.fd, b"2")
        results["key2_to_tasks_s"] = app.wait_for(r"[\d,]+ tasks", mark) - sent
        app.settle()
        task_keys = [app.key_to_repaint(b"jk"[i % 2 : i % 2 + 1]) for i in range(presses)]
        results["tasks_jk_median_ms"] = statistics.median(task_keys) * 1000
        results["tasks_jk_p90_ms"] = statistics.quantiles(task_keys, n=10)[-1] * 1000
        results["tasks_end_key_ms"] = app.key_to_repaint(b"G") * 1000
        app.settle()
        results["peak_rss_mb"] = app.peak_rss_mb()
    finally:
        app.quit()
    return results


# --- in-process harness --------------------------------------------------------------------


async def run_in_process(db: Path, width: int, height: int, presses: int) -> dict[str, float]:
    """Key (as the driver posts it) to the first frame showing its effect."""
    from textual import events
    from textual.worker import WorkerCancelled

    from itpm_tui.cli import make_app
    from itpm_tui.config import Settings
    from itpm_tui.domain.workflow import next_status
    from itpm_tui.widgets.today_tasks import TodayTasks

    store = Store(db, user=USER, clock=FixedClock(TODAY))
    settings = Settings(
        db_path=db, db_is_default=False, user=USER, today=TODAY, theme="textual-dark"
    )
    app = make_app(settings, store)
    watch: list[Callable[[], bool]] = []
    seen: list[float] = []
    display = app._display

    def hooked(screen: Any, renderable: Any) -> None:
        """Note the time of the first frame drawn after the watched change happened."""
        if renderable is not None and watch and watch[0]():
            seen.append(time.perf_counter())
            watch.clear()
        display(screen, renderable)

    app._display = hooked  # type: ignore[method-assign]

    async def until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("condition not met")
            await asyncio.sleep(0.0005)

    async def key_to_frame(key: str, changed: Callable[[], bool]) -> float:
        seen.clear()
        watch[:] = [changed]
        sent = time.perf_counter()
        app.post_message(events.Key(key, key))
        await until(lambda: bool(seen))
        return seen[0] - sent

    results: dict[str, float] = {}
    async with app.run_test(size=(width, height)) as pilot:
        view = app.screen.query_one(TodayTasks)
        await until(lambda: bool(view.tasks), timeout=20)
        await pilot.pause(0.3)
        moves: list[float] = []
        for i in range(presses):

            def moved(before: int = view.cursor) -> bool:
                return view.cursor != before

            moves.append(await key_to_frame("jk"[i % 2], moved))
            await pilot.pause(0.02)
        results["today_jk_median_ms"] = statistics.median(moves) * 1000
        view.action_first()
        await pilot.pause(0.2)
        changes: list[float] = []
        for _ in range(min(presses, 40)):
            task = view.cursor_task
            assert task is not None
            expected = next_status(task.status)
            if expected is Status.BLOCKED:  # that asks why first: time plain changes only
                await pilot.press("j")
                await pilot.pause(0.05)
                continue

            def shown(task_id: int = task.id, want: Status = expected) -> bool:
                found = next((t for t in view.tasks if t.id == task_id), None)
                return (
                    found is None if want is Status.DONE else bool(found and found.status is want)
                )

            changes.append(await key_to_frame("s", shown))
            with contextlib.suppress(WorkerCancelled):  # a reload replaced by a newer one
                await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        results["today_status_change_median_ms"] = statistics.median(changes) * 1000
    store.close()
    return results


def main() -> None:
    """Build the database, run both harnesses, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument("--size", default="80x24", help="terminal size, e.g. 120x40")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        source = build_db(db, args.tasks)
        print(
            f"database: {args.tasks:,} tasks from {source} in {time.perf_counter() - started:.1f} s"
        )
        pty_results = run_pty(db, width, height, args.presses)
        db_copy = Path(tmp) / "bench2.db"
        build_db(db_copy, args.tasks)  # the status changes must not touch the pty data
        in_process = asyncio.run(run_in_process(db_copy, width, height, args.presses))
    print(f"terminal {width}x{height}, {args.presses} presses")
    print("real app in a pty:")
    for name, value in pty_results.items():
        print(f"  {name:<32} {value:10.3f}")
    print("in-process (key event to first frame with the change):")
    for name, value in in_process.items():
        print(f"  {name:<32} {value:10.3f}")


if __name__ == "__main__":
    main()
