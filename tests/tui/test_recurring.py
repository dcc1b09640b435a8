"""Recurring tasks in the app: `N` skips an occurrence, quick add takes `--repeat RULE`, and
the rule shows on the task and in the form. TODAY is Monday 23 Nov 2026."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.models import Person, Project
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.screens.today import TodayScreen
from itpm_tui.store import Store, TaskFilter
from tests.conftest import TODAY
from tests.tui.conftest import AppFactory
from tests.tui.helpers import add, screen_text, settle, ui_test

SIZE = (80, 24)
THURSDAY = date(2026, 11, 26)


def _backups(store: Store) -> int:
    """pm's weekly backup check, due today, and a task that does not repeat."""
    store.people.save(Person(login="pm"))
    net = store.projects.add(Project(key="NET", name="Network upgrade"))
    task = add(store, "Check backups", project_id=net.id, assignee="pm", due=TODAY,
               repeat="weekly on mon,thu", estimate_hours=1)  # fmt: skip
    add(store, "Order cables", project_id=net.id, assignee="pm", due=THURSDAY)
    return task.id


def said(app: ItpmApp) -> str:
    return str([n.message for n in app._notifications])


@ui_test
async def test_n_skips_this_occurrence_to_the_rules_next_date_and_adds_nothing(
    store: Store, app_factory: AppFactory
) -> None:
    task_id = _backups(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "repeats weekly on mon,thu (N skips one)" in screen_text(app)  # the cursor task
        await pilot.press("N")
        await settle(app, pilot)
        skipped = store.tasks.get(task_id)
        assert (skipped.due, skipped.status.value, skipped.repeat) == (
            THURSDAY, "todo", "weekly on mon,thu")  # fmt: skip
        assert f"Skipped #{task_id} this time: next due Thu 26 Nov" in said(app)
        assert len(store.tasks.find(TaskFilter(open_only=True))) == 2  # nothing added
        assert [e.field for e in store.tasks.history(task_id)] == ["created", "due"]
        # On a task that does not repeat the key says so and changes nothing.
        [order] = [t for t in store.tasks.find() if t.title == "Order cables"]
        while "Order cables" not in _cursor_line(app):
            await pilot.press("j")
        await pilot.press("N")
        await settle(app, pilot)
        assert f"#{order.id} does not repeat: nothing to skip." in said(app)
        assert store.tasks.get(order.id) == order


def _cursor_line(app: ItpmApp) -> str:
    from itpm_tui.widgets.today_tasks import TodayTasks

    assert isinstance(app.screen, TodayScreen)
    task = app.screen.query_one(TodayTasks).cursor_task
    return task.title if task else ""


@ui_test
async def test_quick_add_with_repeat_makes_a_recurring_task_and_a_bad_rule_adds_nothing(
    store: Store, app_factory: AppFactory
) -> None:
    _backups(store)
    before = store.tasks.count()
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"rotate keys fri --repeat every blursday", "enter")
        await settle(app, pilot)
        assert "✗ 'blursday' is not a weekday" in screen_text(app)
        assert store.tasks.count() == before
        for _ in "blursday":
            await pilot.press("backspace")
        await pilot.press(*"monday")
        assert "→ due Fri 27 Nov · repeats weekly on mon" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        [task] = store.tasks.find(order_by="id", descending=True, limit=1)
        assert (task.title, task.due, task.repeat) == (
            "rotate keys", date(2026, 11, 27), "weekly on mon")  # fmt: skip
        assert "Added: rotate keys, due Fri 27 Nov, repeats weekly on mon" in said(app)


@ui_test
async def test_the_form_shows_the_rule_and_saves_a_new_one_or_says_what_is_wrong(
    store: Store, app_factory: AppFactory
) -> None:
    task_id = _backups(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        field = form.query_one("#repeat", Input)
        assert field.value == "weekly on mon,thu"
        field.value = "every 600 weeks"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        field.focus()  # scrolls it into view
        await pilot.pause()
        assert "✗ repeat rule 'every 600 weeks' never fires" in screen_text(app)
        assert store.tasks.get(task_id).repeat == "weekly on mon,thu"
        field.value = "every 2 weeks"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert store.tasks.get(task_id).repeat == "every 2 weeks"


@ui_test
async def test_a_recurring_task_is_marked_on_today_tasks_and_its_board_card(
    store: Store, app_factory: AppFactory
) -> None:
    task_id = _backups(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        lines = screen_text(app).splitlines()
        assert any(f"#{task_id}" in ln and "↻ Check backups" in ln for ln in lines)  # Today
        assert any("Order cables" in ln and "↻" not in ln for ln in lines)
        for key in ("2", "3"):  # Tasks, then the board
            await pilot.press(key)
            await settle(app, pilot)
            text = screen_text(app)
            assert ("↻ Check backups" if key == "2" else f"#{task_id} ↻") in text, key
            assert text.count("↻") == 1, key  # the task that does not repeat has none
