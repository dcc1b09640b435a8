"""u on Today and Tasks: my last change taken back, audited, or refused when someone moved it."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.models import AuditEvent
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.screens.today import TodayScreen
from itpm_tui.store import Store
from itpm_tui.widgets.today_tasks import TodayTasks
from tests.tui.conftest import AppFactory
from tests.tui.helpers import days, screen_text, settle, small_team, ui_test, wait_until

SIZE = (80, 24)


def notices(app: ItpmApp) -> list[str]:
    """Every notice shown so far, oldest first."""
    return [n.message for n in app._notifications]


def task_audit(store: Store, task_id: int) -> list[AuditEvent]:
    """The task's audit rows, oldest first."""
    return store.audit.find(entity="task", entity_id=task_id, newest_first=False)


async def type_into(pilot: Pilot[None], field: Input, text: str) -> None:
    """Focus a form field, clear it and type ``text`` key by key."""
    field.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *("space" if c == " " else c for c in text))


@ui_test
async def test_u_after_z_brings_the_task_back_and_the_undo_is_in_the_audit_log(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    task_id = tasks["overdue"].id
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        assert store.tasks.get(task_id).snoozed_until == days(1)
        assert "Send steering report" not in screen_text(app)
        await pilot.press("u")
        await settle(app, pilot)
        restored = store.tasks.get(task_id)
        assert restored.snoozed_until is None
        assert [(e.field, e.old, e.new, e.who) for e in task_audit(store, task_id)][-2:] == [
            ("snoozed_until", None, "2026-11-24", "pm"),
            ("snoozed_until", "2026-11-24", None, "pm"),
        ]
        assert f"Undone: #{task_id} snoozed until restored" in notices(app)
        assert "Send steering report" in screen_text(app)  # back on Today


@ui_test
async def test_u_after_an_edit_in_the_form_restores_every_field_it_changed(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    before = tasks["overdue"]
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        await type_into(pilot, form.query_one("#title", Input), "Send steering report v2")
        await type_into(pilot, form.query_one("#due", Input), "fri")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        edited = store.tasks.get(before.id)
        assert (edited.title, edited.due) == ("Send steering report v2", date(2026, 11, 27))
        await pilot.press("u")
        await settle(app, pilot)
        restored = store.tasks.get(before.id)
        assert (restored.title, restored.due) == (before.title, before.due)
        assert restored.version == edited.version + 1
        assert f"Undone: #{before.id} title, due restored" in notices(app)
        view = app.screen.query_one(TodayTasks)
        assert isinstance(app.screen, TodayScreen)
        await wait_until(pilot, lambda: view.cursor_task is not None)
        assert view.cursor_task is not None and view.cursor_task.title == before.title


@ui_test
async def test_u_refuses_naming_who_changed_the_field_since_and_writes_nothing(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    task_id = tasks["overdue"].id
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        await type_into(pilot, form.query_one("#due", Input), "fri")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.tasks.get(task_id).due == date(2026, 11, 27)
        alice = Store(store.path, user="alice", clock=store.clock)
        alice.tasks.update(task_id, {"due": days(10)})
        alice.close()
        theirs = store.tasks.get(task_id)
        rows = len(task_audit(store, task_id))
        await pilot.press("u")
        await settle(app, pilot)
        assert store.tasks.get(task_id) == theirs  # alice's date kept, nothing else moved
        assert len(task_audit(store, task_id)) == rows  # no compensating row
        assert any(f"not undone: alice changed due of #{task_id} since" in n
                   for n in notices(app)), notices(app)  # fmt: skip


@ui_test
async def test_u_on_tasks_takes_back_a_priority_step(store: Store, app_factory: AppFactory) -> None:
    from itpm_tui.screens.tasks import TasksScreen
    from itpm_tui.widgets.task_table import TaskTable

    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        task_id = app.screen.query_one(TaskTable).cursor_id
        assert task_id is not None
        before = store.tasks.get(task_id).priority
        await pilot.press("minus")
        await settle(app, pilot)
        assert store.tasks.get(task_id).priority == before + 1
        await pilot.press("u")
        await settle(app, pilot)
        assert store.tasks.get(task_id).priority == before
        assert f"Undone: #{task_id} priority restored" in notices(app)
