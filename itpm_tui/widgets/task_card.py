"""How a board card is drawn as a few lines of text.

A card is immutable data (:class:`~itpm_tui.domain.board.TaskCard`, built by the board domain
from a task and its health flags); this pure function lays it out for a given width, so a
board column can draw and cache cards line by line without one widget per card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.style import StyleType
from rich.text import Text

from itpm_tui.domain.board import CARD_FLAGS, TaskCard
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.widgets.health_badge import FLAG_CLASSES, FLAG_SYMBOLS, flag_label
from itpm_tui.widgets.task_row import RECURRING_MARK

COMPACT_BELOW = 20
"""Content widths below this get compact cards (flag symbols only, no project or priority)."""

CARD_HEIGHT = 5
"""Lines per card: head, two lines of title, owner and due, and a blank separator."""

FLAG_LEGEND = " ".join(flag_label(kind) for kind in CARD_FLAGS) + " ⊘ blocked"
"""One line explaining the symbols, for the board's filter bar."""


@dataclass(frozen=True)
class CardStyles:
    """Rich styles the card lines use, resolved from the column's CSS component classes."""

    title: StyleType = "bold"
    meta: StyleType = "dim"
    red: StyleType = "bold red"
    amber: StyleType = "yellow"


def due_text(due: date | None) -> str:
    """``24 Nov``: short enough for an 80-column board (the full date is in the detail line)."""
    return f"{due:%d %b}" if due else ""


def blocked_text(days: int | None, compact: bool) -> str:
    """``⊘3wd`` or ``⊘ 3 wd`` (working days blocked), ``⊘ today`` for a block from today;
    the ⊘ says blocked without colour."""
    if days is None:
        return ""
    if days == 0:
        return "⊘today" if compact else "⊘ today"
    return f"⊘{days}wd" if compact else f"⊘ {days} wd"


def card_lines(card: TaskCard, width: int, styles: CardStyles) -> list[Text]:
    """The card's lines for a content width: head, two title lines, owner and due, blank.

    Every line fits ``width`` cells; flags sit at the right of the head line, as words when
    they fit and as symbols when they do not.
    """
    width = max(width, 8)
    compact = width < COMPACT_BELOW
    head = Text(card.ref, style=styles.title)
    if card.recurring:
        head.append(f" {RECURRING_MARK}", style=styles.meta)
    if not compact:
        if card.project:
            head.append(f" {card.project}", style=styles.meta)
        head.append(f" P{card.priority}", style=styles.meta)
    if card.blocked_days is not None:
        too_long = TaskFlagKind.BLOCKED in card.flags
        blocked = blocked_text(card.blocked_days, compact)
        head.append(" " + blocked, style=styles.red if too_long else styles.amber)
    flags = _flags(card.flags, styles, words=not compact)
    if head.cell_len + flags.cell_len > width:
        flags = _flags(card.flags, styles, words=False)
    head = _fit(head, width - flags.cell_len)
    head.pad_right(width - flags.cell_len - head.cell_len)
    head.append_text(flags)

    due = due_text(card.due)
    if due and not compact:
        due = f"due {due}"
    owner = Text(card.owner or "nobody", style=styles.meta)
    owner = _fit(owner, width - len(due) - 1) if due else _fit(owner, width)
    meta = owner
    if due:
        meta.pad_right(width - owner.cell_len - len(due))
        meta.append(due, style=styles.meta)
    return [head, *_wrap(card.title, width, 2), meta, Text("")]


def _flags(flags: tuple[TaskFlagKind, ...], styles: CardStyles, *, words: bool) -> Text:
    text = Text()
    for kind in flags:
        if kind not in CARD_FLAGS:
            continue
        style = styles.red if FLAG_CLASSES[kind] == "-red" else styles.amber
        text.append(" ")
        text.append(flag_label(kind) if words else FLAG_SYMBOLS[kind], style=style)
    return text


def _fit(text: Text, width: int) -> Text:
    """``text`` cut with an ellipsis to at most ``width`` cells (the column pads it)."""
    text = text.copy()
    if text.cell_len > width:
        text.truncate(max(width, 0), overflow="ellipsis")
    text.no_wrap = True
    return text


def _wrap(title: str, width: int, lines: int) -> list[Text]:
    """The title word-wrapped over ``lines`` lines; the last one ends in … if cut."""
    words = title.split()
    out: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[index:])
            break
    out.append(current)
    result = [Text(line, no_wrap=True, overflow="ellipsis") for line in out[:lines]]
    while len(result) < lines:
        result.append(Text(""))
    return [_fit(line, width) for line in result]
