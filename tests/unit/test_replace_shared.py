"""Replacing ALL data of a group-shared file: the name typed back, a backup first, a log row.

Real files, real processes (the CLI as users run it), and a real pty for the prompt.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import select
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY


def itpm(db: Path, *args: str, user: str = "alice") -> subprocess.CompletedProcess[str]:
    """Run the CLI in its own process, stdin not a terminal (a script, cron, a pipe)."""
    env = os.environ | {"ITPM_USER": user, "ITPM_TODAY": TODAY.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), *args], env=env,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        found = [tuple(r) for r in conn.execute(sql).fetchall()]
    conn.close()
    return found


def _backups(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f"{db.name}.bak-*"))


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A shared team file (as ``init --shared`` makes it) holding one task of bob's."""
    db = tmp_path / "team" / "team.db"
    assert itpm(db, "init", "--shared", str(db)).returncode == 0
    assert itpm(db, "add", "Bob's only copy of the plan", user="bob").returncode == 0
    return db


def _titles(db: Path) -> list[str]:
    return [r[0] for r in _rows(db, "SELECT title FROM tasks")]


def test_demo_force_on_a_shared_file_without_a_terminal_or_flag_is_refused(shared: Path) -> None:
    result = itpm(shared, "demo", "--force")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "--yes-replace-all-data team.db" in result.stderr
    assert _titles(shared) == ["Bob's only copy of the plan"]
    assert _backups(shared) == []


def test_import_replace_on_a_shared_file_naming_another_file_is_refused(
    shared: Path, tmp_path: Path
) -> None:
    export = tmp_path / "other.json"
    assert itpm(tmp_path / "other.db", "demo").returncode == 0
    assert itpm(tmp_path / "other.db", "export", "-o", str(export)).returncode == 0
    result = itpm(shared, "import", "--replace", str(export), "--yes-replace-all-data", "x.db")
    assert result.returncode == 1 and result.stderr.startswith("Error: ")
    assert _titles(shared) == ["Bob's only copy of the plan"]
    assert _backups(shared) == []


def test_demo_force_with_the_files_name_backs_up_first_and_logs_who_did_it(
    shared: Path,
) -> None:
    group = grp.getgrnam("adm").gr_gid  # the team's group (root may give the file any)
    os.chown(shared, -1, group)
    result = itpm(shared, "demo", "--force", "--yes-replace-all-data", "team.db")
    assert result.returncode == 0, result.stderr
    assert "Bob's only copy of the plan" not in _titles(shared)
    (backup,) = _backups(shared)
    assert backup.name.startswith("team.db.bak-") and len(backup.name) == len(
        "team.db.bak-20261123-093000"
    )
    assert str(backup) in result.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o660
    assert backup.stat().st_gid == group
    assert _titles(backup) == ["Bob's only copy of the plan"]  # a real, readable database
    me = pwd.getpwuid(os.getuid()).pw_name
    logged = _rows(shared, "SELECT who, os_user, entity, field, new FROM audit "
                           "WHERE entity = 'database'")  # fmt: skip
    assert logged == [("alice", me, "database", "replaced.by-demo", backup.name)]
    shown = itpm(shared, "log", "--limit", "1").stdout
    assert backup.name in shown and f"alice (OS: {me})" in shown


def _run_in_pty(db: Path, args: list[str], answer: bytes) -> tuple[int, bytes]:
    """Run the CLI on a terminal, answer its prompt, return exit status and what it printed."""
    master, slave = os.openpty()
    env = os.environ | {"ITPM_USER": "alice", "ITPM_TODAY": TODAY.isoformat()}
    process = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), *args], env=env,
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 30
    answered = False
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the process ended and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"to replace ALL its data" in seen:
            os.write(master, answer + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
        assert time.monotonic() < deadline, seen
    os.close(master)
    return process.wait(10), seen


def test_import_replace_on_a_shared_file_asks_for_its_name_at_a_terminal(
    shared: Path, tmp_path: Path
) -> None:
    export = tmp_path / "other.json"
    assert itpm(tmp_path / "other.db", "demo").returncode == 0
    assert itpm(tmp_path / "other.db", "export", "-o", str(export)).returncode == 0

    code, seen = _run_in_pty(shared, ["import", "--replace", str(export)], b"yes")
    assert code == 1 and b"did not match" in seen, seen
    assert _titles(shared) == ["Bob's only copy of the plan"]
    assert _backups(shared) == []

    code, seen = _run_in_pty(shared, ["import", "--replace", str(export)], b"team.db")
    assert code == 0, seen
    assert "Bob's only copy of the plan" not in _titles(shared)
    (backup,) = _backups(shared)
    assert _titles(backup) == ["Bob's only copy of the plan"]
    logged = _rows(shared, "SELECT who, field, new FROM audit WHERE entity = 'database'")
    assert logged == [("alice", "replaced.by-import", backup.name)]


def test_a_personal_file_is_replaced_as_before_without_questions(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    assert itpm(db, "init").returncode == 0
    assert itpm(db, "add", "my note").returncode == 0
    os.chmod(db, 0o600)
    result = itpm(db, "demo", "--force")
    assert result.returncode == 0, result.stderr
    assert "my note" not in _titles(db)
    assert _backups(db) == []
    assert json.loads(itpm(db, "list", "--json").stdout)
