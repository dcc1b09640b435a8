"""init, init --shared, demo, export, import and doctor as an administrator would run them."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from itpm_tui.cli import cli
from itpm_tui.store import admin
from itpm_tui.store.schema import DERIVED_TABLES, SCHEMA_VERSION
from tests.conftest import Cli, connect


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _rows(path: Path) -> dict[str, int]:
    from itpm_tui.store.transfer import row_counts

    with connect(path) as conn:
        return row_counts(conn)


@pytest.fixture
def strict_umask() -> Iterator[None]:
    """A umask that strips group write, as many accounts have."""
    old = os.umask(0o077)
    yield
    os.umask(old)


# --- init ------------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_init_creates_a_private_database_with_the_schema(run: Cli) -> None:
    result = run("init")
    assert result.stdout == f"database ready: {run.db_path} (schema {SCHEMA_VERSION})\n"
    assert _mode(run.db_path) == 0o600
    assert _rows(run.db_path)["tasks"] == 0


def test_init_shared_makes_a_group_rw_file_and_setgid_dir_despite_the_umask(
    run: Cli, tmp_path: Path, strict_umask: None
) -> None:
    shared = tmp_path / "srv" / "itpm" / "team.db"
    result = run("init", "--shared", str(shared))
    assert result.stdout.startswith(f"created shared database {shared} (schema {SCHEMA_VERSION})")
    assert f"ITPM_DB={shared}" in result.stdout
    assert _mode(shared) == 0o660
    assert _mode(shared.parent) == 0o2770
    assert "chgrp TEAM" in result.stderr  # a new directory still needs the team's group
    # The -wal/-shm files SQLite adds when someone opens it copy the database's mode.
    conn = sqlite3.connect(shared)
    conn.execute("SELECT count(*) FROM tasks").fetchone()
    wal, shm = admin.companions(shared)
    assert (_mode(wal), _mode(shm)) == (0o660, 0o660)
    conn.close()


def test_init_shared_warns_when_the_directory_lacks_setgid(run: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir(mode=0o755)
    result = run("init", "--shared", str(folder / "team.db"))
    assert "lacks the setgid bit" in result.stderr
    assert f"chmod 2770 {folder}" in result.stderr
    assert result.stderr.startswith("Warning: ")


def test_init_shared_warns_on_a_network_filesystem(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin, "filesystem_type", lambda path: "nfs4")
    monkeypatch.setattr(admin, "is_network_filesystem", lambda path: True)
    result = run("init", "--shared", str(tmp_path / "nfs" / "team.db"))
    assert "network filesystem (nfs4)" in result.stderr
    assert "local disk" in result.stderr


def test_init_shared_on_an_existing_database_keeps_data_and_tightens_permissions(
    run: Cli, tmp_path: Path
) -> None:
    shared = tmp_path / "team.db"
    run("--db", str(shared), "init")
    run("--db", str(shared), "add", "keep me")
    os.chmod(shared, 0o666)
    result = run("init", "--shared", str(shared))
    assert result.stdout.startswith("checked existing shared database")
    assert _mode(shared) == 0o660
    assert _rows(shared)["tasks"] == 1


def test_init_shared_refuses_a_file_that_is_not_a_database(run: Cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes\n")
    result = run("init", "--shared", str(notes), ok=False)
    assert result.exit_code == 1
    assert "not an SQLite file" in result.stderr
    assert notes.read_text() == "my notes\n"


# --- demo ------------------------------------------------------------------------------------


def test_demo_reports_what_it_made_and_how_to_open_it(run: Cli) -> None:
    out = run("demo").stdout
    assert "with pm as project manager: 3 projects, 9 people, 164 tasks, 11 milestones" in out
    assert f"Open it: itpm-tui --db {run.db_path} --user pm" in out
    assert _rows(run.db_path)["tasks"] == 164


def test_demo_refuses_a_database_with_data(run: Cli) -> None:
    run("add", "real work")
    before = _rows(run.db_path)
    result = run("demo", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "demo --force" in result.stderr
    assert _rows(run.db_path) == before


def test_demo_force_replaces_data_in_place_keeping_file_and_mode(run: Cli, tmp_path: Path) -> None:
    shared = tmp_path / "team.db"
    run("init", "--shared", str(shared))
    run("--db", str(shared), "add", "old")
    inode = shared.stat().st_ino
    result = run("--db", str(shared), "demo", "--force", "--yes-replace-all-data", "team.db")
    # the task, its audit row and pm as a person (a new task is its author's)
    assert "(replaced 3 rows that were there before)" in result.stdout
    assert shared.stat().st_ino == inode
    assert _mode(shared) == 0o660
    titles = [t["title"] for t in json.loads(run("--db", str(shared), "list", "--json").stdout)]
    assert "old" not in titles
    with connect(shared) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM audit")


# --- export / import -------------------------------------------------------------------------


def test_export_to_file_and_import_round_trip_through_the_cli(run: Cli, tmp_path: Path) -> None:
    run("demo")
    exported = {t: n for t, n in _rows(run.db_path).items() if t not in DERIVED_TABLES}
    total = sum(exported.values())
    first = tmp_path / "backup.json"
    result = run("export", "--json", "--output", str(first))
    assert f"exported {total} rows of {len(exported)} tables" in result.stderr
    copy = tmp_path / "copy.db"
    out = run("--db", str(copy), "import", str(first)).stdout
    assert out == f"imported {total} rows of {len(exported)} tables into {copy}\n"
    assert _rows(copy) == _rows(run.db_path)
    second = run("--db", str(copy), "export").stdout
    assert second == first.read_text(encoding="utf-8")


def test_import_from_stdin(run: Cli, tmp_path: Path) -> None:
    run("add", "carried over")
    text = run("export").stdout
    copy = tmp_path / "copy.db"
    result = run.runner.invoke(cli, ["--db", str(copy), "import", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert _rows(copy)["tasks"] == 1


def test_import_into_a_database_with_data_needs_replace(run: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    run("add", "from the backup")
    run("export", "-o", str(backup))
    run("add", "added after the backup")
    before = _rows(run.db_path)
    result = run("import", str(backup), ok=False)
    assert result.exit_code == 1
    assert "use --replace" in result.stderr
    assert _rows(run.db_path) == before
    assert "previous data was replaced" in run("import", str(backup), "--replace").stdout
    titles = [t["title"] for t in json.loads(run("list", "--json").stdout)]
    assert titles == ["from the backup"]


@pytest.mark.sqlite_only
def test_a_bad_import_file_creates_no_database(run_without_db: Cli, tmp_path: Path) -> None:
    run = run_without_db
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "itpm-tui", "schema_version": 99, "tables": {}}')
    result = run("import", str(newer), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the file was exported by a newer itpm-tui")
    missing = run("import", str(tmp_path / "nope.json"), ok=False)
    assert (
        missing.stderr.strip()
        == f"Error: cannot read {tmp_path / 'nope.json'}: No such file or directory"
    )
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in run("import", str(binary), ok=False).stderr
    assert not run.db_path.exists()


def test_export_to_a_directory_is_refused_and_leaves_no_temp_file(run: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("export", "-o", str(folder), ok=False)
    assert result.exit_code == 1
    assert "is a directory" in result.stderr
    assert list(folder.iterdir()) == []


# --- doctor ----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_doctor_on_a_healthy_database(run: Cli) -> None:
    run("demo")
    report = json.loads(run("doctor", "--json").stdout)
    assert report["ok"] is True
    assert report["integrity"] == "ok"
    assert report["schema_version"] == report["app_schema_version"] == SCHEMA_VERSION
    assert report["journal_mode"] == "wal"
    assert report["counts"]["tasks"] == 164
    assert report["files"][0]["mode"] == "0600"
    assert report["network_filesystem"] is False
    assert report["readonly_reason"] == ""
    text = run("doctor").stdout
    assert "integrity     ok" in text
    assert "problems      none" in text


@pytest.mark.sqlite_only
def test_doctor_changes_nothing_and_creates_no_files(run: Cli) -> None:
    run("demo")
    files = sorted(p.name for p in run.db_path.parent.iterdir())
    data = run.db_path.read_bytes()
    run("doctor")
    assert sorted(p.name for p in run.db_path.parent.iterdir()) == files
    assert run.db_path.read_bytes() == data


@pytest.mark.sqlite_only
def test_doctor_fails_on_a_corrupt_database(run: Cli) -> None:
    run("demo")
    data = bytearray(run.db_path.read_bytes())
    data[8192:40960] = b"\x17" * (40960 - 8192)  # scribble over pages in the middle
    run.db_path.write_bytes(bytes(data))
    result = run("doctor", ok=False)
    assert result.exit_code == 1
    assert "integrity check failed" in result.stderr
    report = json.loads(run("doctor", "--json", ok=False).stdout)
    assert report["integrity_ok"] is False


@pytest.mark.sqlite_only
def test_doctor_fails_on_a_text_file_and_a_missing_file(run_without_db: Cli) -> None:
    run = run_without_db
    missing = run("doctor", ok=False)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: {run.db_path} does not exist"
    assert not run.db_path.exists()
    run.db_path.write_text("not a database\n")
    result = run("doctor", ok=False)
    assert result.exit_code == 1
    assert "not an SQLite file" in result.stderr


@pytest.mark.sqlite_only
def test_doctor_reports_a_newer_schema(run: Cli) -> None:
    run("init")
    with connect(run.db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    report = json.loads(run("doctor", "--json", ok=False).stdout)
    assert report["ok"] is False
    assert report["problems"] == [
        f"schema {SCHEMA_VERSION + 1} is newer than this itpm-tui reads ({SCHEMA_VERSION}); upgrade"
    ]
