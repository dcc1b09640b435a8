"""``health --as-of`` a past day uses the tasks as they stood then, rebuilt from the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.demo import build_demo
from itpm_tui.domain.health import project_health
from itpm_tui.models import CostEntry, Milestone, Project, Status, Task
from itpm_tui.reports import health_of
from itpm_tui.store import Store, TaskFilter
from itpm_tui.store.rows import append_audit
from tests.conftest import TODAY, Cli

DAY1 = date(2026, 11, 16)
"""A Monday a week before the suite's TODAY."""
DAY3 = DAY1 + timedelta(days=2)
START = date(2026, 11, 9)


@pytest.fixture
def day1_store(db_path: Path) -> Iterator[Store]:
    """A store whose clock starts at 09:00 on DAY1 (the CLI still runs at TODAY)."""
    s = Store(db_path, user="pm", clock=FixedClock(DAY1))
    yield s
    s.close()


def _metrics(run: Cli, day: date) -> dict[str, Any]:
    data = json.loads(
        run("health", "--json", "--project", "NET", "--as-of", day.isoformat()).stdout
    )
    [project] = data["projects"]
    return project  # type: ignore[no-any-return]


def _task(title: str, cost: str, **fields: object) -> Task:
    return Task.model_validate({
        "project_id": 1, "title": title, "planned_start": START,
        "planned_finish": date(2026, 11, 20), "planned_cost": Decimal(cost),
        "estimate_hours": 40.0, "remaining_hours": 40.0, **fields,
    })  # fmt: skip


def test_as_of_a_past_day_reports_that_days_progress_exactly(
    day1_store: Store, db_path: Path
) -> None:
    store = day1_store
    clock = store.clock
    assert isinstance(clock, FixedClock)
    net = store.projects.add(Project(key="NET", name="Network", bac=Decimal(4000), start=START))
    other = store.projects.add(Project(key="OPS", name="Operations", start=START))
    gate = store.milestones.add(
        Milestone(project_id=net.id, name="Cut-over", baseline=DAY3, forecast=DAY3)
    )
    routers = store.tasks.add(_task("Routers", "1000.00", milestone_id=gate.id))
    switches = store.tasks.add(_task("Switches", "2000.00", milestone_id=gate.id))
    cabling = store.tasks.add(_task("Cabling", "1000.00"))
    store.costs.add(CostEntry(project_id=net.id, spent_on=DAY1, amount=Decimal("900.00")))

    # Day 1: some progress, then the end of the day is what --as-of DAY1 must show.
    clock.advance(3600)
    store.tasks.update(routers.id, {"status": Status.DOING, "remaining_hours": 30.0})
    store.tasks.update(switches.id, {"status": Status.DOING, "percent_complete": 25})
    clock.advance(3600)
    store.tasks.update(routers.id, {"remaining_hours": 20.0})
    day1_tasks = store.tasks.find(TaskFilter(project_id=net.id))
    assert cabling.id in {t.id for t in day1_tasks}

    # Day 3: routers done, switches further, cabling re-costed and moved to OPS, one added.
    clock.advance(2 * 24 * 3600)
    store.tasks.update(routers.id, {"status": Status.DONE})
    store.tasks.update(switches.id, {"percent_complete": 50})
    store.tasks.update(switches.id, {"percent_complete": 75})
    store.tasks.update(cabling.id, {"planned_cost": Decimal("1500.00"), "remaining_hours": 10.0})
    store.tasks.update(cabling.id, {"project_id": other.id})
    store.tasks.add(_task("Patch panels", "500.00", remaining_hours=0.0, percent_complete=100))
    store.costs.add(CostEntry(project_id=net.id, spent_on=DAY3, amount=Decimal("1100.00")))
    day3_tasks = store.tasks.find(TaskFilter(project_id=net.id))

    run = Cli(db_path)
    on_day1 = _metrics(run, DAY1)
    # routers 1000 x 50% + switches 2000 x 25% + cabling 1000 x 0%
    assert on_day1["metrics"]["ev"] == "1000.00"
    assert on_day1["metrics"]["percent_complete"] == "25.00"
    assert on_day1["metrics"]["ac"] == "900.00"
    milestones = store.milestones.find(net.id)
    costs = store.costs.find(net.id)
    expected_day1 = project_health(net, day1_tasks, milestones, costs, DAY1)
    assert on_day1 == json.loads(json.dumps(expected_day1.to_json_dict()))

    on_day3 = _metrics(run, DAY3)
    # routers 1000 x 100% + switches 2000 x 75% + patch panels 500 x 100%
    assert on_day3["metrics"]["ev"] == "3000.00"
    assert on_day3["metrics"]["percent_complete"] == "75.00"
    expected_day3 = project_health(net, day3_tasks, milestones, costs, DAY3)
    assert on_day3 == json.loads(json.dumps(expected_day3.to_json_dict()))


