"""``link`` and ``schedule`` on the command line: output, JSON, what-if and refusals."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, export_of


@pytest.fixture
def plan(run: Cli) -> Cli:
    """Project OPS: #1 (16 h) -> #2 (8 h) feed milestone 1; #3 (8 h) feeds it too; #4 done."""
    run("project", "add", "OPS", "Operations")
    run("milestone", "add", "OPS", "Cut-over", "--baseline", "+5wd")
    run("add", "Build", "-p", "OPS", "--estimate", "16", "-m", "1")
    run("add", "Test", "-p", "OPS", "--estimate", "8", "-m", "1")
    run("add", "Docs", "-p", "OPS", "--estimate", "8", "-m", "1")
    run("add", "Kick-off", "-p", "OPS", "--estimate", "4", "--status", "done")
    return run


def _one_error(result: object, message: str) -> None:
    from click.testing import Result

    assert isinstance(result, Result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [f"Error: {message}"], result.stderr


def test_link_add_list_show_and_remove(plan: Cli) -> None:
    assert plan("link", "add", "1", "#2").stdout == "linked #1 -> #2  fs\n"
    assert plan("link", "add", "4", "1", "--type", "ss", "--lag", "-1").stdout == (
        "linked #4 -> #1  ss -1 wd\n"
    )
    listed = plan("link", "list", "--project", "OPS").stdout.splitlines()
    assert listed == ["#4 -> #1  ss -1 wd  Kick-off -> Build", "#1 -> #2  fs  Build -> Test"]
    data = json.loads(plan("link", "list", "--json").stdout)
    assert data[1] == {"pred_id": 1, "succ_id": 2, "kind": "fs", "lag": 0}
    shown = plan("show", "1").stdout
    assert "predecessors:\n  #4 -> #1  ss -1 wd  Kick-off -> Build\n" in shown
    assert "successors:\n  #1 -> #2  fs  Build -> Test\n" in shown
    assert (  # the whole chain upstream: #2 waits for #1, which waits for #4
        "predecessors:\n  #1 -> #2  fs  Build -> Test\n    #4 -> #1  ss -1 wd  Kick-off -> Build\n"
        in plan("show", "2").stdout
    )
    shown_json = json.loads(plan("show", "2", "--json").stdout)
    assert [lk["pred_id"] for lk in shown_json["predecessors"]] == [1]
    assert [(lk["pred_id"], lk["succ_id"]) for lk in shown_json["upstream"]] == [(1, 2), (4, 1)]
    assert shown_json["successors"] == shown_json["downstream"] == []
    assert plan("link", "rm", "1", "2").stdout == "removed #1 -> #2  fs\n"
    assert plan("link", "list", "-p", "OPS").stdout.splitlines() == listed[:1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("link", "add", "1", "99"), "no task #99"),
        (("link", "add", "77", "1"), "no task #77"),
        (("link", "add", "1", "1"), "a task cannot depend on itself (#1)"),
        (("link", "add", "1", "2"), "#2 already depends on #1 fs; remove that link first"),
        (("link", "add", "2", "1"), "that link would make a cycle: #2 -> #1 -> #2"),
        (("link", "add", "1", "3", "--lag", "two"),
         "lag 'two' is not a whole number of working days (e.g. 2, +2 or -1 for a lead)"),
        (("link", "add", "x", "3"), "a task is an id number like 12 or #12 (got 'x')"),
        (("link", "rm", "2", "3"), "#3 does not depend on #2"),
        (("schedule", "--what-if", "1=soon"), "what-if '1=soon': use ID=+N (working days), e.g. 42=+3"),
        (("schedule", "--what-if", "4=+1"), "#4 is done: it cannot slip any more"),
        (("schedule", "--what-if", "99=+1"), "no task #99 in this schedule"),
    ],
)  # fmt: skip
def test_bad_input_is_one_error_line_and_changes_nothing(
    plan: Cli, args: tuple[str, ...], message: str
) -> None:
    plan("link", "add", "1", "2")
    before = export_of(plan.db_path)
    _one_error(plan(*args, ok=False), message)
    assert export_of(plan.db_path) == before


def test_a_link_to_a_done_task_is_allowed_and_uses_its_fixed_dates(plan: Cli) -> None:
    plan("link", "add", "4", "3", "--lag", "2")
    data = json.loads(plan("schedule", "--project", "OPS", "--json").stdout)
    docs = next(t for t in data["projects"][0]["tasks"] if t["task_id"] == 3)
    # #4 was done today (Mon 23 Nov 2026): its finish boundary is Tue, + 2 wd = Thu 26th.
    assert docs["early_start"] == "2026-11-26"
    assert [t["task_id"] for t in data["projects"][0]["tasks"]] == [1, 2, 3]  # done #4 left out


