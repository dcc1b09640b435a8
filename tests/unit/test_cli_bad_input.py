"""Every command with bad input, given the arguments a terminal's bytes become: one `Error:`
line on stderr, exit status 1, never a traceback, and the database unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner

from itpm_tui.cli import cli
from itpm_tui.clock import FixedClock
from itpm_tui.models import Milestone, Person, Project, Task
from itpm_tui.store import Store
from itpm_tui.store.transfer import export_text
from tests.conftest import TODAY, connect, on_postgresql, pg_schema

LATIN1 = b"Caf\xe9"
"""Not UTF-8: what a Latin-1 terminal sends for 'Café'."""
BAD_DATES = [b"31/13/2026", b"+99999999999d", b"-99999999999wd", b"+999999m", b"9999-12-32",
             LATIN1, b"\x1b[2J", b"\xff"]  # fmt: skip
BAD_MONEY = [b"1,5", b"1e999999", b"-1", b"NaN", b"Infinity", b"1" * 40, b"0x10", b"1.234",
             LATIN1]  # fmt: skip
BAD_HOURS = [b"1e400", b"inf", b"nan", b"-1", b"9" * 400, b"1e6", LATIN1]
BAD_IDS = [b"-1", b"0", b"99999999999999999999999", b"abc", "\u00b2".encode(), b"1e3", LATIN1]
BAD_INTS = [b"0", b"99999999999999999999999", "\u00b2".encode(), b"-5", LATIN1]
TEXT_OPTIONS = {  # command words -> its free-text options
    (b"add", b"T"): [b"--notes", b"--assignee", b"--project", b"--milestone"],
    (b"set", b"1"): [b"--notes", b"--blocked-reason", b"--waiting-on", b"--title"],
    (b"list",): [b"--search", b"--project", b"--assignee", b"--sort"],
    (b"standup", b"note"): [b"--yesterday", b"--today", b"--blockers", b"--person"],
    (b"cost", b"add", b"NET", b"10"): [b"--note", b"--category"],
    (b"person", b"add", b"carol"): [b"--name", b"--team"],
    (b"person", b"set", b"bob"): [b"--name", b"--team"],
    (b"project", b"set", b"NET"): [b"--name", b"--currency", b"--workdays"],
    (b"milestone", b"set", b"1"): [b"--name"],
    (b"health",): [b"--project"],
}


def _cases() -> list[list[bytes]]:
    cases: list[list[bytes]] = []
    for command, options in TEXT_OPTIONS.items():
        cases += [[*command, option, LATIN1] for option in options]
    cases += [[b"add", LATIN1], [b"person", b"add", LATIN1], [b"project", b"add", LATIN1, b"X"],
              [b"project", b"add", b"ABC", LATIN1], [b"milestone", b"add", b"NET", LATIN1,
              b"--baseline", b"today"], [b"show", LATIN1], [b"import", LATIN1]]  # fmt: skip
    for value in BAD_DATES:
        cases += [[b"add", b"T", b"--due", value], [b"set", b"1", b"--snooze", value],
                  [b"add", b"T", b"--start", value],
                  [b"health", b"--as-of", value], [b"standup", b"export", b"--date", value],
                  [b"milestone", b"set", b"1", b"--forecast", value],
                  [b"project", b"set", b"NET", b"--holiday", value],
                  [b"cost", b"add", b"NET", b"5", b"--date", value]]  # fmt: skip
    for value in BAD_MONEY:
        cases += [[b"cost", b"add", b"NET", value], [b"add", b"T", b"--planned-cost", value],
                  [b"project", b"set", b"NET", b"--bac", value]]  # fmt: skip
    for value in BAD_HOURS:
        cases += [[b"add", b"T", b"--estimate", value], [b"set", b"1", b"--remaining", value],
                  [b"project", b"set", b"NET", b"--hours-per-day", value],
                  *([[b"project", b"set", b"NET", b"--threshold", b"cpi_green=" + value]]
                    if value != b"1e6" else [])]  # fmt: skip
    for value in BAD_IDS:
        cases += [[b"set", value, b"--title", b"x"], [b"show", value], [b"done", value],
                  [b"log", value], [b"milestone", b"set", value, b"--name", b"x"],
                  [b"add", b"T", b"--milestone", value]]  # fmt: skip
    for value in BAD_INTS:
        cases += [
            [b"add", b"T", b"--priority", value],
            [b"list", b"--limit", value],
            [b"log", b"--limit", value],
            [b"standup", b"list", b"--limit", value],
        ]
        if value != b"0":  # no progress is fine
            cases.append([b"set", b"1", b"--progress", value])
        if value not in (b"0", b"99999999999999999999999"):  # 0 days, or never, are fine
            cases.append([b"project", b"set", b"NET", b"--threshold", b"stale_days=" + value])
    cases += [
        [b"--db", b"/nonexistent/" + LATIN1 + b".db", b"list"],  # file names may be any bytes
        [b"list", b"--status", LATIN1],
        [b"set", b"1", b"--progress", b"101"],
        [b"list", b"--sort", b"nonsense"],
        [b"set", b"1", b"--status", b"someday"],
        [b"add", b"T", b"--assignee", b"nobody-here"],
        [b"add", b"T", b"--project", b"NOPE"],
        [b"add", b"   "],
        [b"add", b"x" * 600],
        [b"person", b"add", b"a b"],
        [b"project", b"add", b"1X", b"Name"],
        [b"project", b"set", b"NET", b"--workdays", b"0-9"],
        [b"project", b"set", b"NET", b"--currency", b"euro"],
        [b"standup", b"export", b"--format", b"pdf"],
        [b"--user", b"a b", b"list"],
    ]
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def database(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """A small database the whole table runs against: a file, or a PostgreSQL schema."""
    with ExitStack() as cleanup:
        if on_postgresql(request.config):
            path = cast(Path, cleanup.enter_context(pg_schema()))
        else:
            path = tmp_path_factory.mktemp("bad-input") / "itpm.db"
        store = Store(path, user="pm", clock=FixedClock(TODAY))
        store.people.save(Person(login="bob"))
        net = store.projects.add(Project(key="NET", name="Network"))
        store.milestones.add(Milestone(project_id=net.id, name="Go", baseline=TODAY,
                                       forecast=TODAY))  # fmt: skip
        store.tasks.add(Task(title="First", project_id=net.id))
        store.close()
        yield path


REAL_PROCESS_CASES = [
    [b"add", b"T", b"--notes", LATIN1],
    [b"add", LATIN1],
    [b"add", b"T", b"--due", b"\x1b[2J"],
    [b"set", b"1", b"--snooze", b"\xff"],
    [b"cost", b"add", b"NET", b"1,5"],
    [b"show", "\u00b2".encode()],
    [b"--db", b"/nonexistent/" + LATIN1 + b".db", b"list"],
    [b"--user", b"a b", b"list"],
]
"""A few cases that depend on how bytes reach Python, run as real processes with byte
arguments; the whole table runs in-process with the arguments decoded the same way."""


def _env(path: Path) -> dict[str, str]:
    return {"ITPM_DB": str(path), "ITPM_USER": "pm", "ITPM_TODAY": TODAY.isoformat(),
            "LC_ALL": "C.UTF-8"}  # fmt: skip


def _in_process(path: Path, args: list[bytes]) -> tuple[list[bytes], int, str]:
    """Run like ``python -m itpm_tui`` (``main`` calls the same ``cli``) but in this process:
    the table took ~70 s as one process per case, ~3 s this way.

    Python decodes a UTF-8 locale's argv as ``os.fsdecode`` does (undecodable bytes become
    lone surrogates), so the commands see exactly what a terminal's bytes would give them.
    """
    result = CliRunner().invoke(cli, [os.fsdecode(arg) for arg in args], env=_env(path),
                                prog_name="itpm-tui")  # fmt: skip
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return args, result.exit_code, stderr


def _real_process(path: Path, args: list[bytes]) -> tuple[list[bytes], int, str]:
    done = subprocess.run([sys.executable.encode(), b"-m", b"itpm_tui", *args],
                          env={**os.environ, **_env(path)}, capture_output=True, timeout=60,
                          check=False)  # fmt: skip
    return args, done.returncode, done.stderr.decode("utf-8", "replace")


def _export(database: Path) -> str:
    """The whole database as text, to compare before and after."""
    store = Store(database, user="pm", clock=FixedClock(TODAY))
    try:
        return export_text(store.db)
    finally:
        store.close()


def _not_one_error_line(results: list[tuple[list[bytes], int, str]]) -> list[str]:
    return [
        f"{b' '.join(args)!r}: exit {code}: {stderr.strip()[-300:]}"
        for args, code, stderr in results
        if code != 1
        or "Traceback" in stderr
        or len(stderr.splitlines()) != 1
        or not stderr.startswith("Error: ")
    ]


@pytest.mark.both_backends  # its module's own database, on either backend
def test_every_bad_input_is_one_error_line_and_changes_nothing(database: Path) -> None:
    before = _export(database)
    results = [_in_process(database, args) for args in CASES]
    bad = _not_one_error_line(results)
    assert not bad, f"{len(bad)} of {len(CASES)} bad inputs:\n" + "\n".join(bad)
    refused = {b" ".join(args): stderr for args, _, stderr in results}
    assert refused[b"cost add NET 1,5"].startswith("Error: amount '1,5': use a dot for decimals")
    assert _export(database) == before


@pytest.mark.both_backends
def test_bad_bytes_from_a_real_terminal_are_one_error_line_and_change_nothing(
    database: Path,
) -> None:
    before = _export(database)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda args: _real_process(database, args), REAL_PROCESS_CASES))
    bad = _not_one_error_line(results)
    assert not bad, f"{len(bad)} of {len(REAL_PROCESS_CASES)} bad inputs:\n" + "\n".join(bad)
    refused = {b" ".join(args): stderr for args, _, stderr in results}
    assert refused[b"add T --notes " + LATIN1] == (
        "Error: --notes: 'Caf\\xe9' is not UTF-8 text. Set your terminal to UTF-8 "
        "(e.g. LANG=C.UTF-8) and type it again.\n"
    )
    assert all("\x1b" not in stderr for _, _, stderr in results)
    assert _export(database) == before


def _missing(db: Path) -> Path:
    """A database nobody made: a file name, or a PostgreSQL database name, with a typo."""
    if isinstance(db, str):
        return cast(Path, db.replace("postgresql://", "postgresql:///no_such_db_itpm", 1))
    return db.with_name("typo.db")


def _foreign(db: Path) -> Path:
    """Another program's tables where the database should be."""
    with connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id BIGINT)")
    return db


