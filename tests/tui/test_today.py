"""Today: my tasks grouped with counts, and every key on the screen, checked in the database."""

from __future__ import annotations

import re
from datetime import date

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from itpm_tui.models import Status, Task
from itpm_tui.screens.conflict import ConflictModal
from itpm_tui.screens.help import LEGEND, HelpModal
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.screens.today import TodayScreen
from itpm_tui.store import Store
from itpm_tui.widgets.quick_add import QuickAdd
from itpm_tui.widgets.today_tasks import Continued, TodayTasks
from tests.conftest import TODAY, connect
from tests.tui.conftest import AppFactory
from tests.tui.helpers import (
    add,
    days,
    palette_run,
    region_text,
    screen_text,
    settle,
    small_team,
    text_of,
    ui_test,
    wait_for_text,
    wait_until,
)

SIZE = (80, 24)


def view_of(app: object) -> TodayTasks:
    """The list on the Today screen."""
    from itpm_tui.app import ItpmApp

    assert isinstance(app, ItpmApp)
    assert isinstance(app.screen, TodayScreen)
    return app.screen.query_one(TodayTasks)


async def answer_why(app: object, pilot: Pilot[None], reason: str) -> None:
    """Type the reason into the "Why is #N blocked?" prompt, key by key, and press Enter."""
    from itpm_tui.app import ItpmApp

    assert isinstance(app, ItpmApp)
    assert isinstance(app.screen, LineInputModal)
    await pilot.press(*("space" if c == " " else c for c in reason), "enter")


def cursor_title(app: object) -> str:
    """Title of the task under the cursor."""
    task = view_of(app).cursor_task
    assert task is not None
    return task.title


