"""The task commands as a script would use them: add, set, done, list, show, log."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, connect


def _count(run: Cli, table: str) -> int:
    with connect(run.db_path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_add_with_human_due_date_lands_on_friday(run: Cli) -> None:
    run("add", "Call vendor", "--due", "fri", "--estimate", "2")
    tasks = json.loads(run("list", "--json").stdout)
    assert [(t["title"], t["due"], t["estimate_hours"]) for t in tasks] == [
        ("Call vendor", "2026-11-27", 2.0)
    ]


def test_add_and_set_say_which_day_a_typed_date_means_and_warn(run: Cli) -> None:
    # Monday 23 Nov 2026: "20 nov" is next year's, a Saturday; "fri" this week's.
    assert run("add", "Renew cert", "--due", "20 nov").stdout == (
        "added #1: Renew cert · due Sat 20 Nov 27 ⚠ non-working day\n")  # fmt: skip
    assert run("set", "1", "--due", "fri", "--start", "yesterday").stdout == (
        "updated #1: Renew cert (todo) · due Fri 27 Nov · start Sun 22 Nov ⚠ 1 day ago, "
        "non-working day\n")  # fmt: skip
    assert run("add", "No dates").stdout == "added #2: No dates\n"


def test_a_new_task_is_mine_unless_i_say_otherwise(run: Cli) -> None:
    run("add", "Mine")
    run("add", "Nobody's", "--assignee", "none")
    run("--user", "alice", "add", "Alice's")
    tasks = json.loads(run("list", "--json", "--all").stdout)
    assert [(t["title"], t["assignee"]) for t in tasks] == [
        ("Mine", "pm"), ("Nobody's", None), ("Alice's", "alice"),
    ]  # fmt: skip


def test_bad_date_is_one_clear_line_and_writes_nothing(run: Cli) -> None:
    result = run("add", "Bad", "--due", "fooday", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: can't read 'fooday' as a date")
    assert "Traceback" not in result.output
    assert _count(run, "tasks") == 0
    assert _count(run, "audit") == 0


def test_negative_numbers_are_refused(run: Cli) -> None:
    assert run("add", "x", "--estimate", "-3", ok=False).exit_code == 1
    assert run("add", "x", "--planned-cost", "-10", ok=False).exit_code == 1
    assert run("add", "x", "--planned-cost", "1.234", ok=False).exit_code == 1
    assert _count(run, "tasks") == 0


def test_done_with_one_unknown_id_changes_nothing(run: Cli) -> None:
    run("add", "first")
    result = run("done", "1", "99", ok=False)
    assert "no task #99" in result.stderr
    assert json.loads(run("show", "1", "--json").stdout)["status"] == "todo"


def test_set_records_every_field_change_in_the_log(run: Cli) -> None:
    run("add", "Patch servers")
    run("set", "1", "--status", "doing", "--remaining", "3", user="alice")
    events = json.loads(run("log", "1", "--json").stdout)
    assert [(e["field"], e["old"], e["new"], e["who"]) for e in events] == [
        ("remaining_hours", None, "3.0", "alice"),
        ("status", "todo", "doing", "alice"),
        ("created", None, "Patch servers", "pm"),
    ]


def test_unknown_assignee_is_refused(run: Cli) -> None:
    result = run("add", "x", "--assignee", "bob", ok=False)
    assert "no person 'bob'" in result.stderr


def test_today_list_groups_overdue_first(run: Cli) -> None:
    run("add", "late", "--due", "2026-11-20")
    run("add", "now", "--due", "today")
    run("add", "later", "--due", "+5d")
    groups = json.loads(run("list", "--today", "--json").stdout)
    assert [t["title"] for t in groups["overdue"]] == ["late"]
    assert [t["title"] for t in groups["due today"]] == ["now"]
    assert [t["title"] for t in groups["next up"]] == ["later"]


@pytest.mark.sqlite_only
def test_a_mistyped_db_path_is_an_error_not_a_new_empty_database(run: Cli) -> None:
    missing = run.db_path.with_name("typo.db")
    result = run("--db", str(missing), "list", ok=False)
    assert result.exit_code == 1
    assert "does not exist; create it with" in result.stderr
    assert not missing.exists()


def test_list_json_is_one_task_per_line_in_order_streamed_past_a_write_chunk(run: Cli) -> None:
    """Streamed output must still be one valid JSON array, whatever its length."""
    assert run("list", "--json").stdout == "[]\n"
    with connect(run.db_path) as conn:
        conn.executemany(
            "INSERT INTO tasks (title, created_at, updated_at, updated_by, version)"
            " VALUES (?, '2026-11-23T09:00:00+00:00', '2026-11-23T09:00:00+00:00', 'pm', 1)",
            [(f"task {n}",) for n in range(1, 1203)],
        )
    lines = run("list", "--json", "--sort", "title", "--limit", "1202").stdout.splitlines()
    assert len(lines) == 1203  # 1,202 tasks and the closing bracket
    tasks = json.loads("\n".join(lines))
    assert [t["title"] for t in tasks] == sorted(f"task {n}" for n in range(1, 1203))
    assert len(json.loads(run("list", "--json", "--limit", "7").stdout)) == 7
    mine = json.loads(run("list", "--json", "--mine", "--limit", "3").stdout)
    assert [t["id"] for t in mine] == [1, 2, 3]  # personal to-dos are mine


def test_show_and_log_say_a_tasks_changes_as_the_app_history_does(run: Cli) -> None:
    # Raw stored values used to show: "remaining_hours: 8 -> 1.0", "due: 2026-11-27 -> ...".
    run("add", "Rack switches", "--estimate", "8", "--due", "fri")
    run("set", "1", "--remaining", "1", "--due", "2026-12-01", "--status", "doing")
    shown = run("show", "1").stdout
    assert "task 1  remaining: — -> 1h" in shown
    assert "task 1  due: Fri 27 Nov -> Tue 01 Dec" in shown
    assert "task 1  status: ○ To do -> ◐ Doing" in shown
    assert "task 1  remaining: — -> 1h" in run("log", "1").stdout
