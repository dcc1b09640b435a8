"""Export and import: the documented format, exact round trips, and all-or-nothing refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.demo import build_demo
from itpm_tui.errors import InvalidInput, SchemaTooNew
from itpm_tui.models import Task
from itpm_tui.store import Store
from itpm_tui.store.schema import SCHEMA_VERSION
from itpm_tui.store.transfer import export_text, import_json, parse_export, row_counts
from tests.conftest import TODAY


def _store(path: Path) -> Store:
    return Store(path, user="pm", clock=FixedClock(TODAY))


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo database, exported once for the module."""
    store = _store(tmp_path_factory.mktemp("export") / "demo.db")
    build_demo(store, TODAY)
    text = export_text(store.db)
    store.close()
    return text


def _counts(store: Store) -> dict[str, int]:
    with store.db.read() as conn:
        return row_counts(conn)


def test_export_import_export_is_byte_identical(demo_export: str, tmp_path: Path) -> None:
    store = _store(tmp_path / "copy.db")
    result = import_json(store.db, parse_export(demo_export))
    assert export_text(store.db) == demo_export
    assert result.total == sum(_counts(store).values()) > 900
    assert result.rows["tasks"] == 164


def test_format_is_documented_shape_with_tables_sorted_and_values_as_stored(
    demo_export: str,
) -> None:
    data = json.loads(demo_export)
    assert list(data) == ["format", "schema_version", "tables"]
    assert data["format"] == "itpm-tui"
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data["tables"]) == sorted(data["tables"])
    assert data["tables"]["task_links"]["columns"] == ["id", "pred_id", "succ_id", "kind", "lag"]
    projects = data["tables"]["projects"]
    assert projects["columns"][:4] == ["id", "key", "name", "bac"]
    app = dict(zip(projects["columns"], projects["rows"][2], strict=True))
    assert app["key"] == "APP"
    assert app["bac"] == "96000"  # money stays exact text, never a float
    assert app["hours_per_day"] == 8.0
    assert json.loads(app["holidays"]) == ["2026-12-25", "2026-12-26", "2027-01-01"]
    ids = [row[0] for row in data["tables"]["tasks"]["rows"]]
    assert ids == sorted(ids)


def test_unicode_and_awkward_floats_survive_exactly(tmp_path: Path) -> None:
    store = _store(tmp_path / "a.db")
    store.tasks.add(Task(title='Ümlaut — 日本語 "quoted" \\ backslash', notes="two\nlines\ttab",
                         estimate_hours=0.1 + 0.2))  # fmt: skip
    text = export_text(store.db)
    copy = _store(tmp_path / "b.db")
    import_json(copy.db, parse_export(text))
    task = copy.tasks.get(1)
    assert task.title == 'Ümlaut — 日本語 "quoted" \\ backslash'
    assert task.notes == "two\nlines\ttab"
    assert task.estimate_hours == 0.30000000000000004
    assert export_text(copy.db) == text


def test_empty_database_round_trips(tmp_path: Path) -> None:
    text = export_text(_store(tmp_path / "a.db").db)
    copy = _store(tmp_path / "b.db")
    assert import_json(copy.db, parse_export(text)).total == 0
    assert export_text(copy.db) == text


def test_import_refuses_a_database_with_data_and_changes_nothing(
    demo_export: str, tmp_path: Path
) -> None:
    store = _store(tmp_path / "busy.db")
    store.tasks.add(Task(title="mine"))
    before = export_text(store.db)
    with pytest.raises(InvalidInput, match=r"not empty .*--replace"):
        import_json(store.db, parse_export(demo_export))
    assert export_text(store.db) == before