@ui_test
async def test_today_groups_my_open_tasks_with_counts(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        for heading in ("Overdue (1)", "Due today (1)", "In progress (1)",
                        "Blocked / waiting (1)", "Next up (2)"):  # fmt: skip
            assert heading in text
        assert "Send steering report" in text and "19 Nov" not in text
        assert "Sat 21 Nov!" in text  # overdue: date plus "!" (not colour alone)
        assert "⊘ Blocked" in text and "◐ Doing" in text
        assert "[red]x[/red] not markup" in text  # user text is never markup
        assert "Alice's switch install" not in text and "Finished already" not in text
        titles = [t.title for t in view_of(app).tasks]
        assert titles == ["Send steering report", "Book a room", "Update risk register",
                          "Sign off DR plan", "Plan sprint 6", "[red]x[/red] not markup"]  # fmt: skip
        assert cursor_title(app) == "Send steering report"


@ui_test
async def test_another_persons_personal_to_do_stays_off_my_today(
    store: Store, app_factory: AppFactory
) -> None:
    """On a shared file, alice's private to-dos are hers; nobody's to-dos show to all."""
    small_team(store)
    add(store, "Alice's dentist", assignee="alice", due=TODAY)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [t.title for t in view_of(app).tasks]
        assert "Alice's dentist" not in titles
        assert "Book a room" in titles  # no project and no owner: nobody's, so shown


@ui_test
async def test_a_key_joined_to_escape_closes_the_quick_add_bar_then_moves_the_cursor(
    store: Store, app_factory: AppFactory
) -> None:
    """Escape then j through tmux arrives as alt+j: the bar closes, nothing is added, and j
    moves the list's cursor (before, the j went to the hidden bar and was lost)."""
    small_team(store)
    count = len(store.tasks.find())
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = cursor_title(app)
        await pilot.press("a", *"call vendor")
        assert app.screen.query_one(QuickAdd).is_open
        app.post_message(events.Key("alt+j", "j"))  # what Textual's parser makes of ESC j
        await wait_until(pilot, lambda: not app.screen.query_one(QuickAdd).is_open)
        await wait_until(pilot, lambda: cursor_title(app) != first)
        assert view_of(app).has_focus
    assert len(store.tasks.find()) == count


@ui_test
async def test_arrows_and_vim_keys_move_and_skip_headings(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        assert cursor_title(app) == "Book a room"
        await pilot.press("down")
        assert cursor_title(app) == "Update risk register"
        await pilot.press("k")
        assert cursor_title(app) == "Book a room"
        await pilot.press("up", "up")
        assert cursor_title(app) == "Send steering report"
        await pilot.press("G")
        assert cursor_title(app) == "[red]x[/red] not markup"
        await pilot.press("g")
        assert cursor_title(app) == "Send steering report"


@pytest.mark.both_backends
@ui_test
async def test_x_marks_done_and_the_cursor_takes_the_next_task(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).status is Status.DONE
        assert "Send steering report" not in screen_text(app)
        assert "Overdue (0)" in screen_text(app)
        assert cursor_title(app) == "Book a room"
        await pilot.press("space")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).status is Status.DONE
        assert cursor_title(app) == "Update risk register"


@ui_test
async def test_s_cycles_the_status(store: Store, app_factory: AppFactory) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        task = store.tasks.get(tasks["overdue"].id)
        assert task.status is Status.DOING
        assert cursor_title(app) == "Send steering report"  # still overdue: stays put
        await pilot.press("s")  # doing -> review: never through Blocked, nothing asked
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert store.tasks.get(task.id).status is Status.REVIEW
        assert [e.new for e in store.tasks.history(task.id) if e.field == "status"] == [
            "doing", "review",
        ]  # fmt: skip


@ui_test
async def test_b_blocks_asking_why_and_saves_the_reason(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    doing = tasks["doing"]
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view_of(app).select_id(doing.id)
        await pilot.press("b")
        await settle(app, pilot)
        assert f"Why is {doing.ref} blocked?" in screen_text(app)
        assert store.tasks.get(doing.id) == doing  # nothing saved before the answer
        await answer_why(app, pilot, "vendor late")
        await settle(app, pilot)
        saved = store.tasks.get(doing.id)
        assert (saved.status, saved.blocked_reason) == (Status.BLOCKED, "vendor late")
        assert saved.version == doing.version + 1 and saved.updated_by == "pm"
        assert isinstance(app.screen, TodayScreen)
        assert "Blocked / waiting (2)" in screen_text(app)


@ui_test
@pytest.mark.parametrize("cancel", ["escape", "ctrl+g"])
async def test_cancelling_why_blocked_saves_nothing(
    store: Store, app_factory: AppFactory, cancel: str
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view_of(app).select_id(tasks["doing"].id)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        await pilot.press(*"vendor", cancel)
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert store.tasks.get(tasks["doing"].id) == tasks["doing"]
        assert cursor_title(app) == "Update risk register"


@ui_test
@pytest.mark.parametrize("key", ["s", "b"])
async def test_s_or_b_unblocks_a_blocked_task_back_to_doing(
    store: Store, app_factory: AppFactory, key: str
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view_of(app).select_id(tasks["blocked"].id)
        await pilot.press(key)  # blocked -> doing, and the reason goes
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        saved = store.tasks.get(tasks["blocked"].id)
        assert (saved.status, saved.blocked_reason) == (Status.DOING, "")


@pytest.mark.both_backends
@ui_test
async def test_blocking_keeps_a_change_made_meanwhile_and_offers_the_choice(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view_of(app).select_id(tasks["doing"].id)
        await pilot.press("b")
        await settle(app, pilot)
        alice = Store(store.path, user="alice", clock=store.clock)
        alice.tasks.update(tasks["doing"].id, {"status": Status.REVIEW})
        alice.close()
        await answer_why(app, pilot, "vendor")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictModal)
        assert store.tasks.get(tasks["doing"].id).status is Status.REVIEW  # theirs kept
        await pilot.press("o")  # overwrite: my status and my reason
        await settle(app, pilot)
        saved = store.tasks.get(tasks["doing"].id)
        assert (saved.status, saved.blocked_reason) == (Status.BLOCKED, "vendor")


@pytest.mark.both_backends
@ui_test
async def test_s_steps_from_the_stored_status_when_the_list_shows_an_older_one(
    store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app, "check_for_changes", lambda: None)  # no reload arrives
        alice = Store(store.path, user="alice", clock=store.clock)
        started = alice.tasks.update(tasks["overdue"].id, {"status": Status.DOING})
        alice.close()
        await pilot.press("s")  # shown as to do, stored as doing: one step on, to review
        await settle(app, pilot)
        saved = store.tasks.get(tasks["overdue"].id)
        assert (saved.status, saved.version) == (Status.REVIEW, started.version + 1)
        assert "is now review" in str([n.message for n in app._notifications])


@ui_test
async def test_z_snoozes_to_the_next_working_day(store: Store, app_factory: AppFactory) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).snoozed_until == date(2026, 11, 24)
        text = screen_text(app)
        assert "Send steering report" not in text
        assert "1 snoozed" in text


@ui_test
async def test_plus_and_minus_change_the_priority(store: Store, app_factory: AppFactory) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # Book a room, P4
        await pilot.press("plus", "plus")  # both count, even before the list reloads
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).priority == 2
        assert cursor_title(app) == "Book a room"
        await pilot.press("minus")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).priority == 3
        await pilot.press("minus", "minus")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).priority == 4  # P4 is the floor
        await wait_for_text(app, pilot, "already P4")


