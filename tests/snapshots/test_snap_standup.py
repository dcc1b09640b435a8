"""Snapshots of a running stand-up on demo data, with a fixed clock, at the SSH and a large size.

The meeting is Team Infrastructure in fixed order: Alice spoke 50 s, Bob has the floor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from itpm_tui.clock import FixedClock
from itpm_tui.screens.standup import StandupScreen
from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import wait_for_workers

# The UI fixtures (demo database, app factory), shared with the Pilot tests.
demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

Snap = Callable[..., bool]
PROJECTOR = {"projector": (200, 60)}
"""Presentation mode is for a shared screen: a meeting-room terminal this big."""


def running_meeting(
    clock: FixedClock, bob_seconds: float, *keys: str
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Start Team Infrastructure, give Alice 50 s, Bob ``bob_seconds``, then press ``keys``."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.press("5")
        await wait_for_workers(app)
        await pilot.press("s")
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(
            i for i, label in enumerate(labels) if label.startswith("Team Infrastructure")
        )
        await pilot.press("enter")
        await wait_for_workers(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StandupScreen) and screen.meeting is not None
        assert screen.meeting.scope.name == "Infrastructure"
        clock.advance(50)
        await pilot.press("n")
        clock.advance(bob_seconds)
        screen.tick()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_meeting_view_with_bob_near_his_timebox(
    snap_compare: Snap, demo_store: Store, clock: FixedClock, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=running_meeting(clock, 95))


@pytest.mark.parametrize("size", ["ssh", "wide", "projector"])
def test_presentation_mode_with_bob_over_time(
    snap_compare: Snap, demo_store: Store, clock: FixedClock, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    run_before = running_meeting(clock, 165, "f")
    assert snap_compare(app, terminal_size=(SIZES | PROJECTOR)[size], run_before=run_before)


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_board_walk_at_blocked_with_the_boards_flags(
    snap_compare: Snap, demo_store: Store, clock: FixedClock, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    run_before = running_meeting(clock, 20, "w", "n", "n", "j")  # Done, Review, Blocked
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
