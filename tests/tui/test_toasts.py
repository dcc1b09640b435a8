"""Notices never cover the row just changed: they move away from the cursor."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets._toast import Toast

from itpm_tui.models import Status
from itpm_tui.screens.board import BoardScreen
from itpm_tui.store import Store
from itpm_tui.widgets.task_card import CARD_HEIGHT, CardStyles, card_lines
from itpm_tui.widgets.task_table import TaskTable
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, text_of, ui_test

SSH = (80, 24)


@ui_test
async def test_a_notice_never_covers_the_cursor_row_at_the_top_or_the_bottom(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SSH, notifications=True) as pilot:  # tests hide them by default
        await pilot.press("2", "i")  # Tasks without its details: the table runs to the key bar
        await settle(app, pilot)
        table = app.screen.query_one(TaskTable)
        for key in ("G", "g"):  # the last row (just above the key bar), then the first
            await pilot.press(key)
            await settle(app, pilot)
            row = table.cursor_screen_y
            assert row is not None
            app.clear_notifications()
            await pilot.press("plus")  # priority up: a notice says so
            await settle(app, pilot)
            await pilot.pause(0.1)
            toasts = [t.region for t in app.screen.query(Toast)]
            assert toasts, "no notice shown"
            assert all(not (r.y <= row < r.bottom) for r in toasts), (key, row, toasts)
            if key == "G":
                assert all(r.bottom <= SSH[1] // 2 + 1 for r in toasts)  # at the top


def highlighted_card(screen: BoardScreen) -> Region:
    """Where the active column's highlighted card is on the screen (its four lines)."""
    col = screen.active_column
    top = col.scrollable_content_region.y + col.cursor * CARD_HEIGHT - round(col.scroll_offset.y)
    return Region(col.region.x, top, col.region.width, CARD_HEIGHT - 1)


@ui_test
async def test_notices_on_the_board_never_cover_the_highlighted_card(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SSH, notifications=True) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        # Doing's last card is blocked (it goes to the end of Blocked), then Done's last card
        # is pushed right twice: two two-line notices stack up.
        for keys in (("l", "G", "b", *"vendor", "enter"), ("l", "l", "G", ">", ">")):
            app.clear_notifications()
            for key in keys:
                await pilot.press(key)
                await settle(app, pilot)
            await pilot.pause(0.1)
            card = highlighted_card(screen)
            assert card.bottom > SSH[1] // 2  # low on the screen
            toasts = [t.region for t in screen.query(Toast)]
            assert toasts, "no notice shown"
            assert all(not r.overlaps(card) for r in toasts), (keys, card, toasts)


@ui_test
async def test_a_card_blocked_today_says_today_not_zero_working_days(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SSH) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await pilot.press("l", "b")
        await settle(app, pilot)
        await pilot.press(*"vendor", "enter")
        await settle(app, pilot)
        col = screen.active_column
        assert col.status is Status.BLOCKED and col.card is not None
        assert col.card.blocked_days == 0
        assert "⊘today" in text_of(col) and "⊘0wd" not in text_of(col)
        assert "blocked since today: vendor" in text_of(screen.query_one("#board-detail"))
    wide = card_lines(col.card, 30, CardStyles())[0].plain
    assert "⊘ today" in wide and "0 wd" not in wide
