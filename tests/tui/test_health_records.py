"""Health adds records in the app: a project, a milestone, a cost, a forecast moved.

Each form reads its fields with the CLI's parsers; a bad value is named and saves nothing;
a forecast moved by someone else since the screen loaded is refused, not overwritten.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.screens.health import HealthScreen
from itpm_tui.store import Store
from itpm_tui.widgets.health_list import HealthList, MilestoneRow
from itpm_tui.widgets.portfolio_table import PortfolioTable
from tests.tui.conftest import AppFactory
from tests.tui.helpers import fill, form, form_error, settle, ui_test, wait_until

SIZE = (100, 30)


async def open_project(app: ItpmApp, pilot: Pilot[None], key: str) -> HealthScreen:
    await pilot.press("4")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, HealthScreen)
    assert screen.query_one(PortfolioTable).select_key(key)
    await pilot.press("enter")
    await settle(app, pilot)
    return screen


@ui_test
async def test_a_project_added_from_the_portfolio_is_stored_and_listed(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        await pilot.press("a")
        await fill(pilot, "ops", "Ops tooling", "12,5")  # a comma for decimals: refused
        assert "use a dot for decimals" in form_error(app)
        assert form(app).focused is form(app).query_one("#field-bac", Input)
        await fill(pilot, "12500.50", None, "2026-12-01", "2027-03-31")  # Enter on the last saves
        await settle(app, pilot)
        added = demo_store.projects.by_key("OPS")
        assert (added.name, added.bac, added.start, added.baseline_finish) == (
            "Ops tooling", Decimal("12500.50"), date(2026, 12, 1), date(2027, 3, 31)
        )  # fmt: skip
        table = app.screen.query_one(PortfolioTable)
        await wait_until(pilot, lambda: any(r.health.project_key == "OPS" for r in table.rows))


@ui_test
async def test_a_bad_project_key_is_named_and_nothing_is_added(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        await pilot.press("a")
        await fill(pilot, "7up", "Seven")
        await pilot.press("ctrl+s")
        assert form_error(app).startswith("key: ")
        assert form(app).focused is form(app).query_one("#field-key", Input)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HealthScreen)
        assert len(demo_store.projects.find()) == 3


@ui_test
async def test_a_cost_and_a_milestone_added_to_a_project_change_its_health(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_project(app, pilot, "APP")
        ac_before = screen.health.evm.ac if screen.health else None
        await pilot.press("dollar_sign")
        await fill(pilot, "0", None, "hardware", "INV-7")
        assert "more than 0" in form_error(app)  # the model's rule, named on save
        assert form(app).focused is form(app).query_one("#field-amount", Input)
        await pilot.press("home", *"1250", "ctrl+s")  # "0" becomes "12500"
        await settle(app, pilot)
        entries = demo_store.costs.find(demo_store.projects.by_key("APP").id)
        entry = max(entries, key=lambda e: e.id or 0)
        assert (entry.amount, entry.category, entry.note) == (Decimal(12500), "hardware", "INV-7")
        await wait_until(pilot, lambda: bool(screen.health and screen.health.evm.ac != ac_before))
        assert screen.health is not None and ac_before is not None
        assert screen.health.evm.ac == ac_before + Decimal(12500)

        await pilot.press("m")
        await fill(pilot, "Store listing live", "31 feb")  # no such day
        assert form_error(app).startswith("Baseline: ")
        await fill(pilot, "15 jan")
        assert form_error(app) == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        names = [m.name for m in demo_store.milestones.find(demo_store.projects.by_key("APP").id)]
        assert "Store listing live" in names
        await wait_until(pilot, lambda: any(
            isinstance(r, MilestoneRow) and r.report.health.name == "Store listing live"
            for r in app.screen.query_one(HealthList).rows))  # fmt: skip


async def _on_first_milestone(app: ItpmApp, pilot: Pilot[None]) -> MilestoneRow:
    rows = app.screen.query_one(HealthList).rows
    for _ in rows:
        current = app.screen.query_one(HealthList).current
        if isinstance(current, MilestoneRow):
            return current
        await pilot.press("j")
    raise AssertionError("no milestone row")


@ui_test
async def test_f_moves_the_highlighted_milestone_forecast_and_keeps_its_history(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_project(app, pilot, "NET")
        row = await _on_first_milestone(app, pilot)
        milestone_id = row.report.health.milestone_id
        await pilot.press("f")
        await fill(pilot, "2027-01-08")
        await settle(app, pilot)
        said = " ".join(str(n.message) for n in app._notifications)
        assert ": forecast Fri 08 Jan 27 (" in said
        moved = demo_store.milestones.get(milestone_id)
        assert moved.forecast == date(2027, 1, 8)
        assert moved.history[-1].forecast == date(2027, 1, 8)
        assert len(moved.history) >= 2


@ui_test
async def test_a_forecast_moved_by_someone_else_meanwhile_is_not_overwritten(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_project(app, pilot, "NET")
        row = await _on_first_milestone(app, pilot)
        milestone_id = row.report.health.milestone_id
        await pilot.press("f")
        demo_store.milestones.update(milestone_id, {"forecast": date(2027, 2, 1)})  # a colleague
        await fill(pilot, "2027-01-08")
        await settle(app, pilot)
        assert demo_store.milestones.get(milestone_id).forecast == date(2027, 2, 1)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "to Mon 01 Feb 27 meanwhile; nothing changed" in said  # not this year: its year


@ui_test
async def test_f_is_offered_only_on_a_milestone(demo_store: Store, app_factory: AppFactory) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_project(app, pilot, "NET")
        assert not isinstance(screen.query_one(HealthList).current, MilestoneRow)
        assert screen.check_action("move_forecast", ()) is False
        await pilot.press("f")
        assert app.screen is screen
        await _on_first_milestone(app, pilot)
        assert screen.check_action("move_forecast", ()) is True
