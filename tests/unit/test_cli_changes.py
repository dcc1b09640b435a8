"""Change requests on the command line: the workflow, JSON, health after applying and the
refusals (one `Error:` line, nothing changed)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, export_of


@pytest.fixture
def net(run: Cli) -> Cli:
    """NET with BAC 100,000, one task of 20,000 on a milestone 5 wd late (hand-calculated:
    baseline Fri 4 Dec, forecast Fri 11 Dec 2026)."""
    run("project", "add", "NET", "Network", "--bac", "100000", "--start", "2026-11-02")
    run("milestone", "add", "NET", "Go-live", "--baseline", "2026-12-04", "--forecast",
        "2026-12-11")  # fmt: skip
    run("add", "Cut over", "-p", "NET", "--milestone", "1", "--planned-cost", "20000",
        "--start", "2026-11-30", "--finish", "2026-12-04", "--assignee", "none")  # fmt: skip
    run("add", "Extra site", "-p", "NET", "--assignee", "none")
    return run


def test_add_approve_apply_then_health_measures_the_new_baseline(net: Cli) -> None:
    out = net("change", "add", "NET", "Second site", "--reason", "Board asked", "--cost",
              "+10,000", "--milestone", "1=+5", "--add-task", "2").stdout  # fmt: skip
    assert out.split()[:5] == ["proposed", "CR-1", "NET", "proposed", "Second"]
    assert "BAC +€10,000.00; Go-live +5 wd; tasks +#2" in out
    assert "approved   CR-1" in net("change", "approve", "CR-1").stdout
    out = net("change", "apply", "cr1").stdout
    assert "baseline 1 'CR-1 Second site' of NET: BAC €110,000.00, 1 milestone, " in out
    health = json.loads(net("health", "--project", "NET", "--json").stdout)["projects"][0]
    milestone = health["milestones"][0]
    assert (milestone["baseline"], milestone["slip"], milestone["original_baseline"],
            milestone["original_slip"]) == ("2026-12-11", 0, "2026-12-04", 5)  # fmt: skip
    assert health["metrics"]["bac"] == "110000"
    assert health["baseline"]["change"] == "CR-1"
    text = net("health", "--project", "NET").stdout
    assert "Baseline changed by CR-1 on 23 Nov: BAC €110,000 (original €100,000)." in text
    said = " ".join(text.split())  # the text report wraps its sentences
    assert "04 Dec -> 11 Dec; against the original baseline the slip is +5 wd." in said
    shown = json.loads(net("change", "show", "1", "--json").stdout)
    assert shown["status"] == "applied" and shown["baseline"]["number"] == 1
    assert shown["baseline"]["milestones"] == {"1": "2026-12-11"}
    assert [c["ref"] for c in json.loads(net("change", "list", "--json").stdout)] == ["CR-1"]
    assert "Board asked" in net("change", "show", "CR-1").stdout


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ((), ("change", "apply", "1"), "Error: CR-1 is proposed: approve it before applying it"),
        (
            (("change", "approve", "1"), ("change", "apply", "1")),
            ("change", "approve", "1"),
            "Error: CR-1 is already applied on 23 Nov: it cannot be approved",
        ),
        (
            (("change", "reject", "1"),),
            ("change", "apply", "1"),
            "Error: CR-1 was rejected by pm on 23 Nov: it cannot be applied; only an approved"
            " change is applied",
        ),
        ((), ("change", "approve", "CR-9"), "Error: no change request CR-9"),
        ((), ("change", "approve", "1", "--version", "7"), "Error: change request 1 was changed"),
        ((), ("change", "add", "NET", "X", "--milestone", "4=+1"), "Error: no milestone with id 4"),
        (
            (),
            ("change", "add", "NET", "X", "--milestone", "1"),
            "Error: --milestone '1': use ID=+N",
        ),
        ((), ("change", "add", "NET", "X", "--cost", "1,5"), "Error: cost delta '1,5': use a dot"),
        ((), ("change", "add", "NET", "X", "--remove-task", "9"), "Error: no task #9"),
        ((), ("change", "add", "NOPE", "X"), "Error: no project 'NOPE'"),
        ((), ("change", "show", "CR-x"), "Error:"),
        ((), ("change", "set", "1"), "Error: nothing to change"),
    ],
)
def test_bad_input_is_one_error_line_and_changes_nothing(
    net: Cli, setup: tuple[tuple[str, ...], ...], args: tuple[str, ...], message: str
) -> None:
    net("change", "add", "NET", "Second site", "--cost", "10000", "--milestone", "1=+5")
    for step in setup:
        net(*step)
    before = export_of(net.db_path)
    result = net(*args, ok=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert export_of(net.db_path) == before