@ui_test
async def test_quick_add_preview_shows_the_year_and_warns_about_weekends_and_past_days(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"renew cert 31 jan")
        assert "→ due Sun 31 Jan 2027 ⚠ non-working day" in screen_text(app)
        for _ in "31 jan":
            await pilot.press("backspace")
        await pilot.press(*"+5d")
        assert "→ due Sat 28 Nov ⚠ non-working day" in screen_text(app)
        await pilot.press("tab", *"yesterday")
        assert "→ due Sun 22 Nov ⚠ 1 day ago, non-working day" in screen_text(app)


@ui_test
async def test_quick_add_says_why_a_day_that_does_not_exist_is_not_a_date(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    before = store.tasks.count()
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"fix the rack dec 32")
        assert "✗ dec 32: December has no day 32" in screen_text(app)  # not "→ no due date"
        await pilot.press("enter")
        await settle(app, pilot)
        assert store.tasks.count() == before and app.screen.query_one(QuickAdd).is_open


@ui_test
async def test_quick_add_reads_a_smart_date_and_selects_the_new_task(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        assert app.screen.query_one(QuickAdd).is_open
        await pilot.press(*"call vendor fri !2")
        assert "→ due Fri 27 Nov" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        [task] = store.tasks.find(where=None, order_by="id", descending=True, limit=1)
        assert (task.title, task.due, task.priority) == ("call vendor", date(2026, 11, 27), 2)
        assert task.project_id is None  # a personal to-do
        assert task.assignee == "pm"  # mine: on a shared file nobody else's Today shows it
        assert not app.screen.query_one(QuickAdd).is_open
        assert cursor_title(app) == "call vendor"
        assert "Next up (3)" in screen_text(app)


@ui_test
async def test_quick_add_due_field_wins_and_a_bad_date_adds_nothing(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    before = store.tasks.count()
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"meet on friday", "tab", *"xyz")
        await pilot.press("enter")
        await settle(app, pilot)
        assert store.tasks.count() == before
        assert app.screen.query_one(QuickAdd).is_open
        assert "✗ not a date" in screen_text(app)
        due = app.screen.query_one("#quick-due", Input)
        due.value = "+2d"
        await pilot.press("enter")
        await settle(app, pilot)
        [task] = store.tasks.find(order_by="id", descending=True, limit=1)
        assert (task.title, task.due) == ("meet on friday", days(2))


@ui_test
async def test_quick_add_escape_and_ctrl_g_cancel(store: Store, app_factory: AppFactory) -> None:
    small_team(store)
    before = store.tasks.count()
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in ("escape", "ctrl+g"):
            await pilot.press("a", *"never mind")
            await pilot.press(key)
            await settle(app, pilot)
            assert not app.screen.query_one(QuickAdd).is_open
            assert view_of(app).has_focus
        assert store.tasks.count() == before


@pytest.mark.both_backends
@ui_test
async def test_e_and_enter_edit_in_the_form_with_the_version_guard(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, TaskFormModal)
        app.screen.query_one("#title", Input).value = "Send steering report v2"
        app.screen.query_one("#due", Input).value = "fri"
        app.screen.query_one("#notes", TextArea).text = "Attach the budget slide."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        task = store.tasks.get(tasks["overdue"].id)
        assert (task.title, task.due, task.notes) == (
            "Send steering report v2",
            date(2026, 11, 27),
            "Attach the budget slide.",
        )
        assert task.version == tasks["overdue"].version + 1
        assert isinstance(app.screen, TodayScreen)
        assert cursor_title(app) == "Send steering report v2"  # moved group, cursor followed
        await pilot.press("enter")
        assert isinstance(app.screen, TaskFormModal)
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


@ui_test
async def test_form_errors_show_beside_the_field_and_nothing_is_saved(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        form.query_one("#due", Input).value = "someday"
        form.query_one("#estimate_hours", Input).value = "-3"
        form.query_one("#title", Input).value = "Changed title"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # still open
        text = screen_text(app)
        assert "✗ can't read 'someday' as a date" in text
        form.query_one("#estimate_hours", Input).focus()  # scrolls it into view
        await pilot.pause()
        assert "✗ estimate cannot be negative" in screen_text(app)
        assert form.query_one("#row-due").has_class("-invalid")
        assert store.tasks.get(tasks["overdue"].id) == tasks["overdue"]  # nothing saved
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert store.tasks.get(tasks["overdue"].id) == tasks["overdue"]


@pytest.mark.both_backends
@ui_test
async def test_a_concurrent_edit_is_never_overwritten_silently(
    store: Store, app_factory: AppFactory, clock: object
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        alice = Store(store.path, user="alice", clock=store.clock)
        alice.tasks.update(tasks["overdue"].id, {"due": days(10)})
        alice.close()
        form.query_one("#due", Input).value = "+1d"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictModal)
        text = screen_text(app)
        assert "alice set it to Thu 03 Dec" in text and "you wanted Tue 24 Nov" in text
        assert store.tasks.get(tasks["overdue"].id).due == days(10)  # theirs kept
        await pilot.press("k")
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).due == days(10)
        # Again, and this time choose to overwrite.
        view_of(app).select_id(tasks["overdue"].id)
        await pilot.press("e")
        assert isinstance(app.screen, TaskFormModal)
        bob = Store(store.path, user="alice", clock=store.clock)
        bob.tasks.update(tasks["overdue"].id, {"due": days(12)})
        bob.close()
        app.screen.query_one("#due", Input).value = "+1d"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictModal)
        await pilot.press("o")
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).due == days(1)


