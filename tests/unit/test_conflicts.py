"""Two users, two connections, one file: who wins when both edit what they read earlier.

Each test reads a record as alice and bob, lets bob save first, then saves alice's edit
with the version she read (``expected_version``), as the app's forms do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import StaleWrite
from itpm_tui.models import Milestone, Project, Status, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, connect


@pytest.fixture
def alice(db_path: Path) -> Iterator[Store]:
    """Alice's store: her own connection, her own clock."""
    store = Store(db_path, user="alice", clock=FixedClock(TODAY, hour=10))
    yield store
    store.close()


@pytest.fixture
def bob(db_path: Path) -> Iterator[Store]:
    """Bob's store on the same file, a separate connection (another process, in effect)."""
    store = Store(db_path, user="bob", clock=FixedClock(TODAY, hour=9))
    yield store
    store.close()


def _snapshot(path: Path, table: str, entity: str, entity_id: int) -> tuple[object, ...]:
    """The record's row and all its audit rows, to prove a refused save wrote nothing."""
    with connect(path) as conn:
        row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (entity_id,)).fetchone()
        audit = conn.execute(
            "SELECT * FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id",
            (entity, entity_id),
        ).fetchall()
        forecasts = conn.execute("SELECT * FROM milestone_forecasts ORDER BY id").fetchall()
        return tuple(row), tuple(map(tuple, audit)), tuple(map(tuple, forecasts))


# --- tasks ---------------------------------------------------------------------------------


def test_edits_to_different_fields_are_merged(alice: Store, bob: Store) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall", priority=3))
    bob.tasks.update(seen.id, {"title": "Patch firewall FW-2"}, expected_version=seen.version)

    saved = alice.tasks.update(seen.id, {"priority": 1}, expected_version=seen.version)

    assert (saved.title, saved.priority, saved.version) == ("Patch firewall FW-2", 1, 3)
    assert bob.tasks.get(seen.id) == saved
    history = [(e.who, e.field, e.new) for e in bob.tasks.history(seen.id)]
    assert history[1:] == [("bob", "title", "Patch firewall FW-2"), ("alice", "priority", "1")]


def test_same_field_changed_to_another_value_is_refused_and_names_who(
    alice: Store, bob: Store, db_path: Path
) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall"))
    bob.tasks.update(seen.id, {"status": Status.DOING}, expected_version=seen.version)
    before = _snapshot(db_path, "tasks", "task", seen.id)

    with pytest.raises(StaleWrite) as caught:
        # Her priority change would merge, but the status clash stops the whole save.
        alice.tasks.update(
            seen.id, {"status": Status.BLOCKED, "priority": 1}, expected_version=seen.version
        )

    err = caught.value
    assert (err.entity, err.entity_id) == ("task", seen.id)
    assert [(c.field, c.changed_by, c.theirs, c.mine) for c in err.conflicts] == [
        ("status", "bob", "doing", "blocked")
    ]
    assert str(err) == (
        f"task {seen.id} was changed meanwhile: bob changed status to 'doing' at 09:00. "
        "Nothing was saved; reload and try again."
    )
    assert _snapshot(db_path, "tasks", "task", seen.id) == before
    assert alice.tasks.get(seen.id).version == 2


def test_the_conflict_reports_the_latest_of_several_changes(alice: Store, bob: Store) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall"))
    current = bob.tasks.update(seen.id, {"title": "first"})
    bob.tasks.update(seen.id, {"title": "second"}, expected_version=current.version)

    with pytest.raises(StaleWrite) as caught:
        alice.tasks.update(seen.id, {"title": "mine"}, expected_version=seen.version)

    assert [(c.changed_by, c.theirs, c.mine) for c in caught.value.conflicts] == [
        ("bob", "second", "mine")
    ]


def test_a_field_that_followed_from_their_change_conflicts_too(alice: Store, bob: Store) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall", remaining_hours=8))
    bob.tasks.update(seen.id, {"status": Status.DONE}, expected_version=seen.version)  # -> 0 h

    with pytest.raises(StaleWrite) as caught:
        alice.tasks.update(seen.id, {"remaining_hours": 5.0}, expected_version=seen.version)

    assert [(c.field, c.changed_by, c.theirs) for c in caught.value.conflicts] == [
        ("remaining_hours", "bob", "0.0")
    ]


