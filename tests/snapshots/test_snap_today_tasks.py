"""Snapshots of Today, Tasks and the task form on demo data, at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

# The UI fixtures (demo database, app factory), shared with the Pilot tests.
demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]


def press(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """``press_keys``, then a rest past the Tasks detail pane's short timer."""
    keys_pressed = press_keys(*keys)

    async def run_before(pilot: Pilot[None]) -> None:
        await keys_pressed(pilot)
        await pilot.pause(0.15)

    return run_before


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_today_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press("j"))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_tasks_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press("2", "j", "j"))


def test_tasks_filtered_by_project_and_text(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("2", "p", "p", "slash", *"migrate", "enter", "o", "o", "o", "o", "o", "O")
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press(*keys))


def test_quick_add_shows_what_it_understood(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("a", *"call vendor about the switches fri !2")
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press(*keys))


def test_task_form_with_an_error_beside_the_field(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("e", "tab", "tab", "tab", "tab", "tab", "tab", "ctrl+u", *"someday", "ctrl+s")
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press(*keys))


def test_task_form_shows_what_the_task_waits_for(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = ("2", "/", *"switches: hamburg", "enter", "e")  # #14 waits for #13
    assert snap_compare(app, terminal_size=SIZES["wide"], run_before=press(*keys))
