"""D edits a task's links (dependencies), I asks what a slip would move (Today, Tasks, Timeline).

The demo's Hamburg site runs survey #13 -> switches #14 -> cut-over #15, so #14 waits for one
task and one waits for it.
"""

from __future__ import annotations

from functools import partial

from textual.widgets import Input, OptionList

from itpm_tui.app import ItpmApp
from itpm_tui.models import LinkType
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.picker import PickerModal
from itpm_tui.screens.tasks import TasksScreen
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.store import Store
from itpm_tui.widgets.gantt import Gantt
from itpm_tui.widgets.task_detail import TaskDetail
from tests.tui.conftest import AppFactory
from tests.tui.helpers import region_text, settle, ui_test, wait_until

SIZE = (100, 30)


async def on_task(app: ItpmApp, pilot: object, task_id: int) -> TasksScreen:
    await pilot.press("2")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, TasksScreen) and screen.select_task(task_id)
    await settle(app, pilot)  # type: ignore[arg-type]
    current = screen.current_task()
    assert current is not None and current.id == task_id
    return screen


def picker_lines(app: ItpmApp) -> list[str]:
    assert isinstance(app.screen, PickerModal)
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def wait_for_modal(app: ItpmApp, pilot: object, kind: type) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, kind), timeout=5)  # type: ignore[arg-type]
    await settle(app, pilot)  # type: ignore[arg-type]


@ui_test
async def test_d_lists_the_links_and_adds_one_by_words_of_a_title(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        await pilot.press("D")
        await wait_for_modal(app, pilot, PickerModal)
        lines = picker_lines(app)
        assert lines[0].startswith("waits for #13 Site survey: Hamburg · finish-to-start")
        assert lines[1].startswith("#15 Cut over WAN link: Hamburg waits for it")
        assert lines[2:] == ["+ Add a task #14 waits for…", "+ Add a task that waits for #14…"]
        await pilot.press("j", "j", "j", "enter")  # a task that waits for #14
        await wait_for_modal(app, pilot, LineInputModal)
        app.screen.query_one(Input).value = "survey: stuttgart ss +2"
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(lk.pred_id == 14 and lk.succ_id == 29
                                            for lk in demo_store.links.find()), timeout=5)  # fmt: skip
        link = next(lk for lk in demo_store.links.find() if lk.succ_id == 29 and lk.pred_id == 14)
        assert (link.kind, link.lag) == (LinkType.SS, 2)
        await wait_until(pilot, lambda: any("#29 now waits for #14 (start-to-start +2 wd)"
                                            in n.message for n in app._notifications))  # fmt: skip
        pane = app.screen.query_one(TaskDetail)
        await wait_until(pilot, lambda: "\n  #29 Site survey: Stuttgart · ss +2 wd"
                         in pane._text.plain, timeout=5)  # fmt: skip


@ui_test
async def test_the_details_pane_lists_what_the_task_waits_for_and_what_waits_for_it(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_task(app, pilot, 14)
        pane = screen.query_one(TaskDetail)
        await wait_until(pilot, lambda: pane.shown_id == 14 and "Links" in pane._text.plain)
        text = " ".join(region_text(app, pane).replace("│", " ").split())  # lines wrap here
        assert "Links D edits waits for #13 Site survey: Hamburg waiting for it #15" in text
        lines = pane._text.plain.splitlines()  # its own links, then the rest of the chain
        at = lines.index("waiting for it")
        assert lines[at + 1 : at + 3] == [
            "  #15 Cut over WAN link: Hamburg",  # finish-to-start: said by nothing
            "  … 24 more links downstream",
        ]


@ui_test
async def test_an_ambiguous_title_or_a_cycle_says_so_and_adds_nothing(
    demo_store: Store, app_factory: AppFactory
) -> None:
    before = demo_store.links.find()
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)

        def said_(text: str) -> bool:
            return any(text in n.message for n in app._notifications)

        for typed, said in (("stuttgart", "several titles hold 'stuttgart'"),
                            ("15", "that link would make a cycle: #15 -> #14 -> #15"),
                            ("nothing like this", "no task's title holds")):  # fmt: skip
            await pilot.press("D")
            await wait_for_modal(app, pilot, PickerModal)
            await pilot.press("j", "j", "enter")  # a task #14 waits for
            await wait_for_modal(app, pilot, LineInputModal)
            app.screen.query_one(Input).value = typed
            await pilot.press("enter")
            await wait_until(pilot, partial(said_, said), timeout=5)
            app.clear_notifications()
    assert demo_store.links.find() == before


@ui_test
async def test_enter_on_a_link_removes_it_after_asking(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        await pilot.press("D")
        await wait_for_modal(app, pilot, PickerModal)
        await pilot.press("enter")  # waits for #13
        await wait_for_modal(app, pilot, PickerModal)
        assert "waits for #13 Site survey: Hamburg: remove that link?" in str(
            app.screen.query_one(".modal-title").render()
        )
        await pilot.press("enter")  # Remove the link
        await wait_until(pilot, lambda: not any(lk.pred_id == 13 and lk.succ_id == 14
                                                for lk in demo_store.links.find()), timeout=5)  # fmt: skip
        assert demo_store.tasks.history(14)[-1].field == "predecessor"


@ui_test
async def test_the_timeline_offers_both_keys_on_the_highlighted_task(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await wait_until(pilot, lambda: screen.current_task() is not None or
                         screen.query_one(Gantt).timeline is not None, timeout=5)  # fmt: skip
        while screen.current_task() is None:  # past the milestone heading to a task
            await pilot.press("j")
            await settle(app, pilot)
        task = screen.current_task()
        assert task is not None
        await pilot.press("D")
        await wait_for_modal(app, pilot, PickerModal)
        assert str(app.screen.query_one(".modal-title").render()).startswith(f"Links of {task.ref}")


@ui_test
async def test_i_shows_which_milestone_a_slip_moves_and_saves_nothing(
    demo_store: Store, app_factory: AppFactory
) -> None:
    before = demo_store.tasks.get(14)
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        await pilot.press("I")
        await wait_for_modal(app, pilot, LineInputModal)
        app.screen.query_one(Input).value = "3"
        await pilot.press("enter")
        await wait_for_modal(app, pilot, PickerModal)
        assert "What if #14 slips 3 wd? Nothing is saved." in str(
            app.screen.query_one(".modal-title").render()
        )
        assert picker_lines(app) == [
            'milestone "All 12 branches migrated" moves +1 wd (28 Dec -> 29 Dec)'
        ]
        await pilot.press("escape")
        await pilot.press("I")
        await wait_for_modal(app, pilot, LineInputModal)
        app.screen.query_one(Input).value = "soon"
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("lag 'soon' is not a whole number" in n.message
                                            for n in app._notifications))  # fmt: skip
    assert demo_store.tasks.get(14) == before
