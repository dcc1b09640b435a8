"""The timer (`T` on Today and Tasks): one per person, in the database, so it survives a
restart; stopping it logs the whole minutes; the header shows it while it runs."""

from __future__ import annotations

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.screens.picker import PickerModal
from itpm_tui.store import Store
from itpm_tui.store.worklogs import WorklogFilter
from itpm_tui.widgets.app_header import AppHeader
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, small_team, text_of, ui_test

SIZE = (80, 24)


def header(app: object) -> str:
    from itpm_tui.app import ItpmApp

    assert isinstance(app, ItpmApp)
    return text_of(app.screen.query_one(AppHeader))


@pytest.mark.both_backends
@ui_test
async def test_t_starts_the_timer_it_survives_a_restart_and_t_again_logs_the_minutes(
    store: Store, app_factory: AppFactory, clock: FixedClock
) -> None:
    tasks = small_team(store)
    first = tasks["overdue"]
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await settle(app, pilot)
        assert f"◷ #{first.id} since 09:00" in header(app)
    running = store.timers.running()
    assert running is not None and running.task_id == first.id
    clock.advance(25 * 60 + 59)  # 25 whole minutes
    again = app_factory(store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert f"◷ #{first.id} since 09:00" in header(again)  # read back from the file
        await pilot.press("T")
        await settle(again, pilot)
        assert "◷" not in header(again)
    assert store.timers.running() is None
    logged = store.worklogs.find(WorklogFilter(task_id=first.id))
    assert [(w.person, w.minutes, w.day) for w in logged] == [("pm", 25, clock.today())]


@ui_test
async def test_t_on_another_task_asks_before_switching(
    store: Store, app_factory: AppFactory, clock: FixedClock
) -> None:
    tasks = small_team(store)
    store.timers.start(tasks["doing"].id)
    clock.advance(10 * 60)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")  # the cursor is on the overdue task, not the timed one
        await settle(app, pilot)
        assert isinstance(app.screen, PickerModal)
        await pilot.press("j", "enter")  # "Keep it running"
        await settle(app, pilot)
        running = store.timers.running()
        assert running is not None and running.task_id == tasks["doing"].id
        await pilot.press("T")
        await settle(app, pilot)
        await pilot.press("enter")  # stop it (logged) and start this one
        await settle(app, pilot)
        assert f"◷ #{tasks['overdue'].id} since 09:10" in header(app)
    assert [w.minutes for w in store.worklogs.find(WorklogFilter(task_id=tasks["doing"].id))] == [
        10
    ]
