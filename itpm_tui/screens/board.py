"""BoardScreen: the stand-up board, walked right to left; cards move between status columns."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Static

from itpm_tui.domain.board import (
    CARD_FLAGS,
    COLUMNS,
    CardFilter,
    TaskCard,
    board_columns,
    place_card,
)
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.wording import plural
from itpm_tui.domain.workflow import step_status, toggle_blocked
from itpm_tui.models import Status, Task
from itpm_tui.reports import BoardData, board_view
from itpm_tui.screens.base import AsOf
from itpm_tui.screens.line_input import why_blocked
from itpm_tui.screens.picker import Picked, PickerModal
from itpm_tui.screens.services import Services
from itpm_tui.screens.task_actions import TaskEdit, TaskScreen, blocked_change
from itpm_tui.screens.task_form import FormChoices
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.board_column import BoardColumn
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.health_badge import flag_label
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.task_card import FLAG_LEGEND

OVERLOAD_MARK = "⚠"
"""Marks the owner's over-allocation in the card's details (never colour alone)."""
MOVE = Binding.Group("Move")
"""Key bar group: ``< > Move``."""


def board_empty_text(has_projects: bool) -> str:
    """What the board says when it has no card at all: which keys fill it (two lines of at
    most 78 characters: the detail area does not wrap)."""
    if not has_projects:
        return ("No projects yet, so no team board: 4 then a adds a project\n"
                "(or `itpm-tui project add KEY NAME`), then 2 then a adds its tasks.")  # fmt: skip
    return ("No project tasks yet: 2 then a adds one (or `itpm-tui add TITLE -p KEY`);\n"
            "personal to-dos stay on Today.")  # fmt: skip


class BoardScreen(TaskScreen[AsOf, BoardData]):
    """Kanban columns by status, filtered by person or project; keys move cards."""

    TITLE = "Stand-up board"
    CSS_PATH = "board.tcss"
    WRITE_ACTIONS = TaskScreen.WRITE_ACTIONS | {"move"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "walk", "Walk ←", id="board.walk"),
        Binding("shift+left,H,less_than_sign", "move(-1)", "Move card left", key_display="<",
                group=MOVE, id="board.move-left"),
        Binding("shift+right,L,greater_than_sign", "move(1)", "Move card right",
                key_display=">", group=MOVE, id="board.move-right"),
        Binding("b", "toggle_blocked", "Block / unblock", show=False, id="board.block"),
        Binding("u", "undo", "Undo my last change", show=False, id="board.undo"),
        Binding("W", "who_can_take", "Who can take this? (free hours before it is due)",
                show=False, id="board.who-can-take"),
        Binding("p", "pick_who", "Who", id="board.next-person"),
        Binding("P", "pick_project", "Project", id="board.next-project"),
        Binding("enter,e", "edit", "Edit", key_display="e", id="board.edit"),
        Binding("left,h", "activate_column(-1)", "Column left", show=False,
                id="board.column-left"),
        Binding("right,l", "activate_column(1)", "Column right", show=False,
                id="board.column-right"),
        Binding("up,k", "cursor(-1)", "Card up", show=False, id="board.card-up"),
        Binding("down,j", "cursor(1)", "Card down", show=False, id="board.card-down"),
        Binding("home,g", "cursor_to_end(0)", "First card", show=False, id="board.card-first"),
        Binding("end,G", "cursor_to_end(1)", "Last card", show=False, id="board.card-last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page-down"),
        Binding("c", "clear_filters", "Clear filters", show=False, id="board.clear-filters"),
        Binding("f", "pick_filter", "Filter by person, team or project…", show=False,
                id="board.pick-filter"),
    ]  # fmt: skip

    # vars, not reactives: setting a reactive of a screen repaints the whole screen (16.8 KB
    # at 80x24 for each card moved); the watchers update just the widgets that change.
    active: var[Status] = var(Status.TODO, init=False)
    """The column the keys act on: To do on opening, like any board read left to right
    (``w`` then starts the stand-up walk at Done)."""
    board: var[BoardData | None] = var(None, init=False)
    """The last loaded board (with local moves applied until the reload confirms them)."""
    shown: var[CardFilter] = var(CardFilter(), init=False)
    """Whose and which project's cards the columns show (the default: everyone's, all)."""

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self._filter_bar: Text | None = None
        """What the filter bar shows (updated only when it changes: see _show_filter)."""

    def compose(self) -> ComposeResult:
        """Header, filter bar, five columns, the highlighted card's details, footer."""
        yield AppHeader()
        with Horizontal(id="board-bar"):
            yield Static(id="board-filter", markup=False)
            yield Static(Text(FLAG_LEGEND, no_wrap=True), id="board-legend", markup=False)
        with Horizontal(id="board-columns"):
            for status in COLUMNS:
                yield BoardColumn(status, id=f"column-{status.value}")
        yield DetailLines(id="board-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Start at To do, the first column."""
        self._show_filter()
        self.column(self.active).active = True

    # --- data -----------------------------------------------------------------------------

    def load_request(self) -> AsOf:
        """The board is as of today (done since the previous working day)."""
        return AsOf(self.services.clock.today())

    def load(self, store: Store, request: AsOf) -> BoardData:
        """The board's cards and the tasks behind them (worker thread)."""
        return board_view(store, request.today)

    def show(self, data: BoardData) -> None:
        """Take the fresh board; columns repaint only the cards that changed."""
        self.choices = FormChoices(data.projects, data.people, data.milestones, data.me)
        self.board = data

    def current_task(self) -> Task | None:
        """The task of the highlighted card in the active column (for edit and moves)."""
        card = self.active_column.card
        return self.board.task(card.task_id) if card and self.board else None

    def watch_board(self) -> None:
        """A new load: redistribute the cards (a move places its card itself)."""
        self._redraw()

    def watch_shown(self) -> None:
        """The filter changed: redistribute the cards."""
        self._redraw()

    def column(self, status: Status) -> BoardColumn:
        """The column of a status."""
        return self.query_one(f"#column-{status.value}", BoardColumn)

    def _redraw(self) -> None:
        """Say the filter in the bar and give each column its cards."""
        self._show_filter()
        if self.board is None:
            return
        for status, cards in board_columns(self.board.cards, self.shown).items():
            self.column(status).cards = cards
        self._show_detail()

    def _show_filter(self) -> None:
        person, project, team = self.shown.person, self.shown.project, self.shown.team
        who = f"person: {person}" if person else (f"team: {team}" if team else "everyone")
        what = f"project: {project}" if project else "all projects"
        since = f" · done since {self.board.done_since:%a}" if self.board else ""
        bar = Text(f"{who} · {what}", style="bold", no_wrap=True, overflow="ellipsis")
        bar.append(since, style="dim")
        if bar != self._filter_bar:  # its width decides the legend's: a layout pass
            self._filter_bar = bar
            self.query_one("#board-filter", Static).update(bar)

    def watch_active(self, old: Status, new: Status) -> None:
        """Mark the active column (two columns restyle; nothing else repaints)."""
        self.column(old).active = False
        self.column(new).active = True
        self._show_detail()

    @property
    def cursor_screen_y(self) -> int | None:
        """The screen line of the highlighted card: notices keep away from it."""
        return self.active_column.cursor_screen_y

    @property
    def active_column(self) -> BoardColumn:
        """The column the keys act on."""
        return self.column(self.active)

    @on(BoardColumn.CardHighlighted)
    def _show_highlighted(self, message: BoardColumn.CardHighlighted) -> None:
        if message.column.status is self.active:
            self._show_detail()

    @on(BoardColumn.Clicked)
    def _activate_clicked(self, message: BoardColumn.Clicked) -> None:
        self.active = message.column.status

    def _show_detail(self) -> None:
        column = self.active_column
        card = column.card
        detail = self.query_one("#board-detail", DetailLines).update
        if card is None:
            if self.board is not None and not self.board.cards:
                detail(Text(board_empty_text(bool(self.board.projects)), style="dim"))
                return
            detail(Text(f"No cards in {column.status.label} for this filter.", style="dim"))
            return
        text = Text()
        text.append(card.ref + " ", style="bold")
        text.append(card.title)
        text.append("\n")
        # What needs attention first, so a narrow screen cuts off the who and when instead.
        if card.blocked_days is not None:
            days = plural(card.blocked_days, "working day") if card.blocked_days else "since today"
            reason = f": {card.blocked_reason}" if card.blocked_reason else ""
            text.append(f"⊘ blocked {days}{reason} · ")
        for kind in card.flags:
            if kind in CARD_FLAGS:
                text.append(f"{flag_label(kind)} · ")
        task = self.board.task(card.task_id) if self.board else None
        overload = self.board.load_reason(task) if self.board and task else None
        if overload:
            text.append(f"{OVERLOAD_MARK} {overload} · ")
        facts = [card.project or "personal", f"P{card.priority}", card.owner or "nobody"]
        if card.due:
            facts.append(f"due {short_date(card.due, self.services.clock.today(), long=True)}")
        text.append(" · ".join(facts), style="dim")
        detail(text)

    # --- actions --------------------------------------------------------------------------

    def action_activate_column(self, step: int) -> None:
        """Make the column to the left (-1) or right (+1) the active one."""
        index = COLUMNS.index(self.active) + step
        self.active = COLUMNS[max(0, min(len(COLUMNS) - 1, index))]

    def action_walk(self) -> None:
        """Stand-up order: the next column to the left, from To do back round to Done."""
        self.active = COLUMNS[(COLUMNS.index(self.active) - 1) % len(COLUMNS)]

    def action_cursor(self, step: int) -> None:
        """Highlight the card above (-1) or below (+1) in the active column."""
        self.active_column.move_cursor(step)

    def action_cursor_to_end(self, last: int) -> None:
        """Highlight the first (0) or last (1) card of the active column."""
        column = self.active_column
        column.cursor = len(column.cards) - 1 if last else 0

    def action_page(self, direction: int) -> None:
        """Move the highlight a screenful up (-1) or down (+1)."""
        self.active_column.move_page(direction)

    def action_move(self, step: int) -> None:
        """Move the highlighted card one step along To do, Doing, Review, Done and save it.

        The card moves at once; saves run one after another in the order of the key
        presses, each expecting the version the previous one left, so pressing ``>`` twice
        quickly moves a card two columns instead of colliding with itself. A step never
        lands in Blocked (Doing ``>`` is Review): ``b`` blocks.
        """
        card = self.active_column.card
        task = self.current_task()
        if card is None or task is None or self.board is None:
            self.notify("No card to move here.", severity="warning", timeout=3)
            return
        target = step_status(card.status, step)
        if target is None:
            edge = "left" if step < 0 else "right"
            self.notify(f"{card.ref} is already in the {edge}-most column.", timeout=3)
            return
        self._queue_move(card, task, target)

    def action_toggle_blocked(self) -> None:
        """Block the highlighted card, asking why first; a blocked card goes back to Doing."""
        card = self.active_column.card
        task = self.current_task()
        if card is None or task is None or self.board is None:
            self.notify("No card here.", severity="warning", timeout=3)
            return
        target = toggle_blocked(card.status)
        if target is not Status.BLOCKED:
            self._queue_move(card, task, target)
            return

        def answered(reason: str | None) -> None:
            if reason is not None:  # Escape: the card stays put
                self._queue_move(card, task, target, reason)

        self.app.push_screen(why_blocked(card.ref), answered)

    def _queue_move(self, card: TaskCard, task: Task, target: Status, reason: str = "") -> None:
        """Show the card in its new column at once and queue the save of its new status.

        Saves of one card run in key-press order, each expecting the version the previous
        one left, so pressing ``>`` twice quickly moves it two columns.
        """
        if self.board is None:
            return

        def moved(shown: TaskCard) -> TaskCard:
            shown = shown.with_status(target)
            return replace(shown, blocked_reason=reason) if reason else shown

        # The card as shown now: a reload may have landed since the key (while the "why
        # blocked?" question was open, say) and put it in another column.
        card = next((c for c in self.board.cards if c.task_id == card.task_id), card)
        shown = moved(card)
        cards = tuple(shown if c.task_id == card.task_id else c for c in self.board.cards)
        # Only two columns change: the card leaves one and takes its place in the other,
        # without re-sorting the whole board (its watcher's redraw: 45 ms at 100k tasks).
        self.set_reactive(BoardScreen.board, replace(self.board, cards=cards))
        source = self.column(card.status)
        source.cards = tuple(c for c in source.cards if c.task_id != card.task_id)
        if self.shown.shows(shown):
            column = self.column(target)
            column.cards = place_card(column.cards, shown)
            column.select_task(card.task_id)
            self.active = target
        self._show_detail()
        changes = blocked_change(reason) if target is Status.BLOCKED else {"status": target}
        said = f"{card.ref} moved to {target.label}"
        self.submit(TaskEdit(task.id, task.title, changes, said, task.version))

    def _who_choices(self, project: str | None) -> list[tuple[str, CardFilter]]:
        """Everyone, each team, each person with cards; ``project`` stays as it is."""
        if self.board is None:
            return []
        teams: dict[str, set[str]] = {}
        for person in self.board.people:
            if person.team:
                teams.setdefault(person.team, set()).add(person.login)
        names = {p.login: p.name for p in self.board.people}
        choices = [("Everyone", CardFilter(project=project))]
        choices += [(f"Team     {team}  ({plural(len(members), 'person', 'people')})",
                     CardFilter(team=team, members=frozenset(members), project=project))
                    for team, members in sorted(teams.items())]  # fmt: skip
        wide = max((len(login) for login in self.board.owners), default=0)
        choices += [(f"Person   {login:<{wide}}  {names.get(login, '')}".rstrip(),
                     CardFilter(person=login, project=project))
                    for login in self.board.owners]  # fmt: skip
        return choices

    def _project_choices(self, who: CardFilter) -> list[tuple[str, CardFilter]]:
        """All projects, then each project by key; whose cards (``who``) stays as it is."""
        projects = sorted(self.board.projects, key=lambda p: p.key) if self.board else []
        return [("All projects", replace(who, project=None))] + [
            (f"Project  {p.key}  {p.name}", replace(who, project=p.key)) for p in projects
        ]

    def _pick(self, title: str, choices: list[tuple[str, CardFilter]]) -> None:
        """Offer ``choices`` starting on the filter in force; Escape keeps it."""
        if not choices:
            return
        current = next((i for i, (_, f) in enumerate(choices) if f == self.shown), 0)

        def picked(choice: Picked[CardFilter] | None) -> None:
            if choice is not None:
                self.shown = choice.value

        self.app.push_screen(PickerModal(title, choices, current), picked)

    def action_pick_who(self) -> None:
        """Pick whose cards to show (everyone, a team, a person); the project filter stays."""
        self._pick("Show the cards of …", self._who_choices(self.shown.project))

    def action_pick_project(self) -> None:
        """Pick which project's cards to show (or all); whose cards stays as it is."""
        self._pick("Show the cards of project …", self._project_choices(self.shown))

    def action_pick_filter(self) -> None:
        """Pick a person, team or project from one list (instead of the other filters)."""
        who = self._who_choices(None)
        self._pick("Show the cards of …",
                   [("Everyone, all projects", CardFilter()), *who[1:],
                    *self._project_choices(CardFilter())[1:]])  # fmt: skip

    def action_clear_filters(self) -> None:
        """Show every card again."""
        self.shown = CardFilter()
