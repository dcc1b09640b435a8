"""What a real terminal shows after cursor moves is what a full repaint would show.

The Tasks detail pane repaints only the lines that changed, and the app joins runs of one
style before writing them. Both save bytes on every key over SSH; neither may leave a
stale character. In process: after j, j, k the pane's lines equal a full repaint's. On a
pty: the app's bytes go through pyte (a VT screen model), and the screen after j, j, k
equals the screen after one j and a switch to Today and back (which writes every line).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyte
import pytest
from textual.geometry import Region

from itpm_tui.store import Store
from itpm_tui.widgets.task_detail import TaskDetail
from tests.pty_capture import itpm, run_in_pty
from tests.tui.conftest import AppFactory
from tests.tui.helpers import region_text, settle, ui_test
from tests.unit.test_terminal_safety import _env

SIZE = (120, 40)


def terminal_screen(db: Path, keys: list[bytes]) -> list[str]:
    """The terminal's lines after the app started on Tasks and was given ``keys``."""
    steps = [(4.0, b"2"), *((2.0, key) for key in keys)]
    output = run_in_pty(itpm("--db", str(db)), _env(), size=SIZE, keys=steps,
                        timeout=4.0 + 2.0 * len(keys) + 3.0)  # fmt: skip
    screen = pyte.Screen(*SIZE)
    pyte.ByteStream(screen).feed(output)
    assert b"Traceback" not in output
    return list(screen.display)


@pytest.mark.slow
def test_moving_away_and_back_leaves_the_screen_a_fresh_paint_would_show(
    demo_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_template, db)
    moved = terminal_screen(db, [b"j", b"j", b"k"])
    repainted = terminal_screen(db, [b"j", b"1", b"2"])
    assert "History (newest first)" in "\n".join(repainted)
    assert moved[1:] == repainted[1:]  # the header's first line holds the live state


@ui_test
async def test_a_cursor_move_repaints_only_the_detail_lines_that_changed(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        detail = app.screen.query_one(TaskDetail)
        rows: list[int | None] = []
        refresh = detail.refresh

        def spy(*regions: Region, **options: bool) -> TaskDetail:
            if regions:
                rows.extend(region.y for region in regions)
            else:
                rows.append(None)
            return refresh(*regions, **options)

        detail.refresh = spy  # type: ignore[method-assign]
        for key in "jjk":
            await pilot.press(key)
            await settle(app, pilot)
        shown = region_text(app, detail)
        assert None not in rows, "a whole-pane repaint"
        assert 0 < len(rows) < 3 * detail.size.height  # fewer than three whole-pane paints
        detail.refresh = refresh  # type: ignore[method-assign]
        detail.refresh()  # a full repaint of the same task must show the same lines
        await settle(app, pilot)
        assert region_text(app, detail) == shown
        assert "History (newest first)" in shown
