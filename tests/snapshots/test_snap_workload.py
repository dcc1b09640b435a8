"""Snapshots of the Workload screen (key 8) on demo data: 80x24, 120x40, 16 colours and NO_COLOR."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itpm_tui.app import pick_theme
from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_workload_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("8"))


def test_workload_in_16_colours(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store, theme=pick_theme("", "standard", no_color=False))
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys("8"))


def test_workload_under_no_color(
    snap_compare: SnapCompare,
    demo_store: Store,
    app_factory: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    app = app_factory(demo_store, theme=pick_theme("", "256", no_color=True))
    assert app.no_color
    assert snap_compare(app, terminal_size=SIZES["ssh"], run_before=press_keys("8"))
