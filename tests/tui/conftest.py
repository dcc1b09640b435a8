"""UI fixtures: the real app from make_app() over a real database, with a fixed clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from itpm_tui.app import ItpmApp
from itpm_tui.cli import make_app
from itpm_tui.clock import FixedClock
from itpm_tui.config import Settings
from itpm_tui.store import Store
from tests.conftest import TODAY

SIZES = {"ssh": (80, 24), "wide": (120, 40)}
"""The two terminal sizes every screen is tested at."""


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once per test session (as user 'pm', today = TODAY)."""
    from itpm_tui.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    build_demo(store, TODAY)
    store.close()
    return path


@pytest.fixture
def demo_store(
    request: pytest.FixtureRequest, db_path: Path, tmp_path: Path, clock: FixedClock
) -> Iterator[Store]:
    """A private copy of the demo database; with --backend=postgresql the demo built in
    the test's own schema (0.7 s: a copy would cost as much)."""
    if isinstance(db_path, str):
        from itpm_tui.demo import build_demo

        store = Store(db_path, user="pm", clock=clock)
        build_demo(store, TODAY)
        yield store
        store.close()
        return
    path = tmp_path / "demo.db"
    shutil.copy(request.getfixturevalue("demo_template"), path)
    store = Store(path, user="pm", clock=clock)
    yield store
    store.close()


class AppFactory(Protocol):
    """Builds the real app over a store (``theme`` as the config file would set it)."""

    def __call__(self, store: Store, theme: str = "textual-dark") -> ItpmApp: ...


@pytest.fixture
def app_factory(clock: FixedClock) -> AppFactory:
    """Build the real app over a store, with the fixed clock and a fixed theme."""

    def build(store: Store, theme: str = "textual-dark") -> ItpmApp:
        url = store.path if isinstance(store.path, str) else ""
        settings = Settings(db_path=Path(store.path), db_is_default=False, user=store.user,
                            today=TODAY, theme=theme, db_url=url)  # fmt: skip
        app = make_app(settings, store, clock)
        assert isinstance(app, ItpmApp)
        return app

    return build
