"""ItpmApp: modes, global bindings, commands, live refresh and theme. No SQL, no domain maths."""

from __future__ import annotations

import contextlib
import select
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import cache, partial
from importlib import import_module
from typing import ClassVar, cast

from textual import events, on, work
from textual.actions import ActionParseResult
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.drivers.linux_driver import LinuxDriver
from textual.filter import LineFilter, Monochrome, NoColor
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.widget import AwaitMount, Widget

from itpm_tui.clock import Clock
from itpm_tui.commands import ItpmCommands
from itpm_tui.config import Settings
from itpm_tui.errors import ItpmError
from itpm_tui.heap import freeze_survivors
from itpm_tui.messages import JumpToTask
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.screens.help import HelpModal, HelpRow
from itpm_tui.screens.services import Services
from itpm_tui.store import Store
from itpm_tui.widgets.row_view import CursorRow
from itpm_tui.widgets.safe_text import JoinRunsFilter, SafeTextFilter

SAFE_TEXT = SafeTextFilter()
"""One instance, so Textual's per-strip filter cache keeps working."""
JOIN_RUNS = JoinRunsFilter()
REPLAY_PATIENCE = 16
"""Refreshes left of 20 when a key joined to Escape is sent even if focus stayed put."""
POLL_SECONDS = 0.5
"""How often to ask the database whether anyone changed anything (~7 µs a poll)."""
FEW_COLOURS_THEME = "ansi-dark"
"""For 16 colours and NO_COLOR: the terminal's own palette, so warning, error and the cursor
stay distinct (textual-dark maps warning and error to one bright red in 16 colours)."""


def build_screen(path: str, services: Services) -> Screen[None]:
    """The main screen class at ``module:Name``, imported on first use and built with
    services; it lives as long as the app, so its first load is frozen (``ItpmScreen``)."""
    module, _, name = path.partition(":")
    screen = getattr(import_module(module), name)(services)
    if isinstance(screen, ItpmScreen):
        screen.freeze_first_load = True
    return cast("Screen[None]", screen)


def pick_theme(configured: str, color_system: str | None, no_color: bool) -> str:
    """The theme to use: the configured one, else one that reads on this terminal."""
    if configured:
        return configured
    if no_color or color_system in (None, "standard", "windows"):
        return FEW_COLOURS_THEME
    return "textual-dark"