@pytest.mark.both_backends
@ui_test
async def test_cursor_stays_on_its_task_when_others_add_tasks(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view_of(app).select_id(view_of(app).tasks[4].id)
        assert cursor_title(app) == "Plan sprint 6"
        other = Store(store.path, user="alice", clock=store.clock)
        add(other, "Urgent: firewall change", assignee="pm", due=TODAY, priority=1)
        other.close()
        app.check_for_changes()
        await settle(app, pilot)
        assert "Urgent: firewall change" in screen_text(app)
        assert cursor_title(app) == "Plan sprint 6"


@ui_test
async def test_help_says_what_wd_and_the_evm_abbreviations_mean_at_80_columns(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal)
        text = screen_text(app)
        for line in LEGEND.splitlines():  # whole lines: none cut at 80 columns
            assert line in text


@ui_test
async def test_help_lists_every_today_key_with_its_id(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal)
        text = screen_text(app)
        for binding_id in ("today.add", "today.done", "today.status", "today.snooze",
                           "today.edit", "today.priority-up", "today.priority-down"):  # fmt: skip
            assert binding_id in text
        # Every key of an action on its row: arrows and vim keys, q and ctrl+q.
        assert re.search(r"↓ j +Down +list\.down", text)
        assert re.search(r"\^q q +Quit +app\.quit", text)
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


@ui_test
async def test_empty_today_says_how_to_add(store: Store, app_factory: AppFactory) -> None:
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert "Nothing on your plate. Press a to add a to-do." in screen_text(app)
        await pilot.press("x")  # nothing selected: a notice, no crash
        await settle(app, pilot)
        await wait_for_text(app, pilot, "No task selected.")


@ui_test
async def test_palette_runs_any_today_action_by_name(store: Store, app_factory: AppFactory) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await palette_run(app, pilot, "snooze", "Today: Snooze")
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).snoozed_until == date(2026, 11, 24)


