"""A file with a damaged page in the middle: writes are refused with a clear sentence (so
the damage does not spread) and doctor explains how to recover."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli


@pytest.fixture
def damaged(tmp_path: Path) -> Cli:
    """A real database of 3,000 tasks with one page in the middle overwritten."""
    path = tmp_path / "itpm.db"
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    for n in range(3000):
        store.tasks.add(Task(title=f"Task {n}", notes="n" * 200))
    store.close()
    conn = sqlite3.connect(path)
    page_size, pages = (
        conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count")
    )
    conn.close()
    with path.open("r+b") as handle:
        handle.seek(page_size * (pages // 2) + 8)  # keep the page type, scramble the cells
        handle.write(bytes(range(256)) * (page_size // 256 - 1))
    return Cli(path)


def _error(result: object) -> str:
    from click.testing import Result

    assert isinstance(result, Result)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [("set", "1", "--status", "doing"), ("add", "more"),
                                     ("done", "2")])  # fmt: skip
def test_writes_to_a_damaged_file_are_refused(damaged: Cli, command: tuple[str, ...]) -> None:
    before = damaged.db_path.read_bytes()
    line = _error(damaged(*command, ok=False))
    assert f"{damaged.db_path} is damaged" in line and "Nothing was saved" in line
    assert "itpm-tui doctor" in line
    assert damaged.db_path.read_bytes() == before


def test_doctor_explains_recovery(damaged: Cli) -> None:
    result = damaged("doctor", ok=False)
    assert "integrity check failed" in result.stdout
    assert f"sqlite3 {damaged.db_path} .recover" in result.stdout


def test_the_check_ahead_of_the_first_write_finds_the_damage_and_it_stays_refused(
    damaged: Cli,
) -> None:
    """The app runs the first write's check once its first screen is up (prepare_writes);
    the damage it finds still refuses every later write, as the check at the write would."""
    from itpm_tui.errors import NotADatabase

    store = Store(damaged.db_path, user="pm", clock=FixedClock(TODAY))
    try:
        with pytest.raises(NotADatabase, match="is damaged"):
            store.db.prepare_writes()
        with pytest.raises(NotADatabase, match="Nothing was saved"):
            store.tasks.add(Task(title="one more"))
    finally:
        store.close()


@pytest.mark.sqlite_only
def test_a_sound_file_is_checked_once_ahead_of_its_first_write(db_path: Path) -> None:
    store = Store(db_path, user="pm", clock=FixedClock(TODAY))
    try:
        store.db.prepare_writes()
        checks: list[str] = []
        store.db.conn.set_trace_callback(checks.append)  # type: ignore[attr-defined]
        store.tasks.add(Task(title="first"))
        assert not [sql for sql in checks if "quick_check" in sql]
    finally:
        store.close()