def terminal_gone(fd: int) -> bool:
    """True once the terminal behind ``fd`` has hung up (its window closed, ssh dropped).

    Without a SIGHUP (``nohup``, ``sudo -u``, ``runuser``) Textual's input thread reads EOF
    from the hung-up terminal in a loop at full speed and never ends the app.
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL)
               for _, mask in poller.poll(0))  # fmt: skip


class ItpmApp(App[None]):
    """The itpm-tui application: eight screens over one store, kept live."""

    TITLE = "itpm-tui"
    CSS_PATH = "app.tcss"
    SCREENS_BY_MODE: ClassVar[dict[str, str]] = {
        "today": "itpm_tui.screens.today:TodayScreen",
        "tasks": "itpm_tui.screens.tasks:TasksScreen",
        "board": "itpm_tui.screens.board:BoardScreen",
        "health": "itpm_tui.screens.health:HealthScreen",
        "standup": "itpm_tui.screens.standup:StandupScreen",
        "timeline": "itpm_tui.screens.timeline:TimelineScreen",
        "raid": "itpm_tui.screens.raid:RaidScreen",
        "workload": "itpm_tui.screens.workload:WorkloadScreen",
    }
    """The main screens (keys 1-8), each built with the services when first shown.

    Only Today's module is imported at start-up; the others are imported in a worker once
    the first screen is up (a quarter of the start-up went on importing screens not shown).
    """
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {ItpmCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('today')", "Today", id="app.today"),
        Binding("2", "switch_mode('tasks')", "Tasks", id="app.tasks"),
        Binding("3", "switch_mode('board')", "Board", id="app.board"),
        Binding("4", "switch_mode('health')", "Health", id="app.health"),
        Binding("5", "switch_mode('standup')", "Stand-up", id="app.standup"),
        Binding("6", "switch_mode('timeline')", "Timeline", id="app.timeline"),
        Binding("7", "switch_mode('raid')", "RAID", id="app.raid"),
        Binding("8", "switch_mode('workload')", "Workload", id="app.workload"),
        Binding("question_mark,f1", "help", "Keys", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding(
            "ctrl+g",
            "close_palette",
            "Close the palette",
            show=False,
            priority=True,
            id="app.close-palette",
        ),
    ]

    def __init__(self, *, settings: Settings, store: Store, clock: Clock) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.clock = clock
        self.services = Services(
            store=store,
            clock=clock,
            settings=settings,
            data_changed=Signal(self, "data-changed"),
            live_changed=Signal(self, "live-changed"),
            live_state=lambda: self.live_state,
            check_for_changes=lambda: self.check_for_changes(),
        )
        for mode, path in self.SCREENS_BY_MODE.items():
            self.add_mode(mode, partial(build_screen, path, self.services))
        self._token = -1
        self._live = "live"
        self._switching_to_visited = False
        self._warmed_up = False
        theme = pick_theme(settings.theme, self.console.color_system, self.no_color)
        if theme in self.available_themes:
            self.theme = theme
        if self.no_color and self.native_ansi_color:
            # Textual chose its NO_COLOR filter for the default theme (greyscale, where red
            # becomes the faintest grey); with the terminal's palette, drop colour entirely
            # and let bold and reverse carry importance.
            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]

    def on_mount(self) -> None:
        """Apply theme and key map, then start watching the database."""
        self.set_class(self.no_color, "-no-color")
        self._mark_ansi_theme(self.current_theme)
        self.theme_changed_signal.subscribe(self, self._mark_ansi_theme)
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))
        self._token = self.store.change_token()
        self.set_interval(self.store.db.poll_seconds, self.check_for_changes)
        if isinstance(self._driver, LinuxDriver):
            self.set_interval(POLL_SECONDS, self._exit_if_terminal_gone)

    @on(ItpmScreen.FirstLoadShown)
    def _first_load_shown(self) -> None:
        """Freeze what a main screen's first load built, once painted: it lives as long as
        the app, and full collections kept rescanning it (``itpm_tui.heap``). After the
        first screen's, warm up instead (which freezes too): started at the first refresh,
        the warm-up's imports competed with the first screen's load and paint, 80-170 ms
        of start-up at 10,000-100,000 tasks (pty harness)."""
        if self._warmed_up:
            self.call_after_refresh(freeze_survivors)
        else:
            self._warmed_up = True
            self.call_after_refresh(self._warm_up)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the screens not shown yet, so their first visit costs no import, and run
        the first write's checks, so the first save costs none either."""
        for path in self.SCREENS_BY_MODE.values():
            import_module(path.partition(":")[0])
        freeze_survivors()  # the modules stay for the app's life (see itpm_tui.heap)
        with contextlib.suppress(ItpmError):  # a damaged file: the first save says so
            self.store.db.prepare_writes()

    def _exit_if_terminal_gone(self) -> None:
        """Nobody can see or type into a hung-up terminal: end, closing the database."""
        if isinstance(self._driver, LinuxDriver) and terminal_gone(self._driver.fileno):
            self.exit()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notice, placed so it never covers the row just changed (the cursor's)."""
        if threading.current_thread() is threading.main_thread():
            self._place_toasts()
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _place_toasts(self) -> None:
        """Notices go to the top while the cursor is in the lower half, else to the bottom.

        The cursor is the focused list's, else the screen's own (the board's highlighted card:
        its columns never take focus).
        """
        focused = self.focused
        source = focused if isinstance(focused, CursorRow) else self.screen
        y = source.cursor_screen_y if isinstance(source, CursorRow) else None
        self.screen.set_class(y is not None and y >= self.size.height // 2, "-toasts-top")

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then the one that keeps stored text from driving the terminal,
        then the one that writes each run of one style once."""
        return [*super().get_line_filters(), SAFE_TEXT, JOIN_RUNS]

    def _mark_ansi_theme(self, theme: Theme) -> None:
        """``-ansi`` while the theme draws with the terminal's palette (CSS adapts the cursor)."""
        self.set_class(theme.ansi, "-ansi")

    @property
    def live_state(self) -> str:
        """``live``, ``read-only`` or ``offline``, for the header."""
        return "read-only" if self.store.db.readonly and self._live == "live" else self._live

    def check_for_changes(self) -> None:
        """Ask (in a worker) whether the database changed; publish if it did."""
        self._poll_worker()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _poll_worker(self) -> None:
        try:
            token = self.store.change_token()
            state = "live"
        except Exception as err:  # any failure to read, expected or not, means offline
            if not isinstance(err, ItpmError):
                self.log.error("poll failed", err)
            token, state = self._token, "offline"
        self.call_from_thread(self._after_poll, token, state)

    def _after_poll(self, token: int, state: str) -> None:
        if state != self._live:
            self._live = state
            self.services.live_changed.publish(self.live_state)
        if token != self._token:
            self._token = token
            self.services.data_changed.publish(token)

    async def on_jump_to_task(self, message: JumpToTask) -> None:
        """Show a task where I am if it is there (Today, Timeline), else in the Tasks table.

        Screens that list tasks have ``select_task(id) -> bool``; the Tasks table's clears its
        filters when they hide the task.
        """
        select = getattr(self.screen, "select_task", None)
        if self.current_mode != "tasks" and select is not None and select(message.task_id):
            return
        if self.current_mode != "tasks":
            await self.switch_mode("tasks")
        select = getattr(self.screen, "select_task", None)
        if select is not None:
            select(message.task_id)

    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual's, without its 50 ms hold on painting when the screen was visited before.

        Textual's ``switch_mode`` calls ``delay_update()``: nothing is painted for 50 ms, to
        hide a new screen being built. A visited screen is whole already, yet it waited too:
        measured through the pty harness at 10,000 tasks, a switch to one took 60 ms, of which
        13 ms CPU. A first visit keeps the hold.
        """
        # A private attribute of Textual's (pinned in pyproject): if it goes, the hold stays.
        self._switching_to_visited = mode in getattr(self, "_screen_stacks", ())
        try:
            return super().switch_mode(mode)
        finally:
            self._switching_to_visited = False

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual's hold on painting, except during a switch to a visited screen."""
        if not self._switching_to_visited:
            super().delay_update(delay)

    async def on_event(self, event: events.Event) -> None:
        """A key typed right after Escape can arrive joined to it as one alt+key or option
        character (tmux holds an Escape for its escape-time, 500 ms unless set, then sends
        both as one): no key here is bound with alt, so such a key is handled as the two keys
        it was (see ``key_after_escape``). Before, Escape then ``j`` in a form typed ``j``
        over the selected title, and Escape then ``2`` left the dialog open."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            after = key_after_escape(event, typing=self._typing_in_field)
            if after is not None:
                await super().on_event(events.Key("escape", "\x1b"))
                self.call_next(self._replay_key, after, self.screen, self.focused)
                return
        await super().on_event(event)

    def _typing_in_field(self) -> bool:
        from textual.widgets import Input, TextArea

        return isinstance(self.focused, Input | TextArea)

    def _replay_key(
        self, key: events.Key, screen: Screen[object], before: Widget | None, tries: int = 20
    ) -> None:
        """Send ``key`` once the Escape's effect has settled, else the key would be lost:
        the screen it closed is gone, and focus is on a shown widget, and has moved on from
        ``before`` (the widget the Escape went to: Today's quick-add bar hides itself and
        hands focus back to the list) or a few refreshes have passed (an Escape that hides
        nothing)."""
        settled = self.screen is not screen or not isinstance(screen, ModalScreen)
        focused = self.focused
        shown = focused is not None and all(
            node.display for node in focused.ancestors_with_self if isinstance(node, Widget)
        )
        moved_on = focused is not before or tries <= REPLAY_PATIENCE
        if tries and not (settled and shown and moved_on):
            self.call_after_refresh(self._replay_key, key, screen, before, tries - 1)
        else:
            self.post_message(key)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action; one that would change data is refused at once on a read-only store.

        Screens name such actions in ``WRITE_ACTIONS``: refusing the key itself (rather than
        the save after a form was filled in) says so before anyone types anything.
        """
        name = action if isinstance(action, str) else ""
        target = self if default_namespace is None else default_namespace
        if self.refuses_write(name, target):
            self.notify(f"Not changed: {self.store.db.readonly_reason}.", title="Read-only",
                        severity="warning", timeout=4, markup=False)  # fmt: skip
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def refuses_write(self, action: str, target: DOMNode) -> bool:
        """True if ``action`` on ``target`` would change data and the store is read-only:
        the key is refused with a notice, and the key bar does not offer it."""
        name = action.partition("(")[0]
        return (
            self.store.db.readonly
            and "." not in name
            and name in getattr(target, "WRITE_ACTIONS", ())
            and bool(target.check_action(name, ()))  # a key that does nothing here stays silent
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+g is the palette's second Escape (Escape lags over tmux), elsewhere free."""
        if action == "close_palette":
            return isinstance(self.screen, CommandPalette)
        return True

    async def action_close_palette(self) -> None:
        """Close the command palette at once, as Escape does."""
        if isinstance(self.screen, CommandPalette):
            await self.screen.run_action("escape")

    def action_help(self) -> None:
        """Show every key of the current screen: all keys of an action on one row (``↑ k``).

        On a read-only store a key the key bar leaves out (``refuses_write``) is listed as
        refused, so the help does not offer what pressing the key would refuse."""
        keys: dict[str, list[str]] = {}
        about: dict[str, tuple[str, str]] = {}
        refused: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            shown = keys.setdefault(binding.action, [])
            display = self.get_key_display(binding)
            if display not in shown:
                shown.append(display)
            description, binding_id = about.get(binding.action, (binding.description, ""))
            about[binding.action] = (description, binding_id or binding.id or "")
            if self.refuses_write(binding.action, active.node):
                refused.add(binding.action)
        rows = [
            HelpRow(" ".join(shown), *about[action], refused=action in refused)
            for action, shown in keys.items()
        ]
        self.push_screen(HelpModal(rows, self.screen.TITLE or ""))


def key_after_escape(
    event: events.Key, typing: Callable[[], bool] = lambda: False
) -> events.Key | None:
    """The key typed right after Escape, or ``None`` for any other key: ``alt+j`` is ``j``,
    ``alt+shift+j`` is ``J``. Textual maps Escape and a digit or a sign to the character a
    macOS option key types (``Escape 2`` is ``™``): outside a text field no key types such a
    character, so it is taken as the digit; in a text field (``typing``) it could have been
    typed on its own, and is kept as typed. ``typing`` is asked only for such a character."""
    character = event.character
    if not character:
        return None
    if event.key.startswith("alt+") and character.isalpha():
        return events.Key(character, character)
    digit = _option_characters().get(character)
    if digit is None or typing():
        return None
    from textual.keys import _character_to_key

    return events.Key(_character_to_key(digit), digit)


@cache
def _option_characters() -> dict[str, str]:
    """Each character Textual's parser makes of Escape and one key, to that key (``™``:
    ``2``); where two keys give one character (``§``), the digit."""
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS

    joined: dict[str, str] = {}
    for sequence, character in ANSI_SEQUENCES_KEYS.items():
        if len(sequence) != 2 or sequence[0] != "\x1b" or not isinstance(character, str):
            continue
        if character not in joined or sequence[1].isdigit():
            joined[character] = sequence[1]
    return joined
