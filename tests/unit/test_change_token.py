"""``Store.change_token()``: the cheap poll that tells a running app to reload, or not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import InvalidInput, StaleWrite
from itpm_tui.models import Status, Task
from itpm_tui.store import Store
from tests.conftest import TODAY


def _cli(path: Path, *args: str) -> str:
    """Run ``itpm-tui`` as a separate process, as another user on the jump host would."""
    env = {**os.environ, "ITPM_USER": "bob", "ITPM_TODAY": TODAY.isoformat()}
    result = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(path), *args],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def _heard(store: Store) -> int:
    """The token once other connections' commits have reached us: PostgreSQL's notices
    come a moment after the commit (SQLite's data_version at once)."""
    if isinstance(store.path, str):
        time.sleep(0.2)
    return store.change_token()


def test_reading_does_not_change_the_token(store: Store) -> None:
    store.tasks.add(Task(title="Patch firewall"))
    before = store.change_token()
    assert store.change_token() == before
    store.tasks.find()
    store.tasks.get(1)
    store.tasks.history(1)
    store.projects.find()
    store.audit.find()
    assert store.change_token() == before


def test_a_task_added_by_another_process_changes_the_token(store: Store) -> None:
    before = store.change_token()
    _cli(store.path, "add", "x")
    after = _heard(store)
    assert after != before
    assert [t.title for t in store.tasks.find()] == ["x"]
    assert store.change_token() == after


def test_another_process_that_only_reads_does_not_change_the_token(store: Store) -> None:
    store.tasks.add(Task(title="Patch firewall"))
    before = store.change_token()
    assert "Patch firewall" in _cli(store.path, "list", "--json")
    _cli(store.path, "show", "1")
    assert store.change_token() == before


def test_our_own_commits_change_the_token(store: Store) -> None:
    first = store.change_token()
    task = store.tasks.add(Task(title="Patch firewall"))
    second = store.change_token()
    assert second != first
    store.tasks.update(task.id, {"status": Status.DOING}, expected_version=task.version)
    assert store.change_token() not in (first, second)


def test_a_second_connection_in_this_process_is_seen_too(store: Store, db_path: Path) -> None:
    other = Store(db_path, user="alice", clock=FixedClock(TODAY))
    try:
        before = store.change_token()
        other.tasks.add(Task(title="Renew certificates"))
        assert _heard(store) != before
    finally:
        other.close()


def test_refused_and_empty_writes_do_not_change_the_token(store: Store, db_path: Path) -> None:
    task = store.tasks.add(Task(title="Patch firewall"))
    other = Store(db_path, user="alice", clock=FixedClock(TODAY))
    try:
        other.tasks.update(task.id, {"title": "Patch the firewall"})
    finally:
        other.close()
    before = _heard(store)
    with pytest.raises(StaleWrite):
        store.tasks.update(task.id, {"title": "Patch firewalls"}, expected_version=task.version)
    with pytest.raises(InvalidInput):
        store.tasks.update(task.id, {"priority": 9})
    store.tasks.update(task.id, {"title": "Patch the firewall"})  # already so: nothing to save
    assert store.change_token() == before
