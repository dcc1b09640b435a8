"""Project, milestone, cost and person commands, including every bad input changing nothing."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from itpm_tui.cli.projects import parse_workdays
from itpm_tui.errors import InvalidInput
from tests.conftest import Cli


def _snapshot(run: Cli) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the audit log included)."""
    if not run.db_path.exists():
        return {}
    with sqlite3.connect(run.db_path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def _json(run: Cli, *args: str) -> Any:
    return json.loads(run(*args, "--json").stdout)


@pytest.fixture
def net(run: Cli) -> Cli:
    """A database with project NET (Christmas off), a milestone, a person and a cost entry."""
    run("project", "add", "net", "Branch network upgrade", "--bac", "180000", "--currency", "eur",
        "--start", "2026-09-01", "--finish", "2027-01-29", "--holiday", "2026-12-25",
        "--holiday", "2027-01-01")  # fmt: skip
    run("milestone", "add", "NET", "Pilot cut-over", "--baseline", "2026-12-23")
    run("person", "add", "alice", "--name", "Alice Novak", "--team", "Infrastructure")
    run("cost", "add", "NET", "1200.50", "--date", "2026-11-20", "--category", "labour")
    return run


# --- projects --------------------------------------------------------------------------------


def test_project_add_stores_every_field(net: Cli) -> None:
    (project,) = _json(net, "project", "list")
    assert project["key"] == "NET"
    assert project["bac"] == "180000"
    assert project["currency"] == "EUR"
    assert (project["start"], project["baseline_finish"]) == ("2026-09-01", "2027-01-29")
    assert project["holidays"] == ["2026-12-25", "2027-01-01"]
    assert project["workdays"] == [1, 2, 3, 4, 5]


def test_project_add_with_a_six_day_week_and_human_dates(run: Cli) -> None:
    out = run("project", "add", "OPS", "Ops rota", "--workdays", "1-4,6", "--start", "today",
              "--finish", "+2w", "--hours-per-day", "7.5").stdout  # fmt: skip
    assert out == "added project OPS: Ops rota\n"
    (project,) = _json(run, "project", "list")
    assert project["workdays"] == [1, 2, 3, 4, 6]
    assert (project["start"], project["baseline_finish"]) == ("2026-11-23", "2026-12-07")
    assert project["hours_per_day"] == 7.5
    text = run("project", "list").stdout
    assert "Mon,Tue,Wed,Thu,Sat" in text


def test_project_set_changes_fields_and_logs_them(net: Cli) -> None:
    net("project", "set", "NET", "--bac", "195000", "--name", "Network refresh", user="sponsor")
    (project,) = _json(net, "project", "list")
    assert (project["bac"], project["name"], project["version"]) == (
        "195000", "Network refresh", 2)  # fmt: skip
    with sqlite3.connect(net.db_path) as conn:
        rows = conn.execute(
            "SELECT who, field, old, new FROM audit WHERE entity = 'project' AND field != 'created'"
            " ORDER BY id"
        ).fetchall()
    assert rows == [("sponsor", "name", "Branch network upgrade", "Network refresh"),
                    ("sponsor", "bac", "180000", "195000")]  # fmt: skip


def test_project_set_holiday_none_clears_the_list(net: Cli) -> None:
    net("project", "set", "NET", "--holiday", "none")
    (project,) = _json(net, "project", "list")
    assert project["holidays"] == []


def test_workdays_parser() -> None:
    assert parse_workdays("1-5") == (1, 2, 3, 4, 5)
    assert parse_workdays("7,1, 2") == (1, 2, 7)
    for bad in ("0-5", "5-1", "mon-fri", "", "1-8"):
        with pytest.raises(InvalidInput):
            parse_workdays(bad)


# --- milestones ------------------------------------------------------------------------------


def test_milestone_slip_counts_working_days_around_holidays(net: Cli) -> None:
    # Wed 23 Dec -> Mon 28 Dec: Thu 24 and Mon 28 are working days; 25 Dec and the weekend not.
    out = net("milestone", "set", "1", "--forecast", "2026-12-28").stdout
    assert out == "updated milestone 1: Pilot cut-over (2 working days late)\n"
    (m,) = _json(net, "milestone", "list")
    assert (m["baseline"], m["forecast"], m["slip_working_days"]) == (
        "2026-12-23", "2026-12-28", 2)  # fmt: skip
    assert m["project_key"] == "NET"


def test_milestone_history_keeps_each_days_forecast(run: Cli, net: Cli) -> None:
    net("milestone", "set", "1", "--forecast", "2026-12-30")
    net("milestone", "set", "1", "--forecast", "2026-12-28")  # same day: the last one counts
    (m,) = _json(net, "milestone", "list", "--project", "net")
    assert m["history"] == [
        {"recorded_on": "2026-11-23", "forecast": "2026-12-23"},
        {"recorded_on": "2026-11-23", "forecast": "2026-12-28"},
    ]


def test_milestone_actual_and_text_listing(net: Cli) -> None:
    net("milestone", "add", "NET", "Design approved", "--baseline", "2026-10-01",
        "--forecast", "2026-10-05")  # fmt: skip
    net("milestone", "set", "2", "--actual", "2026-10-02")
    lines = net("milestone", "list").stdout.splitlines()
    assert lines[0].split() == ["2", "NET", "baseline", "2026-10-01", "reached", "2026-10-02",
                                "1", "working", "day", "late", "Design", "approved"]  # fmt: skip
    assert "on baseline" in lines[1]
    net("milestone", "set", "2", "--actual", "none")
    (m,) = [m for m in _json(net, "milestone", "list") if m["id"] == 2]
    assert m["actual"] is None


# --- costs and people ------------------------------------------------------------------------


def test_cost_add_and_list_with_totals(net: Cli) -> None:
    net("cost", "add", "net", "99.5", "--date", "yesterday", "--note", "cables")
    entries = _json(net, "cost", "list", "--project", "NET")
    assert [(e["spent_on"], e["amount"], e["category"], e["note"], e["project_key"])
            for e in entries] == [
        ("2026-11-20", "1200.50", "labour", "", "NET"),
        ("2026-11-22", "99.5", "", "cables", "NET"),
    ]  # fmt: skip
    text = net("cost", "list").stdout
    assert text.splitlines()[-1] == "total NET: 1,300.00 EUR of 180,000 budget"


def test_person_add_set_and_list(net: Cli) -> None:
    net("person", "add", "bob.s", "--name", "Bob Schmidt")
    net("person", "set", "bob.s", "--team", "Infrastructure")
    people = _json(net, "person", "list", "--team", "Infrastructure")
    assert people == [
        {"login": "alice", "name": "Alice Novak", "team": "Infrastructure"},
        {"login": "bob.s", "name": "Bob Schmidt", "team": "Infrastructure"},
    ]
    net("add", "Patch switch", "--assignee", "bob.s")  # people can now own tasks


# --- every bad input: one line, exit 1, nothing changed -------------------------------------

BAD_INPUTS = [
    (("project", "add", "NET", "Again"), "project NET already exists"),
    (("project", "add", "N", "Too short"), "project key is 2-10 letters"),
    (("project", "add", "OPS", "x", "--bac", "-1"), "budget cannot be negative"),
    (("project", "add", "OPS", "x", "--bac", "lots"), "budget 'lots' is not a number"),
    (("project", "add", "OPS", "x", "--currency", "EURO"), "currency"),
    (
        ("project", "add", "OPS", "x", "--start", "2027-01-10", "--finish", "2027-01-01"),
        "baseline finish is before the start",
    ),
    (("project", "add", "OPS", "x", "--workdays", "0-4"), "working days '0-4'"),
    (("project", "add", "OPS", "x", "--holiday", "someday"), "can't read 'someday'"),
    (("project", "add", "OPS", "x", "--hours-per-day", "30"), "hours per day"),
    (("project", "set", "NET"), "nothing to change"),
    (("project", "set", "NOPE", "--bac", "1"), "no project 'NOPE'"),
    (("project", "set", "NET", "--finish", "2026-01-01"), "baseline finish is before the start"),
    (("milestone", "add", "NOPE", "x", "--baseline", "today"), "no project 'NOPE' (known: NET)"),
    (("milestone", "add", "NET", "x", "--baseline", "fooday"), "can't read 'fooday'"),
    (("milestone", "add", "NET", " ", "--baseline", "today"), "a milestone needs a name"),
    (("project", "add", "OPS", "  "), "a project needs a name"),
    (("milestone", "set", "abc", "--forecast", "today"), "milestone must be an id number"),
    (("milestone", "set", "99", "--forecast", "today"), "no milestone with id 99"),
    (("milestone", "set", "1"), "nothing to change"),
    (("milestone", "list", "--project", "NOPE"), "no project 'NOPE'"),
    (("cost", "add", "NET", "0"), "amount must be more than 0"),
    (("cost", "add", "NET", "-5"), "amount cannot be negative"),
    (("cost", "add", "NET", "1.234"), "more than 2 decimals"),
    (("cost", "add", "NOPE", "10"), "no project 'NOPE'"),
    (("cost", "add", "NET", "10", "--date", "nope"), "can't read 'nope'"),
    (("person", "add", "alice"), "person 'alice' already exists"),
    (("person", "add", "bad login!"), "login"),
    (("person", "set", "zoe", "--name", "Zoe"), "no person 'zoe'"),
    (("person", "set", "alice"), "nothing to change"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_error_line_exit_1_and_changes_nothing(
    net: Cli, args: tuple[str, ...], message: str | None
) -> None:
    before = _snapshot(net)
    result = net(*args, ok=False)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    if message:
        assert message in lines[0]
    assert result.stdout == ""
    assert _snapshot(net) == before
