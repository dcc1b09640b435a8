"""Snapshots of the Stand-up board and Health screens on demo data, at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import wait_for_workers

# The UI fixtures (demo database, app factory), shared with the Pilot tests.
demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]


def open_screen(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Switch screen and press keys, letting every load finish before the picture."""

    async def run_before(pilot: Pilot[None]) -> None:
        for key in keys:
            await pilot.press(key)
            for _ in range(3):
                await wait_for_workers(pilot.app)
                await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_board_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_screen("3"))


def test_board_walked_to_blocked_and_filtered_by_project(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("3", "w", "w", "P", "P", "P", "j")
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=open_screen(*keys))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    # NET: red budget and schedule, slipping milestones.
    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_screen("4", "p"))


def test_health_milestone_highlighted_with_its_trend(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "p", "G", "k", "k")  # the pilot cut-over, 15 working days late
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=open_screen(*keys))


def test_health_drill_down_into_overdue_tasks(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "p", "j", "j", "enter")
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=open_screen(*keys))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_health_drill_down_into_the_schedule_rating(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    keys = ("4", "p", "j", "enter")  # NET's red schedule: the tasks behind plan, the EVM table
    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_screen(*keys))
