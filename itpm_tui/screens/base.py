"""ItpmScreen: the data flow every main screen shares.

One key press runs like this: a binding calls an action on the UI thread; the action starts
a worker with an immutable value (a load request, a task edit); the worker calls the store
and posts a message with the result; the handler repaints. Every worker failure, read or
write, reaches :meth:`ItpmScreen.worker_failed` through Textual's ``Worker.StateChanged``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar, cast

from textual import events, on, work
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from itpm_tui.errors import ItpmError, StaleWrite
from itpm_tui.screens.services import Services
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.row_view import RowView

R = TypeVar("R")
"""What a load is asked for (a frozen dataclass built on the UI thread)."""
T = TypeVar("T")
"""What a load returns (immutable data, shown on the UI thread)."""


def _app_style_state(app: App[Any]) -> object:
    """What of the app a screen's styles depend on: its classes and pseudo-classes."""
    return frozenset(app.classes), frozenset(app.get_pseudo_classes())


@dataclass(frozen=True)
class AsOf:
    """The plainest load request: what day the screen is showing."""

    today: date


class ItpmScreen(Screen[None], Generic[R, T]):
    """A main screen whose data comes from the store.

    Subclasses implement :meth:`load_request` (UI thread: everything the load depends on),
    :meth:`load` (a worker thread: reads the store, returns immutable data) and :meth:`show`
    (UI thread: assigns to widgets). The screen reloads when it is mounted, when someone
    commits a change, and when it becomes visible again after a change it missed.
    """

    READ_GROUPS: ClassVar[frozenset[str]] = frozenset({"load"})
    """Worker groups that only read: their failure says "could not load", not "not done"."""
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions (by name) that change stored data: refused at the key while the store is
    read-only (``--read-only``, ``serve --read-only``, a file this user may not write)."""

    class Loaded(Message):
        """A load worker finished (posted from the worker thread)."""

        def __init__(self, request: object, data: object) -> None:
            super().__init__()
            self.request = request
            self.data = data

    class Saved(Message):
        """A save worker finished without error; ``result`` is what the action returned."""

        def __init__(self, confirmation: str | None, result: object) -> None:
            super().__init__()
            self.confirmation = confirmation
            self.result = result

    class FirstLoadShown(Message):
        """A main screen showed its first load (posted once; the app freezes what it
        built, ``itpm_tui.heap``, and warms up after the first screen's)."""

    _missed_change = False
    _styled_for: object = None
    """The app's style state when the screen was last hidden (see ``on_screen_resume``)."""
    _request: object = None
    """The newest load request: an older load finishing later is not shown."""
    freeze_first_load = False
    """Set by the app on its main screens, built once and kept for its life: their first
    load, once shown, is frozen out of full collections (``FirstLoadShown``). Not on
    screens opened and closed again (a drill-down): frozen, one would never be freed."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def load_request(self) -> R:
        """Everything the next load depends on, read on the UI thread."""
        raise NotImplementedError

    def load(self, store: Store, request: R) -> T:
        """Read what the screen shows. Runs in a worker thread: no widget access here."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Display freshly loaded data (UI thread)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        """Fill the header, listen for changes, load.

        Textual calls the ``on_mount`` of every class in the MRO, this one after a
        subclass's: subclasses must not call it again (a second subscription doubled
        every reload).
        """
        services = self.services
        services.data_changed.subscribe(self, self._data_changed)
        services.live_changed.subscribe(self, self._live_changed)
        for header in self.query(AppHeader):
            header.screen_title = self.TITLE or ""
            header.database = services.settings.db_label
            header.user = services.user
            header.today = services.clock.today()
            header.live = services.live_state()
        self.reload()

    def on_unmount(self) -> None:
        """Leave the signals. A Textual signal holds its subscribers until it next publishes
        after they are gone: every closed drill-down stayed until the live state changed."""
        self.services.data_changed.unsubscribe(self)
        self.services.live_changed.unsubscribe(self)

    def _live_changed(self, state: str) -> None:
        for header in self.query(AppHeader):
            header.live = state

    def on_screen_suspend(self) -> None:
        self._styled_for = _app_style_state(self.app)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Show at once what the screen holds; catch up on changes made while it was hidden.

        Textual re-applies the whole stylesheet to a resumed screen (a third of a switch's
        CPU). Its widgets' own class changes were styled when they happened; what a hidden
        screen can miss is a change of the app's classes or pseudo-classes (focus, theme
        mode), and a stylesheet change, which ``switch_mode`` refreshes itself. When neither
        changed, the re-styling is skipped (Textual's own ``ScreenResume.refresh_styles``).
        """
        if self._styled_for == _app_style_state(self.app):
            event.refresh_styles = False
        if self._missed_change:
            self._missed_change = False
            self.reload()

    def _data_changed(self, _token: int) -> None:
        if self.is_current:
            self.reload()
        else:
            self._missed_change = True

    # --- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        """Start (or restart) the load worker with a fresh request."""
        request = self.load_request()
        self._request = request
        self._load_worker(request)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_worker(self, request: R) -> None:
        self.post_message(self.Loaded(request, self.load(self.services.store, request)))

    @on(Loaded)
    def _show_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.request is not self._request:
            return  # a newer load is on its way
        self._show_load_error("")
        self.show(cast(T, message.data))
        self._report_unreadable()
        if self.freeze_first_load:
            self.freeze_first_load = False
            self.post_message(self.FirstLoadShown())

    def _show_load_error(self, error: str) -> None:
        for view in self.query(RowView):
            view.load_error = error

    def _report_unreadable(self) -> None:
        """Say once which stored rows were skipped because they break the model's rules."""
        services = self.services
        for problem in services.store.unreadable:
            if problem not in services.shown_problems:
                services.shown_problems.add(problem)
                self.notify(f"{problem}. It is left out; `itpm-tui doctor` lists such rows.",
                            title="Skipped a damaged row", severity="warning", timeout=10,
                            markup=False)  # fmt: skip

    # --- saving ---------------------------------------------------------------------------

    def save(self, action: Callable[[Store], Any], confirmation: str | None = None) -> None:
        """Run a store write in a worker; success posts ``Saved``, failure the error path."""
        self._save_worker(action, confirmation)

    @work(thread=True, group="save", exit_on_error=False)
    def _save_worker(self, action: Callable[[Store], Any], confirmation: str | None) -> None:
        self.post_message(self.Saved(confirmation, action(self.services.store)))

    @on(Saved)
    def _confirm_saved(self, message: Saved) -> None:
        message.stop()
        self.saved(message.result)
        if message.confirmation:
            self.notify(message.confirmation, timeout=3, markup=False)
        self.services.check_for_changes()

    def saved(self, result: object) -> None:
        """A save of this screen finished (UI thread, before the reload it triggers)."""

    # --- the one error path ---------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of this screen that raised ends up here."""
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.worker_failed(worker, worker.error)

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        """Say what failed in one notice; a failed read says so in the lists too."""
        reading = worker.group in self.READ_GROUPS
        if isinstance(error, ItpmError):
            text = str(error)
        else:  # a bug must not crash a shared screen mid-meeting
            self.log.error(f"{worker.group} worker failed", error)
            text = f"{'Could not load data' if reading else 'Not saved'}: {error}"
        if isinstance(error, StaleWrite):
            title = "Changed by someone else"
        elif reading:
            title = "Could not load"
        else:
            title = "Not done"
        if worker.group == "load":
            self._show_load_error(f"Could not load: {text}")
        self.notify(text, title=title, severity="error", timeout=8, markup=False)
        if isinstance(error, StaleWrite):
            self.reload()
