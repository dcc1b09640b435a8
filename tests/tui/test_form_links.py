"""The task form's "Waits for" row: a task's predecessors edited and saved with its fields.

The demo's Hamburg site runs survey #13 -> switches #14 -> cut-over #15; #29 is the Stuttgart
site survey. Each save is one transaction: a refused link saves none of the fields either.
"""

from __future__ import annotations

from functools import partial

from textual.widgets import Input, Static

from itpm_tui.app import ItpmApp
from itpm_tui.models import LinkType
from itpm_tui.screens.task_form import WAITS_FOR, TaskFormModal
from itpm_tui.screens.tasks import TasksScreen
from itpm_tui.store import Store
from tests.tui.conftest import AppFactory
from tests.tui.helpers import settle, ui_test, wait_until
from tests.tui.test_links_keys import on_task

SIZE = (100, 30)


def preds(store: Store, task_id: int) -> set[tuple[int, LinkType, int]]:
    return {(lk.pred_id, lk.kind, lk.lag) for lk in store.links.of_task(task_id)[0]}


def reopened_after(app: ItpmApp, form: TaskFormModal) -> bool:
    """A new form is up in place of ``form`` (the store refused its save)."""
    return isinstance(app.screen, TaskFormModal) and app.screen is not form


async def open_form(app: ItpmApp, pilot: object, key: str = "e") -> TaskFormModal:
    """Press ``key`` and wait until the form's "Waits for" can be typed in."""
    await pilot.press(key)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, TaskFormModal), timeout=5)  # type: ignore[arg-type]
    form = app.screen
    assert isinstance(form, TaskFormModal)
    field = form.query_one(f"#{WAITS_FOR}", Input)
    await wait_until(pilot, lambda: not field.disabled, timeout=5)  # type: ignore[arg-type]
    return form


def waits_for(form: TaskFormModal) -> Input:
    return form.query_one(f"#{WAITS_FOR}", Input)


def error(form: TaskFormModal) -> str:
    return str(form.query_one(f"#error-{WAITS_FOR}", Static).render())


@ui_test
async def test_the_form_shows_the_predecessors_and_saves_new_ones_with_the_fields(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        form = await open_form(app, pilot)
        assert waits_for(form).value == "#13"
        form.query_one("#title", Input).value = "Install switches: Hamburg (both floors)"
        waits_for(form).value = "#13, survey: stuttgart ss +2"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, TasksScreen), timeout=5)
        await wait_until(pilot, lambda: len(preds(demo_store, 14)) == 2, timeout=5)
        assert preds(demo_store, 14) == {(13, LinkType.FS, 0), (29, LinkType.SS, 2)}
        assert demo_store.tasks.get(14).title == "Install switches: Hamburg (both floors)"

        form = await open_form(app, pilot)  # reopened: the links read back as typed
        assert waits_for(form).value == "#13, #29 ss +2"
        waits_for(form).value = ""  # waits for nothing now
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not preds(demo_store, 14), timeout=5)
        assert [lk.succ_id for lk in demo_store.links.of_task(14)[1]] == [15]  # untouched


@ui_test
async def test_a_refused_link_reopens_the_form_as_typed_and_saves_nothing(
    demo_store: Store, app_factory: AppFactory
) -> None:
    before = demo_store.links.find()
    title = demo_store.tasks.get(14).title
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        for typed, said in (
            ("#13, #15", "✗ that link would make a cycle: #15 -> #14 -> #15"),
            ("#13, stuttgart", "✗ several titles hold 'stuttgart'"),
            ("#13, #9999", "✗ no task #9999"),
        ):
            form = await open_form(app, pilot)
            form.query_one("#title", Input).value = "Renamed"
            waits_for(form).value = typed
            await pilot.press("ctrl+s")
            await wait_until(pilot, partial(reopened_after, app, form), timeout=5)
            reopened = app.screen
            assert isinstance(reopened, TaskFormModal)
            await settle(app, pilot)
            assert error(reopened).startswith(said), error(reopened)
            assert waits_for(reopened).value == typed and reopened.focused is waits_for(reopened)
            assert reopened.query_one("#title", Input).value == "Renamed"
            assert demo_store.tasks.get(14).title == title  # the fields were not saved either
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, TasksScreen), timeout=5)
    assert demo_store.links.find() == before


@ui_test
async def test_a_fixed_link_saves_from_the_reopened_form(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        form = await open_form(app, pilot)
        waits_for(form).value = "#13, #15"
        await pilot.press("ctrl+s")
        await wait_until(pilot, partial(reopened_after, app, form), timeout=5)
        reopened = app.screen
        assert isinstance(reopened, TaskFormModal)
        waits_for(reopened).value = "#13, #29 -1"
        await settle(app, pilot)
        assert error(reopened) == ""  # edited since: the error is cleared
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(preds(demo_store, 14)) == 2, timeout=5)
        assert preds(demo_store, 14) == {(13, LinkType.FS, 0), (29, LinkType.FS, -1)}


@ui_test
async def test_a_link_that_cannot_be_read_is_shown_before_anything_is_saved(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        form = await open_form(app, pilot)
        waits_for(form).value = "#13, #29 ss soon"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error(form) == ("✗ link 2 ('#29 ss soon'): lag 'soon' is not a whole number of "
                               "working days (e.g. 2, +2 or -1 for a lead)")  # fmt: skip
        assert preds(demo_store, 14) == {(13, LinkType.FS, 0)}


@ui_test
async def test_a_new_task_is_added_with_what_it_waits_for(
    demo_store: Store, app_factory: AppFactory
) -> None:
    before = demo_store.links.find()
    app = app_factory(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await on_task(app, pilot, 14)
        form = await open_form(app, pilot, "a")
        assert waits_for(form).value == ""
        form.query_one("#title", Input).value = "Label the new switches"
        waits_for(form).value = "#14 ff +1"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(demo_store.links.find()) > len(before), timeout=5)
        (link,) = set(demo_store.links.find()) - set(before)
        assert demo_store.tasks.get(link.succ_id).title == "Label the new switches"
        assert (link.pred_id, link.kind, link.lag) == (14, LinkType.FF, 1)
