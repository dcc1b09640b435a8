"""One error path: a worker that raises, expectedly or not, ends in one notice, never a crash.

The faults are injected at the store's boundary (the method raises what SQLite raises on a
failing disk); the database itself is a real file.
"""

from __future__ import annotations

import sqlite3
from typing import NoReturn

import pytest

from itpm_tui.models import Status
from itpm_tui.screens.board import BoardScreen
from itpm_tui.screens.tasks import TasksScreen
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, small_team, text_of, ui_test, wait_until


def disk_error(*_args: object, **_kwargs: object) -> NoReturn:
    raise sqlite3.OperationalError("disk I/O error")


def notices(app: object) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]  # type: ignore[attr-defined]


@ui_test
async def test_an_unexpected_error_reading_a_tasks_history_is_a_notice_not_a_crash(
    store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_team(store)
    monkeypatch.setattr(store.tasks, "history", disk_error)
    app = app_factory(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        await wait_until(pilot, lambda: bool(notices(app)))
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        assert ("Could not load", "Could not load data: disk I/O error") in notices(app)
        await pilot.press("j")  # still alive and answering keys
        await settle(app, pilot)
        assert app.screen.query_one("#task-table").has_focus
    assert app.return_code in (None, 0)


@pytest.mark.both_backends
@ui_test
async def test_a_poll_that_fails_unexpectedly_shows_offline_and_the_app_keeps_running(
    store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(store, "change_token", disk_error)
        app.check_for_changes()
        header = app.screen.query_one(AppHeader)
        await wait_until(pilot, lambda: "offline" in text_of(header))
        monkeypatch.undo()
        app.check_for_changes()
        await wait_until(pilot, lambda: "live" in text_of(header).replace("offline", ""))
    assert app.return_code in (None, 0)


@ui_test
async def test_a_move_whose_save_fails_goes_back_and_later_moves_of_that_card_are_dropped(
    store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = small_team(store)
    doing = tasks["doing"]
    app = app_factory(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        screen.active = Status.DOING
        await pilot.pause()
        monkeypatch.setattr(store.tasks, "update", disk_error)
        await pilot.press("greater_than_sign", "greater_than_sign")  # the second waits its turn
        await settle(app, pilot)
        monkeypatch.undo()
        assert ("Not done", "Not saved: disk I/O error") in notices(app)
        await settle(app, pilot)
        cards = {c.task_id: c.status for c in screen.board.cards} if screen.board else {}
        assert cards[doing.id] is Status.DOING  # shown where it is stored
        assert store.tasks.get(doing.id).status is Status.DOING
        assert len([n for n in notices(app) if n[0] == "Not done"]) == 1
