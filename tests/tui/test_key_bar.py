"""The key bar fits the width: the screen's keys first, the app's keys always visible."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from itpm_tui.store import Store
from itpm_tui.widgets.key_bar import KeyBar, KeyHint, fit_hints
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, ui_test

APP_KEYS = ("1-8 Screens", "? Keys", "q Quit", "^p Palette")


def test_screen_keys_give_way_to_the_app_keys_with_a_mark() -> None:
    screen = [KeyHint("a", "Add"), KeyHint("x", "Done"), KeyHint("s", "Status")]
    app = [KeyHint("1-5", "Screens"), KeyHint("q", "Quit")]
    assert fit_hints(screen, app, 60).plain.split() == [
        "a", "Add", "x", "Done", "s", "Status", "1-5", "Screens", "q", "Quit",
    ]  # fmt: skip
    narrow = fit_hints(screen, app, 34)
    assert cell_len(narrow.plain) == 34
    assert narrow.plain.startswith(" a Add x Done …")
    assert narrow.plain.endswith("1-5 Screens q Quit")


@ui_test
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_screen_shows_its_keys_and_the_app_keys_within_the_width(
    demo_store: Store, app_factory: AppFactory, size: tuple[int, int]
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=size) as pilot:
        for key, first in (("1", "a Add"), ("2", "/ Filter"), ("3", "w Walk"),
                           ("4", "⏎ Open project"), ("5", "s Start"), ("6", "h l Scroll"), ("8", "t Team")):  # fmt: skip
            await pilot.press(key)
            await settle(app, pilot)
            bar = app.screen.query_one(KeyBar)
            line = bar.render().plain  # type: ignore[union-attr]
            assert cell_len(line) <= size[0]
            assert line.lstrip().startswith(first)
            for hint in APP_KEYS:
                assert hint in line, (key, line)
