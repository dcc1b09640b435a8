"""Shared fixtures: a real database in a temp dir, a fixed clock, a CLI runner, a clean env."""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner, Result

from itpm_tui.clock import FixedClock
from itpm_tui.store import Store

TODAY = date(2026, 11, 23)
"""The fixed 'today' of the test suite (a Monday)."""

# Environment that changes rendering or settings must not leak in from the developer's shell.
for _name in ("NO_COLOR", "TEXTUAL_ANIMATIONS", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_THEME",
              "ITPM_DB", "ITPM_USER", "ITPM_TODAY", "ITPM_THEME", "ITPM_CONFIG"):  # fmt: skip
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Config and data dirs inside the test's temp dir: no test touches the real home."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _unfreeze_heap() -> Iterator[None]:
    """The app freezes what its screens first load (itpm_tui.heap): for one app that lives
    until the process ends, fine; hundreds of test apps in one process would each stay."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at 09:00 on TODAY."""
    return FixedClock(TODAY)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--backend=postgresql`` runs the store and CLI tests on PostgreSQL."""
    parser.addoption(
        "--backend", choices=("sqlite", "postgresql"),
        default=os.environ.get("ITPM_TEST_BACKEND", "sqlite"),
        help="database backend for db_path (PostgreSQL: the server in ITPM_TEST_PG_URL or "
        "the PG* environment, as pg_virtualenv sets it; each test gets its own schema)",
    )  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    """Register the backend marker."""
    config.addinivalue_line(
        "markers", "sqlite_only: needs an SQLite file (WAL, permissions, damaged pages, "
        "file paths); skipped with --backend=postgresql",
    )  # fmt: skip
    config.addinivalue_line(
        "markers", "both_backends: runs on PostgreSQL too though it does not ask for db_path: "
        "a Pilot test of store-backed behaviour (conflicts, live refresh, offline, read-only), "
        "a module's own database; ./check runs the Pilot ones on PostgreSQL",
    )  # fmt: skip
    config.addinivalue_line(
        "markers", "postgresql_only: tests of the PostgreSQL backend itself; run only with "
        "--backend=postgresql",
    )  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --backend=postgresql, skip the tests that need an SQLite file, and those that
    never reach the backend (no ``db_path``, directly or through ``store``, ``run``...;
    not marked): they would run exactly as in the SQLite run, for nothing."""
    on_postgresql = config.getoption("--backend") == "postgresql"
    skip = pytest.mark.skip(reason="SQLite-file test (--backend=postgresql)")
    skip_same = pytest.mark.skip(reason="uses no database backend: the SQLite run covers it")
    skip_pg = pytest.mark.skip(reason="PostgreSQL backend test: needs --backend=postgresql")
    for item in items:
        if on_postgresql and item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)
        elif on_postgresql and not _reaches_backend(item):
            item.add_marker(skip_same)
        if not on_postgresql and item.get_closest_marker("postgresql_only"):
            item.add_marker(skip_pg)


def _reaches_backend(item: pytest.Item) -> bool:
    marked = item.get_closest_marker("both_backends") or item.get_closest_marker("postgresql_only")
    return bool(marked) or "db_path" in getattr(item, "fixturenames", ())


PG_URL = os.environ.get("ITPM_TEST_PG_URL", "postgresql://")
"""The server and database PostgreSQL tests use (libpq's PG* variables fill in the rest)."""


@contextmanager
def pg_schema() -> Iterator[str]:
    """The URL of an empty PostgreSQL schema of its own on the test server, dropped after."""
    import uuid

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def on_postgresql(config: pytest.Config) -> bool:
    """True when the run asked for ``--backend=postgresql``."""
    return bool(config.getoption("--backend") == "postgresql")


@pytest.fixture
def db_path(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Where the test's database lives: a file, or (--backend=postgresql) a URL of an
    empty schema of its own, dropped afterwards. Typed ``Path``: what the tests pass on."""
    if not on_postgresql(request.config):
        yield tmp_path / "itpm.db"
        return
    with pg_schema() as url:
        yield cast(Path, url)


@pytest.fixture
def store(db_path: Path, clock: FixedClock) -> Iterator[Store]:
    """A fresh store on a real file, acting as user 'pm'."""
    s = Store(db_path, user="pm", clock=clock)
    yield s
    s.close()


@contextmanager
def connect(target: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection to the test's database (as another program would open it), on
    either backend; what it wrote is committed on leaving."""
    if isinstance(target, str):
        from itpm_tui.store.pg import PgConnection
        from itpm_tui.store.pg import connect as pg_connect

        raw = pg_connect(target)
        try:
            yield cast(sqlite3.Connection, PgConnection(raw))
        finally:
            raw.close()
        return
    conn = sqlite3.connect(target)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def export_of(path: Path) -> str:
    """The whole database at ``path`` as export text: equal texts, nothing changed."""
    from itpm_tui.store.transfer import export_text

    store = Store(path, user="pm", clock=FixedClock(TODAY))
    try:
        return export_text(store.db)
    finally:
        store.close()


class Cli:
    """Runs ``itpm-tui`` commands in-process against the test database."""

    def __init__(self, db_path: Path, user: str = "pm") -> None:
        self.db_path = db_path
        self.user = user
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str | None = None, ok: bool = True) -> Result:
        """Run one command; assert its exit status unless ``ok`` is None."""
        from itpm_tui.cli import cli

        env = {"ITPM_DB": str(self.db_path), "ITPM_USER": user or self.user,
               "ITPM_TODAY": TODAY.isoformat()}  # fmt: skip
        result = self.runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result


@pytest.fixture
def run(db_path: Path) -> Cli:
    """Invoke the CLI on an empty database: ``run("add", "title")``."""
    Store(db_path, user="pm", clock=FixedClock(TODAY)).close()
    return Cli(db_path)


@pytest.fixture
def run_without_db(db_path: Path) -> Cli:
    """Invoke the CLI on a database path where no file exists yet."""
    return Cli(db_path)
