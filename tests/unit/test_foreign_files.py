"""Only init, demo and import set up a file, and only one without tables: every other
command refuses another program's SQLite file, an empty file or a half schema, unchanged.

Most of these are about SQLite files (``sqlite_only``); PostgreSQL's own cases (another
program's tables, no such database, a newer schema) are in test_pg_backend. A schema that
lost a table is refused the same way on both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import NotADatabase
from itpm_tui.store import Store
from itpm_tui.store.schema import SCHEMA_VERSION
from tests.conftest import TODAY, Cli, connect
from tests.unit.test_store_errors import _one_error_line


def _other_programs_file(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.close()
    return path.read_bytes()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("list",), ("add", "x"), ("init",), ("demo",),
                                     ("person", "list"), ("export",)])  # fmt: skip
def test_another_programs_sqlite_file_is_refused_and_untouched(
    run_without_db: Cli, command: tuple[str, ...]
) -> None:
    before = _other_programs_file(run_without_db.db_path)
    line = _one_error_line(run_without_db(*command, ok=False))
    assert line == (
        f"Error: {run_without_db.db_path} is not an itpm-tui database: it has tables notes. "
        "Nothing was changed; check --db / ITPM_DB."
    )
    assert run_without_db.db_path.read_bytes() == before  # not switched to WAL, no tables
    assert not Path(f"{run_without_db.db_path}-wal").exists()


@pytest.mark.sqlite_only
def test_a_zero_byte_file_is_not_set_up_by_list(run_without_db: Cli) -> None:
    run_without_db.db_path.touch()
    line = _one_error_line(run_without_db("list", ok=False))
    assert "is empty (0 bytes): it is not an itpm-tui database" in line
    assert f"itpm-tui --db {run_without_db.db_path} init" in line
    assert run_without_db.db_path.stat().st_size == 0
    run_without_db("init")  # asked for: an empty file becomes a new database
    assert run_without_db("list").stdout.strip() == "no tasks"


@pytest.mark.sqlite_only
def test_schema_version_set_but_tables_missing_is_a_clear_error(run_without_db: Cli) -> None:
    conn = sqlite3.connect(run_without_db.db_path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    for command in (("list",), ("init",)):
        line = _one_error_line(run_without_db(*command, ok=False))
        assert "says it is itpm-tui schema 1 but lacks the tables audit, cost_entries" in line


def test_our_tables_with_schema_version_zero_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Store(path, user="pm", clock=FixedClock(TODAY)).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    with pytest.raises(NotADatabase, match="is not an itpm-tui database: it has tables audit"):
        Store(path, user="pm", clock=FixedClock(TODAY))


@pytest.mark.sqlite_only
def test_a_missing_explicit_file_is_still_created_only_by_init(run_without_db: Cli) -> None:
    assert "does not exist" in _one_error_line(run_without_db("list", ok=False))
    run_without_db("init")
    run_without_db("add", "first")


@pytest.mark.sqlite_only
def test_doctor_names_another_programs_tables(run_without_db: Cli) -> None:
    _other_programs_file(run_without_db.db_path)
    result = run_without_db("doctor", ok=False)
    assert result.exit_code == 1
    assert "Error: not an itpm-tui database: it has tables notes" in result.stderr


def test_a_schema_that_lost_a_table_is_refused_and_doctor_names_it(run: Cli) -> None:
    with connect(run.db_path) as conn:
        conn.execute("DROP TABLE parking_lot")
    for command in (("list",), ("add", "x")):
        line = _one_error_line(run(*command, ok=False))
        assert f"says it is itpm-tui schema {SCHEMA_VERSION} but lacks the tables parking_lot" in (
            line)  # fmt: skip
    result = run("doctor", ok=False)
    assert f"Error: schema {SCHEMA_VERSION} but the tables parking_lot are missing" in result.stderr
    with connect(run.db_path) as conn:
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
