"""A full disk, a removed -wal file: one clear sentence, never a traceback, nothing half-saved."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import DatabaseError, ItpmError
from itpm_tui.models import Task
from itpm_tui.store import Store
from tests.conftest import TODAY


def _store(path: Path) -> Store:
    return Store(path, user="pm", clock=FixedClock(TODAY))


def _can_mount_tmpfs() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True, check=False)  # fmt: skip
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(),
                    reason="needs root and a private mount namespace to mount a small tmpfs")  # fmt: skip
def test_a_full_disk_is_one_error_line_and_nothing_saved(tmp_path: Path) -> None:
    """A 512 KB tmpfs holding the database, then filled to the last byte with a filler file."""
    seed = tmp_path / "seed.db"
    store = _store(seed)
    store.tasks.add(Task(title="kept"))
    store.close()
    mount = tmp_path / "disk"
    mount.mkdir()
    script = (
        'mount -t tmpfs -o size=512k tmpfs "$1" && cp "$2" "$1/itpm.db" && '
        '"$3" -m itpm_tui --db "$1/itpm.db" list >/dev/null && '
        'dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null; '
        '"$3" -m itpm_tui --db "$1/itpm.db" add "$4"; echo "exit $?"; '
        'rm "$1/filler" && "$3" -m itpm_tui --db "$1/itpm.db" list --all'
    )
    env = {**os.environ, "ITPM_USER": "pm", "ITPM_TODAY": TODAY.isoformat()}
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(mount), str(seed), sys.executable,
         "x" * 100_000],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: the disk holding ") and "is full" in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "exit 1" in result.stdout
    assert "kept" in result.stdout and "xxxx" not in result.stdout


def test_a_removed_wal_file_stops_writes_with_a_clear_sentence(tmp_path: Path) -> None:
    path = tmp_path / "itpm.db"
    store = _store(path)
    store.tasks.add(Task(title="before"))
    os.remove(f"{path}-wal")
    os.remove(f"{path}-shm")
    with pytest.raises(DatabaseError, match=r"itpm\.db-wal beside .* was removed while itpm-tui"):
        store.tasks.add(Task(title="lost to everyone else"))
    try:  # a second process meets the mismatched files: a sentence, not an sqlite3 error
        _store(path).close()
    except ItpmError as err:
        assert "disk I/O error" in str(err)
    store.close()  # its checkpoint still writes what the unlinked WAL held
    assert [t.title for t in _store(path).tasks.find()] == ["before"]


def test_cli_after_the_wal_was_removed_says_so(tmp_path: Path) -> None:
    path = tmp_path / "itpm.db"
    store = _store(path)
    store.tasks.add(Task(title="before"))
    os.remove(f"{path}-wal")
    env = {**os.environ, "ITPM_DB": str(path), "ITPM_USER": "pm", "ITPM_TODAY": TODAY.isoformat()}
    result = subprocess.run([sys.executable, "-m", "itpm_tui", "add", "x"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    store.close()
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)
    if result.returncode == 1:
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
