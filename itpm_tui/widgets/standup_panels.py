"""Small stand-up panels: the roster, the parking lot, the board walk, the lobby, the wrap-up.

Each renders text from immutable values the stand-up screen assigns; none reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from itpm_tui.domain.standup import (
    ExportContext,
    Meeting,
    ParkedTopic,
    StandupRecord,
    clock_text,
)
from itpm_tui.models import StandupEntry, Status

_COLUMN_TITLES = {Status.DONE: "Done since last stand-up"}


def _title(status: Status) -> str:
    return _COLUMN_TITLES.get(status, status.label)


class StandupRoster(Widget):
    """Who speaks, in order: ✓ spoke (with their time), ▶ speaking, ✗ absent, · waiting."""

    DEFAULT_CSS = """
    StandupRoster { height: auto; padding: 0 1; }
    """

    meeting: reactive[Meeting | None] = reactive(None, layout=True)
    """The running meeting (times shown are those banked, so the roster never ticks)."""
    noted: reactive[frozenset[str]] = reactive(frozenset())
    """Logins that posted an update ahead."""

    def render(self) -> Text:
        """One line per speaker."""
        meeting = self.meeting
        if meeting is None:
            return Text("")
        lines = [Text("Speakers", style="bold underline")]
        for index, speaker in enumerate(meeting.speakers):
            seconds = speaker.banked
            over = seconds > meeting.timebox_seconds
            if speaker.absent:
                mark, time, style = "✗", "absent", "dim"
            elif index == meeting.current:
                paused = meeting.walk is not None
                mark, time, style = "▶", "paused" if paused else "speaking", "bold reverse"
            elif seconds > 0:
                mark, time, style = "✓", clock_text(seconds) + (" over" if over else ""), ""
            else:
                mark, time, style = "·", "", ""
            note = " ✉" if speaker.login in self.noted else ""
            lines.append(Text.assemble(f"{mark} ", (speaker.name, style), note, f" {time}"))
        return Text("\n").join(lines)


class ParkingLot(Widget):
    """Topics parked during the meeting, with who wants to discuss them."""

    DEFAULT_CSS = """
    ParkingLot { height: auto; padding: 1 1 0 1; }
    """

    topics: reactive[tuple[ParkedTopic, ...]] = reactive((), layout=True)
    """Parked so far, oldest first."""

    def render(self) -> Text:
        """A heading and one line per topic."""
        lines = [Text(f"Parking lot ({len(self.topics)})", style="bold underline")]
        for topic in self.topics:
            lines.append(Text(f"• {topic.topic}"))
            lines.append(Text(f"  for {', '.join(topic.wanted_by) or topic.raised_by}", "dim"))
        if not self.topics:
            lines.append(Text("empty (t parks a topic)", style="dim"))
        return Text("\n").join(lines)


class WalkStrip(Widget):
    """Above the board during a walk: every column right to left, the walked one marked."""

    DEFAULT_CSS = """
    WalkStrip { height: auto; padding: 0 1; background: $boost; }
    """

    counts: reactive[tuple[tuple[Status, int], ...]] = reactive((), layout=True)
    """Columns right to left (done, review, blocked, doing, to do) with their card counts."""
    current: reactive[Status | None] = reactive(None)
    """The column being walked."""

    def render(self) -> Text:
        """``▶ ● Done since last stand-up 4 · ◑ Review 2 · ...`` and the keys."""
        strip = Text("Walking the board: ", style="bold")
        for index, (status, count) in enumerate(self.counts):
            if index:
                strip.append(" · ", "dim")
            label = f"{status.symbol} {_title(status)} {count}"
            if status is self.current:
                strip.append(f"▶ {label}", "bold reverse")
            else:
                strip.append(label)
        strip.append("   n/p column · w back to speakers", "dim")
        return strip


class StandupLobby(Widget):
    """Shown when no stand-up is running: how to start, updates posted today, the last meeting."""

    DEFAULT_CSS = """
    StandupLobby { height: auto; padding: 1 2; }
    """

    notes: reactive[tuple[StandupEntry, ...]] = reactive((), layout=True)
    """Updates posted ahead for today's stand-up."""
    last: reactive[StandupRecord | None] = reactive(None, layout=True)
    """The most recent saved stand-up."""
    names: reactive[ExportContext] = reactive(ExportContext)
    """Display names for logins and projects."""

    def render(self) -> Text:
        """A few lines of orientation."""
        lines = [
            Text("No stand-up is running.", style="bold"),
            Text("s  start one for a team or a project"),
            Text("H  browse past stand-ups"),
            Text(""),
            Text(f"Updates posted for today ({len(self.notes)})", style="bold underline"),
        ]
        for note in self.notes:
            lines.append(Text(f"✉ {self.names.who(note.person)}"))
        if not self.notes:
            lines.append(Text("none yet: `itpm-tui standup note --yesterday ... --today ...`",
                              style="dim"))  # fmt: skip
        if self.last is not None:
            s = self.last.session
            scope = self.names.scope_label(s)
            lines += [
                Text(""),
                Text("Last stand-up", style="bold underline"),
                Text(f"{s.held_on:%a %d %b} {scope}: {self.last.present} of "
                     f"{len(self.last.entries)} present, {clock_text(self.last.seconds_spoken)} "
                     f"spoken, {len(self.last.parking)} parked"),
            ]  # fmt: skip
        return Text("\n").join(lines)


class WrapUp(Widget):
    """After the last speaker: attendance, time, the parking lot, and how to finish."""

    DEFAULT_CSS = """
    WrapUp { height: auto; padding: 0 1; }
    """

    meeting: reactive[Meeting | None] = reactive(None, layout=True)
    """The meeting being wrapped up."""

    def render(self) -> Text:
        """A summary to read out before ending."""
        meeting = self.meeting
        if meeting is None:
            return Text("")
        present = [s for s in meeting.speakers if not s.absent]
        absent = [s.name for s in meeting.speakers if s.absent]
        spoken = sum(s.banked for s in meeting.speakers)
        over = [s.name for s in meeting.speakers if s.banked > meeting.timebox_seconds]
        lines = [
            Text("Everyone has spoken", style="bold underline"),
            Text(f"{len(present)} of {len(meeting.speakers)} present"
                 + (f" (absent: {', '.join(absent)})" if absent else "")),
            Text(f"{clock_text(spoken)} spoken"
                 + (f"; over their timebox: {', '.join(over)}" if over else "")),
            Text(""),
            Text(f"Parking lot ({len(meeting.parking)})", style="bold underline"),
        ]  # fmt: skip
        lines += _topic_lines(meeting.parking)
        lines += [Text(""), Text("e ends and saves the stand-up; p goes back", style="bold")]
        return Text("\n").join(lines)


def _topic_lines(topics: Sequence[ParkedTopic]) -> list[Text]:
    if not topics:
        return [Text("nothing parked", style="dim")]
    return [Text(f"• {t.topic}  (for {', '.join(t.wanted_by) or t.raised_by})") for t in topics]
