"""Health: badges and reasons per project, switching projects, drilling down, live flags."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import weakref
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from itpm_tui.app import ItpmApp
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.models import (
    CostEntry,
    ForecastChange,
    Milestone,
    Person,
    PersonRate,
    Project,
    Status,
    Task,
    Worklog,
)
from itpm_tui.reports import health_of
from itpm_tui.screens.drilldown import DrilldownScreen
from itpm_tui.screens.health import HealthScreen
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.store import Store
from itpm_tui.widgets.health_badge import HealthBadge
from itpm_tui.widgets.health_list import FlagRow, HealthList, MilestoneRow, RatingRow
from itpm_tui.widgets.portfolio_table import PortfolioTable
from itpm_tui.widgets.task_table import TaskTable
from itpm_tui.widgets.trend_chart import TrendChart, sparkline
from tests.conftest import TODAY
from tests.tui.conftest import AppFactory
from tests.tui.helpers import region_text, screen_text, settle, text_of, ui_test, wait_until

SIZE = (80, 24)


# --- helpers ------------------------------------------------------------------------------


def words(text: str) -> str:
    """Text with wrapping and padding undone."""
    return " ".join(text.split())


async def open_health(app: ItpmApp, pilot: Pilot[None]) -> HealthScreen:
    """Health, opened on the alphabetically first project (Health itself opens on the
    portfolio, worst first)."""
    await pilot.press("4")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, HealthScreen) and screen.in_portfolio
    table = screen.query_one(PortfolioTable)
    if table.rows:
        assert table.select_key(min(r.health.project_key for r in table.rows))
        await pilot.press("enter")
        await settle(app, pilot)
        assert not screen.in_portfolio
    return screen


def badge(app: ItpmApp, name: str) -> HealthBadge:
    return app.screen.query_one(f"#badge-{name}", HealthBadge)


def rag(app: ItpmApp, name: str) -> Rag | None:
    return badge(app, name).rag


def health_list(app: ItpmApp) -> HealthList:
    return app.screen.query_one(HealthList)


def detail(app: ItpmApp) -> str:
    return words(text_of(app.screen.query_one("#health-detail-reasons")))


async def highlight(pilot: Pilot[None], app: ItpmApp, wanted: object) -> None:
    """Press j until the list's current row is ``wanted`` (fails if it never is)."""
    rows = health_list(app).rows
    assert wanted in rows
    for _ in rows:
        if health_list(app).current == wanted:
            return
        await pilot.press("j")
    assert health_list(app).current == wanted


def one_task_project(store: Store) -> tuple[Project, Task]:
    """A project whose only task is overdue and unstarted: schedule red until it is done.

    Planned 16-27 Nov for 1,000; by Monday 23 Nov six of its ten working days are planned
    (PV 600) and nothing is earned (SPI 0). Done, it earns the whole 1,000 (SPI 1.67).
    """
    project = store.projects.add(Project(
        key="OPS", name="Ops tooling", bac=Decimal(1000), start=date(2026, 11, 16),
        baseline_finish=date(2026, 11, 27),
    ))  # fmt: skip
    task = store.tasks.add(Task(
        title="Roll out the backup agent", project_id=project.id, due=date(2026, 11, 20),
        planned_start=date(2026, 11, 16), planned_finish=date(2026, 11, 27),
        planned_cost=Decimal(1000), estimate_hours=16,
    ))  # fmt: skip
    return project, task


# --- what the screen shows ----------------------------------------------------------------