def test_same_field_changed_to_the_same_value_is_not_a_conflict(
    alice: Store, bob: Store, db_path: Path
) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall"))
    bob.tasks.update(seen.id, {"status": Status.DOING}, expected_version=seen.version)
    before = _snapshot(db_path, "tasks", "task", seen.id)

    saved = alice.tasks.update(seen.id, {"status": Status.DOING}, expected_version=seen.version)

    assert (saved.status, saved.version, saved.updated_by) == (Status.DOING, 2, "bob")
    assert _snapshot(db_path, "tasks", "task", seen.id) == before  # nothing left to write
    merged = alice.tasks.update(
        seen.id, {"status": Status.DOING, "priority": 1}, expected_version=seen.version
    )
    assert (merged.status, merged.priority, merged.version) == (Status.DOING, 1, 3)


def test_the_same_number_written_differently_is_the_same_value(alice: Store, bob: Store) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall", remaining_hours=8))
    bob.tasks.update(
        seen.id, {"remaining_hours": 5.0, "planned_cost": Decimal("1200.5")},
        expected_version=seen.version,
    )  # fmt: skip

    saved = alice.tasks.update(
        seen.id, {"remaining_hours": 5, "planned_cost": Decimal("1200.50")},
        expected_version=seen.version,
    )  # fmt: skip

    assert (saved.remaining_hours, saved.planned_cost, saved.version) == (5.0, Decimal("1200.5"), 2)


def test_an_up_to_date_save_never_conflicts(alice: Store, bob: Store) -> None:
    seen = alice.tasks.add(Task(title="Patch firewall"))
    theirs = bob.tasks.update(seen.id, {"status": Status.DOING}, expected_version=seen.version)

    saved = alice.tasks.update(seen.id, {"status": Status.REVIEW}, expected_version=theirs.version)

    assert (saved.status, saved.version) == (Status.REVIEW, 3)


# --- projects and milestones ---------------------------------------------------------------


def test_project_edits_merge_or_are_refused_like_tasks(
    alice: Store, bob: Store, db_path: Path
) -> None:
    seen = alice.projects.add(Project(key="NET", name="Network upgrade", bac=Decimal(50_000)))
    bob.projects.update("NET", {"name": "Network refresh"}, expected_version=seen.version)

    merged = alice.projects.update("NET", {"bac": Decimal(60_000)}, expected_version=seen.version)
    assert (merged.name, merged.bac, merged.version) == ("Network refresh", Decimal(60_000), 3)

    before = _snapshot(db_path, "projects", "project", seen.id)
    with pytest.raises(StaleWrite) as caught:
        alice.projects.update("NET", {"name": "Network 2027"}, expected_version=seen.version)
    assert [(c.field, c.changed_by, c.theirs) for c in caught.value.conflicts] == [
        ("name", "bob", "Network refresh")
    ]
    assert _snapshot(db_path, "projects", "project", seen.id) == before

    same = alice.projects.update("NET", {"name": "Network refresh"}, expected_version=seen.version)
    assert same.version == 3


def test_milestone_edits_merge_or_are_refused_and_keep_the_forecast_history(
    alice: Store, bob: Store, db_path: Path
) -> None:
    project = alice.projects.add(Project(key="NET", name="Network upgrade"))
    seen = alice.milestones.add(
        Milestone(project_id=project.id, name="Core switched", baseline=date(2026, 12, 4),
                  forecast=date(2026, 12, 4))
    )  # fmt: skip
    bob.milestones.update(seen.id, {"forecast": date(2026, 12, 11)}, expected_version=1)

    merged = alice.milestones.update(seen.id, {"name": "Core switch live"}, expected_version=1)
    assert (merged.name, merged.forecast, merged.version) == (
        "Core switch live", date(2026, 12, 11), 3,
    )  # fmt: skip

    before = _snapshot(db_path, "milestones", "milestone", seen.id)
    with pytest.raises(StaleWrite) as caught:
        alice.milestones.update(seen.id, {"forecast": date(2026, 12, 18)}, expected_version=1)
    assert [(c.field, c.changed_by, c.theirs) for c in caught.value.conflicts] == [
        ("forecast", "bob", "2026-12-11")
    ]
    assert _snapshot(db_path, "milestones", "milestone", seen.id) == before
    assert [h.forecast for h in alice.milestones.get(seen.id).history] == [
        date(2026, 12, 4), date(2026, 12, 11),
    ]  # fmt: skip
