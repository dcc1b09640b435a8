"""The PostgreSQL backend itself: change signal, reconnects, guards, errors, migrate-to.

Run with ``--backend=postgresql`` against a real server (``pg_virtualenv``; ``./check``
does); each test has its own empty schema (``db_path`` is its URL).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import (
    DatabaseBusy,
    DatabaseError,
    NotADatabase,
    ReadOnlyDatabase,
    SchemaTooNew,
)
from itpm_tui.models import Person, PersonRate, Project, Task, Worklog
from itpm_tui.store import Store
from itpm_tui.store.admin import doctor
from itpm_tui.store.schema import SCHEMA_VERSION
from tests.conftest import TODAY, Cli, connect, export_of

pytestmark = pytest.mark.postgresql_only


def _open(url: Path, user: str = "pm") -> Store:
    return Store(url, user=user, clock=FixedClock(TODAY))


def _wait_for_change(store: Store, before: int, timeout: float = 5.0) -> float:
    """Seconds until the store's change token moves (polled as the app does, finer)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if store.change_token() != before:
                return time.perf_counter() - start
        except DatabaseError:
            pass
        time.sleep(0.01)
    raise AssertionError(f"the change token did not move within {timeout} s")


def test_another_clients_commit_moves_the_token_within_half_a_second(db_path: Path) -> None:
    mine, theirs = _open(db_path), _open(db_path, "bob")
    try:
        before = mine.change_token()
        mine.tasks.find()  # reading changes nothing
        assert mine.change_token() == before
        theirs.tasks.add(Task(title="Patch firewall"))
        assert _wait_for_change(mine, before) < 0.5
        assert [t.title for t in mine.tasks.find()] == ["Patch firewall"]
    finally:
        mine.close()
        theirs.close()


def test_a_dropped_connection_is_offline_then_reconnects_and_moves_the_token(
    db_path: Path,
) -> None:
    store = _open(db_path)
    try:
        store.tasks.add(Task(title="Before"))
        before = store.change_token()
        pids = (store.db._main_pid, store.db._listener_pid)  # type: ignore[attr-defined]
        with connect(db_path) as admin:  # the server drops both sessions of ours
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(?)", (pid,))
        with pytest.raises(DatabaseError, match="offline"):
            for _ in range(100):  # the listener notices within its 0.5 s wait
                store.change_token()
                time.sleep(0.02)
        # Meanwhile another client writes: no notification reaches us for it.
        other = _open(db_path, "bob")
        other.tasks.add(Task(title="While we were away"))
        other.close()
        _wait_for_change(store, before)  # back: the token moved, so the app reloads in full
        assert [t.title for t in store.tasks.find()] == ["Before", "While we were away"]
    finally:
        store.close()