def _newer(db: Path) -> Path:
    """A database a newer itpm-tui wrote (schema 999)."""
    Store(db, user="pm", clock=FixedClock(TODAY)).close()
    with connect(db) as conn:
        if isinstance(db, str):
            conn.execute("UPDATE itpm_schema SET version = 999")
        else:
            conn.execute("PRAGMA user_version = 999")
    return db


@pytest.mark.parametrize(
    ("make", "says"),
    [(_missing, ("does not exist", "createdb")), (_foreign, ("invoices",)),
     (_newer, ("newer itpm-tui", "schema 999"))],
    ids=["missing", "foreign", "newer"],
)  # fmt: skip
@pytest.mark.parametrize(
    "command", [[b"list"], [b"add", b"T"], [b"export"]], ids=["list", "add", "export"]
)
def test_a_database_that_is_not_ours_to_use_is_one_error_line_and_untouched(
    db_path: Path, make: Callable[[Path], Path], says: tuple[str, ...], command: list[bytes]
) -> None:
    target = make(db_path)
    before = _contents(target)
    _, code, stderr = _real_process(target, command)
    assert code == 1 and stderr.startswith("Error: ") and len(stderr.splitlines()) == 1, stderr
    assert any(word in stderr for word in says), stderr
    assert "Traceback" not in stderr and _contents(target) == before


def _contents(db: Path) -> object:
    """What is there, to compare before and after: the file's bytes, or the schema's tables
    and the version row (nothing to read when the database does not exist)."""
    if isinstance(db, str):
        try:
            with connect(db) as conn:
                tables = conn.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() ORDER BY 1"
                ).fetchall()
                return [tuple(row) for row in tables]
        except Exception:  # the missing database: nothing to compare
            return None
    return db.read_bytes() if db.exists() else None
