"""TaskRepo.find_ids: the cheap id index behind the virtual Tasks table."""

from __future__ import annotations

import pytest

from itpm_tui.errors import InvalidInput
from itpm_tui.models import Project, Status, Task
from itpm_tui.store import Store, TaskFilter


def test_ids_come_in_the_same_order_as_full_rows(store: Store) -> None:
    project = store.projects.add(Project(key="NET", name="Network"))
    for title, due, status in (("b", "2026-12-03", Status.TODO), ("a", None, Status.DONE),
                               ("c", "2026-11-30", Status.DOING)):  # fmt: skip
        store.tasks.add(Task.model_validate({"title": title, "due": due, "status": status,
                                             "project_id": project.id}))  # fmt: skip
    store.tasks.add(Task(title="personal"))
    for order_by in ("due", "title", "project_key", "status"):
        for descending in (False, True):
            full = store.tasks.find(order_by=order_by, descending=descending)
            ids = store.tasks.find_ids(order_by=order_by, descending=descending)
            assert ids == [t.id for t in full]
    assert store.tasks.find_ids(TaskFilter(open_only=True), order_by="due") == [3, 1, 4]


def test_ids_refuse_an_unknown_sort_column(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.tasks.find_ids(order_by="id; DROP TABLE tasks")
