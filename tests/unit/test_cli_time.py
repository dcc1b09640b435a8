"""``log-time``, ``worklog list`` and ``person set --rate``: what a user types and sees."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.numbers import parse_duration
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Person, Project, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect


@pytest.mark.parametrize(("text", "minutes"), [
    ("1.5h", 90), ("1.5", 90), ("90m", 90), ("1:30", 90), ("0:05", 5), ("24h", 1440),
    ("0.25h", 15), (" 2 h", 120),
])  # fmt: skip
def test_durations_people_type_are_read_as_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(("text", "message"), [
    ("-1h", "cannot be negative"), ("25h", "at most 24 hours"), ("1,5h", "use a dot"),
    ("0.01h", "whole number of minutes"), ("1.5m", "whole minutes"), ("1:75", "not a number"),
    ("24:01", "at most 24 hours"), ("abc", "not a number"),
])  # fmt: skip
def test_bad_durations_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_duration(text)


@pytest.fixture
def team(run: Cli) -> Cli:
    """Project NET, task #1 (10 h left, assigned to dana), people pm and dana."""
    run("person", "add", "dana", "--team", "ops")
    run("person", "add", "pm")
    run("project", "add", "NET", "Network", "--bac", "10000", "--start", "2026-11-02")
    run("add", "cut over", "--project", "NET", "--estimate", "10h", "--assignee", "dana")
    run("set", "1", "--remaining", "10h")
    return run


def _worklogs(run: Cli) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(run("worklog", "list", "--json").stdout)
    return data


def test_log_time_records_it_and_the_health_ac_counts_it(team: Cli) -> None:
    team("person", "set", "dana", "--rate", "50", "--overtime-rate", "55", "--rate-from",
         "2026-01-01")  # fmt: skip
    out = team("log-time", "1", "10h", "--overtime", "2h", "--person", "dana", "--date",
               "2026-11-20", "--note", "cut-over night").stdout  # fmt: skip
    assert out == "logged 10 h + 2 h overtime on #1 for dana on 2026-11-20\n"
    health = json.loads(team("health", "--json", "--project", "NET").stdout)
    metrics = health["projects"][0]["metrics"]
    assert (metrics["ac"], metrics["labour_cost"], metrics["other_cost"]) == (
        "610.00", "610.00", "0.00")  # fmt: skip
    assert "AC = labour €610.00 + other cost €0.00" in team("health", "--project", "NET").stdout
    before = json.loads(team("health", "--json", "--project", "NET", "--as-of",
                             "2026-11-19").stdout)  # fmt: skip
    assert before["projects"][0]["metrics"]["ac"] == "0.00"


def test_log_time_leaves_remaining_hours_unless_asked(team: Cli) -> None:
    team("log-time", "1", "90m")
    assert json.loads(team("show", "1", "--json").stdout)["remaining_hours"] == 10
    out = team("log-time", "1", "1:30", "--reduce-remaining").stdout
    assert out == "logged 1.5 h on #1 for pm on 2026-11-23; 8.5 h remaining\n"
    assert json.loads(team("show", "1", "--json").stdout)["remaining_hours"] == 8.5


