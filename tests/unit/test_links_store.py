"""Task links in the store: versioned, audited, refused when wrong, and carried by export."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.errors import InvalidInput, NotFound, StaleWrite, TaskNotFound
from itpm_tui.models import LinkType, Task
from itpm_tui.store import Store
from itpm_tui.store.transfer import export_text, import_json, parse_export
from tests.conftest import TODAY


def _tasks(store: Store, count: int) -> list[int]:
    return [store.tasks.add(Task(title=f"T{i}")).id for i in range(count)]


def _snapshot(store: Store) -> str:
    return export_text(store.db)


def test_a_link_is_stored_audited_and_bumps_the_successors_version(store: Store) -> None:
    a, b = _tasks(store, 2)
    before = store.tasks.get(b).version
    link = store.links.add(a, b, LinkType.SS, 2)
    assert (link.pred_id, link.succ_id, link.kind, link.lag) == (a, b, LinkType.SS, 2)
    assert store.links.find() == [link]
    assert store.links.of_task(b) == ([link], [])
    assert store.links.of_task(a) == ([], [link])
    assert store.tasks.get(b).version == before + 1
    last = store.tasks.history(b)[-1]
    assert (last.field, last.old, last.new, last.version) == ("predecessor", None, "#1 ss +2",
                                                              before + 1)  # fmt: skip
    removed = store.links.remove(a, b)
    assert removed == link and store.links.find() == []
    last = store.tasks.history(b)[-1]
    assert (last.field, last.old, last.new) == ("predecessor", "#1 ss +2", None)


def test_an_edit_made_before_a_link_was_added_is_merged_not_blind(store: Store) -> None:
    a, b = _tasks(store, 2)
    seen = store.tasks.get(b)  # the form was opened here
    store.links.add(a, b)  # someone links it meanwhile: the version moves on
    assert store.tasks.get(b).version == seen.version + 1
    saved = store.tasks.update(b, {"title": "mine"}, expected_version=seen.version)
    assert saved.title == "mine" and saved.version == seen.version + 2
    assert store.links.of_task(b)[0][0].pred_id == a
    store.tasks.update(b, {"title": "theirs"})
    with pytest.raises(StaleWrite, match="title"):  # the same field: refused, as for any edit
        store.tasks.update(b, {"title": "late"}, expected_version=saved.version)


@pytest.mark.parametrize(
    ("pred", "succ", "error", "message"),
    [
        (1, 1, InvalidInput, "cannot depend on itself"),
        (1, 99, TaskNotFound, "no task #99"),
        (98, 2, TaskNotFound, "no task #98"),
        (1, 2, InvalidInput, "#2 already depends on #1 fs"),
        (3, 1, InvalidInput, r"cycle: #3 -> #1 -> #2 -> #3"),
    ],
)
def test_bad_links_are_refused_and_nothing_changes(
    store: Store, pred: int, succ: int, error: type[Exception], message: str
) -> None:
    _tasks(store, 3)
    store.links.add(1, 2)
    store.links.add(2, 3)
    before = _snapshot(store)
    with pytest.raises(error, match=message):
        store.links.add(pred, succ)
    assert _snapshot(store) == before


def test_removing_a_link_that_does_not_exist_is_refused(store: Store) -> None:
    _tasks(store, 2)
    before = _snapshot(store)
    with pytest.raises(NotFound, match="#2 does not depend on #1"):
        store.links.remove(1, 2)
    assert _snapshot(store) == before


def test_the_schema_refuses_self_links_and_unknown_kinds(store: Store) -> None:
    _tasks(store, 2)
    with pytest.raises(sqlite3.IntegrityError), store.db.write() as conn:
        conn.execute("INSERT INTO task_links (pred_id, succ_id) VALUES (1, 1)")
    with pytest.raises(sqlite3.IntegrityError), store.db.write() as conn:
        conn.execute("INSERT INTO task_links (pred_id, succ_id, kind) VALUES (1, 2, 'xx')")


def test_links_of_a_project_include_links_across_projects(store: Store) -> None:
    from itpm_tui.models import Project

    net = store.projects.add(Project(key="NET", name="Net"))
    app = store.projects.add(Project(key="APP", name="App"))
    a = store.tasks.add(Task(title="a", project_id=net.id)).id
    b = store.tasks.add(Task(title="b", project_id=app.id)).id
    c = store.tasks.add(Task(title="c", project_id=app.id)).id
    store.links.add(a, b)
    store.links.add(b, c)
    assert [(lk.pred_id, lk.succ_id) for lk in store.links.find(net.id)] == [(a, b)]
    assert [(lk.pred_id, lk.succ_id) for lk in store.links.find(app.id)] == [(a, b), (b, c)]


def test_links_round_trip_through_export_and_import_byte_identical(
    store: Store, tmp_path: Path
) -> None:
    _tasks(store, 3)
    store.links.add(1, 2, LinkType.FF, -1)
    store.links.add(2, 3)
    text = export_text(store.db)
    copy = Store(tmp_path / "copy.db", user="pm", clock=FixedClock(TODAY))
    import_json(copy.db, parse_export(text))
    assert export_text(copy.db) == text
    assert copy.links.find() == store.links.find()
    copy.close()
