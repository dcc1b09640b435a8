"""``backup now``: a consistent, whole copy while other processes write; one Error line else."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Task
from itpm_tui.store import Store
from itpm_tui.store.backup import online_backup
from tests.conftest import TODAY, Cli
from tests.unit.store_worker import ROOT, release, spawn, wait_ready
from tests.unit.test_disk_errors import _can_mount_tmpfs


def _store(path: Path) -> Store:
    return Store(path, user="pm", clock=FixedClock(TODAY))


def _seed(path: Path, n: int) -> None:
    store = _store(path)
    for i in range(n):
        store.tasks.add(Task(title=f"task {i}", remaining_hours=100.0))
    store.close()


def _check_consistent(copy: Path, batch_tasks: int) -> tuple[int, str]:
    """Integrity, and the copy is one moment: every commit in it whole, none in part.

    Each store write commits a task row with its audit rows, so a task's version is its
    newest audit row's; the batch worker rewrites the first ``batch_tasks`` tasks in one
    transaction each time, so they all carry the same batch. Returns the task count and
    that batch.
    """
    conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        torn = conn.execute(
            "SELECT count(*) FROM tasks t WHERE t.version IS NOT (SELECT max(version) FROM "
            "audit a WHERE a.entity = 'task' AND a.entity_id = t.id)"
        ).fetchone()[0]
        assert torn == 0
        created = conn.execute(
            "SELECT count(*) FROM audit WHERE entity = 'task' AND field = 'created'"
        ).fetchone()[0]
        tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        assert created == tasks
        batches = conn.execute(
            "SELECT DISTINCT waiting_on FROM tasks WHERE id <= ?", (batch_tasks,)
        ).fetchall()
        assert len(batches) == 1, batches
        return int(tasks), str(batches[0][0])
    finally:
        conn.close()


def _itpm(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"ITPM_USER": "pm", "ITPM_TODAY": TODAY.isoformat(),
                        "PYTHONPATH": str(ROOT)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), *args], env=env, cwd=ROOT,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_a_backup_taken_while_processes_write_is_whole_and_one_moment(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    _seed(db, 60)
    batcher = spawn("batches", str(db))
    writers = [spawn("writes", str(db), "--worker", str(n), "--count", "60",
                     "--tasks", "55,56,57,58,59,60") for n in (1, 2)]  # fmt: skip
    everyone = [batcher, *writers]
    try:
        for process in everyone:
            wait_ready(process)
        for process in everyone:
            release(process)
        assert batcher.stdout is not None
        assert batcher.stdout.readline().startswith("committed")  # writing has begun
        seen: list[tuple[int, str]] = []
        for n in range(3):
            copy = tmp_path / f"copy{n}.db"
            result = _itpm(db, "backup", "now", str(copy))
            assert result.returncode == 0, result.stderr
            assert "integrity ok" in result.stdout
            seen.append(_check_consistent(copy, 54))
            time.sleep(0.3)
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
            assert '"errors": []' in out
    finally:
        for process in everyone:
            if process.poll() is None:
                process.kill()
                process.communicate()
    counts = [tasks for tasks, _ in seen]
    assert counts == sorted(counts) and 60 <= counts[0] <= counts[-1] <= 120
    assert len({batch for _, batch in seen}) > 1  # the batches went on during the backups
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_the_copy_keeps_the_databases_mode_and_replaces_only_with_force(tmp_path: Path) -> None:
    db = tmp_path / "itpm.db"
    _seed(db, 3)
    os.chmod(db, 0o640)
    target = tmp_path / "copy.db"
    target.write_text("an older copy")
    run = Cli(db)
    refused = run("backup", "now", str(target), ok=False)
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {target} already exists; pass --force to replace it\n"
    assert target.read_text() == "an older copy"
    done = run("backup", "now", str(target), "--force")
    assert f"to {target}" in done.output and "integrity ok" in done.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [r.title for r in _store(target).tasks.find()] == ["task 0", "task 1", "task 2"]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_live_database_is_never_the_target_even_with_force(tmp_path: Path, suffix: str) -> None:
    db = tmp_path / "itpm.db"
    _seed(db, 1)
    store = _store(db)
    try:
        with pytest.raises(InvalidInput, match="is the live database"):
            online_backup(store.db, db.with_name(db.name + suffix), overwrite=True)
        link = tmp_path / "link.db"
        link.symlink_to(db)
        with pytest.raises(InvalidInput, match="is the live database"):
            online_backup(store.db, link, overwrite=True)
    finally:
        store.close()
    assert [t.title for t in _store(db).tasks.find()] == ["task 0"]


def test_a_missing_or_unwritable_folder_is_one_error_line(tmp_path: Path) -> None:
    db = tmp_path / "itpm.db"
    _seed(db, 1)
    run = Cli(db)
    missing = run("backup", "now", str(tmp_path / "nowhere" / "copy.db"), ok=False)
    assert missing.exit_code == 1
    assert missing.stderr == (f"Error: cannot write {tmp_path}/nowhere/copy.db: the folder "
                              f"{tmp_path}/nowhere does not exist\n")  # fmt: skip
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    if not os.access(folder, os.W_OK):
        locked = run("backup", "now", str(folder / "copy.db"), ok=False)
        assert locked.stderr == (f"Error: cannot write {folder}/copy.db: the folder {folder} "
                                 "is not writable\n")  # fmt: skip
        return
    if not _can_mount_tmpfs():
        pytest.skip("running as root without mount namespaces: every folder is writable")
    # Root ignores permissions, but not a read-only mount.
    script = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && '
              '"$2" -m itpm_tui --db "$3" backup now "$1/copy.db"; echo "exit $?"; ls -A "$1"')  # fmt: skip
    env = os.environ | {"ITPM_USER": "pm", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), sys.executable, str(db)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.stderr == (f"Error: cannot write {folder}/copy.db: the folder {folder} is "
                             "not writable\n")  # fmt: skip
    assert result.stdout == "exit 1\n"


@pytest.mark.skipif(not _can_mount_tmpfs(),
                    reason="needs root and a private mount namespace to mount a small tmpfs")  # fmt: skip
def test_a_full_disk_is_one_error_line_and_leaves_nothing(tmp_path: Path) -> None:
    """A 256 KB tmpfs cannot hold the copy of a ~1 MB database."""
    db = tmp_path / "itpm.db"
    store = _store(db)
    for i in range(400):
        store.tasks.add(Task(title=f"task {i}", notes="x" * 2000))
    store.close()
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        'mount -t tmpfs -o size=256k tmpfs "$1" && "$2" -m itpm_tui --db "$3" backup now '
        '"$1/copy.db"; echo "exit $?"; ls -A "$1"'
    )
    env = os.environ | {"ITPM_USER": "pm", "ITPM_TODAY": TODAY.isoformat(),
                        "PYTHONPATH": str(ROOT)}  # fmt: skip
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(disk), sys.executable, str(db)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert result.stderr == (f"Error: the disk holding {disk} is full: the backup was not "
                             "written. Free some space or back up to another disk.\n")  # fmt: skip
    assert result.stdout == "exit 1\n"  # and the folder is empty: no temporary file left
