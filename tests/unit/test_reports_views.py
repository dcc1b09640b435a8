"""Read-side views the screens draw (``itpm_tui/reports.py``), on a real database file.

The rules are the README's (Keys, "Stand-up board": the team's work, done since the last
stand-up; personal to-dos stay off the team board) and ``domain/board.py``'s.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from itpm_tui.models import Person, Project, Status, Task
from itpm_tui.reports import board_view
from itpm_tui.store import Store
from tests.conftest import TODAY

FRIDAY = date(2026, 11, 20)
"""The last stand-up day before TODAY (a Monday)."""


def test_the_board_holds_project_work_open_or_done_since_the_last_standup(store: Store) -> None:
    for login in ("bob", "alice"):
        store.people.save(Person(login=login))
    net = store.projects.add(Project(key="NET", name="Network"))
    app = store.projects.add(Project(key="APP", name="App"))

    def add(title: str, **fields: object) -> Task:
        return store.tasks.add(Task.model_validate({"title": title, **fields}))

    todo = add("Order fibre", project_id=net.id, assignee="bob")
    done_friday = add("Label racks", project_id=net.id, status="done",
                      done_at=datetime(2026, 11, 20, 17, tzinfo=UTC))  # fmt: skip
    add("Old audit", project_id=net.id, status="done",
        done_at=datetime(2026, 11, 19, 17, tzinfo=UTC))  # fmt: skip
    add("Renew passport", assignee="alice")  # personal: not the team's
    doing = add("Release notes", project_id=app.id, assignee="alice", status="doing")

    view = board_view(store, TODAY)

    shown = [todo.id, done_friday.id, doing.id]
    assert [c.task_id for c in view.cards] == shown
    assert [t.id for t in view.tasks] == shown
    assert [(c.status, c.project, c.owner) for c in view.cards] == [
        (Status.TODO, "NET", "bob"), (Status.DONE, "NET", None), (Status.DOING, "APP", "alice"),
    ]  # fmt: skip
    assert view.done_since == FRIDAY
    assert view.owners == ("alice", "bob")
    assert view.project_keys == ("APP", "NET")
    assert [p.key for p in view.projects] == ["APP", "NET"]
    assert sorted(p.login for p in view.people) == ["alice", "bob"]
    assert view.me == "pm"
    assert view.task(doing.id) == store.tasks.get(doing.id)
    assert view.task(9999) is None
