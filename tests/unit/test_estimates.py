"""Changing an estimate keeps the hours already done, so progress and EV never rise unearned."""

from __future__ import annotations

from itpm_tui.models import Task
from itpm_tui.store import Store


def test_raising_an_estimate_keeps_the_work_done_and_lowers_progress(store: Store) -> None:
    task = store.tasks.add(Task(title="Migrate mailboxes", estimate_hours=8, remaining_hours=1))
    assert task.progress == 87.5
    raised = store.tasks.update(task.id, {"estimate_hours": 10.0})
    # 7 h were done; the 2 h found are still to do: 3 h left, 70% (it read 90% before).
    assert (raised.remaining_hours, raised.progress) == (3.0, 70.0)
    lowered = store.tasks.update(task.id, {"estimate_hours": 6.0})
    assert (lowered.remaining_hours, lowered.progress) == (0.0, 100.0)
    fields = [e.field for e in store.tasks.history(task.id)]
    assert fields.count("remaining_hours") == 2  # each derived change is in the audit log


def test_a_remaining_given_with_the_new_estimate_wins(store: Store) -> None:
    task = store.tasks.add(Task(title="Migrate mailboxes", estimate_hours=8, remaining_hours=1))
    both = store.tasks.update(task.id, {"estimate_hours": 10.0, "remaining_hours": 0.5})
    assert both.remaining_hours == 0.5


def test_an_estimate_without_remaining_hours_sets_none(store: Store) -> None:
    task = store.tasks.add(Task(title="Order licences", estimate_hours=4))
    assert store.tasks.update(task.id, {"estimate_hours": 6.0}).remaining_hours is None
