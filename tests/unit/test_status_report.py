"""``itpm-tui report``: the weekly status report in Markdown, HTML and JSON.

The golden files are the demo's report on the suite's fixed day; regenerate them with
``ITPM_UPDATE_GOLDEN=1`` and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from itpm_tui.clock import FixedClock
from itpm_tui.domain.report_render import md, sparkline, to_markdown
from itpm_tui.models import CostEntry, Milestone, Project, Status, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect

GOLDEN = Path(__file__).parent.parent / "golden"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ITPM_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8")


def test_markdown_report_of_the_demo_matches_the_golden_file(run: Cli) -> None:
    run("demo", "--force")
    text = run("report").stdout
    _golden("status_report.md", text)
    assert "<" not in text and "&" not in text  # no raw HTML or entities to paste


def test_html_report_of_the_demo_matches_the_golden_file(run: Cli, tmp_path: Path) -> None:
    run("demo", "--force")
    target = tmp_path / "report.html"
    result = run("report", "--format", "html", "--output", str(target))
    assert result.stdout == ""
    assert result.stderr == f"wrote the html report for the week ending {TODAY} to {target}\n"
    _golden("status_report.html", target.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_the_html_is_self_contained_with_no_script_link_or_remote_resource(run: Cli) -> None:
    run("demo", "--force")
    page = run("report", "--format", "html").stdout
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.IGNORECASE)
    assert "<link" not in page.lower() and "@import" not in page and "url(" not in page
    assert "@page { size: A4" in page and "@media print" in page
    assert page.count("<svg") >= 8  # a sparkline per milestone outside the green sections


def _poisoned(store: Store) -> None:
    """A project whose stored text holds HTML and Markdown syntax."""
    p = store.projects.add(Project(key="EVIL", name="R&D <b>bold</b>", bac=Decimal(1000),
                                   start=TODAY - timedelta(days=30)))  # fmt: skip
    m = store.milestones.add(Milestone(project_id=p.id, name="<script>alert(1)</script> & go",
                                       baseline=TODAY, forecast=TODAY + timedelta(days=14)))  # fmt: skip
    store.tasks.add(Task(project_id=p.id, title="<script>x()</script> | *a* & [b](http://e.x)",
                         status=Status.BLOCKED, blocked_reason="waits on <img src=x> & co",
                         milestone_id=m.id, due=TODAY + timedelta(days=3)))  # fmt: skip


def test_stored_text_is_escaped_in_html(store: Store, run: Cli) -> None:
    _poisoned(store)
    page = run("report", "--format", "html").stdout
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt; | *a* &amp; [b](http://e.x)" in page
    assert "R&amp;D &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; go" in page
    assert "waits on &lt;img src=x&gt; &amp; co" in page


def test_stored_text_is_escaped_in_markdown(store: Store, run: Cli) -> None:
    _poisoned(store)
    text = run("report").stdout
    assert "<" not in text.replace("\\<", "")
    assert r"\<script\>x()\</script\> \| \*a\* \& \[b\](http://e.x)" in text
    for line in text.splitlines():  # a title's "|" never adds a table column
        if line.startswith("| \\<script"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 8


def test_markdown_escape_keeps_plain_words() -> None:
    assert (
        md("Cut over WAN link: Hamburg (order 7731)") == "Cut over WAN link: Hamburg (order 7731)"
    )
    assert md("a|b\nc") == r"a\|b c"


def test_json_carries_exact_decimals_and_iso_dates(run: Cli) -> None:
    run("demo", "--force")
    data = json.loads(run("report", "--format", "json", "--project", "NET").stdout)
    assert (data["week_start"], data["week_end"], data["scope"]) == ("2026-11-17", "2026-11-23",
                                                                      "NET")  # fmt: skip
    (net,) = data["projects"]
    evm = net["evm"]
    assert Decimal(evm["cpi"]) == Decimal(evm["ev"]) / Decimal(evm["ac"])
    assert Decimal(evm["vac"]) == Decimal(evm["bac"]) - Decimal(evm["eac"])
    health = json.loads(run("health", "--json", "--project", "NET").stdout)["projects"][0]
    assert evm["ac"] == health["metrics"]["ac"]
    week_ago = json.loads(run("health", "--json", "--project", "NET",
                              "--as-of", "2026-11-16").stdout)["projects"][0]  # fmt: skip
    burn = Decimal(health["metrics"]["ac"]) - Decimal(week_ago["metrics"]["ac"])
    assert Decimal(net["changes"]["burn"]) == burn
    assert net["overall"]["rag"] == "red"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["baseline"]) for m in net["milestones"])


def _invoke(db: Path, today: date, *args: str) -> str:
    from itpm_tui.cli import cli

    env = {"ITPM_DB": str(db), "ITPM_USER": "pm", "ITPM_TODAY": today.isoformat()}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def test_a_past_week_is_the_report_sent_that_day_after_later_changes(run: Cli) -> None:
    run("demo", "--force")
    sent = _invoke(run.db_path, TODAY, "report", "--format", "json")
    later = TODAY + timedelta(days=3)
    _invoke(run.db_path, later, "done", "24", "30")
    _invoke(run.db_path, later, "set", "15", "--status", "doing")
    _invoke(run.db_path, later, "cost", "add", "NET", "5000", "--date", later.isoformat())
    assert _invoke(run.db_path, later, "report", "--format", "json") != sent
    assert _invoke(run.db_path, later, "report", "--format", "json", "--week",
                   TODAY.isoformat()) == sent  # fmt: skip


def test_changes_of_the_week_name_the_done_tasks_new_blockers_and_moves(db_path: Path) -> None:
    from itpm_tui.reports import status_report_of

    start = TODAY - timedelta(days=20)
    setup = Store(db_path, user="pm", clock=FixedClock(TODAY - timedelta(days=10)))
    p = setup.projects.add(Project(key="OPS", name="Ops", bac=Decimal(1000), start=start))
    m = setup.milestones.add(Milestone(project_id=p.id, name="Go", baseline=TODAY + timedelta(7),
                                       forecast=TODAY + timedelta(7)))  # fmt: skip
    old = setup.tasks.add(Task(project_id=p.id, title="Old work", planned_cost=Decimal(500),
                               planned_start=start, planned_finish=TODAY, milestone_id=m.id))  # fmt: skip
    fresh = setup.tasks.add(Task(project_id=p.id, title="Firewall", due=TODAY + timedelta(3)))
    setup.costs.add(CostEntry(project_id=p.id, spent_on=TODAY - timedelta(10), amount=Decimal(100)))
    setup.close()
    week = Store(db_path, user="pm", clock=FixedClock(TODAY - timedelta(days=2)))  # in the week
    week.tasks.update(old.id, {"status": Status.DONE}, expected_version=old.version)
    week.tasks.update(fresh.id, {"status": Status.BLOCKED, "blocked_reason": "CAB"},
                      expected_version=fresh.version)  # fmt: skip
    week.costs.add(CostEntry(project_id=p.id, spent_on=TODAY - timedelta(2),
                             amount=Decimal("250.50")))  # fmt: skip
    week.milestones.update(m.id, {"forecast": TODAY + timedelta(9)}, expected_version=m.version)
    week.close()
    store = Store(db_path, user="pm", clock=FixedClock(TODAY))
    (ops,) = status_report_of(store, TODAY, "OPS").projects
    c = ops.changes
    assert [t.task_id for t in c.done] == [old.id]
    blocked_on = TODAY - timedelta(2)
    assert [(t.task_id, t.note) for t in c.new_blockers] == [
        (fresh.id, f"blocked since {blocked_on:%d %b}: CAB")]  # fmt: skip
    assert c.burn == Decimal("250.50")
    assert [(f.before, f.after) for f in c.forecast_moves] == [
        (TODAY + timedelta(7), TODAY + timedelta(9))]  # fmt: skip
    assert [t.task_id for t in ops.next_week] == [fresh.id]
    text = to_markdown(status_report_of(store, TODAY, "OPS"))
    assert f"- 1 task done: #{old.id} Old work" in text
    assert "- spent this week: 250.50 EUR" in text
    # A week earlier none of it had happened: the same project reads quiet then.
    (before,) = status_report_of(store, TODAY - timedelta(days=7), "OPS").projects
    assert before.changes.done == () and before.changes.new_blockers == ()
    store.close()


def test_a_week_before_any_data_and_a_bare_project_say_no_data(store: Store, run: Cli) -> None:
    store.projects.add(Project(key="BARE", name="Nothing yet"))
    text = run("report", "--week", "2020-01-03").stdout
    assert "## BARE: Nothing yet: ? NO DATA (no data)" in text
    assert "Milestones: no data (none set)" in text
    assert "Budget: no data (no budget or planned costs)" in text
    assert "✓ no blockers" in text
    page = run("report", "--format", "html").stdout
    assert "Milestones: no data (none set)" in page
    data = json.loads(run("report", "--format", "json").stdout)
    assert data["projects"][0]["evm"] is None


def test_a_week_before_a_projects_first_record_is_not_rated(run: Cli) -> None:
    # The demo's projects have milestones dated 2026: in 2020 they were not green, they
    # did not exist yet.
    run("demo", "--force")
    text = run("report", "--week", "2020-01-06").stdout
    assert "3 projects: 3 no data." in text
    assert ("| NET | ? NO DATA | no data | Nothing was recorded for NET by the end of this "
            "week: its first task or cost entry is from Wed 26 Aug 26. |") in text  # fmt: skip
    assert "### Milestones" not in text and "GREEN" not in text
    data = json.loads(run("report", "--week", "2020-01-06", "--format", "json").stdout)
    assert {p["key"]: p["recorded"] for p in data["projects"]} == dict.fromkeys(
        ("APP", "CLOUD", "NET"), False)  # fmt: skip


def test_no_projects_is_a_no_data_line(run: Cli) -> None:
    assert "no data (no projects)" in run("report").stdout


def test_an_unknown_project_is_one_error_line(run: Cli) -> None:
    run("demo", "--force")
    result = run("report", "--project", "NOPE", ok=False)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: no project 'NOPE' (known: APP, CLOUD, NET)\n"


def test_project_and_portfolio_together_are_refused(run: Cli) -> None:
    result = run("report", "--project", "NET", "--portfolio", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --portfolio shows every project")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/r.md", "cannot write {path}: the folder {dir}/missing does not exist"),
        ("file.txt/r.md", "cannot write {path}: {dir}/file.txt is a file, not a folder"),
    ],
)
def test_report_to_a_path_that_cannot_be_written_is_one_error_line(
    run: Cli, tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "file.txt").write_text("keep")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("report", "--output", str(tmp_path / where), ok=False)
    assert (result.exit_code, result.stdout) == (1, "")
    text = message.format(path=tmp_path / where, dir=tmp_path)
    assert result.stderr == f"Error: {text}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_report_to_a_folder_nobody_may_write_is_one_error_line(run: Cli) -> None:
    # /sys refuses new files even to root, so this runs in any container.
    result = run("report", "--output", "/sys/r.md", ok=False)
    assert result.exit_code == 1
    assert result.stderr in ("Error: cannot write /sys/r.md: the folder /sys is not writable\n",
                             "Error: cannot write /sys/r.md: Permission denied\n")  # fmt: skip


def test_rewriting_a_report_replaces_the_file_whole(run: Cli, tmp_path: Path) -> None:
    run("demo", "--force")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "r.md"
    target.write_text("old report " * 10_000)
    run("report", "--project", "APP", "-o", str(target))
    assert target.read_text(encoding="utf-8") == run("report", "--project", "APP").stdout
    assert [p.name for p in target.parent.iterdir()] == ["r.md"]  # no temp file left


def test_terminal_output_shows_control_characters_safely(store: Store, run: Cli) -> None:
    p = store.projects.add(Project(key="CTL", name="Controls"))
    task = store.tasks.add(Task(project_id=p.id, title="t", status=Status.BLOCKED))
    with connect(run.db_path) as conn:  # as an old version or another program could
        conn.execute("UPDATE tasks SET title = ? WHERE id = ?",
                     ("osc \x1b]52;c;aGk=\x07 csi \x9b2J", task.id))  # fmt: skip
    shown = run("report").stdout
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "osc ␛\\]52;c;aGk=␇ csi \ufffd2J" in shown


def test_sparkline_draws_one_point_per_recorded_forecast() -> None:
    svg = sparkline([0, 2, 5])
    (points,) = re.findall(r'polyline [^>]*points="([^"]*)"', svg)
    assert len(points.split()) == 3
    ys = [float(pair.split(",")[1]) for pair in points.split()]
    assert ys[0] > ys[1] > ys[2]  # a growing slip climbs (SVG y grows downwards)
    assert 'aria-label="slip +0 → +2 → +5 wd"' in svg
    assert sparkline([]) == '<span class="muted">—</span>'


def test_standup_blockers_count_for_the_project_they_name_and_are_not_repeated() -> None:
    from itpm_tui.domain.health import project_health
    from itpm_tui.domain.status_report import ProjectWeek, build_status_report
    from itpm_tui.models import StandupEntry

    project = Project(id=1, key="OPS", name="Ops")
    tasks = (Task(id=7, project_id=1, title="Rack", status=Status.BLOCKED, blocked_reason="x"),
             Task(id=8, project_id=1, title="Cable"))  # fmt: skip
    day = TODAY - timedelta(days=1)
    own = (StandupEntry(held_on=day, person="ann", blockers="Need the CFO to sign"),)
    team = (StandupEntry(held_on=day, person="bob", blockers="#7 Rack: x; #8 needs a van"),
            StandupEntry(held_on=day, person="cy", blockers="#99 elsewhere"),
            StandupEntry(held_on=TODAY - timedelta(days=9), person="dee", blockers="#8 old"))  # fmt: skip
    health = project_health(project, tasks, [], [], TODAY)
    week = ProjectWeek(health, health, tasks, tasks, own, team)
    (ops,) = build_status_report([week], TODAY, "OPS").projects
    assert [(b.person, b.text) for b in ops.standup_blockers] == [
        ("ann", "Need the CFO to sign"), ("bob", "#8 needs a van")]  # fmt: skip
    assert [t.task_id for t in ops.blocked] == [7]


def test_the_raid_section_is_the_log_as_it_stood_at_the_weeks_end(db_path: Path) -> None:
    from itpm_tui.models import RaidItem, RaidKind, RaidStatus
    from itpm_tui.reports import status_report_of

    day = date(2026, 11, 10)
    clock = FixedClock(day)
    store = Store(db_path, user="pm", clock=clock)
    ops = store.projects.add(Project(key="OPS", name="Operations", bac=Decimal(1000)))
    store.tasks.add(Task(title="Plan", project_id=ops.id))
    risk = store.raid.add(RaidItem(project_id=ops.id, kind=RaidKind.RISK,
                                   title="Vendor late", probability=Decimal(4),
                                   impact=Decimal(5), raised_on=day))  # fmt: skip
    pick = store.raid.add(RaidItem(project_id=ops.id, kind=RaidKind.DECISION,
                                   status=RaidStatus.PROPOSED, title="Pick a vendor",
                                   raised_on=day))  # fmt: skip
    clock.advance(3 * 86400)  # Fri 13 Nov: decided
    store.raid.update(pick.id, {"status": RaidStatus.MADE})
    clock.advance(7 * 86400)  # Fri 20 Nov: the risk is smaller, an issue is raised
    store.raid.update(risk.id, {"impact": Decimal(2)})
    store.raid.add(RaidItem(project_id=ops.id, kind=RaidKind.ISSUE, title="Rack is full",
                            raised_on=date(2026, 11, 20)))  # fmt: skip
    clock.advance(3 * 86400)  # today: Mon 23 Nov
    week_18 = status_report_of(store, date(2026, 11, 18), "OPS").projects[0].raid
    week_23 = status_report_of(store, date(2026, 11, 23), "OPS").projects[0].raid
    store.close()
    assert week_18 is not None and week_23 is not None
    assert [(r.ref, r.score) for r in week_18.risks] == [("R1", Decimal(20))]  # as it was
    assert [d.ref for d in week_18.decided] == ["D2"] and week_18.issues == ()
    assert [(r.ref, r.score) for r in week_23.risks] == [("R1", Decimal(8))]
    assert week_23.decided == () and week_23.pending == ()  # decided the week before
    assert [i.title for i in week_23.issues] == ["Rack is full"]


def test_the_report_names_the_projects_people_over_capacity(store: Store, run: Cli) -> None:
    from itpm_tui.models import Person

    store.people.save(Person(login="dana"))  # 8 h a day, Monday to Friday
    ops = store.projects.add(Project(key="OPS", name="Operations"))
    net = store.projects.add(Project(key="NET", name="Network"))
    # Tue 24 - Fri 27 Nov: 32 h available; 24 h of OPS work and 24 h elsewhere = 150%.
    for project, title in ((ops, "Patch servers"), (net, "Rack switches")):
        store.tasks.add(Task(title=title, project_id=project.id, assignee="dana",
                             estimate_hours=24, planned_start=TODAY + timedelta(days=1),
                             due=TODAY + timedelta(days=4)))  # fmt: skip
    text = run("report", "--project", "OPS").stdout
    assert ("### People\n\n- dana is at 150% in 2026-W48 (48 h of work, 32 h available)\n"
            in text)  # fmt: skip
    data = json.loads(run("report", "--project", "OPS", "--format", "json").stdout)
    assert data["projects"][0]["over_capacity"] == [{
        "login": "dana", "more_weeks": 0,
        "week": {"monday": "2026-11-23", "load": 48.0, "capacity": 32.0, "peak_days": []}}]  # fmt: skip
