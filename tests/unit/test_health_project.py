"""Project health end to end: edge cases of earned value, the demo data at a fixed date, JSON, text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.demo import build_demo
from itpm_tui.domain.evm import earned_value, planned_value_curve
from itpm_tui.domain.health import ProjectHealth, format_health_text, project_health
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.schedule import MilestoneStatus, TaskFlagKind, TrendDirection
from itpm_tui.models import CostEntry, Milestone, Project, Status, Task
from itpm_tui.store import Store, TaskFilter
from tests.conftest import TODAY

MON = date(2026, 11, 2)
"""Start of the small projects below (a Monday)."""


def plan(*spans: tuple[int, int, int], **task_fields: object) -> list[Task]:
    """Tasks from (start offset, finish offset, cost) in calendar days from MON."""
    return [
        Task.model_validate({
            "id": i + 1, "project_id": 1, "title": f"Task {i + 1}",
            "planned_start": MON + timedelta(days=a), "planned_finish": MON + timedelta(days=b),
            "planned_cost": Decimal(cost), **task_fields,
        })
        for i, (a, b, cost) in enumerate(spans)
    ]  # fmt: skip


def project(bac: int = 1000, **fields: object) -> Project:
    return Project.model_validate({"id": 1, "key": "EDGE", "name": "Edge", "bac": bac,
                                   "start": MON, **fields})  # fmt: skip


def spend(*amounts: tuple[int, int]) -> list[CostEntry]:
    """Cost entries from (calendar days after MON, amount)."""
    return [
        CostEntry(project_id=1, spent_on=MON + timedelta(days=d), amount=Decimal(a))
        for d, a in amounts
    ]


# --- edge cases ---------------------------------------------------------------------------


def test_nothing_earned_and_nothing_spent_yet() -> None:
    health = project_health(project(), plan((0, 4, 1000)), [], [], MON + timedelta(days=1))
    ev = health.evm
    assert (ev.pv, ev.ev, ev.ac) == (Decimal("400.00"), Decimal("0.00"), Decimal("0.00"))
    assert ev.spi == 0
    assert ev.cpi is None and ev.eac is None and ev.etc is None and ev.vac is None
    assert ev.es == 0 and ev.at == 2 and ev.spi_t == 0
    assert ev.forecast_finish is None and ev.ieac_t is None
    assert ev.burn_rate == 0 and ev.runway_days is None
    assert health.budget.rag is Rag.NO_DATA
    assert health.schedule.rag is Rag.RED
    assert health.overall.rag is Rag.RED


def test_progress_without_any_cost_recorded() -> None:
    tasks = plan((0, 4, 1000), percent_complete=60)
    ev = earned_value(project(), tasks, [], MON + timedelta(days=2))
    assert ev.ev == Decimal("600.00")
    assert ev.cpi is None and ev.eac is None
    assert ev.percent_spent == 0
    assert ev.eac_atypical == Decimal(400)
    assert ev.tcpi_bac == Decimal("0.4")


def test_zero_budget_gives_no_percentages_and_no_crash() -> None:
    tasks = plan((0, 4, 500), percent_complete=50)
    health = project_health(project(bac=0), tasks, [], spend((0, 300)), MON + timedelta(days=2))
    ev = health.evm
    assert ev.percent_complete is None and ev.percent_spent is None
    assert ev.tcpi_bac is None
    assert ev.eac == 0  # BAC / CPI with a zero BAC
    assert health.budget.reasons[1] == (
        "The budget (BAC) is zero, so the forecast cannot be compared with it."
    )
    assert health.notes == (
        "Planned task costs add up to €500, not the BAC of €0, so PV ends at €500.",
    )
    assert "—" in format_health_text(health)


def test_an_empty_project_has_no_data_anywhere() -> None:
    health = project_health(project(bac=0, start=None), [], [], [], MON)
    assert [f.rag for f in health.flags] == [Rag.NO_DATA] * 3
    assert health.evm.start is None and health.evm.pd == 0 and health.evm.es is None
    text = format_health_text(health)
    assert "Overall   ? NO DATA" in text
    json.dumps(health.to_json_dict())


def test_over_complete_work_earns_more_than_the_budget() -> None:
    # Tasks planned for 1,200 against a BAC of 1,000, all done on time.
    tasks = plan((0, 1, 600), (2, 4, 600), status=Status.DONE)
    ev = earned_value(project(), tasks, spend((1, 500), (4, 500)), MON + timedelta(days=4))
    assert ev.ev == 1200 and ev.pv == 1200
    assert ev.percent_complete == 120
    assert ev.es == ev.pd == 5
    assert ev.cpi == Decimal("1.2")
    assert ev.tcpi_bac is None  # every euro of the BAC is spent


def test_as_of_before_the_start_has_no_indices_and_no_forecast() -> None:
    ev = earned_value(project(), plan((0, 4, 1000)), [], MON - timedelta(days=3))
    assert ev.pv == 0 and ev.at == 0
    assert ev.spi is None and ev.spi_t is None and ev.ieac_t is None
    assert ev.forecast_finish is None and ev.burn_rate is None


def test_as_of_after_a_late_finish_shows_the_lateness_only_in_earned_schedule() -> None:
    # Ten working days planned; all done by the as-of date three weeks after the start.
    tasks = plan((0, 11, 1000), status=Status.DONE)
    ev = earned_value(project(), tasks, spend((18, 1000)), MON + timedelta(days=18))
    assert ev.pv == ev.ev == 1000
    assert ev.spi == 1 and ev.sv == 0
    assert (ev.pd, ev.at) == (10, 15)
    assert ev.es == 10
    assert ev.spi_t == Decimal(10) / 15
    assert ev.forecast_finish == MON + timedelta(days=18)
    assert ev.forecast_slip_days == 5


def test_holidays_inside_a_task_span_carry_no_planned_value() -> None:
    wednesday = MON + timedelta(days=2)
    p = project(holidays=(wednesday,))
    curve = planned_value_curve(p, plan((0, 4, 400)))
    by_day = {day: curve.at(day) for day in (MON + timedelta(days=i) for i in range(5))}
    assert list(by_day.values()) == [100, 200, 200, 300, 400]
    assert curve.planned_finish == MON + timedelta(days=4)
    assert wednesday not in curve.days


def test_a_one_day_task_puts_its_whole_cost_on_that_day() -> None:
    curve = planned_value_curve(project(), plan((1, 1, 250), (3, 4, 100)))
    assert curve.at(MON) == 0
    assert curve.at(MON + timedelta(days=1)) == 250
    assert curve.at(MON + timedelta(days=3)) == 300


def test_a_task_planned_only_on_a_weekend_counts_on_the_next_working_day() -> None:
    curve = planned_value_curve(project(), plan((5, 6, 300)))  # Saturday and Sunday
    assert curve.at(MON + timedelta(days=6)) == 0
    assert curve.at(MON + timedelta(days=7)) == 300


def test_planned_value_splits_uneven_amounts_to_the_cent_and_ends_exact() -> None:
    curve = planned_value_curve(project(), plan((0, 2, 100)))
    assert list(curve.cumulative) == [Decimal("33.33"), Decimal("66.67"), Decimal("100.00")]


def test_tasks_with_a_cost_but_no_dates_are_left_out_and_named() -> None:
    tasks = [
        *plan((0, 4, 800), percent_complete=50),
        Task(id=9, project_id=1, title="Licences", planned_cost=Decimal(200), status=Status.DONE),
    ]
    health = project_health(project(), tasks, [], [], MON + timedelta(days=4))
    assert health.evm.ev == 400 and health.evm.pv == 800
    assert health.evm.unscheduled_task_ids == (9,)
    assert health.notes[0] == (
        "1 task has a planned cost but no planned dates and is left out of PV and EV: #9."
    )


def test_actual_cost_counts_only_entries_up_to_the_as_of_date() -> None:
    ev = earned_value(project(), plan((0, 4, 1000)), spend((0, 100), (3, 50), (9, 70)),
                      MON + timedelta(days=3))  # fmt: skip
    assert ev.ac == 150


def test_burn_rate_and_runway_over_the_last_ten_working_days() -> None:
    # 30 working days in; 1,000 spent in the last ten of them, 3,000 before.
    p = project(bac=10_000)
    as_of = MON + timedelta(days=39)  # Friday of the sixth week
    costs = spend((10, 3000), (30, 400), (39, 600))
    ev = earned_value(p, plan((0, 60, 10_000)), costs, as_of)
    assert ev.burn_window == 10
    assert ev.burn_rate == 100
    assert ev.runway_days == 60  # 6,000 left at 100 a day
    assert ev.runway_end == as_of + timedelta(weeks=12)


def test_burn_rate_right_after_the_start_averages_over_the_days_so_far() -> None:
    ev = earned_value(project(), plan((0, 9, 1000)), spend((0, 90)), MON + timedelta(days=2))
    assert ev.burn_window == 3
    assert ev.burn_rate == 30


def test_the_burn_window_is_a_parameter() -> None:
    ev = earned_value(project(), plan((0, 9, 1000)), spend((0, 90)), MON + timedelta(days=2),
                      burn_window=1)  # fmt: skip
    assert ev.burn_window == 1
    assert ev.burn_rate == 0
    with pytest.raises(ValueError, match="burn-rate window"):
        earned_value(project(), [], [], MON, burn_window=0)


def test_milestones_are_listed_by_baseline_and_done_ones_do_not_count_overall() -> None:
    milestones = [
        Milestone(id=2, project_id=1, name="Later", baseline=MON + timedelta(days=30),
                  forecast=MON + timedelta(days=30)),
        Milestone(id=1, project_id=1, name="Earlier", baseline=MON, forecast=MON,
                  actual=MON + timedelta(days=14)),
    ]  # fmt: skip
    health = project_health(project(), [], milestones, [], MON + timedelta(days=15))
    assert [m.health.name for m in health.milestones] == ["Earlier", "Later"]
    assert health.milestones[0].health.status is MilestoneStatus.DONE_LATE
    assert health.milestones[0].flag.rag is Rag.RED
    assert health.overall.rag is Rag.GREEN


# --- JSON and text ------------------------------------------------------------------------


@pytest.fixture
def small() -> ProjectHealth:
    first, second = plan((0, 4, 1000), (7, 11, 1000), percent_complete=30, assignee="bob",
                         estimate_hours=40, milestone_id=5)  # fmt: skip
    tasks = [
        first.model_copy(update={"due": first.planned_finish}),
        second.model_copy(update={"due": second.planned_finish}),
    ]
    milestone = Milestone(id=5, project_id=1, name="Pilot", baseline=MON + timedelta(days=11),
                          forecast=MON + timedelta(days=16))  # fmt: skip
    return project_health(project(bac=2000), tasks, [milestone], spend((2, 900)),
                          MON + timedelta(days=7))  # fmt: skip


def test_json_has_every_metric_exact_with_decimals_as_strings(small: ProjectHealth) -> None:
    data = json.loads(json.dumps(small.to_json_dict()))
    metrics = data["metrics"]
    assert metrics["pv"] == "1200.00"
    assert metrics["ev"] == "600.00"
    assert metrics["ac"] == "900.00"
    assert metrics["cpi"] == "0.6666666666666666666666666667"
    assert metrics["spi"] == "0.5"
    assert metrics["eac"] == "3000.00"
    assert metrics["es"] == "3"
    assert metrics["at"] == 6
    assert metrics["forecast_finish"] == "2026-11-27"
    assert metrics["unscheduled_task_ids"] == []
    assert data["as_of"] == "2026-11-09"
    assert data["overall"] == {
        "subject": "overall", "rag": "red", "symbol": "✖",
        "reasons": ["Red because of: budget, schedule."],
    }  # fmt: skip
    assert data["milestones"][0]["status"] == "at risk"
    assert data["milestones"][0]["slip"] == 3
    assert data["milestones"][0]["over_capacity"] is False
    assert data["milestones"][0]["loads"] == [
        {"assignee": "bob", "remaining_hours": 56.0, "available_hours": 64.0}
    ]
    assert data["milestones"][0]["flag"]["rag"] == "amber"
    assert data["tasks"]["overdue"] == {"count": 1, "ids": [1]}
    assert data["tasks"]["flags"][0] == {
        "task_id": 1, "kind": "overdue", "reason": "Due 06 Nov, 1 working day ago, and not done.",
    }  # fmt: skip


def test_json_writes_unknown_values_as_null() -> None:
    data = project_health(project(), [], [], [], MON).to_json_dict()
    assert data["metrics"]["cpi"] is None
    assert data["metrics"]["forecast_finish"] is None
    assert data["budget"]["rag"] == "no data"
    assert set(data["tasks"]) == {"overdue", "due soon", "blocked", "at risk", "stale", "flags"}


def test_text_report_rounds_for_people_and_shows_flags_with_words(small: ProjectHealth) -> None:
    text = format_health_text(small)
    lines = text.splitlines()
    assert lines[0] == "EDGE  Edge  (as of 2026-11-09)"
    assert "Overall   ✖ RED" in lines
    assert "  CPI 0.67 is below 0.85: each euro spent earns 67 cents of planned work." in lines
    assert any(re.match(r"  CPI +0\.67 ", line) for line in lines)
    assert any("Pilot" in line and "+3" in line and "▲ AMBER" in line for line in lines)
    assert "  overdue     1  #1" in lines
    assert all(len(line) <= 80 for line in lines)


# --- the demo data at the suite's fixed date ------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ProjectHealth]]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    build_demo(store, TODAY)
    result = {}
    for p in store.projects.find():
        result[p.key] = project_health(
            p, store.tasks.find(TaskFilter(project_id=p.id)), store.milestones.find(p.id),
            store.costs.find(p.id), TODAY,
        )  # fmt: skip
    store.close()
    yield result


def test_demo_app_is_green_throughout(demo: dict[str, ProjectHealth]) -> None:
    app = demo["APP"]
    assert app.overall.rag is Rag.GREEN
    assert app.budget.reasons[0].startswith("CPI 1.04 is at or above 0.95")
    assert [m.health.status for m in app.milestones] == [
        MilestoneStatus.DONE, MilestoneStatus.ON_TRACK, MilestoneStatus.ON_TRACK,
    ]  # fmt: skip


def test_demo_net_is_red_on_cost_schedule_and_its_slipping_pilot(
    demo: dict[str, ProjectHealth],
) -> None:
    net = demo["NET"]
    assert (net.overall.rag, net.budget.rag, net.schedule.rag) == (Rag.RED, Rag.RED, Rag.RED)
    assert net.budget.reasons[0] == (
        "CPI 0.78 is below 0.85: each euro spent earns 78 cents of planned work."
    )
    pilot = next(m for m in net.milestones if m.health.name == "Pilot branch cut-over")
    assert pilot.health.status is MilestoneStatus.LATE
    assert pilot.health.slip == 15
    assert pilot.health.trend.direction is TrendDirection.SLIPPING
    assert [p.slip for p in pilot.health.trend.points] == [0, 4, 8, 12, 15]
    assert pilot.flag.rag is Rag.RED
    assert (
        pilot.flag.reasons[0] == "A slip of 15 working days is more than the 5 allowed before red."
    )
    assert net.overall.reasons[0].startswith("Red because of: budget, schedule, milestone")
    assert net.task_count(TaskFlagKind.OVERDUE) > 0
    assert net.task_count(TaskFlagKind.STALE) == 2


def test_demo_cloud_wave_1_is_three_working_days_late_and_amber(
    demo: dict[str, ProjectHealth],
) -> None:
    cloud = demo["CLOUD"]
    wave = next(m for m in cloud.milestones if m.health.name.startswith("Wave 1"))
    assert wave.health.status is MilestoneStatus.AT_RISK
    assert wave.health.slip == 3
    assert wave.health.trend.direction is TrendDirection.SLIPPING
    assert wave.flag.rag is Rag.AMBER
    # CPI 0.90 alone is amber, but BAC / 0.90 overruns by more than the 10% red line: the
    # reason that makes it red comes first, then the amber one.
    assert cloud.budget.reasons[0].endswith("over the BAC of $420,000 (red above 10%).")
    assert cloud.budget.reasons[1].startswith("CPI 0.90 is below 0.95 (red below 0.85)")
    assert cloud.budget.rag is Rag.RED


def test_demo_flags_point_at_real_open_tasks(demo: dict[str, ProjectHealth]) -> None:
    for health in demo.values():
        for flag in health.task_flags:
            assert flag.reason
        overdue = set(health.task_ids(TaskFlagKind.OVERDUE))
        due_soon = set(health.task_ids(TaskFlagKind.DUE_SOON))
        assert not overdue & due_soon
        text = format_health_text(health)
        assert health.overall.rag.label in text
        json.dumps(health.to_json_dict())
