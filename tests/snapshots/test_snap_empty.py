"""Snapshots of a fresh database's empty screens at 80x24 and 120x40: each names the keys
(and the command) that fill it, whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

app_factory = tui.app_factory

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", ["ssh", "wide"])
@pytest.mark.parametrize("screen", ["1", "3", "4", "6", "7"])
def test_a_fresh_database(
    snap_compare: SnapCompare, store: Store, app_factory: AppFactory, size: str, screen: str
) -> None:
    app = app_factory(store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys(screen))
