"""Helpers for Pilot tests: run async tests, read the screen as text, wait for workers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from typing import Any, ParamSpec

from rich.console import Console
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled, WorkerFailed

from itpm_tui.app import ItpmApp
from itpm_tui.models import Person, Project, Status, Task
from itpm_tui.screens.record_form import RecordForm
from itpm_tui.store import Store
from tests.conftest import TODAY

P = ParamSpec("P")


def ui_test(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async Pilot test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def screen_text(app: ItpmApp) -> str:
    """Everything on the terminal right now (modals included), as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)  # fmt: skip
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def text_of(widget: Widget) -> str:
    """What a widget (and its visible children) shows, as plain text."""
    children = [child for child in widget.children if child.display]
    if children:
        return "\n".join(text_of(child) for child in children)
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text.rstrip() for strip in strips)


def region_text(app: ItpmApp, widget: Widget) -> str:
    """The text on screen inside ``widget``'s visible region (what a person sees of it)."""
    region = widget.region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


async def wait_for_workers(app: App[Any]) -> None:
    """Wait until every worker running now has ended.

    A load cancelled by a newer exclusive one is not an error here, nor is a worker that
    raised: its error went to the screen's error path, whose notice a test looks at.
    """
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await worker.wait()


async def settle(app: App[Any], pilot: Pilot[None]) -> None:
    """Let workers finish and the messages they post be handled (a save triggers a reload)."""
    for _ in range(4):
        await wait_for_workers(app)
        await pilot.pause()


def press_keys(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A snapshot's ``run_before``: let the first load finish, then press each key and let
    every load it starts finish; input cursors stop blinking for a stable picture."""

    async def run_before(pilot: Pilot[None]) -> None:
        for key in ("", *keys):
            if key:
                await pilot.press(key)
            for _ in range(3):
                await wait_for_workers(pilot.app)
                await pilot.pause()
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False
            for area in pilot.app.screen.query(TextArea):
                area.cursor_blink = False

    return run_before


async def fill(pilot: Pilot[None], *values: str | None) -> None:
    """Type each value into the next field (``None`` keeps the field's text), Enter after."""
    for value in values:
        if value is not None:
            await pilot.press("ctrl+u", *value)  # ctrl+u clears to the start of the line
        await pilot.press("enter")


def form(app: ItpmApp) -> RecordForm[object]:
    """The record form on show (fails if another screen is)."""
    screen = app.screen
    assert isinstance(screen, RecordForm)
    return screen


def form_error(app: ItpmApp) -> str:
    """The error line under the record form."""
    return text_of(form(app).query_one("#form-error"))


async def wait_for_text(
    app: ItpmApp, pilot: Pilot[None], text: str, timeout: float = 2.0, present: bool = True
) -> float:
    """Poll the screen until ``text`` appears (or disappears); return the seconds it took."""
    start = time.monotonic()
    while (text in screen_text(app)) != present:
        if time.monotonic() - start > timeout:
            raise AssertionError(
                f"{text!r} {'never appeared' if present else 'never went away'} within "
                f"{timeout} s; screen:\n{screen_text(app)}"
            )
        await pilot.pause(0.02)
    return time.monotonic() - start


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 2.0
) -> float:
    """Poll until ``condition()`` holds; return the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - start


async def palette_run(app: ItpmApp, pilot: Pilot[None], query: str, expected: str) -> None:
    """Open the command palette, type ``query`` and run the first hit once it is ``expected``.

    The palette highlights its first hit only when the search settles; an Enter before
    that merely highlights it, so wait for the highlight rather than for the text.
    """
    from textual.command import CommandList

    await pilot.press("ctrl+p", *query)

    def ready() -> bool:
        hits = app.screen.query(CommandList)
        if not hits or hits.first().highlighted is None:
            return False
        hit = hits.first().get_option_at_index(hits.first().highlighted or 0)
        return expected in str(hit.prompt)

    try:
        await wait_until(pilot, ready, timeout=5)
    except AssertionError:
        hits = app.screen.query(CommandList)
        shown = [str(o.prompt) for o in hits.first().options] if hits else []
        raise AssertionError(f"{expected!r} never the first hit for {query!r}: {shown}") from None
    await pilot.press("enter")


def add(store: Store, title: str, **fields: Any) -> Task:
    """Add a task with the given fields."""
    return store.tasks.add(Task.model_validate({"title": title, **fields}))


def days(n: int) -> date:
    """TODAY plus ``n`` days."""
    return date.fromordinal(TODAY.toordinal() + n)


def small_team(store: Store) -> dict[str, Task]:
    """A handful of tasks covering every Today group, owned by 'pm' unless said otherwise.

    Alice's task and a done task must not appear on pm's Today list.
    """
    store.people.save(Person(login="pm", name="Pat Manager"))
    store.people.save(Person(login="alice", name="Alice Novak"))
    net = store.projects.add(Project(key="NET", name="Network upgrade"))
    app = store.projects.add(Project(key="APP", name="Mobile app"))
    tasks = {
        "overdue": add(store, "Send steering report", project_id=net.id, assignee="pm",
                       due=days(-2), priority=1),
        "today": add(store, "Book a room", due=TODAY, priority=4),
        "doing": add(store, "Update risk register", project_id=net.id, assignee="pm",
                     status=Status.DOING, due=days(3), priority=2, estimate_hours=8,
                     remaining_hours=4, notes="Add the vendor risks from Friday."),
        "blocked": add(store, "Sign off DR plan", project_id=app.id, assignee="pm",
                       status=Status.BLOCKED, blocked_reason="vendor has not answered",
                       due=days(4)),
        "next": add(store, "Plan sprint 6", project_id=app.id, assignee="pm", due=days(5)),
        "markup": add(store, "[red]x[/red] not markup", due=days(8)),
        "alice": add(store, "Alice's switch install", project_id=net.id, assignee="alice",
                     due=days(1)),
        "done": add(store, "Finished already", project_id=net.id, assignee="pm",
                    status=Status.DONE),
    }  # fmt: skip
    return tasks
