"""Other OS users (real ones, run with setpriv): a read-only reader sees every change, and
an outsider gets one clear sentence, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Task
from itpm_tui.store import Store
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
SITE = next(p for p in sys.path if p.endswith("site-packages"))
SYSTEM_PYTHON = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def _can_run_as_nobody() -> bool:
    if os.geteuid() != 0 or not shutil.which("setpriv") or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([*AS_NOBODY, SYSTEM_PYTHON, "-c", "import itpm_tui.store"],
                           env=_env(), capture_output=True, check=False)  # fmt: skip
    return probe.returncode == 0


def _env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": f"{SITE}:{ROOT}",
            "ITPM_USER": "viewer", "ITPM_TODAY": TODAY.isoformat(),
            "XDG_CONFIG_HOME": "/nonexistent", "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip


pytestmark = pytest.mark.skipif(
    not _can_run_as_nobody(),
    reason="needs root, setpriv and the system Python to run as user nobody",
)

WATCH = """
import sys
from pathlib import Path
from itpm_tui.clock import FixedClock
from itpm_tui.store import Store
from datetime import date
store = Store(Path(sys.argv[1]), user="viewer", clock=FixedClock(date(2026, 11, 23)),
              create=False)
print(store.db.readonly, store.change_token(), store.tasks.count(), flush=True)
sys.stdin.readline()
print(store.db.readonly, store.change_token(), store.tasks.count(), flush=True)
"""


def _as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AS_NOBODY, SYSTEM_PYTHON, "-m", "itpm_tui", *args], env=_env(),
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder other users can look into (pytest's own tmp_path is closed to them)."""
    path = Path(tempfile.mkdtemp(prefix="itpm-outsider-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def _database(folder: Path) -> Path:
    path = folder / "team.db"
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    store.tasks.add(Task(title="first"))
    store.close()  # the last connection removes -wal and -shm: nobody has it open now
    path.chmod(0o644)
    return path


def test_a_read_only_reader_sees_every_later_change(folder: Path) -> None:
    folder.chmod(0o1777)  # SQLite may create -shm here; the file itself stays read-only
    path = _database(folder)
    watcher = subprocess.Popen([*AS_NOBODY, SYSTEM_PYTHON, "-c", WATCH, str(path)],
                               env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert watcher.stdout is not None and watcher.stdin is not None
    readonly, token, count = watcher.stdout.readline().split()
    assert (readonly, count) == ("True", "1")
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    for n in range(20):
        store.tasks.add(Task(title=f"change {n}"))
    watcher.stdin.write("\n")
    watcher.stdin.flush()
    after = watcher.stdout.readline().split()
    watcher.wait(timeout=30)
    store.close()
    assert after[2] == "21", watcher.stderr.read() if watcher.stderr else ""
    assert after[1] != token


def test_a_wal_file_nobody_has_open_in_a_closed_folder_says_why(folder: Path) -> None:
    path = _database(folder)
    result = _as_nobody("--db", str(path), "list")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"Error: cannot read {path} read-only: nobody has it open right now, so SQLite would "
        f"have to create team.db-shm beside it, and the folder {folder} is read-only for "
        f"you. Ask for write access to {folder} (the "
        "team's group), or open it while a colleague has itpm-tui running on it.\n"
    )


def test_while_a_colleague_has_it_open_a_read_only_user_can_list(folder: Path) -> None:
    path = _database(folder)
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    store.tasks.add(Task(title="second"))  # -wal and -shm exist (0644, copied from the file)
    result = _as_nobody("--db", str(path), "list")
    store.close()
    assert result.returncode == 0, result.stderr
    assert "first" in result.stdout and "second" in result.stdout


@pytest.mark.parametrize("closed", ["file", "folder"])
def test_an_outsider_gets_one_line(folder: Path, closed: str) -> None:
    path = _database(folder)
    (path if closed == "file" else folder).chmod(0o600 if closed == "file" else 0o700)
    for command in (("list",), ("add", "x"), ("doctor",)):
        result = _as_nobody("--db", str(path), *command)
        assert result.returncode == 1, result
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert "permission" in lines[0].lower() or "not readable" in lines[0], lines[0]
