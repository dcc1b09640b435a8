"""The concurrency benchmark still runs (its --quick mode), so it does not rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_quick_concurrency_benchmark_runs_and_no_write_fails(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "bench/bench_concurrency.py", "--quick", "--json", str(out),
         "--dir", str(tmp_path / "dbs")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    [run] = json.loads(out.read_text())
    assert run["procs"] == 3
    assert run["writes_ok"] > 0
    assert run["writes_failed"] == 0, run["errors"]
    assert 0 < run["median_ms"] <= run["p99_ms"] <= run["max_ms"]
    assert run["wal_peak_mb"] > 0
    assert done.stdout.splitlines()[2].split()[:3] == ["3", str(run["writes_ok"]), "0"]
