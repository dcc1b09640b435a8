"""Snapshots of the RAID log (key 7) on demo data at 80x24 and 120x40.

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


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_raid_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("7"))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_raid_heat_map_filtered_to_a_cell(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    # 80x24: m opens the map; 120x40: it is beside the list and m moves to it. Then R1's
    # cell (probability 4, impact 4) filters the register; the cursor stays on the map.
    keys = (
        ("7", "m", "k", "l", "enter", "m")
        if size == "wide"
        else ("7", "m", "k", "l", "enter", "m", "m")
    )
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys(*keys))


def test_raid_change_requests_view(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES["wide"], run_before=press_keys("7", "C", "j"))
