"""StandupTimer: a speaker's or the meeting's time against its limit, in colour and in words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from itpm_tui.domain.standup import TimerLevel, TimerReading, clock_text


class StandupTimer(Widget):
    """Shows one timer; the screen assigns ``reading`` about once a second.

    Compact (one line) by default; ``big`` adds large digits for a projector. Near the
    limit it turns the warning colour, past it the error colour, and the words always say
    the same ("30 s left", "OVER by 0:45") for 16-colour and NO_COLOR terminals.
    """

    DEFAULT_CSS = """
    StandupTimer {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    StandupTimer > Digits { display: none; width: auto; }
    StandupTimer.-big > Digits { display: block; }
    StandupTimer > Static { width: 1fr; }
    StandupTimer.-near { color: $warning; text-style: bold; }
    StandupTimer.-over { background: $error; color: $text; text-style: bold; }
    """

    label: reactive[str] = reactive("")
    """What is timed: ``Speaker`` or ``Meeting``."""
    reading: reactive[TimerReading | None] = reactive(None)
    """The timer now; ``None`` when nobody is being timed."""
    big: reactive[bool] = reactive(False)
    """Large digits (presentation mode)."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StandupTimer.label, label)

    def compose(self) -> ComposeResult:
        """Large digits (hidden unless ``big``) and a line of words."""
        yield Digits("")
        yield Static("", markup=False)

    def on_mount(self) -> None:
        """Draw the initial state."""
        self._draw()

    def watch_reading(self) -> None:
        """Redraw with the new time (only this widget repaints)."""
        self._draw()

    def watch_big(self, big: bool) -> None:
        """Switch between one line and large digits."""
        self.set_class(big, "-big")
        self._draw()

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        reading = self.reading
        level = reading.level if reading else TimerLevel.OK
        self.set_class(level is TimerLevel.NEAR, "-near")
        self.set_class(level is TimerLevel.OVER, "-over")
        self.query_one(Digits).update(clock_text(reading.elapsed) if reading else "")
        self.query_one(Static).update(self.describe())

    def describe(self) -> Text:
        """``Speaker 1:12 / 2:00 · 48 s left`` (``Speaker · timebox 2:00 ...`` under digits)."""
        reading = self.reading
        if reading is None:
            return Text(self.label, style="bold")
        shown = f"· timebox {clock_text(reading.limit)}" if self.big else reading.display
        return Text.assemble((self.label, "bold"), f" {shown} · ", (reading.words, "bold"))
