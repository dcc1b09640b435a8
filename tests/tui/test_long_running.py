"""A screen left open all day (a projector in the meeting room): memory stays flat.

Someone elsewhere changes a task, the app notices, the visible screen reloads. A meeting
screen that kept a few hundred KB per reload grew from 70 to 243 MB in 11 minutes.
"""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from textual.pilot import Pilot

from itpm_tui.app import ItpmApp
from itpm_tui.clock import FixedClock
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.screens.board import BoardScreen
from itpm_tui.screens.standup import StandupScreen
from itpm_tui.store import Store
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, ui_test, wait_for_workers

GROWTH_LIMIT = 1_000_000
"""Bytes that 400 more reloads may add (rendering caches filling up); the leak was ~100 MB."""


async def _changes_elsewhere(
    app: ItpmApp, pilot: Pilot[None], other: Store, task_ids: list[int], count: int, start: int
) -> None:
    """Another user renames a task ``count`` times; each time the app sees it and reloads."""
    for i in range(start, start + count):
        other.tasks.update(task_ids[i % len(task_ids)], {"title": f"Renamed {i % 7}"})
        app.check_for_changes()
        for _ in range(2):
            await wait_for_workers(app)
            await pilot.pause()


async def _growth_from_100_to_500_reloads(
    app: ItpmApp, pilot: Pilot[None], other: Store, task_ids: list[int]
) -> int:
    tracemalloc.start()
    try:
        await _changes_elsewhere(app, pilot, other, task_ids, 100, 0)
        gc.collect()
        after_100 = tracemalloc.get_traced_memory()[0]
        await _changes_elsewhere(app, pilot, other, task_ids, 400, 100)
        gc.collect()
        after_500 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after_500 - after_100


@ui_test
async def test_each_change_reloads_a_screen_once(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "12345":
            await pilot.press(key)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ItpmScreen)
            subscriptions = app.services.data_changed._subscriptions.get(screen, [])
            assert len(subscriptions) == 1, f"{type(screen).__name__}: {len(subscriptions)}"


@pytest.mark.slow
@ui_test
async def test_the_standup_screen_in_a_meeting_keeps_flat_memory_over_500_reloads(
    demo_store: Store, app_factory: AppFactory, clock: FixedClock
) -> None:
    app = app_factory(demo_store)
    other = Store(demo_store.path, user="bob", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StandupScreen) and screen.meeting is not None
        speakers = {s.login for s in screen.meeting.speakers}
        task_ids = [t.id for t in other.tasks.find() if t.assignee in speakers][:20]
        assert task_ids
        growth = await _growth_from_100_to_500_reloads(app, pilot, other, task_ids)
        assert screen.meeting is not None
    other.close()
    assert growth < GROWTH_LIMIT, f"grew {growth} bytes over 400 reloads"


@pytest.mark.slow
@ui_test
async def test_the_board_keeps_flat_memory_over_500_reloads(
    demo_store: Store, app_factory: AppFactory, clock: FixedClock
) -> None:
    app = app_factory(demo_store)
    other = Store(demo_store.path, user="bob", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        task_ids = [t.id for t in other.tasks.find()][:20]
        growth = await _growth_from_100_to_500_reloads(app, pilot, other, task_ids)
    other.close()
    assert growth < GROWTH_LIMIT, f"grew {growth} bytes over 400 reloads"
