"""The Timeline writes no stored control sequence to the terminal (titles, milestone names).

The real app on a pty over the poisoned database of ``test_terminal_safety_app.py``: the
bytes it writes while a person opens the Timeline, walks its rows (the detail lines) and
zooms are checked raw.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pty_capture import itpm, run_in_pty
from tests.unit.test_terminal_safety import PAYLOADS, _env, poisoned_database

WALK = [(2.5, b"6"), (0.8, b"j"), (0.4, b"j"), (0.4, b"j"), (0.4, b"z"), (0.8, b"q")]


@pytest.fixture(scope="module")
def app_output(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Every byte the app wrote to its terminal during the walk."""
    db: Path = poisoned_database(tmp_path_factory.mktemp("poison-timeline") / "team.db")
    return run_in_pty(itpm("--db", str(db)), _env(), size=(120, 40), keys=WALK, timeout=20)


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_the_timeline_writes_no_payload_to_the_terminal(app_output: bytes, kind: str) -> None:
    assert b"Traceback" not in app_output
    assert PAYLOADS[kind][1] not in app_output, f"{kind} reached the terminal"


def test_the_timeline_shows_the_stored_text_with_visible_stand_ins(app_output: bytes) -> None:
    assert b"Timeline" in app_output
    assert "␛]52;c;".encode() in app_output  # the title, readable and inert
    assert b"links: none" in app_output  # the walk reached a task's detail lines
