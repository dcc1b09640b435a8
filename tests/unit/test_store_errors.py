"""Bad database files: each gives one clear sentence (never a traceback) and changes nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import NotADatabase, ReadOnlyDatabase, SchemaTooNew
from itpm_tui.models import Task
from itpm_tui.store import Store, db
from itpm_tui.store.schema import SCHEMA_VERSION
from tests.conftest import TODAY, Cli

pytestmark = pytest.mark.sqlite_only  # bad SQLite files; PostgreSQL's errors: test_pg_backend


def _open(path: Path) -> Store:
    return Store(path, user="pm", clock=FixedClock(TODAY))


@pytest.fixture
def filled(run: Cli) -> Cli:
    """A closed database file with a few tasks in it."""
    for title in ("Patch firewall", "Renew certificates", "Plan cut-over"):
        run("add", title)
    return run


def _one_error_line(result: object) -> str:
    from click.testing import Result

    assert isinstance(result, Result)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_a_missing_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "nested" / "itpm.db"
    store = _open(path)
    store.tasks.add(Task(title="first"))
    store.close()
    assert path.is_file()
    assert _open(path).tasks.get(1).title == "first"


def test_a_text_file_is_not_an_sqlite_file(run: Cli) -> None:
    run.db_path.write_text("shopping list: milk, eggs\n")
    with pytest.raises(NotADatabase, match="not an SQLite file"):
        _open(run.db_path)
    line = _one_error_line(run("list", ok=False))
    assert line == f"Error: {run.db_path} is not an itpm-tui database (not an SQLite file)."
    assert run.db_path.read_text() == "shopping list: milk, eggs\n"


def test_a_directory_in_place_of_the_file(run_without_db: Cli) -> None:
    run = run_without_db
    run.db_path.mkdir()
    assert _one_error_line(run("list", ok=False)) == f"Error: {run.db_path} is not a file."


def test_a_truncated_database_gets_a_clear_message(filled: Cli) -> None:
    filled("demo", "--force")
    data = filled.db_path.read_bytes()
    filled.db_path.write_bytes(data[: len(data) // 3])
    line = _one_error_line(filled("list", ok=False))
    assert "is damaged or not a database" in line
    assert "itpm-tui doctor" in line
    assert filled.db_path.read_bytes() == data[: len(data) // 3]


def test_garbage_after_a_valid_header_gets_a_clear_message(run: Cli) -> None:
    run.db_path.write_bytes(db.SQLITE_HEADER + bytes(range(256)) * 40)
    line = _one_error_line(run("add", "x", ok=False))
    assert "is damaged or not a database" in line


def test_a_scribbled_schema_page_gets_a_clear_message(filled: Cli) -> None:
    data = bytearray(filled.db_path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # page 1 holds the schema
    filled.db_path.write_bytes(bytes(data))
    line = _one_error_line(filled("list", ok=False))
    assert "damaged or not a database" in line


def test_a_newer_schema_is_refused_and_the_file_is_untouched(filled: Cli) -> None:
    with sqlite3.connect(filled.db_path) as conn:
        conn.execute("PRAGMA user_version = 42")
    conn.close()
    before = filled.db_path.read_bytes()
    with pytest.raises(SchemaTooNew):
        _open(filled.db_path)
    line = _one_error_line(filled("add", "x", ok=False))
    assert line == (
        f"Error: {filled.db_path} was written by a newer itpm-tui (schema 42; this version "
        f"reads up to {SCHEMA_VERSION}). Upgrade itpm-tui; nothing was changed."
    )
    _one_error_line(filled("list", ok=False))
    assert filled.db_path.read_bytes() == before


def test_locked_database_says_so_and_writes_nothing(
    filled: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(filled.db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        listed = filled("list", "--json")  # WAL: readers are not blocked by a writer
        assert listed.stdout.count('"title"') == 3
        line = _one_error_line(filled("add", "blocked by the lock", ok=False))
        assert "is locked by another process (waited over 0.15 s)" in line  # 3 x 50 ms
        assert "Nothing was saved" in line
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with sqlite3.connect(filled.db_path) as conn:
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 3


# --- read-only files -------------------------------------------------------------------------


def test_read_only_file_for_a_normal_user(filled: Cli) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions; see the read-only mount test")
    os.chmod(filled.db_path, 0o444)
    store = _open(filled.db_path)
    assert store.db.readonly_reason == f"{filled.db_path} is read-only for you"
    assert len(store.tasks.find()) == 3
    with pytest.raises(ReadOnlyDatabase, match="Not saved"):
        store.tasks.add(Task(title="x"))
    store.close()


def test_read_only_folder_for_a_normal_user(filled: Cli) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions; see the read-only mount test")
    os.chmod(filled.db_path.parent, 0o555)
    try:
        store = _open(filled.db_path)
        assert "read-only for you (SQLite needs to write beside it)" in store.db.readonly_reason
        assert len(store.tasks.find()) == 3
        store.close()
    finally:
        os.chmod(filled.db_path.parent, 0o755)


def _read_only_mount_works() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {folder} {folder}"],
            capture_output=True, check=False,
        )  # fmt: skip
    return probe.returncode == 0


@pytest.mark.skipif(
    not _read_only_mount_works(),
    reason="needs root with permission to make a private read-only bind mount (unshare -m)",
)
def test_read_only_mount_reads_but_refuses_writes(filled: Cli, tmp_path: Path) -> None:
    """As root, chmod does not stop writes: a read-only bind mount of the folder does."""
    folder = filled.db_path.parent
    before = filled.db_path.read_bytes()
    env = {**os.environ, "ITPM_DB": str(filled.db_path), "ITPM_USER": "pm",
           "ITPM_TODAY": TODAY.isoformat(), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}  # fmt: skip

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
        return subprocess.run(
            ["unshare", "-m", "sh", "-c", script, "sh", str(folder), sys.executable, "-m",
             "itpm_tui", *args],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip

    alone = cli("list")  # nobody has it open: no -shm, and it cannot be created here
    assert alone.returncode == 1
    assert alone.stderr.startswith(f"Error: cannot read {filled.db_path} read-only: nobody has")
    colleague = _open(filled.db_path)  # while someone has it open, -shm exists: reads work
    listed = cli("list")
    assert listed.returncode == 0, listed.stderr
    assert "Renew certificates" in listed.stdout
    added = cli("add", "not allowed")
    colleague.close()
    assert added.returncode == 1
    assert added.stderr == f"Error: Not saved: {filled.db_path} is read-only for you.\n"
    assert filled.db_path.read_bytes() == before
    assert not filled.db_path.with_name(filled.db_path.name + "-wal").exists()
