"""Reading the audit log by time when its rows were written with different UTC offsets."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Project, Task
from itpm_tui.store import Store
from itpm_tui.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.conftest import Cli, connect


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def test_since_compares_instants_not_text_across_utc_offsets(store: Store) -> None:
    # Three writers in three zones (or one across a DST change): text order is not time order.
    stamps = {
        "2026-11-23T09:30:00+01:00": "08:30Z, before",
        "2026-11-23T08:45:00+00:00": "08:45Z, after",
        "2026-11-23T09:10:00+02:00": "07:10Z, before",
        "2026-11-22T23:30:00-10:00": "09:30Z on the 23rd, after (local date the 22nd)",
    }
    with connect(store.path) as conn:
        conn.executemany(
            "INSERT INTO audit (at, who, entity, entity_id, field, old, new)"
            " VALUES (?, 'pm', 'task', 1, 'title', NULL, ?)",
            list(stamps.items()),
        )
    since = datetime(2026, 11, 23, 8, 40, tzinfo=UTC)
    found = store.audit.find(since=since, newest_first=False)
    assert [e.new for e in found] == [
        "08:45Z, after",
        "09:30Z on the 23rd, after (local date the 22nd)",
    ]
    assert [e.new for e in store.audit.find(since=since, limit=1)] == [
        "09:30Z on the 23rd, after (local date the 22nd)"
    ]


# --- who really wrote it: the OS account beside the claimed login --------------------------


def _os_account() -> str:
    import os
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def test_every_audit_row_records_the_os_account_beside_the_claimed_login(run: Cli) -> None:
    run("add", "Rotate certificates", user="alice")
    rows = _rows(run.db_path, "SELECT who, os_user FROM audit")
    assert rows and set(rows) == {("alice", _os_account())}


def test_log_and_show_name_the_os_account_when_it_is_not_the_login(run: Cli) -> None:
    run("add", "Rotate certificates", user="alice")
    account = _os_account()
    assert f"alice (OS: {account})" in run("log").output
    assert f"alice (OS: {account})" in run("show", "1").output
    run("add", "Renew domain", user=account)
    own = [line for line in run("log").output.splitlines() if "Renew domain" in line]
    assert own and "(OS:" not in own[0], "same name twice says nothing"


def test_a_version_1_file_gains_os_user_and_its_log_stays_append_only(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "old.db"
    with connect(path) as conn:  # the file as the first release left it
        MIGRATIONS[0](conn)
        conn.execute(
            "INSERT INTO audit (at, who, entity, entity_id, field, new)"
            " VALUES ('2026-11-20T09:00:00+00:00', 'bob', 'task', 1, 'created', 'x')"
        )
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    store = Store(path, user="pm", clock=clock)
    try:
        assert store.db.schema_version() == SCHEMA_VERSION
        (old,) = store.audit.find()
        assert (old.who, old.os_user, old.by) == ("bob", "", "bob")  # unknown, not guessed
    finally:
        store.close()
    with connect(path) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET os_user = 'root'")
    conn.close()


def test_export_and_import_carry_the_os_account(run: Cli, tmp_path: Path) -> None:
    run("add", "Rotate certificates", user="alice")
    exported = tmp_path / "export.json"
    run("export", "-o", str(exported))
    data = json.loads(exported.read_text())
    audit = data["tables"]["audit"]
    assert "os_user" in audit["columns"]
    position = audit["columns"].index("os_user")
    assert {row[position] for row in audit["rows"]} == {_os_account()}
    copy = Cli(tmp_path / "copy.db")
    copy("import", str(exported))
    assert _rows(copy.db_path, "SELECT who, os_user FROM audit") == [("alice", _os_account())]


def test_task_histories_of_every_project_at_once_equal_each_projects(db_path: Path) -> None:
    """Changed after a day, moved between projects or out of any: the one read for a
    portfolio gives each project the events its own query gives, on either backend."""
    monday, thursday = date(2026, 11, 16), date(2026, 11, 19)
    early = Store(db_path, user="pm", clock=FixedClock(monday))
    a = early.projects.add(Project(key="AAA", name="A"))
    b = early.projects.add(Project(key="BBB", name="B"))
    c = early.projects.add(Project(key="CCC", name="C"))
    quiet = early.tasks.add(Task(title="Quiet", project_id=a.id))
    moved = early.tasks.add(Task(title="Moved", project_id=a.id))
    left = early.tasks.add(Task(title="Made personal", project_id=b.id))
    edited = early.tasks.add(Task(title="Edited", project_id=c.id))
    early.close()
    later = Store(db_path, user="pm", clock=FixedClock(thursday))
    try:
        later.tasks.update(moved.id, {"project_id": b.id})
        later.tasks.update(left.id, {"project_id": None})
        later.tasks.update(edited.id, {"title": "Edited again"})
        for day in (monday - timedelta(days=1), monday, thursday - timedelta(days=1), thursday):
            grouped = later.audit.task_histories_by_project_changed_after(day)
            for project in (a, b, c):
                one = later.audit.task_histories_changed_after(project.id, day)
                assert grouped.get(project.id, []) == one, (day, project.key)
        grouped = later.audit.task_histories_by_project_changed_after(monday)
        ids = {key: {e.entity_id for e in events} for key, events in grouped.items()}
        assert ids == {a.id: {moved.id}, b.id: {moved.id, left.id}, c.id: {edited.id}}
        assert quiet.id not in {e.entity_id for events in grouped.values() for e in events}
    finally:
        later.close()
