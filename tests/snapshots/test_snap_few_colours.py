"""Today, the board and Health as 16-colour (TERM=xterm) and NO_COLOR terminals show them.

With no theme configured the app picks ``ansi-dark`` for both (``pick_theme``): in 16
colours textual-dark drew warning and error in one bright red and the focused card like the
others; under NO_COLOR Textual's greyscale made red the faintest text. Here NO_COLOR drops
colour entirely and the cursor is reversed, overdue underlined, RED reversed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itpm_tui.app import FEW_COLOURS_THEME, pick_theme
from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]
SCREENS = {
    "today": (), "board": ("3",), "health": ("4", "j", "enter"), "portfolio": ("4",),
    "timeline": ("6", "p", "p", "p", "j", "j"), "raid": ("7", "m", "k", "l"), "workload": ("8",),
    "timesheet": ("8", "s"),
}  # fmt: skip
"""Keys that open each screen (Health on CLOUD: red by EAC, with amber milestones; the
Timeline on NET with the cursor on #11, Berlin's cut-over, in negative float; the RAID
log with its heat map open and the cursor on R1's cell, 4 x 4)."""


def test_with_no_theme_set_16_colours_and_no_color_get_the_terminal_palette() -> None:
    assert pick_theme("", "standard", no_color=False) == FEW_COLOURS_THEME
    assert pick_theme("", "truecolor", no_color=True) == FEW_COLOURS_THEME
    assert pick_theme("", None, no_color=False) == FEW_COLOURS_THEME
    assert pick_theme("", "256", no_color=False) == "textual-dark"
    assert pick_theme("nord", "standard", no_color=True) == "nord"  # a configured theme wins


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_in_16_colours(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, screen: str
) -> None:
    app = app_factory(demo_store, theme=pick_theme("", "standard", no_color=False))
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys(*SCREENS[screen]))


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_under_no_color(
    snap_compare: SnapCompare,
    demo_store: Store,
    app_factory: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    screen: str,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    app = app_factory(demo_store, theme=pick_theme("", "256", no_color=True))
    assert app.no_color
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys(*SCREENS[screen]))
