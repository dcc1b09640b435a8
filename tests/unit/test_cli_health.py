"""``itpm-tui health`` on the demo data: which flags fire, JSON exactness, bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from tests.conftest import Cli


def _health(run: Cli, *args: str) -> dict[str, dict[str, Any]]:
    data = json.loads(run("health", "--json", *args).stdout)
    return {p["project"]["key"]: p for p in data["projects"]}


def test_demo_health_flags_the_overrunning_network_project_red(run: Cli) -> None:
    run("demo", "--force")
    projects = _health(run)
    assert {k: p["overall"]["rag"] for k, p in projects.items()} == {
        "APP": "green",
        "CLOUD": "red",
        "NET": "red",
    }
    net = projects["NET"]
    assert net["budget"]["rag"] == "red"
    assert any("CPI 0.78 is below 0.85" in r for r in net["budget"]["reasons"])
    # JSON numbers are exact: CPI is EV / AC to full precision, not the rounded 0.78.
    metrics = net["metrics"]
    assert Decimal(metrics["cpi"]) == Decimal(metrics["ev"]) / Decimal(metrics["ac"])


def test_health_text_is_a_table_per_project_with_reasons(run: Cli) -> None:
    run("demo", "--force")
    text = run("health", "--project", "net").stdout
    assert text.startswith("NET  Branch network upgrade  (as of 2026-11-23)")
    assert "Budget    ✖ RED" in text
    assert "Milestones (slip in working days)" in text
    assert "APP" not in text.split("\n", 1)[0]


def test_as_of_before_any_cost_shows_no_data_instead_of_failing(run: Cli) -> None:
    run("demo", "--force")
    net = _health(run, "--as-of", "2026-01-01", "--project", "NET")["NET"]
    assert net["budget"]["rag"] == "no data"
    assert net["metrics"]["cpi"] is None


def test_bad_as_of_and_unknown_project_are_one_line_errors(run: Cli) -> None:
    bad_date = run("health", "--as-of", "someday", ok=False)
    assert bad_date.exit_code == 1
    assert bad_date.stderr.startswith("Error: can't read 'someday' as a date")
    unknown = run("health", "--project", "zzz", ok=False)
    assert unknown.stderr.strip() == "Error: no project 'ZZZ' (known: none yet)"


def test_health_with_no_projects_says_how_to_add_one(run: Cli) -> None:
    assert "no projects yet" in run("health").stdout


def test_health_portfolio_lists_every_project_worst_first_in_text_and_json(run: Cli) -> None:
    run("demo", "--force")
    text = run("health", "--portfolio").stdout
    firsts = [line.split()[2] for line in text.splitlines() if not line.startswith(" ")]
    assert firsts == ["NET", "CLOUD", "APP"]
    assert "    CPI 0.78 is below 0.85: each euro spent earns 78 cents of planned work." in text
    data = json.loads(run("health", "--portfolio", "--json").stdout)
    rows = {p["key"]: p for p in data["projects"]}
    assert [p["key"] for p in data["projects"]] == ["NET", "CLOUD", "APP"]
    assert rows["NET"]["overall"] == "red" and rows["APP"]["overall"] == "green"
    assert rows["NET"]["trend"] in ("worse", "better", "same", "new")
    assert rows["NET"]["next_milestone"]["name"] == "Pilot branch cut-over"
    assert Decimal(rows["NET"]["eac"]) > Decimal(rows["NET"]["bac"])
    # Schedule by earned schedule: SPI(t) and the forecast finish against the planned one.
    assert "    SPI(t) 0.86: forecast finish 2027-02-19, planned 2027-01-27" in text
    net = rows["NET"]
    assert (round(Decimal(net["spi_t"]), 2), net["forecast_finish"], net["planned_finish"]) == (
        Decimal("0.86"), "2027-02-19", "2027-01-27")  # fmt: skip
    one = json.loads(run("health", "--project", "NET", "--json").stdout)["projects"][0]
    assert {k: one["metrics"][k] for k in ("spi_t", "forecast_finish", "planned_finish")} == {
        k: net[k] for k in ("spi_t", "forecast_finish", "planned_finish")}  # fmt: skip
    refused = run("health", "--portfolio", "--project", "NET", ok=False)
    assert refused.exit_code == 1 and "leave out --project" in refused.output


def test_portfolio_trend_compares_with_the_full_health_of_a_week_ago(run: Cli) -> None:
    """The trend's week-ago rating (computed without task flags) is the overall rating that
    ``health --as-of`` gives for that day, project by project."""
    run("demo", "--force")
    severity = {"no_data": 0, "green": 1, "amber": 2, "red": 3}
    week_ago = {k: p["overall"]["rag"] for k, p in _health(run, "--as-of", "2026-11-16").items()}
    rows = json.loads(run("health", "--portfolio", "--json").stdout)["projects"]
    assert {r["key"] for r in rows} == set(week_ago)
    for row in rows:
        before, now = severity[week_ago[row["key"]]], severity[row["overall"]]
        expected = "worse" if now > before else "better" if now < before else "same"
        assert row["trend"] == (expected if before else row["trend"]), row["key"]
