"""Task links in the store: versioned, audited, refused when wrong, and carried by export."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.link_spec import link_changes
from itpm_tui.errors import InvalidInput, LinkRefused, NotFound, StaleWrite, TaskNotFound
from itpm_tui.models import LinkType, Task, TaskLink
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


def test_the_forms_fields_and_links_are_saved_in_one_transaction(store: Store) -> None:
    a, b, c = _tasks(store, 3)
    store.links.add(a, c)
    seen = store.tasks.get(c)
    wanted = link_changes(store.links.of_task(c)[0], [(b, LinkType.SS, 2)])
    saved = store.tasks.update(c, {"title": "Cut over"}, expected_version=seen.version,
                               links=wanted)  # fmt: skip
    assert saved.title == "Cut over" and saved.version == seen.version + 3  # field, -a, +b
    assert store.links.of_task(c)[0] == [TaskLink(pred_id=b, succ_id=c, kind=LinkType.SS, lag=2)]
    assert [(e.field, e.old, e.new) for e in store.tasks.history(c)[-3:]] == [
        ("title", "T2", "Cut over"), ("predecessor", "#1 fs", None),
        ("predecessor", None, "#2 ss +2")]  # fmt: skip
    assert saved == store.tasks.get(c)


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ([(3, LinkType.FS, 0)], r"cycle: #3 -> #1 -> #2 -> #3"),  # 1 waiting for 3
        ([(99, LinkType.FS, 0)], "no task #99"),
        ([(1, LinkType.FS, 0)], "cannot depend on itself"),
    ],
)
def test_a_refused_link_in_the_form_saves_none_of_its_fields(
    store: Store, wanted: list[tuple[int, LinkType, int]], message: str
) -> None:
    _tasks(store, 3)
    store.links.add(1, 2)
    store.links.add(2, 3)
    before = _snapshot(store)
    seen = store.tasks.get(1)
    with pytest.raises(LinkRefused, match=message):
        store.tasks.update(1, {"title": "renamed"}, expected_version=seen.version,
                           links=link_changes([], wanted))  # fmt: skip
    assert _snapshot(store) == before


def test_a_new_task_waiting_for_an_unknown_one_is_not_added(store: Store) -> None:
    _tasks(store, 1)
    before = _snapshot(store)
    with pytest.raises(LinkRefused, match="no task #99"):
        store.tasks.add(Task(title="new"), links=link_changes([], [(99, LinkType.FS, 0)]))
    assert _snapshot(store) == before


def test_link_changes_merge_with_what_others_did_meanwhile(store: Store) -> None:
    a, b, c, d = _tasks(store, 4)
    store.links.add(a, d)
    store.links.add(b, d)
    shown = store.links.of_task(d)[0]  # the form shows: #1, #2
    seen = store.tasks.get(d)
    store.links.remove(b, d)  # others: #2 removed, #3 added
    store.links.add(c, d)
    # Mine: drop #1 and #2, add #3 as it is and #3's twin... only the difference is written.
    mine = link_changes(shown, [(c, LinkType.FS, 0)])
    store.tasks.update(d, {}, expected_version=seen.version, links=mine)
    assert [lk.pred_id for lk in store.links.of_task(d)[0]] == [c]
    # A link someone gave another lag meanwhile is theirs: mine over it is refused.
    shown = store.links.of_task(d)[0]
    store.links.remove(c, d)
    store.links.add(c, d, LinkType.FS, 4)
    before = _snapshot(store)
    with pytest.raises(LinkRefused, match="#4 already depends on #3 fs \\+4"):
        store.tasks.update(d, {}, links=link_changes(shown, [(c, LinkType.SS, 0)]))
    assert _snapshot(store) == before


def test_a_new_task_can_wait_for_others_from_the_start(store: Store) -> None:
    a, b = _tasks(store, 2)
    task = store.tasks.add(Task(title="Go live"), links=link_changes(
        [], [(a, LinkType.FS, 0), (b, LinkType.FF, -1)]))  # fmt: skip
    assert [(lk.pred_id, lk.kind, lk.lag) for lk in store.links.of_task(task.id)[0]] == [
        (a, LinkType.FS, 0), (b, LinkType.FF, -1)]  # fmt: skip
    assert task == store.tasks.get(task.id) and task.version == 3


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