@pytest.mark.parametrize(("args", "message"), [
    (("1", "--", "-2h"), "Error: hours cannot be negative (got -2)"),
    (("1", "1h", "--overtime", "-1h"), "Error: overtime cannot be negative (got -1)"),
    (("1", "25h"), "Error: hours is at most 24 hours in a day (got 25h)"),
    (("1", "2h", "--date", "tomorrow"), "Error: 2026-11-24 is in the future"),
    (("1", "2h", "--person", "zoe"), "Error: no person 'zoe'"),
    (("9", "2h"), "Error: no task #9"),
    (("1", "20h", "--overtime", "5h"), "Error: pm would have 25 h on 2026-11-23"),
])  # fmt: skip
def test_bad_log_time_is_one_error_line_and_changes_nothing(
    team: Cli, args: tuple[str, ...], message: str
) -> None:
    result = team("log-time", *args, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert _worklogs(team) == []


def test_the_24_hours_include_what_was_logged_that_day_on_other_tasks(team: Cli) -> None:
    team("add", "other", "--project", "NET")
    team("log-time", "1", "20h")
    result = team("log-time", "2", "4:01", ok=False)
    assert result.stderr == "Error: pm would have 24.02 h on 2026-11-23 (20 h already logged): " \
                            "at most 24 h in a day\n"  # fmt: skip
    assert len(_worklogs(team)) == 1


def test_time_on_a_done_task_is_logged_with_a_warning(team: Cli) -> None:
    team("done", "1")
    result = team("log-time", "1", "1h")
    assert result.stderr == "Warning: #1 is done; the time was logged anyway\n"
    assert len(_worklogs(team)) == 1


def test_worklog_list_filters_by_task_person_and_week(team: Cli) -> None:
    team("add", "other", "--project", "NET")
    team("log-time", "1", "1h", "--date", "2026-11-16", "--person", "dana")
    team("log-time", "2", "2h", "--date", "2026-11-23")
    team("log-time", "1", "30m", "--date", "2026-11-22")
    assert [w["minutes"] for w in _worklogs(team)] == [60, 30, 120]
    week = team("worklog", "list", "--week", "2026-W47").stdout.splitlines()
    assert [line.split()[1] for line in week[:-1]] == ["2026-11-16", "2026-11-22"]
    assert week[-1] == "total: 1.5 h"
    assert team("worklog", "list", "--person", "dana").stdout.splitlines()[-1] == "total: 1 h"
    assert team("worklog", "list", "--task", "2").stdout.splitlines()[-1] == "total: 2 h"
    assert team("worklog", "list", "--week", "2026-11-25").stdout.splitlines()[-1] == \
        "total: 2 h"  # fmt: skip


def test_a_rate_in_a_currency_a_project_counts_in_is_taken(team: Cli) -> None:
    team("project", "add", "US", "US rollout", "--currency", "USD")
    out = team("person", "set", "dana", "--rate", "60", "--currency", "usd").stdout
    assert out.startswith("updated dana: rate 60 USD/h from 2026-11-23")
    # Time on a EUR project at that rate is logged, with a warning that it costs nothing there.
    result = team("log-time", "1", "1h", "--person", "dana")
    assert result.stderr == ("Warning: dana's rate on 2026-11-23 is in USD but NET counts in "
                             "EUR: this time adds no cost to NET\n")  # fmt: skip
    assert len(_worklogs(team)) == 1


def test_person_set_rate_and_capacity(team: Cli) -> None:
    out = team("person", "set", "dana", "--rate", "50", "--rate-from", "2026-11-01",
               "--overtime-rate", "55", "--hours-per-day", "6", "--workdays", "1-4").stdout  # fmt: skip
    assert out == ("updated dana: rate 50 EUR/h, overtime 55 from 2026-11-01; "
                   "capacity 6 h/day on weekdays 1,2,3,4\n")  # fmt: skip


@pytest.mark.parametrize(("args", "message"), [
    (("--rate", "-5"), "Error: rate cannot be negative"),
    (("--rate", "50.001"), "Error: rate has more than 2 decimals"),
    (("--overtime-rate", "5"), "Error: --rate-from and --overtime-rate go with --rate"),
    (("--rate", "5", "--currency", "euro"), "Error: currency"),
    (("--rate", "5", "--currency", "usd"),
     "Error: no project counts in USD (projects use EUR): time at this rate would cost nothing"),
    (("--hours-per-day", "25"), "Error: hours per day is more than 0 and at most 24"),
])  # fmt: skip
def test_bad_person_set_changes_nothing(team: Cli, args: tuple[str, ...], message: str) -> None:
    result = team("person", "set", "dana", "--name", "Dana", *args, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert json.loads(team("person", "list", "--json").stdout)[0]["name"] == ""
    with connect(team.db_path) as conn:
        assert conn.execute("SELECT count(*) FROM person_rates").fetchone()[0] == 0


_WORKER = """
import sys, time
from datetime import date
from pathlib import Path
from itpm_tui.clock import FixedClock
from itpm_tui.models import Worklog
from itpm_tui.store import Store

path, who, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.005)
store = Store(path, user=who, clock=FixedClock(date(2026, 11, 23)))
for n in range(count):
    store.worklogs.log(Worklog(person=who, task_id=1, day=date(2026, 11, 23 - n % 20),
                               minutes=6), reduce_remaining=True)
store.close()
"""


@pytest.mark.slow
def test_two_processes_logging_time_on_one_task_lose_nothing(db_path: Path, tmp_path: Path) -> None:
    store = Store(db_path, user="pm", clock=FixedClock(TODAY))
    for login in ("ann", "bob"):
        store.people.save(Person(login=login))
    project = store.projects.add(Project(key="NET", name="Net"))
    store.tasks.add(Task(title="shared", project_id=project.id, remaining_hours=100))
    store.close()
    go = tmp_path / "go"
    count = 150
    args = [str(db_path), "", str(count), str(go)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, *args[:1], who, *args[2:]],
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("ann", "bob")
    ]
    time.sleep(0.5)  # both started and waiting
    go.touch()
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    with connect(db_path) as conn:
        rows = conn.execute("SELECT person, count(*), sum(minutes) FROM worklogs GROUP BY person"
                            " ORDER BY person").fetchall()  # fmt: skip
        remaining, version = conn.execute("SELECT remaining_hours, version FROM tasks").fetchone()
        audits = conn.execute("SELECT count(*) FROM audit WHERE entity = 'worklog'").fetchone()[0]
    rows = [tuple(row) for row in rows]
    assert rows == [("ann", count, 6 * count), ("bob", count, 6 * count)]
    assert audits == 2 * count
    # Every one of the 300 reductions of 0.1 h landed: 100 - 30 h, one version each.
    assert remaining == pytest.approx(70)
    assert version == 1 + 2 * count
