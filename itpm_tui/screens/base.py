"""ItpmScreen: the data flow every main screen shares (load in a worker, save in a worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual import on, work
from textual.message import Message
from textual.screen import Screen

from itpm_tui.errors import ItpmError, StaleWrite

if TYPE_CHECKING:
    from itpm_tui.app import ItpmApp
    from itpm_tui.store import Store

T = TypeVar("T")


class ItpmScreen(Screen[None], Generic[T]):
    """A main screen whose data comes from the store.

    Subclasses implement :meth:`load` (runs in a thread, returns immutable data) and
    :meth:`show` (runs on the UI thread, assigns reactives). The screen reloads when
    it is mounted, when the app reports a change, and when it becomes visible again
    after a change it missed while hidden.
    """

    class Loaded(Message):
        """A load worker finished (posted from the worker thread)."""

        def __init__(self, data: object) -> None:
            super().__init__()
            self.data = data

    class Saved(Message):
        """A save worker finished without error."""

        def __init__(self, confirmation: str | None) -> None:
            super().__init__()
            self.confirmation = confirmation

    class Failed(Message):
        """A load or save failed; ``error`` is the sentence to show."""

        def __init__(
            self, error: str, conflict: StaleWrite | None = None, *, loading: bool = False
        ) -> None:
            super().__init__()
            self.error = error
            self.conflict = conflict
            self.loading = loading
            """True when reading failed: the lists say so instead of looking empty."""

    _missed_change = False

    @property
    def itpm(self) -> ItpmApp:
        """The app, typed."""
        from itpm_tui.app import ItpmApp

        assert isinstance(self.app, ItpmApp)
        return self.app

    def load(self, store: Store) -> T:
        """Read what the screen shows. Runs in a worker thread: no widget access here."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Display freshly loaded data (UI thread)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        """Load data and listen for changes.

        Textual calls the ``on_mount`` of every class in the MRO, this one after a
        subclass's: subclasses must not call it again (a second subscription doubled
        every reload).
        """
        self.itpm.data_changed.subscribe(self, self._data_changed)
        self._fill_header()
        self.reload()

    def _fill_header(self) -> None:
        from itpm_tui.widgets.app_header import AppHeader

        app = self.itpm
        for header in self.query(AppHeader):
            # A pushed screen (stand-up history) named itself in its own on_mount, first.
            header.screen_title = header.screen_title or app.SCREEN_TITLES.get(
                app.current_mode, self.title or ""
            )
            header.database = app.settings.db_label
            header.user = app.store.user
            header.today = app.clock.today()
            header.live = app.live_state

    def on_screen_resume(self) -> None:
        """Catch up on changes made while the screen was hidden."""
        if self._missed_change:
            self._missed_change = False
            self.reload()

    def _data_changed(self, _token: int) -> None:
        if self.is_current:
            self.reload()
        else:
            self._missed_change = True

    def reload(self) -> None:
        """Start (or restart) the load worker."""
        self._load_worker()

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self) -> None:
        try:
            data = self.load(self.itpm.store)
        except ItpmError as err:
            self.post_message(self.Failed(str(err), loading=True))
        except Exception as err:  # a bug must not crash a shared screen mid-meeting
            self.log.error("load failed", err)
            self.post_message(self.Failed(f"Could not load data: {err}", loading=True))
        else:
            self.post_message(self.Loaded(data))

    def save(self, action: Callable[[Store], Any], confirmation: str | None = None) -> None:
        """Run a store write in a worker; report success, conflict or error as a notice."""
        self._save_worker(action, confirmation)

    @work(thread=True, group="save")
    def _save_worker(self, action: Callable[[Store], Any], confirmation: str | None) -> None:
        try:
            action(self.itpm.store)
        except StaleWrite as err:
            self.post_message(self.Failed(str(err), conflict=err))
        except ItpmError as err:
            self.post_message(self.Failed(str(err)))
        except Exception as err:
            self.log.error("save failed", err)
            self.post_message(self.Failed(f"Not saved: {err}"))
        else:
            self.post_message(self.Saved(confirmation))

    @on(Loaded)
    def _show_loaded(self, message: Loaded) -> None:
        message.stop()
        self._show_load_error("")
        self.show(cast(T, message.data))
        self._report_unreadable()

    def _show_load_error(self, error: str) -> None:
        from itpm_tui.widgets.row_view import RowView

        for view in self.query(RowView):
            view.load_error = error

    def _report_unreadable(self) -> None:
        """Say once which stored rows were skipped because they break the model's rules."""
        app = self.itpm
        for problem in app.store.unreadable:
            if problem not in app.unreadable_shown:
                app.unreadable_shown.add(problem)
                self.notify(f"{problem}. It is left out; `itpm-tui doctor` lists such rows.",
                            title="Skipped a damaged row", severity="warning", timeout=10,
                            markup=False)  # fmt: skip

    @on(Saved)
    def _confirm_saved(self, message: Saved) -> None:
        message.stop()
        if message.confirmation:
            self.notify(message.confirmation, timeout=3, markup=False)
        self.itpm.check_for_changes()

    @on(Failed)
    def _report_failure(self, message: Failed) -> None:
        message.stop()
        title = "Changed by someone else" if message.conflict else "Not done"
        if message.loading:
            title = "Could not load"
            self._show_load_error(f"Could not load: {message.error}")
        self.notify(message.error, title=title, severity="error", timeout=8, markup=False)
        if message.conflict:
            self.reload()
