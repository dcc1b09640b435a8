"""Notices never cover the row just changed: they move away from the cursor."""

from __future__ import annotations

from textual.widgets._toast import Toast

from itpm_tui.store import Store
from itpm_tui.widgets.task_table import TaskTable
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, ui_test

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
