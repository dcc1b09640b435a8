"""Switching to a visited screen shows what it holds without re-styling it from scratch.

Textual re-applies the whole stylesheet to every resumed screen: about a third of a
switch's CPU on the demo. ItpmScreen skips that unless the app's classes or pseudo-classes
changed while the screen was hidden; these tests pin both halves of that rule.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Any

import pytest
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

from itpm_tui.app import ItpmApp
from itpm_tui.screens.tasks import TasksScreen
from itpm_tui.screens.today import TodayScreen
from itpm_tui.store import Store
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, ui_test


def count_restyles(app: ItpmApp) -> list[Screen[Any]]:
    """Record every screen the stylesheet is applied to as a whole, from now on."""
    restyled: list[Screen[Any]] = []
    update_nodes = app.stylesheet.update_nodes

    def spy(nodes: Iterable[DOMNode], animate: bool = False) -> None:
        nodes = list(nodes)
        if nodes and isinstance(nodes[0], Screen):
            restyled.append(nodes[0])
        update_nodes(nodes, animate=animate)

    app.stylesheet.update_nodes = spy  # type: ignore[method-assign]
    return restyled


@ui_test
async def test_a_visited_screen_is_not_restyled_when_nothing_it_inherits_changed(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "21":  # visit Tasks, back to Today
            await pilot.press(key)
            await settle(app, pilot)
        restyled = count_restyles(app)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        assert app.screen not in restyled


@ui_test
async def test_a_screen_hidden_while_the_app_lost_focus_is_restyled_on_return(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "21":
            await pilot.press(key)
            await settle(app, pilot)
        restyled = count_restyles(app)
        app.app_focus = False  # the terminal lost focus: only Today is re-styled by Textual
        await settle(app, pilot)
        await app.switch_mode("tasks")  # not a key press: Pilot's keys give focus back
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        assert app.screen in restyled
        assert "blur" in app.get_pseudo_classes()


@ui_test
async def test_a_theme_changed_on_another_screen_reaches_the_visited_one(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        tasks = app.screen
        dark_background = tasks.styles.background
        await pilot.press("1")
        await settle(app, pilot)
        app.theme = "textual-light"
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert app.screen is tasks
        assert tasks.styles.background != dark_background


@ui_test
async def test_a_screens_first_load_is_frozen_once_so_full_collections_skip_it(
    demo_store: Store, app_factory: AppFactory
) -> None:
    """At 10,000 tasks one full collection during a switch took 127 ms, 11.6 ms with
    the loaded screens frozen (itpm_tui.heap): the first load is frozen, a reload is not."""
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        after_today = gc.get_freeze_count()
        assert after_today > 0
        await pilot.press("2")
        await settle(app, pilot)
        after_tasks = gc.get_freeze_count()
        assert after_tasks > after_today
        gc.unfreeze()
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        app.screen.reload()
        await settle(app, pilot)
        assert gc.get_freeze_count() == 0


@ui_test
async def test_only_a_first_visit_holds_painting_back(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's switch_mode holds painting for 50 ms (``delay_update``) to hide a screen
    being built; a visited screen is whole, and it paints at once (60 ms to 10 ms a switch
    at 10,000 tasks, through the pty harness)."""
    app = app_factory(demo_store)
    holds: list[float] = []
    delay_update = App.delay_update

    def spy(self: App[object], delay: float = 0.05) -> None:
        holds.append(delay)
        delay_update(self, delay)

    monkeypatch.setattr(App, "delay_update", spy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")  # first visit: built now, held
        await settle(app, pilot)
        assert len(holds) == 1
        for key in "12":
            await pilot.press(key)
            await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        assert len(holds) == 1
