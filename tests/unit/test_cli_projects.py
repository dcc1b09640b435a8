"""Project, milestone, cost and person commands, including every bad input changing nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from itpm_tui.cli.projects import parse_workdays
from itpm_tui.clock import FixedClock
from itpm_tui.errors import InvalidInput
from itpm_tui.models import RagThresholds
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect, export_of


def _snapshot(run: Cli) -> str:
    """Every row of every table (the audit log included), as the export has them."""
    if isinstance(run.db_path, Path) and not run.db_path.exists():
        return ""
    return export_of(run.db_path)


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
    with connect(net.db_path) as conn:
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


# --- RAG thresholds --------------------------------------------------------------------------

DEFAULTS = RagThresholds().model_dump()


def _audit(run: Cli, field: str) -> list[tuple[str, str, str, int]]:
    with connect(run.db_path) as conn:
        return conn.execute(
            "SELECT who, old, new, version FROM audit WHERE entity = 'project' AND field = ?"
            " ORDER BY id",
            (field,),
        ).fetchall()


def test_project_set_threshold_changes_only_that_one_and_logs_it(net: Cli) -> None:
    out = net("project", "set", "NET", "--threshold", "cpi_green=0.9",
              "--threshold", "slip-amber-days=3", user="pmo").stdout  # fmt: skip
    assert out == "updated project NET: Branch network upgrade\n"
    (project,) = _json(net, "project", "list")
    assert project["thresholds"] == DEFAULTS | {"cpi_green": 0.9, "slip_amber_days": 3}
    assert project["version"] == 2
    ((who, old, new, version),) = _audit(net, "thresholds")
    assert (who, json.loads(old), json.loads(new), version) == (
        "pmo", DEFAULTS, project["thresholds"], 2)  # fmt: skip
    lines = net("project", "list").stdout.splitlines()
    assert lines[0].startswith("NET ")
    assert lines[1].strip() == "thresholds: cpi_green=0.9, slip_amber_days=3"


def test_project_add_accepts_thresholds_and_list_hides_the_defaults(run: Cli) -> None:
    run("project", "add", "OPS", "Ops rota", "--threshold", "stale_days=9")
    run("project", "add", "APP", "App release")
    assert [p["thresholds"] for p in _json(run, "project", "list")] == [
        DEFAULTS, DEFAULTS | {"stale_days": 9}]  # fmt: skip
    lines = run("project", "list").stdout.splitlines()
    assert len(lines) == 3
    assert lines[2].strip() == "thresholds: stale_days=9"


def test_threshold_default_resets_that_one_and_keeps_the_others(net: Cli) -> None:
    net("project", "set", "NET", "--threshold", "cpi_green=0.9", "--threshold", "stale_days=8")
    net("project", "set", "NET", "--threshold", "cpi_green=default")
    (project,) = _json(net, "project", "list")
    assert project["thresholds"] == DEFAULTS | {"stale_days": 8}
    net("project", "set", "NET", "--threshold", "STALE_DAYS=Default")
    (project,) = _json(net, "project", "list")
    assert project["thresholds"] == DEFAULTS
    assert "thresholds" not in net("project", "list").stdout
    assert len(_audit(net, "thresholds")) == 3


def test_amber_above_green_is_refused_and_changes_nothing(net: Cli) -> None:
    net("project", "set", "NET", "--threshold", "cpi_green=0.9")
    before = _snapshot(net)
    result = net("project", "set", "NET", "--threshold", "cpi_amber=0.92", "--bac", "1", ok=False)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: thresholds: cpi_amber (0.92) must not be above cpi_green (0.9)\n")  # fmt: skip
    assert _snapshot(net) == before
    (project,) = _json(net, "project", "list")
    assert (project["bac"], project["version"]) == ("180000", 2)
    assert project["thresholds"] == DEFAULTS | {"cpi_green": 0.9}
    assert len(_audit(net, "thresholds")) == 1
    assert _audit(net, "bac") == []


def test_the_model_refuses_bands_out_of_order_wherever_they_come_from(net: Cli) -> None:
    with pytest.raises(ValidationError, match=r"spi_amber \(0\.85\) must not be above spi_green"):
        RagThresholds(spi_green=0.8)
    with pytest.raises(
        ValidationError, match=r"eac_overrun_amber \(0\.2\) must not be above eac_overrun_red"
    ):
        RagThresholds(eac_overrun_amber=0.2)
    for bad in ({"slip_amber_days": 2.5}, {"blocked_days": -1}, {"cpi_green": -0.1},
                {"cpi_green": float("inf")}):  # fmt: skip
        with pytest.raises(ValidationError):
            RagThresholds.model_validate(bad)
    assert RagThresholds(cpi_green=0.85, stale_days=0).cpi_amber == 0.85  # equal bands are fine
    before = _snapshot(net)
    store = Store(net.db_path, user="pm", clock=FixedClock(TODAY))
    try:
        with pytest.raises(InvalidInput, match="cpi_amber"):
            store.projects.update("NET", {"thresholds": DEFAULTS | {"cpi_amber": 1.5}})
    finally:
        store.close()
    assert _snapshot(net) == before


def test_health_uses_the_projects_new_band(run: Cli) -> None:
    run("demo", "--force")
    # Widen the EAC bands so CLOUD's budget colour comes from its CPI (0.90) alone: amber.
    run("project", "set", "CLOUD", "--threshold", "eac_overrun_amber=0.15",
        "--threshold", "eac_overrun_red=0.25")  # fmt: skip
    budget = _health(run, "CLOUD")["budget"]
    assert budget["rag"] == "amber"
    assert budget["reasons"][0].startswith("CPI 0.90 is below 0.95 (red below 0.85)")
    run("project", "set", "CLOUD", "--threshold", "cpi_green=0.88")
    budget = _health(run, "CLOUD")["budget"]
    assert budget["rag"] == "green"
    assert budget["reasons"][0].startswith("CPI 0.90 is at or above 0.88")
    assert _health(run, "NET")["budget"]["rag"] == "red"  # other projects keep the defaults


def _health(run: Cli, key: str) -> dict[str, Any]:
    data = json.loads(run("health", "--json", "--project", key).stdout)
    (report,) = data["projects"]
    return dict(report)


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
    assert text.splitlines()[-1] == "total NET: €1,300.00 of €180,000 budget"


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
    (
        ("project", "set", "NET", "--threshold", "cpi_gren=0.9"),
        "unknown threshold 'cpi_gren'; valid names: cpi_green, cpi_amber, spi_green, spi_amber,"
        " eac_overrun_amber, eac_overrun_red, slip_amber_days, blocked_days, stale_days,"
        " due_soon_days",
    ),
    (("project", "set", "NET", "--threshold", "cpi_green=high"), "cpi_green 'high' is not a n"),
    (("project", "set", "NET", "--threshold", "cpi_green=-1"), "cpi_green cannot be negative"),
    (("project", "set", "NET", "--threshold", "cpi_green=nan"), "'nan' is not a number"),
    (("project", "set", "NET", "--threshold", "slip_amber_days=2.5"), "a whole number of working"),
    (("project", "set", "NET", "--threshold", "stale_days=-3"), "stale_days cannot be negative"),
    (("project", "set", "NET", "--threshold", "stale_days=soon"), "'soon' is not a number"),
    (("project", "set", "NET", "--threshold", "cpi_green"), "use NAME=VALUE"),
    (("project", "set", "NET", "--threshold", "=1"), "use NAME=VALUE"),
    (
        ("project", "set", "NET", "--threshold", "spi_green=0.8"),
        "spi_amber (0.85) must not be above spi_green (0.8)",
    ),
    (
        ("project", "set", "NET", "--threshold", "stale_days=1", "--threshold", "stale_days=2"),
        "stale_days is given more than once",
    ),
    (("project", "add", "OPS", "x", "--threshold", "cpi_amber=1"), "cpi_amber (1.0) must not"),
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