@ui_test
async def test_palette_jumps_to_a_task_by_id_or_title(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await palette_run(
            app, pilot, "risk regis", f"Jump to #{tasks['doing'].id} Update risk register"
        )
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)  # it is on Today: stay here
        assert cursor_title(app) == "Update risk register"
        # Alice's task is not on my Today list: the Tasks table shows it.
        await palette_run(app, pilot, f"#{tasks['done'].id}", f"Jump to #{tasks['done'].id}")
        await settle(app, pilot)
        from itpm_tui.screens.tasks import TasksScreen
        from itpm_tui.widgets.task_table import TaskTable

        assert isinstance(app.screen, TasksScreen)
        table = app.screen.query_one(TaskTable)
        assert table.cursor_id == tasks["done"].id  # done tasks are hidden: filters cleared
        assert "t:all" in screen_text(app)


@ui_test
async def test_shift_a_adds_a_task_with_every_field(store: Store, app_factory: AppFactory) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("A")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        assert form.query_one("#title", Input).value == ""
        await pilot.press(*"Renew the TLS certificate")
        form.query_one("#due", Input).value = "+2wd"
        form.query_one("#estimate_hours", Input).value = "1.5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [task] = store.tasks.find(order_by="id", descending=True, limit=1)
        assert (task.title, task.due, task.estimate_hours, task.assignee) == (
            "Renew the TLS certificate",
            date(2026, 11, 25),
            1.5,
            "pm",
        )
        assert cursor_title(app) == "Renew the TLS certificate"


@pytest.mark.both_backends
@ui_test
async def test_u_undoes_my_last_change_and_says_what_it_restored(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("x")  # done: it leaves the list
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).status is Status.DONE
        await pilot.press("u")
        await settle(app, pilot)
        saved = store.tasks.get(tasks["overdue"].id)
        assert (saved.status, saved.done_at) == (Status.TODO, None)
        assert cursor_title(app) == "Send steering report"  # back in the list
        await wait_for_text(app, pilot, "status restored")
        await pilot.press("u")  # nothing left to undo: said, nothing changes
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).version == saved.version
        assert "nothing to undo" in str([n.message for n in app._notifications])


@ui_test
async def test_shift_z_snoozes_until_a_typed_day_and_tasks_lists_what_is_snoozed(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("Z")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        await pilot.press(*"yesterday", "enter")  # refused: nothing changes
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).snoozed_until is None
        assert "Pick a day after today" in str([n.message for n in app._notifications])
        await pilot.press("Z", *"7 dec", "enter")
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).snoozed_until == date(2026, 12, 7)
        assert "Send steering report" not in screen_text(app)
        await pilot.press("2", *"tttttt")  # open, to do, doing, blocked, review, done, snoozed
        await settle(app, pilot)
        assert "t:snoozed" in screen_text(app)
        assert "Send steering report" in screen_text(app)


@ui_test
async def test_ctrl_g_closes_the_command_palette_like_escape(
    store: Store, app_factory: AppFactory
) -> None:
    from textual.command import CommandPalette

    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"sno")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("z")  # the next key is the screen's again, not the palette's search
        await settle(app, pilot)
        assert store.tasks.get(tasks["overdue"].id).snoozed_until == date(2026, 11, 24)


