"""Snapshots of the people-and-time views on demo data at 80x24 and 120x40: the "who can
take this?" list from Today (`W` on pm's first task)."""

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
def test_who_can_take_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("W"))
