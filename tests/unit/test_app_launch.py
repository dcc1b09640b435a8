"""How ``itpm-tui`` starts the app: the frame cap it runs Textual at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.store import Store
from tests.conftest import TODAY

PROBE = """
import sys
import itpm_tui.cli.base as base

class Probe:
    def run(self):
        import textual.constants
        print(textual.constants.MAX_FPS)

base.make_app = lambda settings, store: Probe()
sys.argv = ["itpm-tui", "--db", sys.argv[1]]
base.main()
"""
"""Runs the real entry point up to the app's ``run``; prints the frame cap Textual read."""


@pytest.mark.parametrize(("env", "fps"), [({}, "120"), ({"TEXTUAL_FPS": "30"}, "30")])
def test_the_app_paints_up_to_120_frames_a_second_unless_the_user_chose(
    tmp_path: Path, env: dict[str, str], fps: str
) -> None:
    """A cursor's detail lands one frame after its row: at 60 frames that wait was 17-33 ms
    a key (see ``FRAMES_PER_SECOND``)."""
    db = tmp_path / "itpm.db"
    Store(db, user="pm", clock=FixedClock(TODAY)).close()
    base_env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    out = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True,
                         text=True, env=base_env | env, check=True, timeout=60)  # fmt: skip
    assert out.stdout.strip() == fps