def test_the_audit_log_refuses_update_delete_and_truncate(db_path: Path) -> None:
    store = _open(db_path)
    store.tasks.add(Task(title="x"))
    store.close()
    for sql in ("UPDATE audit SET who = 'eve'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), connect(db_path) as c:
            c.execute(sql)
    assert "x" in export_of(db_path)


def test_a_writer_held_up_past_the_timeout_is_told_busy(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itpm_tui.store import pg

    monkeypatch.setattr(pg, "BUSY_TIMEOUT_MS", 300)
    holder, waiter = _open(db_path), _open(db_path, "bob")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.db.write():
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        held.wait(5)
        with pytest.raises(DatabaseBusy, match="another client"):
            waiter.tasks.add(Task(title="late"))
    finally:
        release.set()
        thread.join()
        holder.close()
    assert waiter.tasks.find() == []
    waiter.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    _open(db_path).close()
    with connect(db_path) as conn:
        conn.execute("UPDATE itpm_schema SET version = 999")
    with pytest.raises(SchemaTooNew, match="schema 999"):
        _open(db_path)


def test_another_programs_tables_are_refused(db_path: Path) -> None:
    with connect(db_path) as conn:
        conn.execute("CREATE TABLE invoices (id BIGINT)")
    with pytest.raises(NotADatabase, match="invoices"):
        _open(db_path)


def test_an_unknown_database_is_one_clear_sentence(db_path: Path) -> None:
    url = str(db_path).replace("postgresql://", "postgresql:///no_such_db_itpm", 1)
    with pytest.raises(DatabaseError, match="createdb"):
        Store(url, user="pm", clock=FixedClock(TODAY))


def test_doctor_sees_the_schema_and_a_disabled_audit_guard(db_path: Path) -> None:
    _open(db_path).close()
    report = doctor(str(db_path))
    assert (report.ok, report.integrity, report.schema_version) == (True, "ok", SCHEMA_VERSION)
    with connect(db_path) as conn:
        conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_delete")
    report = doctor(str(db_path))
    assert not report.ok
    assert "audit_no_delete" in report.problems[0]


def test_the_worklog_days_trigger_keeps_ac_exact_and_doctor_sees_it_disabled(
    db_path: Path,
) -> None:
    store = _open(db_path)
    try:
        store.people.save(Person(login="dana"))
        store.worklogs.set_rate(PersonRate(person="dana", effective_from=date(2026, 1, 1),
                                           rate=Decimal("50"), overtime_rate=Decimal("55")))  # fmt: skip
        project = store.projects.add(Project(key="AAA", name="A"))
        task = store.tasks.add(Task(title="Patch firewall", project_id=project.id))
        logged = store.worklogs.log(Worklog(person="dana", task_id=task.id, day=TODAY,
                                            minutes=600, overtime_minutes=120)).worklog  # fmt: skip
        rates = store.worklogs.rates()
        assert store.worklogs.labour_cost(project.id, None, rates).total == Decimal("610.00")
        store.worklogs.update(logged.id, {"minutes": 300})
        assert store.worklogs.labour_cost(project.id, None, rates).total == Decimal("360.00")
    finally:
        store.close()
    assert not doctor(str(db_path)).problems
    with connect(db_path) as conn:
        conn.execute("ALTER TABLE worklogs DISABLE TRIGGER worklog_days_sync")
        conn.execute("DELETE FROM worklogs")
    report = doctor(str(db_path))
    assert not report.ok
    assert any("worklog_days_sync missing or disabled" in p for p in report.problems)
    assert any("differs from the worklogs in 1 rows" in p for p in report.problems)


def test_migrate_to_copies_sqlite_into_postgresql_and_back_exactly(
    db_path: Path, tmp_path: Path
) -> None:
    source = Cli(tmp_path / "team.db")
    source("demo")
    source("migrate-to", str(db_path))
    assert export_of(db_path) == export_of(tmp_path / "team.db")
    again = source("migrate-to", str(db_path), ok=False)
    assert again.stderr.startswith("Error: the database is not empty")
    back = Cli(db_path)
    result = back("migrate-to", str(tmp_path / "back.db"))
    assert "exports are identical" in result.stdout
    assert export_of(tmp_path / "back.db") == export_of(tmp_path / "team.db")
    # The copy is a working database: ids go on from the copied ones.
    added = back("add", "After the move").stdout
    assert added.startswith(f"added #{_max_task_id(tmp_path / 'team.db') + 1}:")


def _max_task_id(path: Path) -> int:
    with connect(path) as conn:
        return int(conn.execute("SELECT max(id) FROM tasks").fetchone()[0])


def test_a_role_that_may_only_read_opens_read_only(db_path: Path) -> None:
    _open(db_path).close()
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with connect(db_path) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'r'")
    try:
        with connect(db_path) as conn:
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
            conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
        parts = urlsplit(str(db_path))
        host = parts.hostname or os.environ.get("PGHOST", "localhost")
        port = parts.port or int(os.environ.get("PGPORT", "5432"))
        dbname = parts.path.lstrip("/") or os.environ.get("PGDATABASE", "postgres")
        url = f"postgresql://{role}:r@{host}:{port}/{dbname}?{parts.query}"
        store = _open(cast(Path, url))
        try:
            assert store.db.readonly
            assert store.tasks.find() == []
            with pytest.raises(ReadOnlyDatabase, match="may not write"):
                store.tasks.add(Task(title="x"))
        finally:
            store.close()
    finally:
        with connect(db_path) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
