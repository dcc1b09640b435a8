"""The demo dataset: realistic shape, deterministic, fast, and consistent with its own history."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.demo import build_demo
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.today import Group, today_list
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Status, Task
from itpm_tui.store import Store, TaskFilter
from tests.conftest import TODAY

TABLES = ("people", "projects", "milestones", "milestone_forecasts", "tasks", "cost_entries",
          "standups", "standup_entries", "parking_lot", "audit")  # fmt: skip


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def _build(path: Path, user: str = "pm", today: date = TODAY) -> Store:
    store = Store(path, user=user, clock=FixedClock(today))
    build_demo(store, today)
    return store


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = _build(tmp_path / "demo.db")
    yield store
    store.close()


def test_same_day_and_user_give_byte_identical_data(tmp_path: Path) -> None:
    _build(tmp_path / "a.db").close()
    _build(tmp_path / "b.db").close()
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")


def test_builds_in_well_under_a_second(tmp_path: Path) -> None:
    started = time.perf_counter()
    _build(tmp_path / "demo.db").close()
    assert time.perf_counter() - started < 1.0


def test_shape_three_projects_nine_people_about_150_tasks_in_every_status(demo: Store) -> None:
    assert [p.key for p in demo.projects.find()] == ["APP", "CLOUD", "NET"]
    people = demo.people.find()
    assert len(people) == 9
    assert {p.team for p in people} == {"PMO", "Infrastructure", "Apps"}
    tasks = demo.tasks.find()
    assert 140 <= len(tasks) <= 180
    assert set(Counter(t.status for t in tasks)) == set(Status)
    assert sum(1 for t in tasks if t.project_id is None) >= 2
    assert all(t.assignee for t in tasks)


def test_planned_costs_add_up_to_each_budget(demo: Store) -> None:
    for project in demo.projects.find():
        tasks = demo.tasks.find(TaskFilter(project_id=project.id))
        planned = sum((t.planned_cost or Decimal(0) for t in tasks), Decimal(0))
        assert planned == project.bac, project.key


def _cpi(store: Store, key: str) -> Decimal:
    project = store.projects.by_key(key)
    tasks = store.tasks.find(TaskFilter(project_id=project.id))
    earned = sum(
        (t.planned_cost * Decimal(str(t.progress)) / 100 for t in tasks if t.planned_cost),
        Decimal(0),
    )
    actual = sum((c.amount for c in store.costs.find(project.id, until=TODAY)), Decimal(0))
    return earned / actual


def test_net_overruns_cloud_is_amber_app_is_healthy(demo: Store) -> None:
    assert _cpi(demo, "NET") < Decimal("0.85")
    assert Decimal("0.85") <= _cpi(demo, "CLOUD") < Decimal("0.95")
    assert _cpi(demo, "APP") >= Decimal("0.95")


def test_slipping_milestones_have_several_past_forecast_moves(demo: Store) -> None:
    net = demo.projects.by_key("NET")
    pilot = next(m for m in demo.milestones.find(net.id) if m.name == "Pilot branch cut-over")
    assert pilot.actual is None
    assert pilot.baseline < TODAY < pilot.forecast
    recorded = [h.recorded_on for h in pilot.history]
    assert len(recorded) >= 4
    assert recorded == sorted(recorded)
    assert all(day < TODAY for day in recorded)
    assert len(set(recorded)) == len(recorded)
    assert pilot.history[-1].forecast == pilot.forecast
    app = demo.projects.by_key("APP")
    assert all(m.forecast == m.baseline for m in demo.milestones.find(app.id))


def test_the_pm_has_a_full_today_list(demo: Store) -> None:
    grouped = today_list(demo.tasks.find(), "pm", TODAY)
    for group in Group:
        assert grouped.count(group) >= 1, group
    assert grouped.snoozed == 1


def test_everyone_did_something_yesterday_per_the_audit_log(demo: Store) -> None:
    yesterday = WorkCalendar().add_working_days(TODAY, -1)
    rows = demo.db.query(
        "SELECT DISTINCT who FROM audit WHERE substr(at, 1, 10) = ?", (yesterday.isoformat(),)
    )
    assert {r["who"] for r in rows} == {p.login for p in demo.people.find()}


def test_history_is_in_the_past_and_in_order(demo: Store) -> None:
    rows = demo.db.query("SELECT id, at FROM audit ORDER BY id")
    stamps = [r["at"] for r in rows]
    assert stamps == sorted(stamps)
    assert stamps[-1] < TODAY.isoformat()


def test_task_versions_match_their_audit_history(demo: Store) -> None:
    rows = demo.db.query(
        "SELECT t.id, t.version, t.updated_by, max(a.version) AS last,"
        " (SELECT who FROM audit WHERE entity = 'task' AND entity_id = t.id"
        "  ORDER BY id DESC LIMIT 1) AS last_who"
        " FROM tasks t JOIN audit a ON a.entity = 'task' AND a.entity_id = t.id GROUP BY t.id"
    )
    assert len(rows) == len(demo.tasks.find())
    assert all(r["version"] == r["last"] and r["updated_by"] == r["last_who"] for r in rows)


def test_blocked_tasks_have_reason_and_since_and_some_tasks_are_stale(demo: Store) -> None:
    tasks = demo.tasks.find()
    blocked = [t for t in tasks if t.status is Status.BLOCKED]
    assert len(blocked) >= 4
    assert all(t.blocked_reason and t.blocked_since for t in blocked)
    week_ago = TODAY - timedelta(days=7)
    stale = [t for t in tasks if t.status is Status.DOING and t.updated_at
             and t.updated_at.date() < week_ago]  # fmt: skip
    assert stale
    overdue = [t for t in tasks if t.is_open and t.due and t.due < TODAY]
    assert len(overdue) >= 5


def test_a_week_of_standups_per_team(demo: Store) -> None:
    sessions = demo.db.query("SELECT held_on, team FROM standups ORDER BY id")
    days = sorted({s["held_on"] for s in sessions})
    assert len(days) == 5
    assert all(day < TODAY.isoformat() for day in days)
    assert Counter(s["team"] for s in sessions) == {"Infrastructure": 5, "Apps": 5}
    entries = demo.db.query("SELECT * FROM standup_entries WHERE standup_id IS NOT NULL")
    assert len(entries) == 40
    assert sum(1 for e in entries if not e["present"]) == 2
    assert any("finished #" in e["yesterday"] for e in entries)
    assert demo.db.query("SELECT count(*) AS n FROM parking_lot")[0]["n"] == 4


def test_standups_read_back_through_the_standup_store(demo: Store) -> None:
    records = demo.standups.find()
    assert len(records) == 10
    latest = records[0]
    assert latest.session.held_on == WorkCalendar().add_working_days(TODAY, -1)
    assert latest.session.team == "Apps"
    assert [e.person for e in latest.entries if not e.present] == ["hana"]
    assert sum(len(r.parking) for r in records) == 4
    (note,) = demo.standups.notes(TODAY)
    assert (note.person, note.standup_id) == ("hana", None)
    held = demo.db.query("SELECT new FROM audit WHERE entity = 'standup' ORDER BY id")
    assert len(held) == 10
    assert held[0]["new"] == "Infrastructure: 4 of 4 present, 1 parked"


def test_user_is_the_pm_even_with_a_clashing_login(tmp_path: Path) -> None:
    store = _build(tmp_path / "demo.db", user="alice")
    logins = {p.login for p in store.people.find()}
    assert {"alice", "alice.n"} <= logins
    mine = [t for t in store.tasks.find() if t.assignee == "alice"]
    assert all(t.title for t in mine)
    assert any(t.title == "Send steering committee status report" for t in mine)
    store.close()


def test_other_days_work_too(tmp_path: Path) -> None:
    saturday = date(2027, 3, 6)
    store = _build(tmp_path / "demo.db", today=saturday)
    tasks = store.tasks.find()
    assert len(tasks) > 140
    assert all(isinstance(t, Task) for t in tasks)
    store.close()


def test_refuses_a_database_with_data(demo: Store) -> None:
    before = _dump(demo.path)
    with pytest.raises(InvalidInput, match="empty database"):
        build_demo(demo, TODAY)
    assert _dump(demo.path) == before


def test_demo_has_a_schedule_network_the_site_sequence_and_the_cloud_waves(demo: Store) -> None:
    from itpm_tui.reports import schedule_network

    links = demo.links.find()
    titles = {t.id: t.title for t in demo.tasks.find()}
    pairs = {(titles[lk.pred_id], titles[lk.succ_id]): lk for lk in links}
    assert len(links) > 80
    berlin_hamburg = pairs[("Cut over WAN link: Berlin", "Cut over WAN link: Hamburg")]
    assert (berlin_hamburg.kind.value, berlin_hamburg.lag) == ("fs", 1)
    assert ("Install new switches: Munich", "Cut over WAN link: Munich") in pairs
    wave = pairs[("Migrate ERP database to test", "Migrate HR portal to test")]
    assert (wave.kind.value, wave.lag) == ("ss", 2)
    result = schedule_network(demo, TODAY).schedule()  # acyclic: computes
    assert result.critical_ids
    assert all(m.forecast is not None for m in result.milestones.values())


def test_demo_has_a_realistic_raid_register_with_a_re_rated_risk(demo: Store) -> None:
    from itpm_tui.domain.raid import score_history
    from itpm_tui.models import RaidKind
    from itpm_tui.reports import health_of

    items = demo.raid.find()
    risks = [(i.project_key, i.title.split(":")[0].split()[0]) for i in items
             if i.kind is RaidKind.RISK]  # fmt: skip
    assert ("NET", "Carrier") in risks and ("CLOUD", "Data") in risks
    assert ("APP", "App") in risks
    assert sum(i.kind is RaidKind.DECISION for i in items) >= 3
    net = demo.projects.by_key("NET")
    trend = score_history(demo.raid.history(1), net.risk_settings.kind)
    assert [p.score for p in trend] == [Decimal(12), Decimal(16)]
    reasons = health_of(demo, net, TODAY).overall.reasons
    assert "exposure €29,500 exceeds the contingency of €20,000" in reasons
