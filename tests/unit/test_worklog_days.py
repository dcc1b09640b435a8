"""The ``worklog_days`` summary behind AC stays equal to the worklogs summed afresh.

Every way a worklog changes (the store's writes, and another program's plain SQL: person,
task, day, time, delete), a task moving between projects, the migration of a file with
worklogs, export and import, and a damaged summary that ``doctor`` must report. Real
databases (an SQLite file, or PostgreSQL with ``--backend=postgresql``), no mocks.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itpm_tui.clock import FixedClock
from itpm_tui.models import Person, PersonRate, Project, Task, Worklog
from itpm_tui.store import Store
from itpm_tui.store.admin import doctor
from itpm_tui.store.db import expected_tables
from itpm_tui.store.schema import DERIVED_TABLES, MIGRATIONS, SCHEMA_VERSION
from itpm_tui.store.transfer import export_text, import_json, parse_export
from tests.conftest import TODAY, connect

FRESH = (
    "SELECT t.project_id, w.person, w.day, sum(w.minutes), sum(w.overtime_minutes), count(*)"
    " FROM worklogs w JOIN tasks t ON t.id = w.task_id WHERE t.project_id IS NOT NULL"
    " GROUP BY t.project_id, w.person, w.day"
)
"""The definition: the worklogs grouped by their task's project, person and day."""
PEOPLE = ("dana", "eve")


