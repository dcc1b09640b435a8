"""The app writes no stored control sequence to the terminal, on any screen.

The real app runs on a pty over a file whose every user-typed field holds every payload
of the CLI test; the bytes it writes while a person walks Today, Tasks (with its detail
pane), the board, Health (portfolio and project), the Timeline, the RAID log, Workload and a
stand-up (start dialog and speaker view) are checked raw.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.pty_capture import itpm, run_in_pty
from tests.unit.test_terminal_safety import PAYLOADS, _env, poisoned_database

WALK = [(2.5, b"2"), (0.8, b"i"), (0.8, b"3"), (0.8, b"4"), (0.8, b"\r"), (0.8, b"6"),
        (0.8, b"7"), (0.8, b"8"), (0.8, b"5"), (0.8, b"s"), (0.8, b"\r"), (1.2, b"w"),
        (0.8, b"w"), (0.8, b"e"), (0.8, b"\r"), (1.5, b"H"), (1.2, b"\x1b"), (0.5, b"q"),
        (0.5, b"q")]  # fmt: skip
"""Screens 2-8 (Health's portfolio, then a project), the details pane, the stand-up start
dialog, meeting and board walk, the saved minutes in the history, then quit."""


@pytest.fixture(scope="module")
def app_output(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Every byte the app wrote to its terminal during the walk."""
    db: Path = poisoned_database(tmp_path_factory.mktemp("poison-app") / "team.db")
    return run_in_pty(itpm("--db", str(db)), _env(), size=(120, 40), keys=WALK, timeout=35)


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_no_screen_writes_a_payload_to_the_terminal(app_output: bytes, kind: str) -> None:
    assert b"Traceback" not in app_output
    assert PAYLOADS[kind][1] not in app_output, f"{kind} reached the terminal"


def test_the_stored_text_is_shown_with_visible_stand_ins(app_output: bytes) -> None:
    assert "␛]52;c;".encode() in app_output  # the title, readable and inert
    assert "�olleh".encode() in app_output
    assert "r ␛]52;c;".encode() in app_output  # the RAID item's title, on the RAID log
    styled = re.sub(rb"\x1b\[[0-9;]*m", b"", app_output).decode(errors="replace")
    assert "Stand-up saved" in styled  # stored text with controls never stops the save
    assert "Yesterday: y ␛]52;c;" in styled  # bob's note, in the minutes on the history
    assert b"Stand-up history" in app_output  # the walk reached the last screen


def test_a_line_holding_controls_never_grows_wider_than_its_place() -> None:
    from rich.segment import Segment
    from textual.color import Color

    from itpm_tui.widgets.safe_text import SafeTextFilter

    line = [Segment("#1 "), Segment("ab\x1b]0;x\x07cd"), Segment(" │")]
    shown = SafeTextFilter().apply(line, Color(0, 0, 0))
    assert Segment.get_line_length(shown) == Segment.get_line_length(line)
    assert "".join(s.text for s in shown).startswith("#1 ab␛]0;x␇")
    plain = [Segment("no controls here")]
    assert SafeTextFilter().apply(plain, Color(0, 0, 0)) is plain  # untouched, not copied
