"""Key and start-up figures of the real app as a terminal sees them, through tui_bench.

Runs the shared pty harness (``tui_bench.py``: a real pseudo-terminal, a VT screen model,
byte counts, CPU time and peak RSS per process) over the same generated data at each size
and prints, per scenario: start-up to the full Today screen, first visible change and
settled time per key (median, p90), bytes per key and peak RSS (VmHWM).

Scenarios (issue 17's table): ``today`` (start-up, then j/k on Today), ``tasks`` (j/k in
the Tasks table), ``switch`` (keys 2 3 4 5 1, twice: first visits, then visited screens),
``visited`` (the same keys after a first visit of each screen: what "a visited screen
shows at once" costs), ``status`` (``s`` on Today, the database restored before each
run), ``board`` (a card moved right and back, ``L`` ``H``, restored likewise);
``startup`` (one key, not run by default) is for many launches.

Run: ``python bench/bench_keys.py [--tasks demo,10000,100000] [--runs 3] [--size 80x24]``;
``--src DIR`` runs another checkout's code with this venv (before/after comparisons), and
several ``--src`` are interleaved scenario by scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import make_db  # noqa: E402

TODAY = date(2026, 11, 23)
HARNESS = Path(os.environ.get("TUI_BENCH", "/work/shared/tools/tui_bench.py"))
"""The shared pty harness; ``$TUI_BENCH`` points elsewhere."""
SCENARIOS: dict[str, dict[str, Any]] = {
    "startup": {"keys": ["j"], "repeat": 1},
    "today": {"keys": ["j", "k"], "repeat": 20},
    "tasks": {"keys": ["j", "k"], "repeat": 20, "setup": ["2"]},
    "switch": {"keys": ["2", "3", "4", "5", "1"], "repeat": 10},
    "visited": {"keys": ["2", "3", "4", "5", "1"], "repeat": 6, "setup": ["2", "3", "4", "5", "1"]},
    "status": {"keys": ["s"], "repeat": 8, "restore": True},
    "board": {"keys": ["L", "H"], "repeat": 8, "setup": ["3"], "restore": True},
}


def build(kind: str, folder: Path) -> Path:
    """The database for ``demo`` or a task count, built once into ``folder``."""
    path = folder / f"{kind}.db"
    if path.exists():
        return path
    if kind == "demo":
        env = os.environ | {"ITPM_TODAY": TODAY.isoformat(), "ITPM_USER": "pm"}
        subprocess.run([sys.executable, "-m", "itpm_tui", "--db", str(path), "demo", "--force"],
                       check=True, env=env, capture_output=True, cwd=ROOT)  # fmt: skip
    else:
        make_db(path, int(kind))
    return path


def run(src: Path, db: Path, scenario: str, size: str, runs: int) -> dict[str, Any]:
    """One harness run of one scenario; the harness's JSON summary."""
    spec = SCENARIOS[scenario]
    target = db
    before: list[str] = []
    if spec.get("restore"):
        target = db.with_name(db.stem + "-work.db")
        q = shlex.quote
        before = ["--before-each", f"rm -f {q(str(target))}-wal {q(str(target))}-shm; "
                  f"cp {q(str(db))} {q(str(target))}"]  # fmt: skip
    cmd = f"{shlex.quote(sys.executable)} -m itpm_tui --db {shlex.quote(str(target))}"
    args = [sys.executable, str(HARNESS), "--cmd", cmd, "--cwd", str(src), "--marker", "Overdue",
            "--env", f"ITPM_TODAY={TODAY.isoformat()}", "--env", "ITPM_USER=pm",
            "--env", f"ITPM_CONFIG={db.parent / 'none.toml'}", "--unset-env", "NO_COLOR",
            "--unset-env", "TEXTUAL_THEME", "--unset-env", "PYTHONDONTWRITEBYTECODE",
            "--size", size, "--runs", str(runs),
            "--warmup", "1", "--quit-key", "q", "--repeat", str(spec["repeat"]), *before]  # fmt: skip
    for key in spec["keys"]:
        args += ["--key", key]
    for key in spec.get("setup", []):
        args += ["--setup-key", key]
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def figures(result: dict[str, Any]) -> dict[str, float]:
    """The figures the issue quotes, from one harness summary."""

    def get(name: str, stat: str = "median") -> float:
        return float(result.get(name, {}).get(stat, float("nan")))

    return {
        "startup_ms": get("startup_ms"),
        "startup_max_ms": get("startup_ms", "max"),
        "startup_cpu_ms": get("cpu_startup_ms"),
        "startup_kb": get("startup_bytes") / 1024,
        "first_ms": get("key_latency_ms"),
        "first_p90_ms": get("key_latency_ms", "p90"),
        "settled_ms": get("key_settle_ms"),
        "settled_p90_ms": get("key_settle_ms", "p90"),
        "bytes_per_key": get("key_bytes"),
        "bytes_p90": get("key_bytes", "p90"),
        "cpu_ms_per_key": get("cpu_ms_per_key"),
        "peak_rss_mb": get("vmhwm_after_keys_kb") / 1024,
    }


def main() -> None:
    """Build the databases, run every scenario (interleaving sources), print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="demo,10000,100000", help="demo and/or task counts")
    parser.add_argument("--scenarios", default=",".join(s for s in SCENARIOS if s != "startup"))
    parser.add_argument("--runs", type=int, default=3, help="measured launches per scenario")
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--src", action="append", type=Path, help="checkout to run (repeatable)")
    parser.add_argument("--data", type=Path, help="folder to keep the databases in")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    sources = args.src or [ROOT]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows: list[dict[str, Any]] = []
        for kind in args.tasks.split(","):
            db = build(kind, folder)
            for scenario in args.scenarios.split(","):
                for src in sources:
                    result = run(src, db, scenario, args.size, args.runs)
                    row = {"data": kind, "scenario": scenario, "src": str(src)}
                    row |= figures(result)
                    rows.append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=1))
    columns = ["startup_ms", "startup_cpu_ms", "startup_kb", "first_ms", "first_p90_ms",
               "settled_ms", "settled_p90_ms", "bytes_per_key", "cpu_ms_per_key", "peak_rss_mb"]  # fmt: skip
    print(f"{'data':>7} {'scenario':<7} {'src':<12}" + "".join(f"{c[:12]:>13}" for c in columns))
    for row in rows:
        print(f"{row['data']:>7} {row['scenario']:<7} {Path(row['src']).name[:12]:<12}"
              + "".join(f"{row[c]:13.1f}" for c in columns))  # fmt: skip


if __name__ == "__main__":
    main()
