"""Tasks: the virtual table, filters, sort, detail pane with history, and every key."""

from __future__ import annotations

from datetime import date

import pytest
from textual import events
from textual.widgets import Input, Select

from itpm_tui.app import ItpmApp
from itpm_tui.models import Status
from itpm_tui.screens.help import HelpModal
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.screens.tasks import TasksScreen
from itpm_tui.store import Store, TaskFilter
from itpm_tui.widgets.task_table import TaskTable
from tests.conftest import TODAY
from tests.tui.conftest import AppFactory
from tests.tui.helpers import (
    add,
    days,
    screen_text,
    settle,
    small_team,
    ui_test,
    wait_for_text,
    wait_until,
)

SIZE = (80, 24)


async def open_tasks(app: ItpmApp, pilot: object) -> TaskTable:
    """Switch to the Tasks screen with key 2 and wait for its first load."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    assert isinstance(app.screen, TasksScreen)
    return app.screen.query_one(TaskTable)


def titles(table: TaskTable) -> list[str]:
    """Titles of the rows, in order (all rows are loaded for small tables)."""
    return [table.rows[i].title for i in table.ids]


def cursor_title(table: TaskTable) -> str:
    """Title under the cursor."""
    task = table.cursor_task
    assert task is not None
    return task.title


@ui_test
async def test_table_lists_open_tasks_by_due_date_with_plain_text(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        assert titles(table) == [
            "Send steering report", "Book a room", "Alice's switch install",
            "Update risk register", "Sign off DR plan", "Plan sprint 6",
            "[red]x[/red] not markup",
        ]  # fmt: skip
        text = screen_text(app)
        assert "Due▲" in text and "7 tasks" in text
        assert "[red]x[/red] not markup" in text
        assert "21 Nov!" in text  # overdue marked with "!" as well as colour
        assert "⊘ Blocked" in text


@ui_test
async def test_columns_collapse_at_80_and_widen_at_120(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot)
        header = screen_text(app).splitlines()[2]
        for label in ("#", "P", "Status", "Due", "Owner", "Proj", "Title"):
            assert label in header
        assert "Est" not in header and "Updated" not in header
        assert "Update risk register" in screen_text(app)  # titles are not cut to nothing
    app = app_factory(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_tasks(app, pilot)
        header = screen_text(app).splitlines()[2]
        for label in ("Owner", "Proj", "Title", "Est", "Left", "Done", "Updated"):
            assert label in header


@ui_test
async def test_slash_filters_as_you_type(store: Store, app_factory: AppFactory) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        await pilot.press("slash", *"ris")
        await settle(app, pilot)
        assert titles(table) == ["Update risk register"]
        assert "· 1 task" in screen_text(app) and "1 tasks" not in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", *"vendor")  # notes match too
        await settle(app, pilot)
        assert titles(table) == ["Update risk register"]
        await pilot.press("enter")
        assert table.has_focus
        await pilot.press("c")
        await settle(app, pilot)
        assert len(table.ids) == 7
        assert app.screen.query_one("#search", Input).value == ""


@ui_test
async def test_p_w_and_t_cycle_project_person_and_status_filters(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        await pilot.press("p")  # projects by key: APP first
        await settle(app, pilot)
        assert titles(table) == ["Sign off DR plan", "Plan sprint 6"]
        assert "p:APP" in screen_text(app)
        await pilot.press("p", "p")  # NET, then personal to-dos
        await settle(app, pilot)
        assert titles(table) == ["Book a room", "[red]x[/red] not markup"]
        await pilot.press("p")  # back to all
        await pilot.press("w", "w")  # me first, then alice
        await settle(app, pilot)
        assert titles(table) == ["Alice's switch install"]
        await pilot.press("w")  # then tasks nobody owns
        await settle(app, pilot)
        assert "w:unassigned" in screen_text(app)
        assert table.ids and all(table.rows[i].assignee is None for i in table.ids)
        assert len(table.ids) == store.tasks.count(TaskFilter(unassigned=True, open_only=True))
        await pilot.press("w")  # back to anyone
        await pilot.press("t")  # to do only
        await settle(app, pilot)
        assert all(table.rows[i].status is Status.TODO for i in table.ids)
        for _ in range(4):  # doing, blocked, review, done
            await pilot.press("t")
        await settle(app, pilot)
        assert titles(table) == ["Finished already"]
        assert "t:done" in screen_text(app)


@ui_test
async def test_o_cycles_the_sort_column_and_shift_o_reverses(
    store: Store, app_factory: AppFactory
) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        await pilot.press("o")  # due -> owner
        await settle(app, pilot)
        expected = store.tasks.find_ids(TaskFilter(open_only=True), order_by="assignee")
        assert list(table.ids) == expected
        assert "Owner▲" in screen_text(app)
        await pilot.press("O")
        await settle(app, pilot)
        expected = store.tasks.find_ids(
            TaskFilter(open_only=True), order_by="assignee", descending=True
        )
        assert list(table.ids) == expected
        assert "Owner▼" in screen_text(app)


@pytest.mark.both_backends
@ui_test
async def test_detail_pane_shows_notes_and_history(store: Store, app_factory: AppFactory) -> None:
    tasks = small_team(store)
    alice = Store(store.path, user="alice", clock=store.clock)
    alice.tasks.update(tasks["doing"].id, {"remaining_hours": 2.5})
    alice.close()
    app = app_factory(store)
    async with app.run_test(size=(160, 40)) as pilot:
        table = await open_tasks(app, pilot)
        table.select_id(tasks["doing"].id)
        await wait_for_text(app, pilot, "remaining: 4h → 2.5h")
        text = screen_text(app)
        assert "Add the vendor risks from Friday." in text
        assert "alice" in text and "created" in text
        await pilot.press("i")  # hide the pane
        await pilot.pause()
        assert "Add the vendor risks" not in screen_text(app)
        await pilot.press("i")
        await wait_for_text(app, pilot, "Add the vendor risks from Friday.")


@ui_test
async def test_task_keys_on_the_table(store: Store, app_factory: AppFactory) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        table.select_id(tasks["today"].id)
        await pilot.press("s")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).status is Status.DOING
        await pilot.press("plus")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).priority == 3
        await pilot.press("minus")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).priority == 4
        await pilot.press("z")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).snoozed_until == date(2026, 11, 24)
        await pilot.press("x")
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).status is Status.DONE
        assert tasks["today"].id not in table.ids  # done tasks leave the open list
        assert cursor_title(table) == "Alice's switch install"  # the next row slid under
        await pilot.press("t", "t", "t", "t", "t")  # show done only
        await settle(app, pilot)
        table.select_id(tasks["today"].id)
        await pilot.press("space")  # reopen
        await settle(app, pilot)
        assert store.tasks.get(tasks["today"].id).status is Status.TODO


@ui_test
async def test_b_blocks_from_the_table_asking_why_and_s_never_blocks(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        table.select_id(tasks["doing"].id)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        assert f"Why is {tasks['doing'].ref} blocked?" in screen_text(app)
        await pilot.press("escape")  # nothing saved
        await settle(app, pilot)
        assert store.tasks.get(tasks["doing"].id) == tasks["doing"]
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press(*"CAB", "enter")
        await settle(app, pilot)
        saved = store.tasks.get(tasks["doing"].id)
        assert (saved.status, saved.blocked_reason) == (Status.BLOCKED, "CAB")
        assert isinstance(app.screen, TasksScreen)
        table.select_id(tasks["today"].id)
        await pilot.press("s", "s")  # to do -> doing -> review, no question on the way
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        assert store.tasks.get(tasks["today"].id).status is Status.REVIEW


@pytest.mark.both_backends
@ui_test
async def test_edit_validates_and_saves_from_the_table(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        table.select_id(tasks["next"].id)
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        form.query_one("#planned_cost", Input).value = "-5"
        form.query_one("#percent_complete", Input).value = "150"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert store.tasks.get(tasks["next"].id) == tasks["next"]
        form.query_one("#planned_cost", Input).value = "1200.50"
        form.query_one("#percent_complete", Input).value = "40"
        form.query_one("#assignee", Select).value = "alice"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        task = store.tasks.get(tasks["next"].id)
        assert (str(task.planned_cost), task.percent_complete, task.assignee) == (
            "1200.50", 40, "alice")  # fmt: skip
        assert cursor_title(table) == "Plan sprint 6"
        history = store.tasks.history(task.id)
        assert {e.field for e in history} >= {"planned_cost", "percent_complete", "assignee"}


@ui_test
async def test_planned_finish_before_start_is_refused(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        form.query_one("#planned_start", Input).value = "+5d"
        form.query_one("#planned_finish", Input).value = "+1d"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "the planned finish is before the planned start" in screen_text(app)
        await pilot.press("escape")
        assert store.tasks.get(tasks["overdue"].id) == tasks["overdue"]


@ui_test
async def test_a_adds_a_task_in_the_filtered_project(store: Store, app_factory: AppFactory) -> None:
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        await pilot.press("p")  # APP
        await settle(app, pilot)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, TaskFormModal)
        await pilot.press(*"Write release notes")
        form.query_one("#due", Input).value = "next monday"
        await pilot.press("enter")
        await settle(app, pilot)
        [task] = store.tasks.find(TaskFilter(text="release notes"))
        assert (task.project_key, task.due, task.assignee) == ("APP", date(2026, 11, 30), "pm")
        assert cursor_title(table) == "Write release notes"


@pytest.mark.both_backends
@ui_test
async def test_a_large_table_loads_rows_as_they_scroll_into_view(
    store: Store, app_factory: AppFactory
) -> None:
    with store.db.write() as conn:
        conn.executemany(
            "INSERT INTO tasks (title, status, priority, due, created_at, updated_at, version)"
            " VALUES (?, 'todo', 3, ?, '2026-11-01T09:00:00+00:00',"
            " '2026-11-01T09:00:00+00:00', 1)",
            [(f"bulk task {i:05}", days(i % 90).isoformat()) for i in range(5000)],
        )
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        assert len(table.ids) == 5000
        assert len(table.rows) < 400  # only a window is loaded
        await pilot.press("G")
        await settle(app, pilot)
        last = store.tasks.get(table.ids[-1])
        assert table.cursor_task == last
        assert last.title in screen_text(app)
        await pilot.press("pageup")
        await settle(app, pilot)
        assert "…" not in screen_text(app).splitlines()[5]  # rows above are loaded too


@pytest.mark.both_backends
@ui_test
async def test_live_change_keeps_the_cursor_on_its_task(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        table.select_id(tasks["next"].id)
        other = Store(store.path, user="alice", clock=store.clock)
        add(other, "Earlier task", due=TODAY, assignee="alice")
        other.tasks.update(tasks["next"].id, {"title": "Plan sprint 6 (moved)"})
        other.close()
        await wait_until(pilot, lambda: "Earlier task" in titles(table))
        assert cursor_title(table) == "Plan sprint 6 (moved)"
        assert "Earlier task" in screen_text(app)


@ui_test
async def test_long_details_scroll_with_shift_j_and_k(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    notes = "\n".join(f"note line {n}" for n in range(1, 31))
    store.tasks.update(tasks["overdue"].id, {"notes": notes})
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot)
        await wait_for_text(app, pilot, "more lines (J/K scroll)")
        assert "note line 20" not in screen_text(app)
        for _ in range(6):
            await pilot.press("J")
        await pilot.pause()
        text = screen_text(app)
        assert "lines above" in text and "note line 15" in text
        for _ in range(6):
            await pilot.press("K")
        await pilot.pause()
        assert "lines above" not in screen_text(app)
        assert "Send steering report" in screen_text(app)


@ui_test
async def test_the_cursor_stays_on_its_task_through_sorting_and_clearing_filters(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        for _ in range(12):
            await pilot.press("j")
        await settle(app, pilot)
        chosen = table.cursor_id
        for key in ("o", "O", "o"):  # sort by another column, reverse, another
            await pilot.press(key)
            await settle(app, pilot)
            assert table.cursor_id == chosen, key
            top = round(table.scroll_offset.y)
            assert top <= table.cursor < top + table.scrollable_content_region.height
        await pilot.press("p")  # APP only: the task may be filtered out, then c brings all back
        await settle(app, pilot)
        kept = table.cursor_id
        await pilot.press("c")
        await settle(app, pilot)
        assert table.cursor_id == kept


def test_the_history_names_the_os_account_when_it_is_not_the_login() -> None:
    from datetime import UTC, datetime

    from itpm_tui.models import AuditEvent
    from itpm_tui.widgets.task_detail import history_line

    at = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)
    claimed = AuditEvent(at=at, who="alice", os_user="root", entity="task", entity_id=1,
                         field="status", old="todo", new="doing")  # fmt: skip
    today = claimed.at.date()
    assert history_line(claimed, today).plain.endswith(
        "alice  status: ○ To do → ◐ Doing  (OS: root)"
    )
    same = claimed.model_copy(update={"os_user": "alice"})
    assert "(OS:" not in history_line(same, today).plain


@ui_test
async def test_a_key_joined_to_escape_closes_the_form_then_acts_on_the_table(
    store: Store, app_factory: AppFactory
) -> None:
    """tmux holds an Escape for its escape-time and sends it with the next key as one alt+key
    (`Escape j` arrives as alt+j): the form closes unchanged and j moves the cursor, where
    before the j replaced the selected title in the form."""
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tasks(app, pilot)
        first = table.cursor_id
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskFormModal)
        app.post_message(events.Key("alt+j", "j"))  # what Textual's parser makes of ESC j
        await wait_until(pilot, lambda: isinstance(app.screen, TasksScreen))
        await wait_until(pilot, lambda: table.cursor_id != first)
        assert {t.id: t.title for t in store.tasks.find(TaskFilter())} == {
            t.id: t.title for t in tasks.values()
        }


@ui_test
async def test_escape_joined_to_a_digit_closes_the_dialog_then_switches_screen(
    store: Store, app_factory: AppFactory
) -> None:
    """`Escape 1` within tmux's escape-time reaches the app as one `¡` (Textual reads ESC 1 as
    a macOS option key): the help closes and 1 shows Today, where before the key was lost
    and the help stayed open."""
    small_team(store)
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal))
        app.post_message(events.Key("inverted_exclamation_mark", "¡"))
        await wait_until(pilot, lambda: app.current_mode == "today")
        assert not isinstance(app.screen, HelpModal)


def test_only_alt_letters_are_split_into_escape_and_the_letter() -> None:
    from itpm_tui.app import key_after_escape

    def split(key: str, character: str | None) -> tuple[str, str | None] | None:
        after = key_after_escape(events.Key(key, character))
        return None if after is None else (after.key, after.character)

    assert split("alt+j", "j") == ("j", "j")
    assert split("alt+shift+j", "J") == ("J", "J")
    assert split("j", "j") is None
    assert split("alt+left", None) is None
    # Textual's parser makes Escape 2 a ``™`` (a macOS option key): outside a text field
    # nothing types it, so it is the digit; in a field it may have been typed, and is kept.
    assert split("trade_mark_sign", "™") == ("2", "2")
    assert split("en_dash", "\N{EN DASH}") == ("minus", "-")
    assert key_after_escape(events.Key("trade_mark_sign", "™"), typing=lambda: True) is None
    assert split("section_sign", "§") == ("6", "6")  # Escape 6 or Escape §: the digit
