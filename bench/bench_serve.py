"""Web view benchmark: ``itpm-tui serve --read-only`` in headless Chromium (Selenium).

Run: ``python bench/bench_serve.py [--reps 5]``. Needs Debian's chromium and
chromium-driver. On the demo database, each repetition opens a fresh page (so a fresh
itpm-tui process behind it) and times page request -> the Today screen on the terminal
(first paint), then switches to the Board and times another process's ``itpm-tui add``
(its exit, just after the commit) -> the frame that shows the new card arriving in the
browser (cross-process change latency). Medians and p90. The screen is read as
tests/web_session.py explains (the page's WebSocket frames replayed through pyte).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))

from tests.web_session import browser, missing, open_page, served  # noqa: E402

ENV = {"ITPM_USER": "pm", "ITPM_TODAY": "2026-11-23"}


def _itpm(db: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "itpm_tui", "--db", str(db), *args], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT), **ENV}, check=True,
                   capture_output=True, timeout=60)  # fmt: skip


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    """Measure and print medians and p90."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    if missing():
        sys.exit(f"cannot run: {missing()}")
    paints: list[float] = []
    changes: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        db = Path(tmp) / "demo.db"
        _itpm(db, "demo")
        with served(db, "--read-only", env=ENV) as url, browser() as driver:
            for rep in range(args.reps):
                started = time.time()
                page = open_page(driver, url)
                paints.append(page.wait_for("itpm-tui · Today") - started)
                page.press("3")
                page.wait_for("Stand-up board")
                title = f"Bench card {rep}"
                _itpm(db, "add", title, "--project", "NET", "--status", "done")
                committed = time.time()
                changes.append(page.wait_for(title, timeout=10) - committed)
                driver.get("about:blank")  # ends the session and its itpm-tui process
                time.sleep(0.5)
    for name, values in (("first paint", paints), ("change latency", changes)):
        print(f"{name:<15} median {statistics.median(values):.3f} s  p90 "
              f"{_pct(values, 0.9):.3f} s  (n={len(values)})")  # fmt: skip


if __name__ == "__main__":
    main()
