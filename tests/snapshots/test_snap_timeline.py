"""Snapshots of the Timeline (key 6) on demo data at 80x24 and 120x40.

In 16 colours and under NO_COLOR they are in test_snap_few_colours, with every screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]
NET_LATE = ("6", "p", "p", "p", "j", "j")
"""NET's roll-out with the cursor on #11, Berlin's cut-over: negative float (``!!``)."""


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_timeline_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("6"))


def test_timeline_net_late_task_at_day_zoom(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    keys = (*NET_LATE, "z")
    assert snap_compare(app, terminal_size=SIZES["wide"], run_before=press_keys(*keys))
