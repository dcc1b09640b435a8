"""StandupMinutes: one saved stand-up, read back (attendance, times, notes, parking lot)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from itpm_tui.domain.standup import ExportContext, StandupRecord, clock_text, read_timer


def minutes_text(record: StandupRecord, ctx: ExportContext) -> Text:
    """The minutes as styled text (user text stays plain text, never markup)."""
    s = record.session
    scope = ctx.scope_label(s)
    start = f"{s.started_at:%H:%M}" if s.started_at else "?"
    end = f"{s.ended_at:%H:%M}" if s.ended_at else "?"
    lines = [
        Text(f"{scope}, {s.held_on:%a %d %b %Y}, {start}-{end}", style="bold"),
        Text(f"Facilitator {ctx.who(s.facilitator)} · order {s.order_mode} · {record.present} of "
             f"{len(record.entries)} present · {clock_text(record.seconds_spoken)} spoken",
             style="dim"),
    ]  # fmt: skip
    for entry in record.entries:
        lines.append(Text(""))
        if not entry.present:
            lines.append(Text.assemble("✗ ", (ctx.who(entry.person), "bold"), " absent"))
        else:
            reading = read_timer(entry.seconds_spoken, s.timebox_seconds)
            over = f"  OVER by {clock_text(-reading.remaining)}" if reading.remaining < 0 else ""
            lines.append(Text.assemble("✓ ", (ctx.who(entry.person), "bold"),
                                       f"  {clock_text(entry.seconds_spoken)}", (over, "bold")))  # fmt: skip
        for label, value in (("Yesterday", entry.yesterday), ("Today", entry.today),
                             ("Blockers", entry.blockers)):  # fmt: skip
            if value or entry.present:
                lines.append(Text.assemble(f"  {label}: ", (value or "-", "")))
    lines += [Text(""), Text(f"Parking lot ({len(record.parking)})", style="bold underline")]
    for item in record.parking:
        done = "✓" if item.resolved else "•"
        wanted = ", ".join(w for w in item.wanted_by.split(",") if w) or item.raised_by
        lines.append(Text(f"{done} {item.topic}  (raised by {item.raised_by}; for {wanted})"))
    return Text("\n").join(lines)


class StandupMinutes(Widget):
    """Shows the record the history screen assigns."""

    DEFAULT_CSS = """
    StandupMinutes { height: auto; padding: 0 1; }
    """

    record: reactive[StandupRecord | None] = reactive(None, layout=True)
    """The stand-up shown."""
    names: reactive[ExportContext] = reactive(ExportContext)
    """Display names for logins and projects."""

    def render(self) -> Text:
        """The minutes, or a hint when nothing is chosen."""
        if self.record is None:
            return Text("No stand-up chosen.", style="dim")
        return minutes_text(self.record, self.names)