def test_schedule_table_and_milestone_forecasts(plan: Cli) -> None:
    plan("link", "add", "1", "2")
    out = plan("schedule").stdout
    lines = out.splitlines()
    assert (
        lines[0]
        == "OPS  Operations: as of 2026-11-23, finish 2026-11-25, 2 critical of 3 open tasks"
    )
    assert lines[1].split() == ["id", "ES", "EF", "LS", "LF", "TF", "FF", "flag", "title"]
    assert lines[2].split() == ["#1", "2026-11-23", "2026-11-24", "2026-11-23", "2026-11-24",
                                "0", "0", "CRIT", "Build"]  # fmt: skip
    assert lines[3].split() == ["#2", "2026-11-25", "2026-11-25", "2026-11-25", "2026-11-25",
                                "0", "0", "CRIT", "Test"]  # fmt: skip
    assert lines[4].split() == ["#3", "2026-11-23", "2026-11-23", "2026-11-25", "2026-11-25",
                                "2", "2", "near", "Docs"]  # fmt: skip
    assert lines[5:] == [
        "milestones:",
        "  M1 Cut-over: computed 2026-11-25, 3 wd before its baseline 2026-11-30; "
        "typed forecast 2026-11-30",
    ]


def test_what_if_shows_what_moves_without_saving(plan: Cli) -> None:
    plan("link", "add", "1", "2")
    before = export_of(plan.db_path)
    within = plan("schedule", "--what-if", "3=+2").stdout
    assert within.endswith("what if #3 +2 wd: nothing moves (within float)\n")
    moved = plan("schedule", "--what-if", "#1=+3", "--json").stdout
    assert json.loads(moved)["what_if"]["moves"] == [
        {"what": "milestone", "id": 1, "name": "Cut-over", "before": "2026-11-25",
         "after": "2026-11-30", "working_days": 3},
        {"what": "project", "id": 1, "name": "OPS", "before": "2026-11-25",
         "after": "2026-11-30", "working_days": 3},
    ]  # fmt: skip
    text = plan("schedule", "--what-if", "1=+3").stdout
    assert 'milestone "Cut-over" moves +3 wd (2026-11-25 -> 2026-11-30)' in text
    assert export_of(plan.db_path) == before


def test_schedule_as_of_counts_remaining_work_from_that_day(plan: Cli) -> None:
    data = json.loads(plan("schedule", "--as-of", "2026-11-30", "--json").stdout)
    assert data["as_of"] == "2026-11-30"
    assert data["projects"][0]["tasks"][0]["early_start"] == "2026-11-30"


def test_schedule_says_which_late_task_moves_which_milestone(plan: Cli) -> None:
    plan("link", "add", "1", "2")
    plan("set", "1", "--finish", "2026-11-23")  # 2 wd of work left: 1 wd late
    out = plan("schedule").stdout
    assert out.endswith(
        "why milestones move:\n"
        "  #1 is 1 wd late with 0 wd float: milestone Cut-over moves +1 wd (forecast 25 Nov 2026)\n"
    )
    data = json.loads(plan("schedule", "--json").stdout)
    assert data["projects"][0]["reasons"] == [out.splitlines()[-1].strip()]


def test_a_link_across_projects_is_shown_as_such_and_scheduled(plan: Cli) -> None:
    plan("project", "add", "EU", "Europe")
    plan("add", "EU rollout", "-p", "EU", "--estimate", "8")
    plan("link", "add", "2", "5")
    listed = plan("link", "list", "-p", "EU").stdout
    assert listed == "#2 -> #5  fs  Test -> EU rollout  (across projects: OPS -> EU)\n"
    data = json.loads(plan("schedule", "-p", "EU", "--json").stdout)
    # OPS's #2 (8 h) runs Monday; the EU task waits for it and starts Tuesday.
    assert data["projects"][0]["tasks"] == [
        {"task_id": 5, "duration_wd": 1, "early_start": "2026-11-24",
         "early_finish": "2026-11-24", "late_start": "2026-11-24", "late_finish": "2026-11-24",
         "total_float": 0, "free_float": 0, "critical": True, "near_critical": False},
    ]  # fmt: skip