def test_replace_swaps_everything_and_keeps_the_audit_log_append_only(
    demo_export: str, tmp_path: Path
) -> None:
    store = _store(tmp_path / "busy.db")
    store.tasks.add(Task(title="old task that goes away"))
    import_json(store.db, parse_export(demo_export), replace=True)
    assert export_text(store.db) == demo_export
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.db.write() as conn:
        conn.execute("DELETE FROM audit WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.db.write() as conn:
        conn.execute("UPDATE audit SET who = 'mallory'")


def _doc(**tables: Any) -> dict[str, Any]:
    return {"format": "itpm-tui", "schema_version": SCHEMA_VERSION, "tables": tables}


def _empty_tables(store: Store) -> dict[str, Any]:
    return json.loads(export_text(store.db))["tables"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "invalid JSON"),
        ("{not json", "invalid JSON"),
        ("[1, 2]", 'no "format"'),
        ('{"format": "something-else", "schema_version": 1, "tables": {}}', 'no "format"'),
        ('{"format": "itpm-tui", "schema_version": "1", "tables": {}}', "schema_version"),
        ('{"format": "itpm-tui", "schema_version": 0, "tables": {}}', "schema_version"),
        (f'{{"format": "itpm-tui", "schema_version": {SCHEMA_VERSION}}}', '"tables" is missing'),
        ('{"format": "itpm-tui", "schema_version": 1, "tables": {"x": NaN}}', "invalid JSON"),
    ],
)
def test_malformed_files_are_refused_before_touching_the_database(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_export(text)


def test_newer_schema_is_refused_with_upgrade_advice() -> None:
    text = json.dumps({"format": "itpm-tui", "schema_version": SCHEMA_VERSION + 1, "tables": {}})
    with pytest.raises(SchemaTooNew, match=r"newer itpm-tui .* Upgrade"):
        parse_export(text)


def _break(store: Store, change: Any) -> dict[str, Any]:
    tables = _empty_tables(store)
    change(tables)
    return _doc(**tables)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.pop("audit"), "missing audit"),
        (lambda t: t.update(extra={"columns": [], "rows": []}), "unknown extra"),
        (lambda t: t["people"].update(columns=["login", "name"]), "columns"),
        (lambda t: t["people"].update(rows=[["bob", "Bob"]]), "row 1: expected a list of 3"),
        (lambda t: t["people"].update(rows=[["bob", {"x": 1}, ""]]), "not text, a number"),
        (lambda t: t["people"].update(rows=[["bob", True, ""]]), "not text, a number"),
        (lambda t: t["people"].update(rows="bob"), '"rows" is not a list'),
        (lambda t: t.update(people=[]), '"columns" and "rows"'),
        (lambda t: t["people"].update(rows=[["bob", "", ""], ["bob", "", ""]]), "UNIQUE"),
    ],
)
def test_a_broken_table_is_refused_and_nothing_is_written(
    tmp_path: Path, change: Any, message: str
) -> None:
    store = _store(tmp_path / "a.db")
    data = _break(store, change)
    with pytest.raises(InvalidInput, match=message):
        import_json(store.db, data)
    assert sum(_counts(store).values()) == 0


def test_a_bad_row_in_the_last_table_rolls_back_every_earlier_table(
    demo_export: str, tmp_path: Path
) -> None:
    data = json.loads(demo_export)
    tasks = data["tables"]["tasks"]
    status = tasks["columns"].index("status")
    tasks["rows"][-1][status] = "someday"  # breaks the CHECK constraint
    store = _store(tmp_path / "a.db")
    with pytest.raises(InvalidInput, match="table tasks breaks a database rule"):
        import_json(store.db, data)
    assert sum(_counts(store).values()) == 0


def test_dangling_references_are_refused(demo_export: str, tmp_path: Path) -> None:
    data = json.loads(demo_export)
    data["tables"]["projects"]["rows"] = []
    store = _store(tmp_path / "a.db")
    with pytest.raises(InvalidInput, match="refers to rows it does not contain"):
        import_json(store.db, data)
    assert sum(_counts(store).values()) == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("thresholds", '{"cpi_green": 0.8, "cpi_amber": 0.9}', "cpi_amber"),
        ("thresholds", "{not json", "thresholds is not JSON"),
        ("holidays", '["31 Feb"]', "holidays"),
    ],
)
def test_projects_breaking_a_model_rule_are_refused(
    demo_export: str, tmp_path: Path, column: str, value: str, message: str
) -> None:
    """Rules only the model knows would otherwise make every later read of the project fail."""
    data = json.loads(demo_export)
    projects = data["tables"]["projects"]
    projects["rows"][0][projects["columns"].index(column)] = value
    store = _store(tmp_path / "a.db")
    with pytest.raises(InvalidInput, match=message):
        import_json(store.db, data)
    assert sum(_counts(store).values()) == 0


