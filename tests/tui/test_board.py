"""Stand-up board: columns by status, walking, moving cards, filters, live updates."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import date

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.domain.board import COLUMNS, CardFilter, TaskCard, last_standup_day
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.models import Project, Status, Task
from itpm_tui.screens.board import BoardScreen
from itpm_tui.screens.conflict import ConflictModal
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.store import Store, TaskFilter
from itpm_tui.widgets.board_column import GUTTER, BoardColumn
from itpm_tui.widgets.task_card import CARD_HEIGHT, CardStyles, card_lines
from tests.conftest import TODAY, connect
from tests.tui.conftest import AppFactory
from tests.tui.helpers import region_text, screen_text, settle, text_of, ui_test, wait_until

# --- helpers ------------------------------------------------------------------------------


async def open_board(app: ItpmApp, pilot: Pilot[None]) -> BoardScreen:
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, BoardScreen)
    return app.screen


def column(app: ItpmApp, status: Status) -> BoardColumn:
    return app.screen.query_one(f"#column-{status.value}", BoardColumn)


def focused_status(app: ItpmApp) -> Status:
    """The active column (the one the keys act on), checked against what is drawn."""
    assert isinstance(app.screen, BoardScreen)
    active = app.screen.active
    assert [s for s in COLUMNS if column(app, s).has_class("-active")] == [active]
    return active


def ids_in(app: ItpmApp, status: Status) -> list[int]:
    return [card.task_id for card in column(app, status).cards]


def detail(app: ItpmApp) -> str:
    """The detail line's words, with wrapping undone."""
    return " ".join(text_of(app.screen.query_one("#board-detail")).split())


def first(store: Store, status: Status) -> Task:
    return store.tasks.find(TaskFilter(statuses=(status,)))[0]


async def answer_why(app: ItpmApp, pilot: Pilot[None], reason: str) -> None:
    """Type the reason into the "Why is #N blocked?" prompt, key by key, and press Enter."""
    await settle(app, pilot)
    assert isinstance(app.screen, LineInputModal)
    await pilot.press(*("space" if c == " " else c for c in reason), "enter")


async def focus_task(app: ItpmApp, pilot: Pilot[None], task: Task) -> BoardColumn:
    assert isinstance(app.screen, BoardScreen)
    app.screen.active = task.status
    col = column(app, task.status)
    assert col.select_task(task.id)
    await pilot.pause()
    return col


# --- columns and cards --------------------------------------------------------------------