def _summary(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(what worklog_days holds, what a fresh GROUP BY of the worklogs gives), both sorted."""
    with store.db.read() as conn:
        stored = conn.execute(
            "SELECT project_id, person, day, minutes, overtime_minutes, worklogs FROM worklog_days"
        ).fetchall()
        fresh = conn.execute(FRESH).fetchall()
    return sorted(tuple(int(v) if isinstance(v, int) else v for v in r) for r in stored), sorted(
        tuple(r) for r in fresh
    )


def _assert_exact(store: Store) -> None:
    stored, fresh = _summary(store)
    assert stored == fresh


def _setup(store: Store) -> tuple[int, int, list[int]]:
    """Two people with rates, projects A and B, tasks 0-1 in A and 2 in B."""
    for login in PEOPLE:
        store.people.save(Person(login=login))
        store.worklogs.set_rate(PersonRate(person=login, effective_from=date(2026, 1, 1),
                                           rate=Decimal("50"), overtime_rate=Decimal("55")))  # fmt: skip
    first = store.projects.add(Project(key="AAA", name="A"))
    second = store.projects.add(Project(key="BBB", name="B"))
    tasks = [store.tasks.add(Task(title=f"t{n}", project_id=p.id)).id
             for n, p in enumerate((first, first, second))]  # fmt: skip
    return first.id, second.id, tasks


def _ac(store: Store, project_id: int) -> tuple[object, object]:
    """AC from the summary and from the worklogs themselves."""
    rates = store.worklogs.rates()
    return (store.worklogs.labour_cost(project_id, None, rates),
            store.worklogs.labour_cost(project_id, None, rates, from_worklogs=True))  # fmt: skip


def test_the_summary_follows_every_store_write(store: Store) -> None:
    a, b, (t0, t1, t2) = _setup(store)
    day = TODAY - timedelta(days=3)
    first = store.worklogs.log(Worklog(person="dana", task_id=t0, day=day, minutes=600,
                                       overtime_minutes=120)).worklog  # fmt: skip
    store.worklogs.log(Worklog(person="dana", task_id=t1, day=day, minutes=30))
    store.worklogs.log(Worklog(person="eve", task_id=t2, day=day, minutes=60))
    _assert_exact(store)
    summed, scanned = _ac(store, a)
    assert summed == scanned
    assert store.worklogs.labour_cost(a, None, store.worklogs.rates()).total == Decimal("635.00")
    store.worklogs.update(first.id, {"minutes": 300})
    _assert_exact(store)
    store.worklogs.update(first.id, {"day": day - timedelta(days=1)})
    _assert_exact(store)
    store.worklogs.set_day("dana", t1, day, 90, expected=30)
    store.worklogs.set_overtime("dana", t1, day, 45, expected=(90, 0))
    _assert_exact(store)
    store.worklogs.set_day("dana", t1, day, 45, expected=90)  # all of it overtime now
    store.worklogs.remove(first.id)
    _assert_exact(store)
    assert _ac(store, a)[0] == _ac(store, a)[1]
    assert _ac(store, b)[0] == _ac(store, b)[1]


def test_plain_sql_edits_of_person_task_day_and_time_keep_it_exact(
    store: Store, db_path: Path
) -> None:
    _, _, (t0, t1, t2) = _setup(store)
    for n in range(6):
        store.worklogs.log(Worklog(person=PEOPLE[n % 2], task_id=(t0, t1, t2)[n % 3],
                                   day=TODAY - timedelta(days=n % 2), minutes=60 + n))  # fmt: skip
    ids = [w.id for w in store.worklogs.find()]
    edits: list[tuple[str, tuple[int, ...]]] = [
        ("UPDATE worklogs SET person = 'eve' WHERE id = ?", (ids[0],)),
        ("UPDATE worklogs SET task_id = ? WHERE id = ?", (t2, ids[1])),
        ("UPDATE worklogs SET day = '2026-11-01' WHERE id = ?", (ids[2],)),
        ("UPDATE worklogs SET minutes = 0, overtime_minutes = 0 WHERE id = ?", (ids[3],)),
        ("UPDATE worklogs SET note = 'only the note' WHERE id = ?", (ids[4],)),
        ("DELETE FROM worklogs WHERE id = ?", (ids[5],)),
    ]
    for sql, params in edits:
        with connect(db_path) as conn:
            conn.execute(sql, params)
        _assert_exact(store)
    with connect(db_path) as conn:
        conn.execute("DELETE FROM worklogs")
    assert _summary(store) == ([], [])  # no dead rows left behind


def test_a_task_moved_to_another_project_takes_its_time_along(store: Store) -> None:
    a, b, (t0, t1, t2) = _setup(store)
    day = TODAY - timedelta(days=2)
    store.worklogs.log(Worklog(person="dana", task_id=t0, day=day, minutes=120))
    store.worklogs.log(Worklog(person="dana", task_id=t1, day=day, minutes=60))
    store.worklogs.log(Worklog(person="dana", task_id=t2, day=day, minutes=30))
    store.worklogs.log(Worklog(person="eve", task_id=t0, day=day - timedelta(days=1), minutes=15))
    before_b = store.worklogs.labour_cost(b, None, store.worklogs.rates()).total
    store.tasks.update(t0, {"project_id": b})
    _assert_exact(store)
    moved_b = store.worklogs.labour_cost(b, None, store.worklogs.rates()).total
    assert moved_b == before_b + Decimal("112.50")  # 2 h 15 min at 50
    with store.db.read() as conn:  # eve's only time in A went with the task: no dead row
        assert not conn.execute("SELECT * FROM worklog_days WHERE person = 'eve' AND"
                                " project_id = ?", (a,)).fetchall()  # fmt: skip
    assert _ac(store, a) == (_ac(store, a)[1],) * 2
    store.tasks.update(t0, {"project_id": None})  # out of every project: in no AC
    _assert_exact(store)
    assert store.worklogs.labour_cost(b, None, store.worklogs.rates()).total == before_b
    store.tasks.update(t0, {"project_id": a})
    _assert_exact(store)
    assert _ac(store, a)[0] == _ac(store, a)[1]


_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 3), st.integers(0, 4),
                  st.integers(0, 300), st.sampled_from((0, 0, 30))),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("time"), st.integers(0, 50), st.integers(0, 300),
                  st.sampled_from((0, 15))),
        st.tuples(st.just("day"), st.integers(0, 50), st.integers(0, 4)),
        st.tuples(st.just("person"), st.integers(0, 50), st.integers(0, 1)),
        st.tuples(st.just("task"), st.integers(0, 50), st.integers(0, 3)),
        st.tuples(st.just("move"), st.integers(0, 3), st.integers(0, 2)),
    ),
    min_size=1, max_size=30,
)  # fmt: skip
"""Worklog edits: add (person, task, day, minutes, overtime), delete, change time, day,
person or task of the n-th worklog (modulo how many there are), move task n to project
A, B or none."""


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(ops=_ops)
def test_random_edit_sequences_keep_the_summary_equal_to_a_fresh_group_by(
    store: Store, ops: list[tuple[str | int, ...]]
) -> None:
    # One store for every example (a function-scoped fixture): set up once, then cleared.
    if not store.projects.find():
        _, _, tasks = _setup(store)
        store.tasks.add(Task(title="t3"))  # no project
    projects = [p.id for p in store.projects.find()] + [None]
    tasks = sorted(t.id for t in store.tasks.find())
    with store.db.write() as conn:
        conn.execute("DELETE FROM worklogs")
        for n, task in enumerate(tasks):
            conn.execute("UPDATE tasks SET project_id = ? WHERE id = ?",
                         (projects[min(n // 2, 2)] if n < 3 else None, task))  # fmt: skip
        for op in ops:
            ids = [int(r[0]) for r in conn.execute("SELECT id FROM worklogs ORDER BY id")]
            kind, args = op[0], [int(a) for a in op[1:]]
            if kind == "add":
                person, task, offset, minutes, overtime = args
                conn.execute(
                    "INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes,"
                    " created_at) VALUES (?, ?, ?, ?, ?, '2026-01-01')",
                    (PEOPLE[person], tasks[task], (TODAY - timedelta(days=offset)).isoformat(),
                     minutes, overtime),
                )  # fmt: skip
            elif kind == "move":
                task, project = args
                conn.execute("UPDATE tasks SET project_id = ? WHERE id = ?",
                             (projects[project], tasks[task]))  # fmt: skip
            elif ids:
                target, value = ids[args[0] % len(ids)], args[-1]
                values: tuple[object, ...]
                if kind == "delete":
                    sql, values = "DELETE FROM worklogs WHERE id = ?", ()
                elif kind == "time":
                    sql = "UPDATE worklogs SET minutes = ?, overtime_minutes = ? WHERE id = ?"
                    values = tuple(args[1:])
                elif kind == "day":
                    sql = "UPDATE worklogs SET day = ? WHERE id = ?"
                    values = ((TODAY - timedelta(days=value)).isoformat(),)
                elif kind == "person":
                    sql, values = "UPDATE worklogs SET person = ? WHERE id = ?", (PEOPLE[value],)
                else:
                    sql, values = "UPDATE worklogs SET task_id = ? WHERE id = ?", (tasks[value],)
                conn.execute(sql, (*values, target))
    _assert_exact(store)
    for project_id in projects[:2]:
        assert project_id is not None
        summed, scanned = _ac(store, project_id)
        assert summed == scanned


def _schema_8_file(path: Path) -> None:
    """A file as the previous release left it: schema 8, with worklogs, no summary."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for migration in MIGRATIONS[:8]:
            migration(conn)
        conn.executescript(
            """
            INSERT INTO people (login) VALUES ('dana'), ('eve');
            INSERT INTO projects (id, key, name) VALUES (1, 'AAA', 'A'), (2, 'BBB', 'B');
            INSERT INTO tasks (id, project_id, title, created_at, updated_at) VALUES
                (1, 1, 'a', '2026-11-01', '2026-11-01'), (2, 2, 'b', '2026-11-01', '2026-11-01'),
                (3, NULL, 'c', '2026-11-01', '2026-11-01');
            INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes, created_at)
            VALUES ('dana', 1, '2026-11-20', 600, 120, '2026-11-20'),
                   ('dana', 1, '2026-11-20', 30, 0, '2026-11-20'),
                   ('eve', 2, '2026-11-20', 60, 0, '2026-11-20'),
                   ('eve', 3, '2026-11-21', 60, 0, '2026-11-21'),
                   ('eve', 1, '2026-11-21', 0, 0, '2026-11-21');
            INSERT INTO person_rates (person, effective_from, rate, overtime_rate)
            VALUES ('dana', '2026-01-01', '50', '55');
            PRAGMA user_version = 8;
            """
        )
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_a_schema_8_file_with_worklogs_migrates_to_an_exact_summary(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_8_file(path)
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    try:
        assert store.db.schema_version() == SCHEMA_VERSION == 9
        stored, fresh = _summary(store)
        assert stored == fresh
        assert len(stored) == 3  # dana's two logs are one row; task 3 is in no project
        assert store.worklogs.labour_cost(1, None, store.worklogs.rates()).total == Decimal(
            "635.00"
        )
        assert not doctor(path).problems
    finally:
        store.close()


def test_export_leaves_the_summary_out_and_import_rebuilds_it(store: Store, tmp_path: Path) -> None:
    _, _, (t0, _, t2) = _setup(store)
    store.worklogs.log(Worklog(person="dana", task_id=t0, day=TODAY, minutes=90))
    store.worklogs.log(Worklog(person="eve", task_id=t2, day=TODAY, minutes=30))
    text = export_text(store.db)
    assert "worklog_days" not in json.loads(text)["tables"]
    copy = Store(tmp_path / "copy.db", user="pm", clock=FixedClock(TODAY))
    try:
        result = import_json(copy.db, parse_export(text))
        assert "worklog_days" not in result.rows
        assert _summary(copy) == _summary(store)
        assert _summary(copy)[0]
        assert export_text(copy.db) == text
    finally:
        copy.close()


def test_an_export_of_schema_8_still_imports(store: Store, tmp_path: Path) -> None:
    # Schema 9 only added the derived table, so a schema 8 export has the very same tables.
    assert expected_tables(8) == expected_tables(9) - DERIVED_TABLES
    _, _, (t0, _, _) = _setup(store)
    store.worklogs.log(Worklog(person="dana", task_id=t0, day=TODAY, minutes=90))
    data = json.loads(export_text(store.db))
    data["schema_version"] = 8
    copy = Store(tmp_path / "copy8.db", user="pm", clock=FixedClock(TODAY))
    try:
        import_json(copy.db, parse_export(json.dumps(data)))
        assert _summary(copy) == _summary(store)
        assert json.loads(export_text(copy.db))["schema_version"] == SCHEMA_VERSION
    finally:
        copy.close()
    data["schema_version"] = 7
    with pytest.raises(Exception, match="schema 7"):
        parse_export(json.dumps(data))


@pytest.mark.sqlite_only
def test_doctor_reports_a_dropped_summary_trigger_and_a_summary_gone_wrong(
    store: Store, db_path: Path
) -> None:
    _, _, (t0, _, _) = _setup(store)
    store.worklogs.log(Worklog(person="dana", task_id=t0, day=TODAY, minutes=90))
    store.close()
    assert not doctor(db_path).problems
    with connect(db_path) as conn:
        conn.execute("UPDATE worklog_days SET minutes = minutes + 1")
    (problem,) = doctor(db_path).problems
    assert "differs from the worklogs in 2 rows" in problem
    with connect(db_path) as conn:
        conn.execute("DROP TRIGGER worklog_days_update")
        conn.execute("UPDATE worklog_days SET minutes = minutes - 1")
    (problem,) = doctor(db_path).problems
    assert "triggers worklog_days_update missing" in problem
    assert "import FILE.json" in problem
