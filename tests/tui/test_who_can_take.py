""" "Who can take this?" (`W`) on Today, Tasks and the board: a list of people by free hours;
picking one reassigns the task through the version-guarded edit queue."""

from __future__ import annotations

import pytest

from itpm_tui.screens.conflict import ConflictModal
from itpm_tui.screens.picker import PickerModal
from itpm_tui.screens.today import TodayScreen
from itpm_tui.store import Store
from tests.tui.conftest import AppFactory
from tests.tui.helpers import screen_text, settle, small_team, ui_test, wait_for_text

SIZE = (80, 24)


@pytest.mark.both_backends
@ui_test
async def test_w_on_today_lists_free_hours_and_enter_reassigns(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("W")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerModal)
        # The overdue task asks about today only: alice has 8 h free (her task has no hours).
        text = screen_text(app)
        assert "Who can take #1? no hours estimated" in text
        assert "alice: 8 h free of 8 h (100%)" in text and "fits" not in text
        assert "pm:" not in text  # the owner is not offered
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        saved = store.tasks.get(tasks["overdue"].id)
        assert saved.assignee == "alice"
        assert [e.field for e in store.tasks.history(saved.id)][-1] == "assignee"


@pytest.mark.both_backends
@ui_test
async def test_a_change_meanwhile_is_not_overwritten_by_the_reassign(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("W")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerModal)
        task = tasks["overdue"]
        store.tasks.update(task.id, {"assignee": "pm", "priority": 3},
                           expected_version=task.version)  # fmt: skip
        await pilot.press("escape")
        await settle(app, pilot)
        assert store.tasks.get(task.id).priority == 3  # Escape: nothing saved
        # Again on the version the screen still shows, while someone reassigns it meanwhile.
        await pilot.press("W")
        await settle(app, pilot)
        current = store.tasks.get(task.id)
        store.tasks.update(task.id, {"assignee": None}, expected_version=current.version)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictModal)
        assert store.tasks.get(task.id).assignee is None


@ui_test
async def test_w_works_on_tasks_and_the_board(store: Store, app_factory: AppFactory) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        for screen in ("2", "3"):
            await pilot.press(screen)
            await settle(app, pilot)
            await pilot.press("W")
            await wait_for_text(app, pilot, "Who can take")
            await pilot.press("escape")
            await settle(app, pilot)
