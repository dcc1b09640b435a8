"""HealthBadge: a reactive RAG badge (symbol, word and colour class), and the flag vocabulary.

Colour never stands alone: every rating is drawn with its symbol and its word (``✖ RED``),
and every task flag with a symbol and a word (``! overdue``), so 16-colour and NO_COLOR
terminals read the same as true colour.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from itpm_tui.domain.rag import Flag, Rag
from itpm_tui.domain.schedule import TaskFlagKind

RAG_CLASSES: dict[Rag, str] = {
    Rag.GREEN: "-green",
    Rag.AMBER: "-amber",
    Rag.RED: "-red",
    Rag.NO_DATA: "-muted",
}
"""The app.tcss class that colours each rating."""

RAG_WORD_WIDTH = max(len(rag.word) for rag in Rag)
"""Words are padded to this, so a badge keeps its width when its rating changes."""

FLAG_SYMBOLS: dict[TaskFlagKind, str] = {
    TaskFlagKind.OVERDUE: "!",
    TaskFlagKind.DUE_SOON: "◔",
    TaskFlagKind.BLOCKED: "⊘",
    TaskFlagKind.AT_RISK: "△",
    TaskFlagKind.STALE: "◷",
}
"""One cell per task flag, for narrow places; the word goes with it wherever it fits."""

FLAG_CLASSES: dict[TaskFlagKind, str] = {
    TaskFlagKind.OVERDUE: "-red",
    TaskFlagKind.DUE_SOON: "-amber",
    TaskFlagKind.BLOCKED: "-red",
    TaskFlagKind.AT_RISK: "-amber",
    TaskFlagKind.STALE: "-amber",
}
"""The app.tcss class that colours each task flag."""


def rag_label(rag: Rag, *, pad: bool = False) -> str:
    """``✖ RED`` (padded to a fixed width when ``pad``)."""
    word = rag.word.ljust(RAG_WORD_WIDTH) if pad else rag.word
    return f"{rag.symbol} {word}"


def flag_label(kind: TaskFlagKind) -> str:
    """``! overdue``."""
    return f"{FLAG_SYMBOLS[kind]} {kind.value}"


class HealthBadge(Widget):
    """``Budget ✖ RED``: the label, then the rating as a symbol and a word, coloured by class.

    The screen owns the flag and binds it down (``data_bind``) or assigns it; the badge
    recolours itself when the flag changes, wherever the change came from.
    """

    DEFAULT_CSS = """
    HealthBadge {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $boost;
    }
    """

    flag: reactive[Flag | None] = reactive(None)
    """The rating shown (``None`` while nothing is loaded: shown as "—")."""

    def __init__(self, label: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        """What is rated: ``Budget``, ``Schedule``, ``Overall``."""

    @property
    def rag(self) -> Rag | None:
        """The rating, if a flag is set."""
        return self.flag.rag if self.flag else None

    def render(self) -> Text:
        """``Budget ✖ RED    `` (fixed width, so a new rating never moves its neighbours)."""
        shown = rag_label(self.flag.rag, pad=True) if self.flag else "—".ljust(RAG_WORD_WIDTH + 2)
        return Text(f"{self.label} {shown}", no_wrap=True)

    def watch_flag(self, flag: Flag | None) -> None:
        """Set the colour class of the new rating (exactly one of -red, -amber, -green, -muted)."""
        rag = flag.rag if flag else Rag.NO_DATA
        for each, name in RAG_CLASSES.items():
            self.set_class(each is rag, name)
