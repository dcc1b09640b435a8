"""One bad row must not empty every screen: the acting login is checked at start-up, implicit
person rows go through the model, and a stored row that breaks the rules is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.config import load_settings
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Person, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect

BAD_LOGINS = ("jane doe", "CORP\\jane", "o'neil", 'say"hi')


@pytest.mark.parametrize("login", BAD_LOGINS)
def test_a_login_outside_the_person_pattern_is_refused_at_start_up(login: str) -> None:
    with pytest.raises(InvalidInput, match="--user LOGIN or ITPM_USER=LOGIN") as caught:
        load_settings(env={"ITPM_USER": login})
    assert repr(login) in str(caught.value) and "(from ITPM_USER)" in str(caught.value)
    with pytest.raises(InvalidInput, match="from --user"):
        load_settings(user=login, env={})


@pytest.mark.parametrize("login", BAD_LOGINS)
def test_the_cli_names_the_bad_login_and_changes_nothing(db_path: Path, login: str) -> None:
    Store(db_path, user="pm", clock=FixedClock(TODAY)).close()
    result = Cli(db_path, user=login)("add", "Mine", "--assignee", login, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: the login {login!r}")
    with connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_a_store_cannot_act_as_a_login_no_person_can_have(db_path: Path) -> None:
    with pytest.raises(InvalidInput, match="login"):
        Store(db_path, user="jane doe", clock=FixedClock(TODAY))


def test_assigning_to_myself_adds_me_as_a_valid_person(store: Store) -> None:
    store.tasks.add(Task(title="Mine", assignee="pm"))
    assert [p.login for p in store.people.find()] == ["pm"]


def _plant_bad_person(db_path: Path, login: str = "jane doe") -> None:
    """What an older itpm-tui (or another program) left in the file."""
    with connect(db_path) as conn:
        conn.execute("INSERT INTO people (login) VALUES (?)", (login,))
        conn.execute(
            "INSERT INTO tasks (title, assignee, created_at, updated_at) VALUES (?, ?, ?, ?)",
            ("Hers", login, "2026-11-20T09:00:00+00:00", "2026-11-20T09:00:00+00:00"),
        )


def test_a_bad_person_row_is_skipped_and_named_not_fatal(store: Store, db_path: Path) -> None:
    store.people.save(Person(login="alice"))
    _plant_bad_person(db_path)
    assert [p.login for p in store.people.find()] == ["alice"]
    assert store.unreadable == ("cannot read person 'jane doe': login: String should match "
                                "pattern '^[\\w.\\-@]+$'",)  # fmt: skip
    with pytest.raises(InvalidInput, match="cannot read person 'jane doe'"):
        store.people.get("jane doe")


def test_person_list_and_list_still_work_beside_a_bad_row(run: Cli, db_path: Path) -> None:
    run("person", "add", "alice")
    run("add", "Mine", "--assignee", "pm")
    _plant_bad_person(db_path)
    people = run("person", "list")
    assert "alice" in people.stdout and "pm" in people.stdout
    assert "Warning: cannot read person 'jane doe'" in people.stderr
    listed = run("list")
    assert "Mine" in listed.stdout and "Hers" in listed.stdout


def test_a_task_that_cannot_be_read_is_named(store: Store, db_path: Path) -> None:
    task = store.tasks.add(Task(title="Fine"))
    with connect(db_path) as conn:
        conn.execute("UPDATE tasks SET due = '31/12/2026' WHERE id = ?", (task.id,))
    with pytest.raises(InvalidInput, match=f"cannot read task #{task.id}: due"):
        store.tasks.find()


def test_doctor_names_the_bad_row_and_how_to_fix_it(run: Cli, db_path: Path) -> None:
    _plant_bad_person(db_path)
    result = run("doctor", "--json", ok=False)
    import json

    report = json.loads(result.stdout)
    assert report["unreadable"] == [
        "table people, login 'jane doe': login: String should match pattern '^[\\w.\\-@]+$'"
    ]
    assert any("import --replace" in p for p in report["problems"])
