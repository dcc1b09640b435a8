"""Snapshots of the Stand-up board and Health screens on demo data, at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

# The UI fixtures (demo database, app factory), shared with the Pilot tests.
demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_board_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("3"))


def test_board_walked_to_blocked_and_filtered_by_project(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("3", "w", "w", "w", "P", "j", "j", "j", "enter", "j")  # P: All, APP, CLOUD, NET
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys(*keys))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    # NET: red budget and schedule, slipping milestones.
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("4", "enter"))


def test_health_milestone_highlighted_with_its_trend(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "enter", "G", "k", "k")  # the pilot cut-over, 15 working days late
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys(*keys))


def test_health_drill_down_into_overdue_tasks(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "enter", "j", "j", "enter")
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys(*keys))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_drill_down_into_the_schedule_rating(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "enter", "j", "enter")  # NET's red schedule: the tasks behind plan, the EVM table
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys(*keys))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_opens_on_the_portfolio_worst_first(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("4"))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_budget_drill_down_with_its_figures(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "enter", "enter", "v")  # NET's red budget: reasons, EVM table, cost entries
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys(*keys))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_figures_page_one_key_away(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "enter", "v")  # NET: why overall, budget, schedule, milestones; the EVM table
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys(*keys))
