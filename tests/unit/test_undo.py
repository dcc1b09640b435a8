"""u takes back my last change with a compensating, version-guarded, audited write."""

from __future__ import annotations

import pytest

from itpm_tui.errors import InvalidInput
from itpm_tui.models import Status, Task
from itpm_tui.store import Store


def test_undo_restores_every_field_the_change_made_and_is_audited(store: Store) -> None:
    task = store.tasks.add(Task(title="Patch firewall", estimate_hours=4, remaining_hours=2))
    done = store.tasks.update(task.id, {"status": Status.DONE}, expected_version=task.version)
    assert (done.remaining_hours, done.done_at is not None) == (0.0, True)
    restored, fields = store.tasks.undo_last()
    assert (restored.status, restored.remaining_hours, restored.done_at) == (Status.TODO, 2.0, None)
    assert set(fields) == {"status", "remaining_hours", "done_at"}
    assert restored.version == done.version + 1
    history = [(e.field, e.new) for e in store.tasks.history(task.id) if e.field == "status"]
    assert history == [("status", "done"), ("status", "todo")]  # the undo is a change too
    with pytest.raises(InvalidInput, match="nothing to undo"):
        store.tasks.undo_last()  # an undo is not itself undone by the next u


def test_undo_goes_back_one_change_at_a_time(store: Store) -> None:
    task = store.tasks.add(Task(title="Order licences"))
    store.tasks.update(task.id, {"priority": 1})
    store.tasks.update(task.id, {"status": Status.DOING})
    assert store.tasks.undo_last()[0].status is Status.TODO
    assert store.tasks.undo_last()[0].priority == 3


def test_undo_refuses_when_someone_changed_the_field_since(store: Store) -> None:
    task = store.tasks.add(Task(title="Patch firewall"))
    store.tasks.update(task.id, {"status": Status.DOING})
    bob = Store(store.path, user="bob", clock=store.clock)
    bob.tasks.update(task.id, {"status": Status.REVIEW})
    bob.close()
    with pytest.raises(InvalidInput, match=f"not undone: bob changed status of #{task.id} since"):
        store.tasks.undo_last()
    assert store.tasks.get(task.id).status is Status.REVIEW  # theirs kept, nothing written


def test_undo_keeps_someone_elses_change_to_another_field(store: Store) -> None:
    task = store.tasks.add(Task(title="Patch firewall"))
    store.tasks.update(task.id, {"status": Status.DOING})
    bob = Store(store.path, user="bob", clock=store.clock)
    bob.tasks.update(task.id, {"priority": 1})
    bob.close()
    restored, _ = store.tasks.undo_last()
    assert (restored.status, restored.priority) == (Status.TODO, 1)