@ui_test
async def test_the_detail_lines_show_the_whole_title_and_why_it_waits(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        detail = app.screen.query_one("#today-detail")
        assert "Send steering report" in text_of(detail)
        assert "days overdue" in text_of(detail)
        view_of(app).select_id(tasks["blocked"].id)
        await pilot.pause()
        blocked = tasks["blocked"]
        assert f"{blocked.ref} {blocked.title}" in text_of(detail)
        assert f"blocked: {blocked.blocked_reason}" in text_of(detail)


@pytest.mark.both_backends
@ui_test
async def test_a_bad_person_row_does_not_empty_today(store: Store, app_factory: AppFactory) -> None:
    small_team(store)
    with connect(store.path) as conn:
        conn.execute("INSERT INTO people (login) VALUES ('jane doe')")
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Send steering report" in text and "Nothing here" not in text
        notices = [n.message for n in app._notifications]
        assert any(m.startswith("cannot read person 'jane doe'") for m in notices), notices


@pytest.mark.both_backends
@ui_test
async def test_a_read_error_says_so_instead_of_nothing_here(
    store: Store, app_factory: AppFactory
) -> None:
    task = add(store, "Broken later", assignee=None)
    with connect(store.path) as conn:
        conn.execute("UPDATE tasks SET due = '31/12/2026' WHERE id = ?", (task.id,))
    app = app_factory(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Nothing here" not in text
        assert f"Could not load: cannot read task #{task.id}" in text


@ui_test
async def test_a_cut_reason_wraps_onto_the_next_line_while_the_list_fits(
    store: Store, app_factory: AppFactory
) -> None:
    """At 120 columns a blocked task's reason was cut mid-word with 20 empty lines below: the
    rest now goes on the line under it, the cursor covers both lines, and j skips to the next
    task. At 80x24 a list with no room left wraps nothing (the detail line says it all)."""
    tasks = small_team(store)
    reason = "IT security has not reviewed the plan yet and the vendor waits for their answer"
    store.tasks.update(tasks["blocked"].id, {"blocked_reason": reason},
                       expected_version=store.tasks.get(tasks["blocked"].id).version)  # fmt: skip
    app = app_factory(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        view = view_of(app)
        shown = " ".join(region_text(app, view).split())
        assert f"blocked: {reason}" in shown
        assert view.select_id(tasks["blocked"].id)
        await pilot.pause()
        row = view.cursor_screen_y
        assert row is not None
        lines = screen_text(app).splitlines()
        assert "blocked: IT security" in lines[row] and "answer" in lines[row + 1]
        top = row - view.region.y
        cursor = line_background(view, top)
        assert cursor != line_background(view, top + 2)  # the next task's row
        assert line_background(view, top + 1) == cursor
        blocked_at = view.cursor
        assert isinstance(view.lines[blocked_at + 1], Continued)
        await pilot.press("j")
        assert view.cursor > blocked_at + 1 and view.cursor_task is not None
    for _ in range(12):
        add(store, "A to-do with a title long enough to be cut at eighty columns", due=days(3))
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = view_of(app)
        assert not any(isinstance(line, Continued) for line in view.lines)


def line_background(view: TodayTasks, y: int) -> object:
    """The background line ``y`` of the list is drawn on."""
    first = next(iter(view.render_line(y)))
    return first.style.bgcolor if first.style else None


@ui_test
async def test_a_due_date_in_another_year_shows_its_year(
    store: Store, app_factory: AppFactory
) -> None:
    """In December most dates are next year's: ``Mon 04 Jan 27`` was cut to ``Mon 04 Jan…``.
    The due column widens to the longest date shown, and narrows again once it is gone."""
    small_team(store)
    due = date(TODAY.year + 1, 1, 4)
    task = add(store, "Renew the certificates", due=due, assignee="pm")
    app = app_factory(store)

    def title_at(title: str) -> int:
        return next(s.index(title) for s in screen_text(app).splitlines() if title in s)

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        line = next(s for s in screen_text(app).splitlines() if "Renew the certificates" in s)
        assert f"{due:%a %d %b %y}" in line and "…" not in line
        other = next(t.title for t in view_of(app).lines if isinstance(t, Task) and t.id != task.id)
        wide = title_at(other)
        store.tasks.update(task.id, {"status": Status.DONE}, expected_version=task.version)
        await wait_until(pilot, lambda: "Renew" not in screen_text(app))
        assert title_at(other) == wide - 2  # 13 cells for the date, 11 again without it