def test_the_history_query_reads_each_events_own_local_date(day1_store: Store) -> None:
    store = day1_store
    net = store.projects.add(Project(key="NET", name="Network", start=START))
    first = store.tasks.add(_task("Routers", "1000.00"))
    second = store.tasks.add(_task("Switches", "1000.00"))
    quiet = store.tasks.add(_task("Cabling", "1000.00"))
    with store.db.write() as conn:
        # Just after midnight on DAY1 + 1 at +01:00 (still DAY1 in UTC): after DAY1.
        append_audit(conn, at="2026-11-17T00:30:00+01:00", who="pm", entity="task",
                     entity_id=first.id, changes=[("remaining_hours", 40.0, 30.0)], version=2)  # fmt: skip
        # Late on DAY1 at -05:00 (already DAY1 + 1 in UTC): on DAY1, not after.
        append_audit(conn, at="2026-11-16T23:30:00-05:00", who="pm", entity="task",
                     entity_id=second.id, changes=[("remaining_hours", 40.0, 30.0)], version=2)  # fmt: skip
    events = store.audit.task_histories_changed_after(net.id, DAY1)
    # The whole history (its 'created' row too) of the one task changed after DAY1.
    assert [(e.entity_id, e.field) for e in events] == [
        (first.id, "created"),
        (first.id, "remaining_hours"),
    ]
    assert quiet.id not in {e.entity_id for e in events}


def test_health_for_today_reads_no_audit_history(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = store.projects.add(Project(key="NET", name="Network", bac=Decimal(1000), start=START))
    store.tasks.add(_task("Routers", "1000.00", percent_complete=40))

    def refuse(*_: object) -> None:
        raise AssertionError("today's health must not read the audit log")

    monkeypatch.setattr(store.audit, "task_histories_changed_after", refuse)
    assert health_of(store, net, TODAY).evm.ev == Decimal("400.00")


def test_demo_a_week_ago_earned_less_than_today(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.db", user="pm", clock=FixedClock(TODAY))
    try:
        build_demo(store, TODAY)
        week_ago = TODAY - timedelta(days=7)
        for project in store.projects.find():
            now = health_of(store, project, TODAY)
            then = health_of(store, project, week_ago)
            assert then.evm.ev < now.evm.ev, project.key
            assert then.evm.percent_complete is not None
            assert now.evm.percent_complete is not None
            assert then.evm.percent_complete < now.evm.percent_complete, project.key
        # A task finished this week was still open a week ago.
        tasks = store.tasks.find(TaskFilter(statuses=(Status.DONE,)))
        finished = [t for t in tasks if t.done_at and t.done_at.date() > week_ago]
        assert finished
        net = store.projects.by_key("NET")
        then_ids = {f.task_id for f in health_of(store, net, week_ago).task_flags}
        now_ids = {f.task_id for f in health_of(store, net, TODAY).task_flags}
        assert then_ids != now_ids
    finally:
        store.close()
