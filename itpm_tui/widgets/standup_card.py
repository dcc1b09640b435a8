"""SpeakerCard: the current stand-up speaker and their yesterday / today / blockers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.numbers import hours_text
from itpm_tui.domain.standup import SpeakerDraft, SpeakerState
from itpm_tui.domain.workload import WeekLoad, week_cell
from itpm_tui.models import Status, Task

NOTE_MARK = "✉"
"""Marks what the speaker posted ahead (``standup note``)."""
TYPED_MARK = "!"
"""Marks a blocker typed during the meeting."""


@dataclass(frozen=True)
class SpeakerTurn:
    """Everything the card shows: who speaks, what the app drafted, where we are."""

    state: SpeakerState
    draft: SpeakerDraft | None
    index: int
    count: int
    today: date
    load: WeekLoad | None = None
    """The speaker's load this week across all projects."""


def _task_line(task: Task, today: date) -> Text:
    """``◐ #11 Title · due 24 Nov`` (``LATE 09 Nov`` when overdue)."""
    line = Text.assemble(f"  {task.status.symbol} ", (task.ref, "bold"), f" {task.title}")
    if task.due:
        if task.due < today and task.status is not Status.DONE:
            line.append(f" · LATE {short_date(task.due, today)}", "bold")
        else:
            line.append(f" · due {short_date(task.due, today)}", "dim")
    return line


def _blocked_line(task: Task) -> Text:
    line = Text.assemble(f"  {task.status.symbol} ", (task.ref, "bold"), f" {task.title}")
    if task.blocked_reason:
        line.append(f" · {task.blocked_reason}", "italic")
    return line


def turn_lines(turn: SpeakerTurn, width: int) -> list[Text]:
    """The card's body: three sections, posted note first, each line marked by its source.

    Today's task lines are cut to ``width`` with an ellipsis (one task, one line); what
    people wrote (notes, blockers) wraps so nothing they said is lost.
    """
    draft = turn.draft
    note = draft.note if draft else None
    lines: list[Text] = []

    def section(title: str, body: list[Text]) -> None:
        lines.append(Text(title, style="bold underline"))
        lines.extend(body or [Text("  nothing yet", style="dim italic")])

    if turn.state.absent:
        lines.append(Text("Marked absent (a marks them present again)", style="bold"))
    if turn.load is not None:
        load = turn.load
        work, capacity = (hours_text(h, unit=False) for h in (load.load, load.capacity))
        line = Text(f"Load {load.week[5:]}: {week_cell(load)} · {work} h of {capacity} h available",
                    style="bold" if load.over else "dim")  # fmt: skip
        line.truncate(max(width, 10), overflow="ellipsis")
        lines.append(line)
    yesterday = [Text(f"  {NOTE_MARK} {note.yesterday}")] if note and note.yesterday else []
    yesterday += [Text(f"  • {line}") for line in (draft.yesterday if draft else ())]
    section("Yesterday", yesterday)
    if draft and draft.in_meeting:
        section("In this meeting", [Text(f"  • {line}") for line in draft.in_meeting])
    today = [Text(f"  {NOTE_MARK} {note.today}")] if note and note.today else []
    if draft:
        for task in draft.doing + draft.next_up:
            line = _task_line(task, turn.today)
            line.truncate(max(width, 10), overflow="ellipsis")
            today.append(line)
    section("Today", today)
    blockers = [Text(f"  {NOTE_MARK} {note.blockers}")] if note and note.blockers else []
    blockers += [_blocked_line(t) for t in (draft.blocked if draft else ())]
    blockers += [Text(f"  {TYPED_MARK} {b}", style="bold") for b in turn.state.blockers]
    section("Blockers", blockers)
    return lines


class SpeakerWork(Widget):
    """The body of the card, drawn at the width it has."""

    turn: reactive[SpeakerTurn | None] = reactive(None, layout=True)
    """What to show."""

    def render(self) -> Text:
        """Sections of lines; task lines fit the width."""
        if self.turn is None:
            return Text("")
        return Text("\n").join(turn_lines(self.turn, self.content_size.width))


class SpeakerCard(Widget):
    """The speaker's name and their work; the screen assigns ``turn``."""

    DEFAULT_CSS = """
    SpeakerCard { height: auto; padding: 0 1; }
    SpeakerCard > #speaker-name {
        background: $boost;
        text-style: bold;
        padding: 0 1;
    }
    SpeakerCard.-absent > #speaker-name { color: $text-muted; text-style: bold strike; }
    SpeakerCard > #speaker-work { height: auto; padding: 0 0 1 0; }
    """

    turn: reactive[SpeakerTurn | None] = reactive(None)
    """Who has the floor and what to show for them."""

    def compose(self) -> ComposeResult:
        """A name line and the work below it."""
        yield Static("", id="speaker-name", markup=False)
        yield SpeakerWork(id="speaker-work")

    def on_mount(self) -> None:
        """Show a turn assigned before the card was mounted."""
        self.watch_turn(self.turn)

    def watch_turn(self, turn: SpeakerTurn | None) -> None:
        """Show the new speaker (or their refreshed work)."""
        if turn is None or not self.is_mounted:
            return
        self.set_class(turn.state.absent, "-absent")
        note = turn.draft.note if turn.draft else None
        name = Text.assemble(
            (turn.state.name, "bold"),
            (f" ({turn.state.login})" if turn.state.name != turn.state.login else ""),
            f"  ·  {turn.index + 1} of {turn.count}",
            ("  ·  absent" if turn.state.absent else ""),
            (f"  ·  {NOTE_MARK} posted an update" if note else ""),
        )
        self.query_one("#speaker-name", Static).update(name)
        self.query_one(SpeakerWork).turn = turn