@ui_test
async def test_five_columns_show_open_work_and_what_was_done_since_the_last_standup(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        since = last_standup_day(TODAY)
        assert since == date(2026, 11, 20)  # Monday's last stand-up was on Friday
        for status in COLUMNS[:-1]:
            team = TaskFilter(statuses=(status,), in_project=True)
            expected = {t.id for t in demo_store.tasks.find(team)}
            assert set(ids_in(app, status)) == expected
            assert f"{status.label} {len(expected)}" in text_of(column(app, status))
        personal = {t.id for t in demo_store.tasks.find(TaskFilter(personal=True))}
        assert personal  # the PM's own to-dos stay off the team board
        assert not personal & {i for s in COLUMNS for i in ids_in(app, s)}
        done = demo_store.tasks.find(TaskFilter(statuses=(Status.DONE,), in_project=True))
        recent = {t.id for t in done if t.done_at and t.done_at.date() >= since}
        assert recent and len(recent) < len(done)
        assert set(ids_in(app, Status.DONE)) == recent
        assert "everyone · all projects · done since Fri" in text_of(
            app.screen.query_one("#board-filter")
        )


@ui_test
async def test_every_column_is_usable_at_80x24(demo_store: Store, app_factory: AppFactory) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        for status in COLUMNS:
            col = column(app, status)
            assert col.region.width >= 15 and col.region.right <= 80
            assert col.scrollable_content_region.height >= 2 * CARD_HEIGHT
        todo = column(app, Status.TODO)
        top = todo.cards[0]
        shown = text_of(todo)
        assert top.ref in shown and (top.owner or "nobody") in shown


@ui_test
async def test_blocked_cards_say_for_how_many_working_days(
    store: Store, app_factory: AppFactory
) -> None:
    net = store.projects.add(Project(key="NET", name="Network"))
    blocked = store.tasks.add(Task(title="Firewall change", status=Status.BLOCKED,
                                   project_id=net.id,
                                   blocked_reason="waiting for the vendor"))  # fmt: skip
    # Blocked on Thursday 19 Nov: Friday and Monday are two working days.
    with store.db.write() as conn:
        conn.execute("UPDATE tasks SET blocked_since = ? WHERE id = ?",
                     ("2026-11-19T10:00:00+00:00", blocked.id))  # fmt: skip
    app = app_factory(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await pilot.press("w", "w", "w")  # To do -> Done -> Review -> Blocked
        assert focused_status(app) is Status.BLOCKED
        assert "⊘2wd" in text_of(column(app, Status.BLOCKED))
        assert "blocked 2 working days: waiting for the vendor" in detail(app)


# --- focus and cursor keys ----------------------------------------------------------------


@ui_test
async def test_the_board_opens_on_to_do_and_the_walk_starts_at_done(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        assert focused_status(app) is Status.TODO
        seen = []
        for _ in range(5):
            await pilot.press("w")
            seen.append(focused_status(app))
        assert seen == [Status.DONE, Status.REVIEW, Status.BLOCKED, Status.DOING, Status.TODO]


@pytest.mark.parametrize(("left", "right"), [("left", "right"), ("h", "l")])
@ui_test
async def test_arrows_and_vim_keys_move_between_columns(
    demo_store: Store, app_factory: AppFactory, left: str, right: str
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await pilot.press(right, right)
        assert focused_status(app) is Status.BLOCKED
        await pilot.press(right, right, right)  # stops at the edge
        assert focused_status(app) is Status.DONE
        await pilot.press(left)
        assert focused_status(app) is Status.REVIEW
        await pilot.press(left, left, left, left)
        assert focused_status(app) is Status.TODO


@pytest.mark.parametrize(("up", "down"), [("up", "down"), ("k", "j")])
@ui_test
async def test_up_and_down_highlight_cards_and_the_detail_line_follows(
    demo_store: Store, app_factory: AppFactory, up: str, down: str
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)  # on To do
        todo = column(app, Status.TODO)
        cards = todo.cards
        assert todo.card == cards[0] and detail(app).startswith(f"{cards[0].ref} ")
        await pilot.press(down, down)
        assert todo.card == cards[2]
        assert " ".join(cards[2].title.split()) in detail(app)
        await pilot.press(up)
        assert todo.card == cards[1]
        await pilot.press("G")
        assert todo.card == cards[-1]
        assert todo.scroll_offset.y > 0  # scrolled to keep it in view
        await pilot.press("g")
        assert todo.card == cards[0] and todo.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert todo.cursor > 1


def whole_cards_on_top(app: ItpmApp) -> dict[Status, int]:
    """Each column's scroll offset, checked to start on a card's first line with the
    highlighted card wholly in view."""
    offsets = {}
    for status in COLUMNS:
        col = column(app, status)
        y = round(col.scroll_offset.y)
        assert y % CARD_HEIGHT == 0, (status, y)
        if col.cards:
            top, bottom = col.cursor * CARD_HEIGHT, (col.cursor + 1) * CARD_HEIGHT - 1
            assert y <= top and bottom <= y + col.scrollable_content_region.height, status
        offsets[status] = y
    return offsets


@ui_test
async def test_columns_scroll_by_whole_cards_through_live_changes_and_resizes(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(200, 60)) as pilot:
        await open_board(app, pilot)
        assert set(whole_cards_on_top(app).values()) == {0}  # every column starts at the top
        for key in ("G", "k", "k", "l", "G", "l", "j", "j", "j"):
            await pilot.press(key)
            whole_cards_on_top(app)
        for size in ((80, 24), (120, 40), (81, 23), (200, 60), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            whole_cards_on_top(app)
            bob = Store(demo_store.path, user="bob", clock=demo_store.clock)  # a live change
            net = bob.projects.by_key("NET")
            bob.tasks.add(Task(title=f"Check cabling {size}", project_id=net.id, assignee="bob"))
            bob.close()
            app.check_for_changes()
            await settle(app, pilot)
            whole_cards_on_top(app)


@ui_test
async def test_only_the_active_column_shows_its_highlighted_card(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(app, pilot)
        await pilot.press("j", "l", "j", "j", "l")  # each column remembers its card
        await pilot.pause()
        marked = [s for s in COLUMNS if GUTTER in region_text(app, column(app, s))]
        assert marked == [Status.BLOCKED] == [focused_status(app)]
        await pilot.press("h")
        await pilot.pause()
        assert [s for s in COLUMNS if GUTTER in region_text(app, column(app, s))] == [Status.DOING]
        assert column(app, Status.DOING).cursor == 2  # where it was left


@ui_test
async def test_moving_the_cursor_repaints_only_that_column(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)  # on To do
        repainted = spy_refreshes(monkeypatch)
        await pilot.press("j")
        assert repainted == {Status.TODO}


def spy_refreshes(monkeypatch: pytest.MonkeyPatch) -> set[Status]:
    """Record which columns ask to be repainted from now on."""
    repainted: set[Status] = set()
    original = BoardColumn.refresh

    def refresh(self: BoardColumn, *args: object, **kwargs: object) -> BoardColumn:
        repainted.add(self.status)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(BoardColumn, "refresh", refresh)
    return repainted


# --- moving cards -------------------------------------------------------------------------


@pytest.mark.both_backends
@pytest.mark.parametrize("key", ["greater_than_sign", "shift+right", "L"])
@ui_test
async def test_moving_a_card_right_saves_its_new_status_and_it_stays_highlighted(
    demo_store: Store, app_factory: AppFactory, key: str
) -> None:
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        await pilot.press(key)  # doing -> review: past the Blocked column, nothing asked
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        saved = demo_store.tasks.get(task.id)
        assert saved.status is Status.REVIEW
        assert saved.version == task.version + 1 and saved.updated_by == "pm"
        assert task.id in ids_in(app, Status.REVIEW) and task.id not in ids_in(app, Status.DOING)
        assert focused_status(app) is Status.REVIEW
        assert column(app, Status.REVIEW).card is not None
        assert column(app, Status.REVIEW).card.task_id == task.id  # type: ignore[union-attr]


@pytest.mark.parametrize("key", ["less_than_sign", "shift+left", "H"])
@ui_test
async def test_moving_a_card_left_saves_its_new_status(
    demo_store: Store, app_factory: AppFactory, key: str
) -> None:
    task = first(demo_store, Status.REVIEW)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        await pilot.press(key)  # review -> doing
        await settle(app, pilot)
        assert demo_store.tasks.get(task.id).status is Status.DOING
        assert f"{task.ref} moved to Doing" in str([n.message for n in app._notifications])


@ui_test
async def test_a_card_moved_to_done_stays_on_the_board_and_a_move_repaints_two_columns(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = first(demo_store, Status.REVIEW)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        repainted = spy_refreshes(monkeypatch)
        await pilot.press("greater_than_sign")
        await settle(app, pilot)
        saved = demo_store.tasks.get(task.id)
        assert saved.status is Status.DONE and saved.done_at is not None
        assert task.id in ids_in(app, Status.DONE)
        assert repainted == {Status.REVIEW, Status.DONE}


@ui_test
async def test_a_card_cannot_move_past_the_edge(demo_store: Store, app_factory: AppFactory) -> None:
    task = first(demo_store, Status.TODO)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        await pilot.press("less_than_sign")
        await settle(app, pilot)
        assert demo_store.tasks.get(task.id).version == task.version
        assert "already in the left-most column" in str([n.message for n in app._notifications])


@pytest.mark.both_backends
@ui_test
async def test_a_move_that_collides_with_someone_elses_change_overwrites_nothing(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        # Bob finishes the task in another process before the app has noticed.
        monkeypatch.setattr(app, "check_for_changes", lambda: None)
        bob = Store(demo_store.path, user="bob", clock=demo_store.clock)
        bob.tasks.update(task.id, {"status": Status.DONE})
        bob.close()
        await pilot.press("greater_than_sign")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictModal)  # says who changed what
        await pilot.press("k")  # keep theirs
        await settle(app, pilot)
        saved = demo_store.tasks.get(task.id)
        assert saved.status is Status.DONE and saved.updated_by == "bob"
        assert task.id in ids_in(app, Status.DONE)  # the board reloaded the truth
        assert task.id not in ids_in(app, Status.REVIEW)


@pytest.mark.both_backends
@ui_test
async def test_overwriting_after_a_collision_saves_my_move(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        monkeypatch.setattr(app, "check_for_changes", lambda: None)
        bob = Store(demo_store.path, user="bob", clock=demo_store.clock)
        bob.tasks.update(task.id, {"status": Status.REVIEW})
        bob.close()
        await pilot.press("b")
        await answer_why(app, pilot, "vendor")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictModal)
        await pilot.press("o")  # overwrite
        await settle(app, pilot)
        assert demo_store.tasks.get(task.id).status is Status.BLOCKED
        assert demo_store.tasks.get(task.id).blocked_reason == "vendor"  # the reason too


@pytest.mark.both_backends
@ui_test
async def test_a_move_keeps_someone_elses_change_to_another_field(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        monkeypatch.setattr(app, "check_for_changes", lambda: None)
        bob = Store(demo_store.path, user="bob", clock=demo_store.clock)
        bob.tasks.update(task.id, {"priority": 1})
        bob.close()
        await pilot.press("greater_than_sign")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictModal)
        saved = demo_store.tasks.get(task.id)
        assert saved.status is Status.REVIEW and saved.priority == 1


@pytest.mark.both_backends
@ui_test
async def test_pressing_move_three_times_quickly_moves_three_columns_without_a_collision(
    demo_store: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = first(demo_store, Status.TODO)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        # Faster than the reload: no fresh version arrives between the key presses.
        monkeypatch.setattr(app, "check_for_changes", lambda: None)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await settle(app, pilot)
        monkeypatch.undo()
        app.check_for_changes()
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictModal)
        saved = demo_store.tasks.get(task.id)
        assert saved.status is Status.DONE and saved.version == task.version + 3
        history = [(e.old, e.new) for e in demo_store.tasks.history(task.id) if e.field == "status"]
        assert history[-3:] == [("todo", "doing"), ("doing", "review"), ("review", "done")]
        assert focused_status(app) is Status.DONE


@ui_test
async def test_b_blocks_a_card_asking_why_and_saves_the_reason(
    demo_store: Store, app_factory: AppFactory
) -> None:
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(app, pilot)
        await focus_task(app, pilot, task)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        assert f"Why is {task.ref} blocked?" in screen_text(app)
        assert task.id in [c.task_id for c in board.column(Status.DOING).cards]  # not moved yet
        assert demo_store.tasks.get(task.id) == task
        await answer_why(app, pilot, "waiting for CAB")
        await settle(app, pilot)
        saved = demo_store.tasks.get(task.id)
        assert (saved.status, saved.blocked_reason) == (Status.BLOCKED, "waiting for CAB")
        assert saved.version == task.version + 1
        assert task.id in ids_in(app, Status.BLOCKED) and focused_status(app) is Status.BLOCKED
        card = column(app, Status.BLOCKED).card
        assert card is not None and card.blocked_reason == "waiting for CAB"


@ui_test
async def test_a_card_blocked_after_a_reload_moved_it_leaves_the_column_it_is_in(
    demo_store: Store, app_factory: AppFactory
) -> None:
    """The "why blocked?" answer moves the card as shown when it comes: a reload that
    landed meanwhile (someone moved it to Review) must not leave it in two columns."""
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(app, pilot)
        await focus_task(app, pilot, task)
        card = column(app, Status.DOING).card
        assert card is not None and card.task_id == task.id
        demo_store.tasks.update(task.id, {"status": Status.REVIEW}, expected_version=task.version)
        board.reload()
        await settle(app, pilot)
        assert task.id in ids_in(app, Status.REVIEW)
        board._queue_move(card, task, Status.BLOCKED, "vendor")  # as the answer's callback
        assert task.id in ids_in(app, Status.BLOCKED)
        assert all(task.id not in ids_in(app, s) for s in COLUMNS if s is not Status.BLOCKED)


@ui_test
async def test_escape_on_why_blocked_leaves_the_card_where_it_was(
    demo_store: Store, app_factory: AppFactory
) -> None:
    task = first(demo_store, Status.REVIEW)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        await pilot.press(*"vendor", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        assert demo_store.tasks.get(task.id) == task
        assert task.id in ids_in(app, Status.REVIEW) and task.id not in ids_in(app, Status.BLOCKED)
        assert focused_status(app) is Status.REVIEW


@ui_test
async def test_moves_that_do_not_block_ask_nothing(
    demo_store: Store, app_factory: AppFactory
) -> None:
    todo, blocked = first(demo_store, Status.TODO), first(demo_store, Status.BLOCKED)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, todo)
        await pilot.press("greater_than_sign")  # to do -> doing
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        await focus_task(app, pilot, blocked)
        await pilot.press("greater_than_sign")  # blocked -> review
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
    assert demo_store.tasks.get(todo.id).status is Status.DOING
    saved = demo_store.tasks.get(blocked.id)
    assert (saved.status, saved.blocked_reason) == (Status.REVIEW, "")


# --- filters ------------------------------------------------------------------------------


async def pick(app: ItpmApp, pilot: Pilot[None], key: str, label: str) -> list[str]:
    """Press ``key``, move to the choice starting with ``label`` with j/k, press Enter; return
    the choices offered."""
    from textual.widgets import OptionList

    from itpm_tui.screens.picker import PickerModal

    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, PickerModal)
    options = app.screen.query_one(OptionList)
    labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    target = next(i for i, text in enumerate(labels) if text.startswith(label))
    while options.highlighted != target:
        await pilot.press("k" if (options.highlighted or 0) > target else "j")
    await pilot.press("enter")
    await settle(app, pilot)
    return labels


@ui_test
async def test_p_picks_a_person_or_team_from_a_list_and_everyone_again(
    demo_store: Store, app_factory: AppFactory
) -> None:
    infra = {p.login for p in demo_store.people.find() if p.team == "Infrastructure"}
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(app, pilot)
        assert screen.board is not None
        labels = await pick(app, pilot, "p", "Person   bob")  # straight to bob, not via alice
        assert labels[0] == "Everyone" and "Team     Infrastructure  (4 people)" in labels
        assert "Person   bob     Bob Schmidt" in labels  # names line up (fatima: 6 letters)
        assert "person: bob" in text_of(app.screen.query_one("#board-filter"))
        shown = [c for s in COLUMNS for c in column(app, s).cards]
        assert shown and {c.owner for c in shown} == {"bob"}
        await pick(app, pilot, "p", "Team     Infrastructure")
        owners = {c.owner for s in COLUMNS for c in column(app, s).cards}
        assert owners and owners <= infra and len(owners) > 1
        assert "team: Infrastructure" in text_of(app.screen.query_one("#board-filter"))
        await pick(app, pilot, "p", "Everyone")
        assert screen.shown == CardFilter()
        assert "everyone" in text_of(app.screen.query_one("#board-filter"))


@ui_test
async def test_P_picks_a_project_and_keeps_whose_cards_then_c_clears(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(app, pilot)
        total = sum(len(column(app, s).cards) for s in COLUMNS)
        labels = await pick(app, pilot, "P", "Project  NET")
        assert labels[0] == "All projects" and len(labels) == 4
        assert screen.shown.project == "NET"
        assert "project: NET" in text_of(app.screen.query_one("#board-filter"))
        cards = [c for s in COLUMNS for c in column(app, s).cards]
        assert cards and {c.project for c in cards} == {"NET"}
        await pick(app, pilot, "p", "Person   alice")  # NET and alice together
        both = [c for s in COLUMNS for c in column(app, s).cards]
        assert both and {(c.project, c.owner) for c in both} == {("NET", "alice")}
        await pilot.press("P", "escape")  # cancelled: both filters stay
        await settle(app, pilot)
        assert (screen.shown.project, screen.shown.person) == ("NET", "alice")
        await pilot.press("c")
        assert screen.shown == CardFilter()
        assert sum(len(column(app, s).cards) for s in COLUMNS) == total


# --- flags from the health domain ---------------------------------------------------------


@ui_test
async def test_cards_show_the_health_domains_flags_and_lose_them_when_fixed(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.reports import health_of

    net = demo_store.projects.by_key("NET")
    health = health_of(demo_store, net, TODAY)
    overdue = health.task_ids(TaskFlagKind.OVERDUE)
    stale = set(health.task_ids(TaskFlagKind.STALE))
    task = demo_store.tasks.get(next(i for i in overdue if i in stale))
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        col = await focus_task(app, pilot, task)
        assert col.card is not None
        assert col.card.flags[:2] == (TaskFlagKind.OVERDUE, TaskFlagKind.STALE)
        shown = text_of(col)
        assert f"{task.ref}" in shown and "! ◷" in shown
        assert "! overdue · ◷ stale" in detail(app)
        flagged_cards = {c.task_id for s in COLUMNS for c in column(app, s).cards if c.flags}
        assert set(overdue) <= flagged_cards
        await pilot.press("e")  # fix it in the edit form: due next week (an update: not stale)
        assert isinstance(app.screen, TaskFormModal)
        app.screen.query_one("#due", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        card = column(app, task.status).card
        assert card is not None and card.task_id == task.id
        assert TaskFlagKind.OVERDUE not in card.flags and TaskFlagKind.STALE not in card.flags
        assert "! overdue" not in detail(app)


# --- live updates -------------------------------------------------------------------------


@ui_test
async def test_edit_opens_the_task_form_and_saves_the_change(
    demo_store: Store, app_factory: AppFactory
) -> None:
    task = first(demo_store, Status.REVIEW)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        await focus_task(app, pilot, task)
        await pilot.press("e")
        assert isinstance(app.screen, TaskFormModal)
        app.screen.query_one("#title", Input).value = "Site survey: Dresden (redo)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert demo_store.tasks.get(task.id).title == "Site survey: Dresden (redo)"
        assert "(redo)" in detail(app)
        await pilot.press("enter")
        assert isinstance(app.screen, TaskFormModal)
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


@pytest.mark.both_backends
@ui_test
async def test_a_cli_change_in_another_process_moves_the_card_within_two_seconds(
    demo_store: Store, app_factory: AppFactory
) -> None:
    task = first(demo_store, Status.DOING)
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        env = os.environ | {"ITPM_USER": "bob", "ITPM_TODAY": TODAY.isoformat()}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "itpm_tui", "--db", str(demo_store.path),
            "set", str(task.id), "--status", "review", env=env,
        )  # fmt: skip
        assert await process.wait() == 0
        took = await wait_until(pilot, lambda: task.id in ids_in(app, Status.REVIEW), 2.0)
        assert took < 2.0
        assert task.id not in ids_in(app, Status.DOING)
        assert f"Review {len(ids_in(app, Status.REVIEW))}" in text_of(column(app, Status.REVIEW))


# --- cards --------------------------------------------------------------------------------


def card(**changes: object) -> TaskCard:
    values: dict[str, object] = {
        "task_id": 42, "status": Status.DOING,
        "title": "Cut over WAN link: Hamburg and the two branch offices", "owner": "alice",
        "project": "NET", "priority": 2, "due": date(2026, 11, 24),
    }  # fmt: skip
    return TaskCard(**(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [10, 14, 19, 20, 30, 60])
def test_card_lines_fit_the_width(width: int) -> None:
    flagged = card(
        flags=(TaskFlagKind.OVERDUE, TaskFlagKind.AT_RISK, TaskFlagKind.STALE), blocked_days=3
    )
    lines = card_lines(flagged, width, CardStyles())
    assert len(lines) == CARD_HEIGHT
    assert all(line.cell_len <= width for line in lines)
    assert lines[0].plain.startswith("#42")
    assert lines[0].plain.endswith(("! △ ◷", "◷ stale"))  # flags never give way
    assert width < 14 or "⊘" in lines[0].plain


def test_narrow_cards_use_flag_symbols_and_wide_cards_use_words() -> None:
    flagged = card(flags=(TaskFlagKind.OVERDUE, TaskFlagKind.STALE))
    narrow = [line.plain for line in card_lines(flagged, 14, CardStyles())]
    wide = [line.plain for line in card_lines(flagged, 50, CardStyles())]
    assert narrow[0].endswith("! ◷") and "overdue" not in narrow[0]
    assert wide[0].startswith("#42 NET P2") and wide[0].endswith("! overdue ◷ stale")
    assert narrow[1:3] == ["Cut over WAN", "link: Hamburg…"]
    assert wide[1] == "Cut over WAN link: Hamburg and the two branch"
    assert narrow[3] == "alice   24 Nov" and wide[3].endswith("due 24 Nov")


def test_a_card_blocked_too_long_keeps_its_flags_visible() -> None:
    blocked = card(status=Status.BLOCKED, blocked_days=6,
                   flags=(TaskFlagKind.OVERDUE, TaskFlagKind.BLOCKED))  # fmt: skip
    head = card_lines(blocked, 14, CardStyles(red="bold red", amber="yellow"))[0]
    assert head.plain == "#42 ⊘6wd     !"
    assert [span.style for span in head.spans if head.plain[span.start : span.end] == " ⊘6wd"] == [
        "bold red"
    ]


def test_a_card_without_owner_or_due_says_nobody() -> None:
    lines = card_lines(card(owner=None, due=None), 14, CardStyles())
    assert lines[3].plain == "nobody"


def test_user_text_on_a_card_is_not_markup() -> None:
    lines = card_lines(card(title="[bold]not markup[/bold]"), 40, CardStyles())
    assert lines[1].plain == "[bold]not markup[/bold]"
    assert isinstance(lines[1], Text)


@pytest.mark.both_backends
@ui_test
async def test_a_bad_person_row_does_not_stop_the_board_loading(
    demo_store: Store, app_factory: AppFactory
) -> None:
    with connect(demo_store.path) as conn:
        conn.execute("INSERT INTO people (login) VALUES ('jane doe')")
    app = app_factory(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot)
        doing = {t.id for t in demo_store.tasks.find(TaskFilter(statuses=(Status.DOING,)))}
        assert doing and set(ids_in(app, Status.DOING)) == doing
        notices = [n.message for n in app._notifications]
        assert any(m.startswith("cannot read person 'jane doe'") for m in notices), notices


@ui_test
async def test_f_picks_a_person_team_or_project_from_a_list(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.screens.picker import PickerModal

    infra = {p.login for p in demo_store.people.find() if p.team == "Infrastructure"}
    app = app_factory(demo_store)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_board(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, PickerModal)
        options = picker.query_one("OptionList")
        labels = [str(options.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
                  for i in range(options.option_count)]  # type: ignore[attr-defined]  # fmt: skip
        target = next(i for i, label in enumerate(labels) if label.startswith("Team     Infra"))
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen and screen.shown.team == "Infrastructure"
        owners = {c.owner for s in COLUMNS for c in column(app, s).cards}
        assert owners and owners <= infra
        assert "team: Infrastructure" in text_of(screen.query_one("#board-filter"))
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("escape")  # cancel: the filter stays
        await settle(app, pilot)
        assert screen.shown.team == "Infrastructure"
