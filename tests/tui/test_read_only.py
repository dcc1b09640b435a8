"""A store opened read-only on request (``--read-only``, ``serve --read-only``): keys that
would change data say so at once and change nothing; looking around and presenting work."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from itpm_tui.app import ItpmApp
from itpm_tui.clock import FixedClock
from itpm_tui.errors import ReadOnlyDatabase
from itpm_tui.models import Task
from itpm_tui.screens.board import BoardScreen
from itpm_tui.screens.help import REFUSED, HelpModal
from itpm_tui.screens.standup import StandupScreen
from itpm_tui.store import Store
from itpm_tui.store.db import READ_ONLY_BY_REQUEST
from itpm_tui.widgets.key_bar import KeyBar
from tests.conftest import export_of
from tests.tui.conftest import AppFactory
from tests.tui.helpers import screen_text, settle, text_of, ui_test
from tests.tui.test_standup import start


def _read_only(store: Store, clock: FixedClock) -> Store:
    store.close()
    return Store(store.path, user="pm", clock=clock, read_only=True)


@pytest.mark.both_backends
def test_a_store_opened_read_only_refuses_writes_with_the_reason(demo_store: Store,
                                                                clock: FixedClock) -> None:  # fmt: skip
    store = _read_only(demo_store, clock)
    try:
        assert store.db.readonly_reason == READ_ONLY_BY_REQUEST
        try:
            store.tasks.add(Task(title="sneaked in"))
        except ReadOnlyDatabase as err:
            assert str(err) == f"Not saved: {READ_ONLY_BY_REQUEST}."
        else:
            raise AssertionError("a read-only store wrote")
    finally:
        store.close()


@pytest.mark.both_backends
@ui_test
async def test_write_keys_are_refused_at_once_and_nothing_changes(
    demo_store: Store, clock: FixedClock, app_factory: AppFactory, tmp_path: Path
) -> None:
    before = export_of(demo_store.path)
    store = _read_only(demo_store, clock)
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "read-only" in screen_text(app)
        for key in ("x", "a", "e", "b", "enter"):  # Today: done, quick add, edit, block, edit
            await pilot.press(key)
            await pilot.pause()  # no settle: a form's worker would wait for the form
            assert len(app.screen_stack) == 1, f"{key} opened {app.screen}"
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("l", "greater_than_sign", "e", "u")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("4")  # Health: add a project, then in a project a milestone, a cost
        await settle(app, pilot)
        await pilot.press("a", "enter", "m", "dollar_sign")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1, f"Health opened {app.screen}"
        await pilot.press("7")  # RAID: add, edit, status, owner of an item
        await settle(app, pilot)
        for key in ("a", "e", "s", "o"):  # no settle: a form's worker waits for the form
            await pilot.press(key)
            await pilot.pause()
            assert len(app.screen_stack) == 1, f"RAID {key} opened {app.screen}"
        notices = [n.message for n in app._notifications]
        assert notices and set(notices) == {f"Not changed: {READ_ONLY_BY_REQUEST}."}
        # A stand-up runs and is presented without writing; only ending it (saving) is refused.
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("f", "n")
        assert screen.presenting and screen.meeting is not None
        await pilot.press("escape", "e")
        await settle(app, pilot)
        assert isinstance(app.screen, StandupScreen) and app.screen.meeting is not None
    store.close()
    assert export_of(demo_store.path) == before


def _write_hints(app: ItpmApp) -> list[str]:
    """The key-bar hints of the current screen's write actions, as the bar would show them."""
    hints: dict[str, str] = {}  # an action's (or group's) first key, as the bar shows it
    for node, binding, _enabled, _tooltip in app.screen.active_bindings.values():
        name = binding.action.partition("(")[0]
        if binding.show and binding.description and name in getattr(node, "WRITE_ACTIONS", ()):
            description = binding.group.description if binding.group else binding.description
            hints.setdefault(description, f"{app.get_key_display(binding)} {description}")
    return list(hints.values())


@pytest.mark.both_backends
@ui_test
async def test_the_key_bar_offers_no_write_key_and_one_pressed_says_read_only_once(
    demo_store: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    writable = app_factory(demo_store)
    async with writable.run_test(size=(120, 40)) as pilot:
        await settle(writable, pilot)
        offered = _write_hints(writable)
        line = text_of(writable.screen.query_one(KeyBar))
        assert offered and all(hint in line for hint in offered), (offered, line)  # x Done...
    before = export_of(demo_store.path)
    store = _read_only(demo_store, clock)
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("1", "2", "3", "4", "7"):  # Today, Tasks, Board, Health, RAID
            await pilot.press(key)
            await settle(app, pilot)
            line = text_of(app.screen.query_one(KeyBar))
            shown = [hint for hint in _write_hints(app) if hint in line]
            assert shown == [], (key, line)
            assert "? Keys" in line and "q Quit" in line  # the rest stays
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("x")  # Today: mark done
        await settle(app, pilot)
        notices = [n.message for n in app._notifications]
        assert notices == [f"Not changed: {READ_ONLY_BY_REQUEST}."]
        assert len(app.screen_stack) == 1
    store.close()
    assert export_of(demo_store.path) == before


def _help_rows(app: ItpmApp) -> dict[str, str]:
    """The open help's rows: binding id (or keys) to what the row says it does."""
    table = app.screen.query_one(DataTable)
    rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {binding_id or keys: description for keys, description, binding_id in rows}


@pytest.mark.both_backends
@ui_test
async def test_help_marks_the_keys_the_key_bar_leaves_out_as_refused(
    demo_store: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    writable = app_factory(demo_store)
    async with writable.run_test(size=(120, 40)) as pilot:
        await settle(writable, pilot)
        await pilot.press("question_mark")
        assert isinstance(writable.screen, HelpModal)
        assert not any(REFUSED in said for said in _help_rows(writable).values())
    store = _read_only(demo_store, clock)
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("1", "2", "3", "4", "7"):  # Today, Tasks, Board, Health, RAID
            await pilot.press(key)
            await settle(app, pilot)
            bar = text_of(app.screen.query_one(KeyBar))
            refused = {binding.id or app.get_key_display(binding)
                       for node, binding, _enabled, _tooltip in app.screen.active_bindings.values()
                       if binding.description and app.refuses_write(binding.action, node)}  # fmt: skip
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpModal)
            rows = _help_rows(app)
            marked = {name for name, said in rows.items() if said.endswith(f"({REFUSED})")}
            assert refused and marked == refused, (key, marked ^ refused)
            assert "app.help" in rows and "app.help" not in marked  # looking around stays
            assert all(rows[name].removesuffix(f" ({REFUSED})") not in bar for name in marked)
            await pilot.press("escape")
            await settle(app, pilot)
    store.close()