@ui_test
async def test_badges_metrics_and_reasons_come_from_the_health_domain(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(app, pilot)
        expected = health_of(demo_store, demo_store.projects.by_key("APP"), TODAY)
        assert screen.project_key == "APP"  # the first project by key
        assert rag(app, "overall") is expected.overall.rag
        assert rag(app, "budget") is expected.budget.rag
        assert rag(app, "schedule") is expected.schedule.rag
        budget = text_of(badge(app, "budget"))
        assert f"Budget {expected.budget.rag.symbol} {expected.budget.rag.word}" in budget
        shown = words(screen_text(app))
        assert "AC €69,967 of BAC €96,000 (73%)" in shown
        assert f"SPI {expected.evm.spi:.2f} · SPI(t) {expected.evm.spi_t:.2f}" in shown
        for name, flag in (("budget", expected.budget), ("schedule", expected.schedule)):
            column = words(region_text(app, app.screen.query_one(f"#{name}-reasons")))
            for reason in flag.reasons:
                assert words(reason) in column  # wide screens show every reason, whole
        rows = health_list(app).rows
        flags = {r.kind: r.count for r in rows if isinstance(r, FlagRow)}
        assert flags[TaskFlagKind.OVERDUE] == expected.task_count(TaskFlagKind.OVERDUE)
        assert flags[TaskFlagKind.AT_RISK] == expected.task_count(TaskFlagKind.AT_RISK)
        milestones = [r.report for r in rows if isinstance(r, MilestoneRow)]
        assert milestones == list(expected.milestones)


@ui_test
async def test_the_badge_class_follows_the_rating_never_colour_alone(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("p")  # NET, the last project: red budget
        budget = badge(app, "budget")
        assert budget.rag is Rag.RED
        assert budget.has_class("-red") and not budget.has_class("-green")
        assert "Budget ✖ RED" in text_of(budget)


@ui_test
async def test_undefined_metrics_show_a_dash(store: Store, app_factory: AppFactory) -> None:
    store.projects.add(Project(key="NEW", name="Not started", bac=Decimal(5000)))
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        shown = words(screen_text(app))
        assert "EAC — · CPI —" in shown and "SPI — · SPI(t) —" in shown
        assert "runway —" in shown
        assert rag(app, "budget") is Rag.NO_DATA
        assert "Budget ? NO DATA" in text_of(badge(app, "budget"))


@ui_test
async def test_no_projects_says_how_to_add_one(store: Store, app_factory: AppFactory) -> None:
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        shown = screen_text(app)
        assert "No projects yet" in shown
        assert rag(app, "overall") is None
        await pilot.press("n", "enter")  # nothing to switch to or drill into
        assert isinstance(app.screen, HealthScreen)


# --- keys ---------------------------------------------------------------------------------


@ui_test
async def test_next_and_previous_project_keys_switch_the_badges(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_health(app, pilot)
        seen = [screen.project_key]
        for key in ("n", "right_square_bracket", "n"):
            await pilot.press(key)
            seen.append(screen.project_key)
        assert seen == ["APP", "CLOUD", "NET", "APP"]
        await pilot.press("p")
        assert screen.project_key == "NET"
        await pilot.press("left_square_bracket")
        assert screen.project_key == "CLOUD"
        cloud = health_of(demo_store, demo_store.projects.by_key("CLOUD"), TODAY)
        assert rag(app, "budget") is cloud.budget.rag
        assert "CLOUD ERP cloud migration  2/3" in screen_text(app)


@ui_test
async def test_the_detail_lines_explain_the_highlighted_row(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("p")  # NET
        rows = health_list(app).rows
        assert health_list(app).current == RatingRow("Budget", net.budget)
        assert words(net.budget.reasons[0]) in detail(app)  # narrow: reasons live here
        assert not app.screen.query_one(TrendChart).display
        await pilot.press("down")
        assert health_list(app).current == RatingRow("Schedule", net.schedule)
        assert words(net.schedule.reasons[0]) in detail(app)
        await pilot.press("k", "j")
        assert health_list(app).current == RatingRow("Schedule", net.schedule)
        overdue = FlagRow(TaskFlagKind.OVERDUE, net.task_count(TaskFlagKind.OVERDUE))
        await highlight(pilot, app, overdue)
        first = next(f for f in net.task_flags if f.kind is TaskFlagKind.OVERDUE)
        assert f"#{first.task_id} {words(first.reason)}" in detail(app)
        slipping = next(r for r in rows if isinstance(r, MilestoneRow)
                        and r.report.health.slip > 5)  # fmt: skip
        await highlight(pilot, app, slipping)
        chart = app.screen.query_one(TrendChart)
        assert chart.display and chart.trend == slipping.report.health.trend
        spark = sparkline([p.slip for p in chart.trend.points], 99)
        assert text_of(chart).strip().startswith(spark)
        assert words(slipping.report.flag.reasons[0]) in detail(app)
        await pilot.press("G")
        assert isinstance(health_list(app).current, MilestoneRow)
        await pilot.press("g")
        assert health_list(app).current == RatingRow("Budget", net.budget)
        assert app.screen.query_one("#health-body").scroll_offset.y == 0


def behind_and_ahead(store: Store) -> Project:
    """OPS as of Mon 23 Nov: #A unstarted (PV 600, EV 0), #B done (500/500), #C ahead (0/200).

    A is planned over 16-27 Nov (10 working days, 1,000): six days are planned by Monday.
    B was planned 16-20 Nov and is done; C starts on 24 Nov and is half done already.
    """
    project = store.projects.add(Project(key="OPS", name="Ops tooling", bac=Decimal(1900),
                                         start=date(2026, 11, 16)))  # fmt: skip
    for title, start, finish, cost, done in (
        ("Roll out the backup agent", date(2026, 11, 16), date(2026, 11, 27), 1000, 0),
        ("Order the disks", date(2026, 11, 16), date(2026, 11, 20), 500, 100),
        ("Write the runbook", date(2026, 11, 24), date(2026, 11, 27), 400, 50),
    ):
        store.tasks.add(Task(title=title, project_id=project.id, planned_start=start,
                             planned_finish=finish, planned_cost=Decimal(cost),
                             percent_complete=done))  # fmt: skip
    store.costs.add(CostEntry(project_id=project.id, spent_on=date(2026, 11, 18),
                              amount=Decimal(300), category="hardware", note="disks"))  # fmt: skip
    store.costs.add(CostEntry(project_id=project.id, spent_on=date(2026, 11, 20),
                              amount=Decimal(50), category="travel"))  # fmt: skip
    return project


async def open_schedule_drilldown(app: ItpmApp, pilot: Pilot[None]) -> DrilldownScreen:
    """Enter on the Schedule rating: the tasks behind it."""
    rows = health_list(app).rows
    await highlight(pilot, app, next(r for r in rows
                                     if isinstance(r, RatingRow) and r.label == "Schedule"))  # fmt: skip
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, DrilldownScreen)
    return app.screen


@ui_test
async def test_enter_on_schedule_lists_the_tasks_behind_plan_with_their_sv(
    store: Store, app_factory: AppFactory
) -> None:
    behind_and_ahead(store)
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_health(app, pilot)
        drill = await open_schedule_drilldown(app, pilot)
        table = drill.query_one(TaskTable)
        assert [table.rows[i].title for i in table.ids] == ["Roll out the backup agent"]
        assert "behind plan: SV -€600 (planned value €600, earned €0)" in words(
            text_of(app.screen.query_one("#drill-detail"))
        )
        metrics = words(text_of(app.screen.query_one("#drill-metrics")))
        assert "PV 1,100.00" in metrics and "EV 700.00" in metrics and "SV -400.00" in metrics
        assert "1 task behind plan" in words(text_of(app.screen.query_one("#drill-title")))
        await pilot.press("backspace")
        assert isinstance(app.screen, HealthScreen)


@ui_test
async def test_a_drill_down_closed_again_is_freed(store: Store, app_factory: AppFactory) -> None:
    """A drill-down, built anew each time, is freed once closed: it leaves the app's
    signals (which kept it until they next published), and only the main screens' first
    loads are frozen out of the collector (itpm_tui.heap)."""
    behind_and_ahead(store)
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_health(app, pilot)
        closed: list[weakref.ref[DrilldownScreen]] = []
        for _ in range(3):
            closed.append(weakref.ref(await open_schedule_drilldown(app, pilot)))
            await pilot.press("backspace")
            await settle(app, pilot)

        def freed() -> bool:
            gc.collect()
            return [ref() for ref in closed[:-1]] == [None, None]

        # Textual lets go of a closed screen's finished workers some loop turns later (under
        # load, more than one screen's); the last one closed may be held longer still.
        await wait_until(pilot, freed, timeout=5.0)


def log_time(store: Store, task_title: str, hours: int, day: date = date(2026, 11, 18)) -> None:
    """``ann`` (100 an hour) logs ``hours`` on the task with ``task_title``."""
    if "ann" not in {p.login for p in store.people.find()}:
        store.people.save(Person(login="ann", name="Ann Field"))
        store.worklogs.set_rate(PersonRate(person="ann", effective_from=date(2026, 1, 1),
                                           rate=Decimal(100)))  # fmt: skip
    task = next(t for t in store.tasks.find() if t.title == task_title)
    store.worklogs.log(Worklog(person="ann", task_id=task.id, day=day, minutes=hours * 60))


@ui_test
async def test_enter_on_budget_lists_the_largest_cost_variances_then_the_cost_entries(
    store: Store, app_factory: AppFactory
) -> None:
    behind_and_ahead(store)
    log_time(store, "Order the disks", 10)  # cost 1,000 for 500 earned: CV -500
    log_time(store, "Write the runbook", 1)  # cost 100 for 200 earned: CV +100
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_health(app, pilot)
        assert isinstance(health_list(app).current, RatingRow)
        await pilot.press("enter")  # the first row is Budget
        await settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        table = app.screen.query_one(TaskTable)
        titles = [table.rows[i].title for i in table.ids]
        # worst CV first; then the work with no time logged, most to earn first
        assert titles == ["Order the disks", "Write the runbook", "Roll out the backup agent"]
        assert ("CV -€500: time logged cost €1,000, earned €500 of €500 planned"
                in words(text_of(app.screen.query_one("#drill-detail"))))  # fmt: skip
        await pilot.press("j", "j")
        assert "no time logged on it: €1,000 still to earn of a planned €1,000" in words(
            text_of(app.screen.query_one("#drill-detail"))
        )
        title = words(text_of(app.screen.query_one("#drill-title")))
        assert "2 tasks with time logged, worst CV first · then 1 with budget left" in title
        metrics = text_of(app.screen.query_one("#drill-metrics"))
        assert "AC €1,450: €1,100 time logged on tasks, €350 in 2 cost entries" in words(metrics)
        assert "By category: hardware €300 · travel €50" in words(metrics)
        costs = metrics[metrics.index("Cost entries, largest first") :]
        assert costs.index("€300.00  hardware: disks") < costs.index("€50.00  travel")


@ui_test
async def test_enter_on_schedule_lists_the_tasks_past_their_planned_finish_first(
    store: Store, app_factory: AppFactory
) -> None:
    project = behind_and_ahead(store)
    store.tasks.add(Task(title="Rack the servers", project_id=project.id,
                         planned_start=date(2026, 11, 16), planned_finish=date(2026, 11, 19),
                         planned_cost=Decimal(400), percent_complete=25))  # fmt: skip
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("j", "enter")  # Schedule
        await settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        table = app.screen.query_one(TaskTable)
        # SV -300 but past its finish comes before SV -600 still under way
        assert [table.rows[i].title for i in table.ids] == ["Rack the servers",
                                                             "Roll out the backup agent"]  # fmt: skip
        assert ("planned to finish Thu 19 Nov, 25% done: SV -€300 (planned value €400, "
                "earned €100)") in words(text_of(app.screen.query_one("#drill-detail")))  # fmt: skip
        title = words(text_of(app.screen.query_one("#drill-title")))
        assert "1 task past planned finish, not done · then 1 more behind plan" in title


@ui_test
async def test_a_short_screen_shows_the_tasks_or_the_figures_and_v_switches(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "enter")  # NET, worst first
        await settle(app, pilot)
        await pilot.press("enter")  # Budget
        await settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        table = app.screen.query_one(TaskTable)
        assert table.display and table.size.height >= 10  # the list gets the room
        assert not app.screen.query_one("#drill-metrics").display
        await pilot.press("v")
        await settle(app, pilot)
        assert not table.display
        shown = words(screen_text(app))
        for reason in net.budget.reasons:  # whole, wrapped, none cut
            assert words(reason) in shown
        assert "VAC -50,769.23" in shown and "EAC AC+BAC-EV 210,361.50" in shown
        assert "Cost entries, largest first" not in shown
        await pilot.press("J", "J", "J", "J", "J")
        assert "Cost entries, largest first" in words(screen_text(app))
        await pilot.press("v")
        await settle(app, pilot)
        assert table.display and app.focused is table


# --- drill-down ---------------------------------------------------------------------------


@ui_test
async def test_drilling_into_overdue_lists_exactly_the_flagged_tasks_and_escape_returns(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    overdue = set(net.task_ids(TaskFlagKind.OVERDUE))
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("p")
        await highlight(pilot, app, FlagRow(TaskFlagKind.OVERDUE, len(overdue)))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        table = app.screen.query_one(TaskTable)
        assert set(table.ids) == overdue
        shown = screen_text(app)
        assert "NET · ! overdue" in shown
        assert f"{len(overdue)} open tasks overdue as of Mon 23 Nov" in shown
        first = table.cursor_id
        reason = next(f.reason for f in net.task_flags if f.task_id == first)
        assert words(reason) in words(text_of(app.screen.query_one("#drill-detail")))
        await pilot.press("escape")
        assert isinstance(app.screen, HealthScreen)
        await pilot.press("l")  # right and l drill too
        await settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        await pilot.press("backspace")
        assert isinstance(app.screen, HealthScreen)


@ui_test
async def test_drilling_into_a_milestone_shows_its_tasks_trend_and_reasons(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    report = max(net.milestones, key=lambda m: m.health.slip)
    linked = {t.id for t in demo_store.tasks.find() if t.milestone_id == report.health.milestone_id}
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("p")
        await highlight(pilot, app, MilestoneRow(report))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        assert set(app.screen.query_one(TaskTable).ids) == linked
        badge_ = app.screen.query_one("#drill-badge", HealthBadge)
        assert badge_.display and badge_.rag is report.flag.rag
        assert app.screen.query_one("#drill-trend", TrendChart).trend == report.health.trend
        shown = words(screen_text(app))
        assert f"milestone {report.health.name}" in shown
        assert f"slip +{report.health.slip} wd" in shown


@ui_test
async def test_done_in_the_drill_down_removes_the_task_and_updates_the_count(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    count = net.task_count(TaskFlagKind.OVERDUE)
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("p")
        await highlight(pilot, app, FlagRow(TaskFlagKind.OVERDUE, count))
        await pilot.press("enter")
        await settle(app, pilot)
        table = app.screen.query_one(TaskTable)
        task_id = table.cursor_id
        assert task_id is not None
        await pilot.press("x")
        await settle(app, pilot)
        assert demo_store.tasks.get(task_id).status is Status.DONE
        assert task_id not in table.ids and len(table.ids) == count - 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert FlagRow(TaskFlagKind.OVERDUE, count - 1) in health_list(app).rows


@ui_test
async def test_edit_in_the_drill_down_opens_the_task_form(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
        await pilot.press("p")
        await highlight(pilot, app, FlagRow(TaskFlagKind.OVERDUE,
                                            net.task_count(TaskFlagKind.OVERDUE)))  # fmt: skip
        await pilot.press("enter")
        await settle(app, pilot)
        task_id = app.screen.query_one(TaskTable).cursor_id
        assert task_id is not None
        await pilot.press("e")
        assert isinstance(app.screen, TaskFormModal)
        app.screen.query_one("#due", Input).value = "2026-12-04"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert demo_store.tasks.get(task_id).due == date(2026, 12, 4)
        assert isinstance(app.screen, DrilldownScreen)
        assert task_id not in app.screen.query_one(TaskTable).ids  # no longer overdue


# --- live: flags follow changes from anywhere ---------------------------------------------


@ui_test
async def test_a_task_done_from_the_cli_in_another_process_turns_the_badges_green(
    store: Store, app_factory: AppFactory
) -> None:
    _, task = one_task_project(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        assert rag(app, "schedule") is Rag.RED and rag(app, "overall") is Rag.RED
        assert FlagRow(TaskFlagKind.OVERDUE, 1) in health_list(app).rows
        env = os.environ | {"ITPM_USER": "bob", "ITPM_TODAY": TODAY.isoformat()}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "itpm_tui", "--db", str(store.path),
            "set", str(task.id), "--status", "done", env=env,
        )  # fmt: skip
        assert await process.wait() == 0
        took = await wait_until(pilot, lambda: rag(app, "schedule") is Rag.GREEN, 2.0)
        assert took < 2.0
        assert rag(app, "overall") is Rag.GREEN
        assert "Schedule ✓ GREEN" in text_of(badge(app, "schedule"))
        assert badge(app, "schedule").has_class("-green")
        assert FlagRow(TaskFlagKind.OVERDUE, 0) in health_list(app).rows


@ui_test
async def test_a_change_on_the_board_recolours_health_when_you_come_back(
    store: Store, app_factory: AppFactory
) -> None:
    _, task = one_task_project(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        assert rag(app, "schedule") is Rag.RED
        await pilot.press("3")  # the board opens on To do, its one card highlighted
        await settle(app, pilot)
        # to do -> doing -> review -> done
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await settle(app, pilot)
        assert store.tasks.get(task.id).status is Status.DONE
        await pilot.press("4")
        await settle(app, pilot)
        assert rag(app, "schedule") is Rag.GREEN and rag(app, "overall") is Rag.GREEN


@ui_test
async def test_a_slipping_milestone_recolours_its_row_without_a_reload_key(
    store: Store, app_factory: AppFactory
) -> None:
    project, _ = one_task_project(store)
    milestone = store.milestones.add(Milestone(
        project_id=project.id, name="Agents everywhere", baseline=date(2026, 11, 27),
        forecast=date(2026, 11, 27),
        history=(ForecastChange(recorded_on=date(2026, 11, 16), forecast=date(2026, 11, 27)),),
    ))  # fmt: skip
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        row = next(r for r in health_list(app).rows if isinstance(r, MilestoneRow))
        assert row.report.health.slip == 0
        store.milestones.update(milestone.id, {"forecast": date(2026, 12, 11)})
        await wait_until(
            pilot,
            lambda: any(isinstance(r, MilestoneRow) and r.report.flag.rag is Rag.RED
                        for r in health_list(app).rows),
            2.0,
        )  # fmt: skip
        assert "+10 wd" in text_of(health_list(app))


# --- pieces -------------------------------------------------------------------------------


def test_sparkline_rises_with_the_slip_and_keeps_the_latest_points() -> None:
    assert sparkline([0, 4, 8, 12, 15], 5) == "▁▃▅▇█"
    assert sparkline([0, 0], 5) == "▁▁"
    assert sparkline([-2, 0, 3], 5)[0] == "▁"
    assert sparkline(list(range(20)), 4) == sparkline([16, 17, 18, 19], 4)
    assert sparkline([], 5) == ""


# --- portfolio ----------------------------------------------------------------------------


@ui_test
async def test_health_opens_on_the_portfolio_worst_first_and_enter_opens_a_project(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HealthScreen) and screen.in_portfolio
        table = screen.query_one(PortfolioTable)
        assert [r.health.project_key for r in table.rows] == ["NET", "CLOUD", "APP"]
        net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
        assert words(net.budget.reasons[0]) in words(text_of(screen.query_one("#portfolio-detail")))
        await pilot.press("j", "enter")  # CLOUD
        await settle(app, pilot)
        assert not screen.in_portfolio and screen.project_key == "CLOUD"
        assert "CLOUD" in text_of(screen.query_one("#health-project"))
        await pilot.press("backspace")  # back, on the project just shown
        await settle(app, pilot)
        assert screen.in_portfolio
        assert table.current is not None and table.current.health.project_key == "CLOUD"


def test_the_portfolio_trend_compares_with_the_rating_a_week_ago(demo_store: Store) -> None:
    from itpm_tui.domain.portfolio import Trend, portfolio_rows
    from itpm_tui.reports import health_of_all

    now = health_of_all(demo_store, TODAY)
    rows = portfolio_rows(now, {"NET": Rag.GREEN, "CLOUD": Rag.RED})
    trends = {r.health.project_key: r.trend for r in rows}
    assert trends == {"NET": Trend.WORSE, "CLOUD": Trend.SAME, "APP": Trend.NEW}
    better = portfolio_rows(now, {"APP": Rag.RED})
    assert {r.health.project_key: r.trend for r in better}["APP"] is Trend.BETTER
    # Worst first; two reds by overdue work (NET has more), then by key.
    assert [r.health.project_key for r in rows] == ["NET", "CLOUD", "APP"]
    assert rows[0].why == now[[h.project_key for h in now].index("NET")].budget.reasons[0]


@ui_test
async def test_r_previews_the_weekly_report_then_writes_it_beside_you_and_says_where(
    demo_store: Store, app_factory: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itpm_tui.screens.report_preview import ReportPreviewModal

    monkeypatch.chdir(tmp_path)
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        await pilot.press("r")  # on the portfolio: every project, previewed first
        await wait_until(pilot, lambda: isinstance(app.screen, ReportPreviewModal), timeout=10)
        await settle(app, pilot)
        text = screen_text(app)
        assert "Weekly report: portfolio (nothing is written yet)" in text
        assert "# Weekly status report, week ending Mon 23 Nov 2026" in text
        hint = str(app.screen.query_one(".modal-hint", Static).render())
        assert hint.startswith(f"w or Enter writes {tmp_path}/status-{TODAY}-portfolio.md and "
                               f"status-{TODAY}-portfolio.html")  # fmt: skip
        await pilot.press("space", "G")  # it scrolls: the last project's section is at the end
        await settle(app, pilot)
        assert "Nothing due or planned" in screen_text(app) or "### Next week" in (
            screen_text(app))  # fmt: skip
        await pilot.press("escape")  # closed: nothing written
        await settle(app, pilot)
        assert list(tmp_path.glob("status-*")) == []
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportPreviewModal), timeout=10)
        await pilot.press("w")
        await wait_until(pilot, lambda: (tmp_path / f"status-{TODAY}-portfolio.md").exists())
        await settle(app, pilot)
        await pilot.press("enter", "r")  # in NET: that project only; Enter writes too
        await wait_until(pilot, lambda: isinstance(app.screen, ReportPreviewModal), timeout=10)
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / f"status-{TODAY}-NET.html").exists())
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
    portfolio = (tmp_path / f"status-{TODAY}-portfolio.md").read_text(encoding="utf-8")
    net = (tmp_path / f"status-{TODAY}-NET.md").read_text(encoding="utf-8")
    assert "## NET" in portfolio and "## APP" in portfolio
    assert "## NET" in net and "## APP" not in net
    assert (tmp_path / f"status-{TODAY}-NET.html").read_text(encoding="utf-8").startswith("<!")
    assert any(f"{tmp_path}/status-{TODAY}-NET.md" in n for n in said)


@ui_test
async def test_nothing_red_hides_below_the_fold_without_a_marker_saying_so(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        # NET, four milestones, two of them red (CR-1 re-baselined the last one: amber)
        await pilot.press("4", "enter")
        await settle(app, pilot)
        more = app.screen.query_one("#health-more")
        assert more.display
        assert words(text_of(more)) == "↓ 2 more below, 1 red · j/PgDn to see them"
        await pilot.press("G")  # the last milestone: nothing left below
        await settle(app, pilot)
        assert not more.display
    async with app_factory(demo_store).run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "enter")
        await settle(pilot.app, pilot)
        assert not pilot.app.screen.query_one("#health-more").display  # it all fits


@ui_test
async def test_the_detail_lines_show_whole_reasons_and_say_how_many_more(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    assert len(net.budget.reasons) == 4  # one more than three lines at 80x24 hold, wrapped
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "enter")  # NET: Budget highlighted
        await settle(app, pilot)
        shown = detail(app)
        for reason in net.budget.reasons[:3]:
            assert words(reason) in shown
        assert "At the burn rate" not in shown  # not its first half, cut at the box's end
        assert shown.endswith("+ 1 more · v shows every reason")


@ui_test
async def test_v_shows_every_reason_and_the_whole_evm_table_and_escape_returns(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.screens.health_figures import HealthFiguresScreen

    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "enter", "v")  # NET
        await settle(app, pilot)
        assert isinstance(app.screen, HealthFiguresScreen)
        first = words(screen_text(app))
        assert ("Overall ✖ RED · Red because of: budget, schedule, milestone "
                "'Pilot branch cut-over', milestone 'All 12 branches migrated'.") in first  # fmt: skip
        seen = words(text_of(app.screen.query_one("#figures-text")))  # all of it, wrapped
        body = app.screen.query_one("#figures-body")
        await pilot.press("pagedown")
        assert body.scroll_y > 10  # it pages from the keyboard
        for reason in (*net.budget.reasons, *net.schedule.reasons):
            assert words(reason) in seen
        for metric in ("PV 127,707.00", "EV 107,645.31", "SV -20,061.69", "CV -30,361.50",
                       "ETC 92,762.42", "VAC -50,769.23", "EAC BAC/CPI 230,769.23",
                       "EAC AC+BAC-EV 210,361.50", "EAC CPI*SPI 248,057.22"):  # fmt: skip
            assert metric in seen
        await pilot.press("escape")
        assert isinstance(app.screen, HealthScreen) and not app.screen.in_portfolio


@ui_test
async def test_a_large_screen_shows_why_overall_and_the_evm_table_with_nothing_hidden(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("4", "enter")  # NET
        await settle(app, pilot)
        shown = words(screen_text(app))
        assert "Overall ✖ RED · Red because of: budget, schedule" in shown
        assert "EAC CPI*SPI 248,057.22" in shown and "Forecast slip +17 wd" in shown
        assert "Legacy MPLS decommissioned" in shown  # the last milestone, whole
        assert not app.screen.query_one("#health-more").display


@ui_test
async def test_a_milestones_drill_down_shows_whole_reasons_and_counts_the_rest(
    demo_store: Store, app_factory: AppFactory
) -> None:
    net = health_of(demo_store, demo_store.projects.by_key("NET"), TODAY)
    report = max(net.milestones, key=lambda m: m.health.slip)  # the pilot cut-over: 8 reasons
    reasons = [*report.flag.reasons, report.health.trend.reason]
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_health(app, pilot)
        await pilot.press("p")
        await highlight(pilot, app, MilestoneRow(report))
        await pilot.press("enter")
        await settle(app, pilot)
        shown = words(text_of(app.screen.query_one("#drill-reasons")))
    whole = [r for r in reasons if words(r) in shown]
    assert len(whole) == 3 and whole == reasons[:3]
    assert shown.endswith(f"+ {len(reasons) - 3} more · Esc, then v shows them all")
