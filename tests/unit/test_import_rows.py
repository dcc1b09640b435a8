"""An import is checked row by row with the models the app reads with, so nothing it accepts
can make list, health or export fail afterwards; a refused import changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Person, Project, Task
from itpm_tui.store import Store
from itpm_tui.store.transfer import export_text
from tests.conftest import TODAY, Cli


@pytest.fixture
def export(tmp_path: Path) -> dict[str, Any]:
    """A small export: one person, one project, one task with hours, its audit rows."""
    store = Store(tmp_path / "source.db", user="pm", clock=FixedClock(TODAY))
    store.people.save(Person(login="bob"))
    project = store.projects.add(Project(key="NET", name="Network"))
    store.tasks.add(Task(title="Cable", project_id=project.id, assignee="bob", estimate_hours=4))
    data: dict[str, Any] = json.loads(export_text(store.db))
    store.close()
    return data


def _set(data: dict[str, Any], table: str, column: str, value: object) -> str:
    spec = data["tables"][table]
    spec["rows"][0][spec["columns"].index(column)] = value
    return json.dumps(data)


CASES = [
    ("tasks", "due", "31/12/2026", "table tasks, row 1 (id 1): due"),
    ("tasks", "title", "x" * 600, "table tasks, row 1 (id 1): title"),
    ("people", "login", "[bold]x", "table people, row 1: login"),
    ("audit", "at", "yesterday", "table audit, row 1 (id 1): at"),
    ("tasks", "estimate_hours", 1e6, "table tasks, row 1 (id 1): estimate hours"),
    ("tasks", "status", "someday", "table tasks breaks a database rule"),
]


@pytest.mark.parametrize(("table", "column", "value", "message"), CASES,
                         ids=[f"{c[0]}.{c[1]}" for c in CASES])  # fmt: skip
def test_a_row_the_app_could_not_read_is_refused_naming_table_row_and_column(
    export: dict[str, Any], run: Cli, tmp_path: Path,
    table: str, column: str, value: object, message: str,
) -> None:  # fmt: skip
    if table == "people":  # the task and audit refer to the person: rename it everywhere
        text = json.dumps(export).replace('"bob"', json.dumps(value))
    else:
        text = _set(export, table, column, value)
    file = tmp_path / "bad.json"
    file.write_text(text)
    result = run("import", str(file), ok=False)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert run("list", "--all").stdout.strip() == "no tasks"  # nothing was written


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_a_number_too_large_for_json_is_refused_so_the_file_stays_exportable(
    export: dict[str, Any], run: Cli, tmp_path: Path, number: str
) -> None:
    file = tmp_path / "huge.json"
    file.write_text(_set(export, "tasks", "estimate_hours", 12345.5).replace("12345.5", number))
    result = run("import", str(file), ok=False)
    assert "row 1, column estimate_hours: the number is too large" in result.stderr
    run("export", "-o", str(tmp_path / "out.json"))


def test_replace_with_one_bad_row_keeps_every_old_row(
    export: dict[str, Any], run: Cli, tmp_path: Path
) -> None:
    run("add", "precious")
    before = run("export").stdout
    file = tmp_path / "bad.json"
    file.write_text(_set(export, "audit", "at", "yesterday"))
    result = run("import", "--replace", str(file), ok=False)
    assert "table audit, row 1 (id 1): at" in result.stderr
    assert run("export").stdout == before


def test_a_valid_import_still_loads(export: dict[str, Any], run: Cli, tmp_path: Path) -> None:
    file = tmp_path / "good.json"
    file.write_text(json.dumps(export))
    run("import", str(file))
    assert "Cable" in run("list", "--all").stdout
    run("health")