def test_replace_that_fails_keeps_the_old_data(demo_export: str, tmp_path: Path) -> None:
    store = _store(tmp_path / "a.db")
    store.tasks.add(Task(title="precious"))
    before = export_text(store.db)
    data = json.loads(demo_export)
    data["tables"]["milestones"]["rows"] = []
    with pytest.raises(InvalidInput):
        import_json(store.db, data, replace=True)
    assert export_text(store.db) == before


def test_export_refuses_values_json_cannot_hold(tmp_path: Path) -> None:
    store = _store(tmp_path / "a.db")
    store.tasks.add(Task(title="x"))
    with store.db.write() as conn:
        conn.execute("UPDATE tasks SET remaining_hours = 9e999")  # SQLite stores infinity
    from itpm_tui.errors import DatabaseError

    with pytest.raises(DatabaseError, match=r"tasks\.remaining_hours"):
        export_text(store.db)


def test_links_that_make_a_cycle_are_refused(tmp_path: Path) -> None:
    store = _store(tmp_path / "a.db")
    for title in ("a", "b"):
        store.tasks.add(Task(title=title))
    store.links.add(1, 2)
    data = json.loads(export_text(store.db))
    data["tables"]["task_links"]["rows"].append([2, 2, 1, "fs", 0])
    copy = _store(tmp_path / "b.db")
    with pytest.raises(InvalidInput, match=r"task_links make a cycle: #1 -> #2 -> #1"):
        import_json(copy.db, data)
    assert sum(_counts(copy).values()) == 0


def test_raid_items_links_and_risk_settings_round_trip_exactly(tmp_path: Path) -> None:
    from decimal import Decimal

    from itpm_tui.models import Milestone, Project, RaidItem, RiskScaleKind, RiskSettings

    store = _store(tmp_path / "a.db")
    project = store.projects.add(Project(key="APP", name="App", risk_settings=RiskSettings(
        kind=RiskScaleKind.PMBOK, high=Decimal("0.2"), contingency=Decimal("30000"))))  # fmt: skip
    task = store.tasks.add(Task(title="Submit build", project_id=project.id))
    gate = store.milestones.add(Milestone(project_id=project.id, name="Store release",
                                          baseline=TODAY, forecast=TODAY))  # fmt: skip
    item = store.raid.add(RaidItem(
        project_id=project.id, kind="risk", title="App store review rejects the build",
        description="two\nlines", probability=Decimal("0.7"), impact=Decimal("0.05"),
        cost_impact=Decimal("1234.50"), raised_on=TODAY, task_ids=(task.id,),
        milestone_ids=(gate.id,)))  # fmt: skip
    store.raid.update(item.id, {"impact": Decimal("0.4")})
    text = export_text(store.db)
    tables = json.loads(text)["tables"]
    assert len(tables["raid_items"]["rows"]) == 1
    assert len(tables["raid_links"]["rows"]) == 2
    copy = _store(tmp_path / "b.db")
    import_json(copy.db, parse_export(text))
    assert export_text(copy.db) == text
    assert copy.raid.get(item.id) == store.raid.get(item.id)
    assert copy.projects.by_key("APP").risk_settings == project.risk_settings


def test_a_raid_item_breaking_a_model_rule_is_refused(tmp_path: Path) -> None:
    from itpm_tui.models import Project

    store = _store(tmp_path / "a.db")
    store.projects.add(Project(key="NET", name="Net"))
    data = json.loads(export_text(store.db))
    columns = data["tables"]["raid_items"]["columns"]
    row = dict.fromkeys(columns)
    row |= {"id": 1, "project_id": 1, "kind": "risk", "title": "No rating", "status": "open",
            "raised_by": "pm", "raised_on": "2026-11-23", "description": "", "mitigation": "",
            "created_at": "2026-11-23T09:00:00+00:00", "updated_at": "2026-11-23T09:00:00+00:00",
            "version": 1}  # fmt: skip
    data["tables"]["raid_items"]["rows"] = [[row[c] for c in columns]]
    copy = _store(tmp_path / "b.db")
    with pytest.raises(InvalidInput, match=r"table raid_items, row 1 .*needs a probability"):
        import_json(copy.db, data)
    assert _counts(copy)["raid_items"] == 0
