"""The RAID log on the command line: output, JSON, score history and refusals."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, export_of


@pytest.fixture
def net(run: Cli) -> Cli:
    """Project NET with bob, one task and one milestone."""
    run("project", "add", "NET", "Network", "--currency", "EUR")
    run("person", "add", "bob")
    run("add", "Order fibre", "-p", "NET")
    run("milestone", "add", "NET", "Cut-over", "--baseline", "+5wd")
    return run


def test_risk_add_prints_score_band_and_exposure(net: Cli) -> None:
    out = net("risk", "add", "NET", "Carrier delay", "-P", "4", "-I", "4", "--cost-impact",
              "40,000", "--owner", "bob", "--review", "fri", "--task", "1",
              "--milestone", "1").stdout  # fmt: skip
    assert out.split() == ["added", "R1", "NET", "risk", "open", "16", "▲▲", "very", "high",
                           "€28,000", "bob", "Carrier", "delay"]  # fmt: skip


def test_list_json_is_exact_and_sorted_worst_first(net: Cli) -> None:
    net("risk", "add", "NET", "Minor", "-P", "1", "-I", "2", "--cost-impact", "1000")
    net("risk", "add", "NET", "Major", "-P", "5", "-I", "5", "--cost-impact", "1234.50")
    net("decision", "add", "NET", "Use carrier B")
    rows = json.loads(net("raid", "list", "--json").stdout)
    assert [(r["ref"], r["score"], r["band"], r["exposure"]) for r in rows] == [
        ("R2", "25", "critical", "1111.050"), ("R1", "2", "low", "100.0"),
        ("D3", None, None, None)]  # fmt: skip
    assert rows[2]["status"] == "proposed"
    only = json.loads(net("raid", "list", "--kind", "decision", "--json").stdout)
    assert [r["ref"] for r in only] == ["D3"]


def test_show_lists_the_score_history_from_the_audit_log(net: Cli) -> None:
    net("risk", "add", "NET", "Carrier delay", "-P", "2", "-I", "3")
    net("risk", "set", "1", "-I", "5", user="bob")
    net("risk", "set", "R1", "-P", "4")
    out = net("raid", "show", "1").stdout
    history = out[out.index("score history:") : out.index("history:\n", out.index("score h") + 9)]
    assert [line.split()[2:] for line in history.splitlines()[1:]] == [
        ["pm", "P", "2", "x", "I", "3", "=", "6"],
        ["bob", "P", "2", "x", "I", "5", "=", "10"],
        ["pm", "P", "4", "x", "I", "5", "=", "20"],
    ]
    data = json.loads(net("raid", "show", "1", "--json").stdout)
    assert [p["score"] for p in data["score_history"]] == ["6", "10", "20"]


def test_a_risk_that_happened_becomes_an_issue(net: Cli) -> None:
    net("risk", "add", "NET", "Carrier delay", "-P", "4", "-I", "4")
    assert "I1" in net("risk", "set", "1", "--kind", "issue").stdout
    assert "created: Carrier delay" in net("raid", "show", "1").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(("risk", "add", "NET", "x", "-P", "6", "-I", "4"),
      "probability 6 is not on the project's 1-5 scale"),
     (("risk", "add", "NET", "x", "-P", "3", "-I", "0"), "impact 0 is not on"),
     (("risk", "add", "NET", "x", "-P", "3", "-I", "4", "--review", "2026-11-20"),
      "review date 2026-11-20 is before the day it was raised (2026-11-23)"),
     (("risk", "add", "NOPE", "x", "-P", "3", "-I", "4"), "no project 'NOPE'"),
     (("risk", "add", "NET", "x", "-P", "3", "-I", "4", "--owner", "zed"), "no person 'zed'"),
     (("risk", "add", "NET", "x\x1b]52;c;aGk=\x07", "-P", "3", "-I", "4"),
      "control character"),
     (("risk", "add", "NET", "x", "-P", "3", "-I", "4", "--cost-impact", "1,5"),
      "use a dot for decimals"),
     (("risk", "add", "NET", "x", "-P", "3", "-I", "4", "--task", "99"), "no task #99"),
     (("issue", "add", "NET", "x", "--milestone", "7"), "no milestone with id 7"),
     (("risk", "set", "9", "-I", "2"), "no RAID item #9"),
     (("raid", "settings", "NET", "--band", "medium=20"),
      "risk band medium (20) must be below high (15)")],
)  # fmt: skip
def test_bad_input_is_one_error_line_and_changes_nothing(
    net: Cli, args: tuple[str, ...], message: str
) -> None:
    before = export_of(net.db_path)
    result = net(*args, ok=False)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert export_of(net.db_path) == before


def test_a_rule_over_two_fields_is_one_sentence_with_no_field_prefix(net: Cli) -> None:
    result = net("risk", "add", "NET", "x", "-P", "3", "-I", "4", "--review", "2026-11-20",
                 ok=False)  # fmt: skip
    assert result.stderr == (
        "Error: the review date 2026-11-20 is before the day it was raised (2026-11-23)\n"
    )


def test_settings_switch_to_pmbok_and_refuse_once_risks_are_rated(net: Cli) -> None:
    out = net("raid", "settings", "NET", "--scale", "pmbok", "--contingency", "30000").stdout
    assert "low <= 0.04, medium <= 0.09, high <= 0.18, very high <= 0.36" in out
    rows = net("risk", "add", "NET", "Slow review", "-P", "0.7", "-I", "0.05").stdout
    assert "0.04 · low" in rows
    result = net("raid", "settings", "NET", "--scale", "1-5", ok=False)
    assert "has rated risks on the pmbok scale" in result.stderr
