"""The real app in a real pseudo-terminal: when the terminal goes away, the app ends."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from itpm_tui.clock import FixedClock
from itpm_tui.store import Store
from tests.conftest import TODAY


def _ignore_sighup() -> None:
    """What ``nohup`` does; ``sudo -u`` and ``runuser`` leave the app without SIGHUP too."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def _read_until(fd: int, text: bytes, seconds: float) -> bytes:
    """Read the terminal's output until ``text`` shows up."""
    seen = b""
    deadline = time.monotonic() + seconds
    while text not in seen:
        assert time.monotonic() < deadline, f"{text!r} never appeared; got {seen[-400:]!r}"
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            seen += os.read(fd, 65536)
    return seen


def test_an_app_whose_terminal_hangs_up_without_sighup_exits_and_closes_the_database(
    tmp_path: Path,
) -> None:
    db = tmp_path / "team.db"
    Store(db, user="pm", clock=FixedClock(TODAY)).close()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", ITPM_TODAY=TODAY.isoformat())
    app = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), "--user", "pm"],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        preexec_fn=_ignore_sighup,
    )  # fmt: skip
    os.close(slave)
    try:
        _read_until(master, b"Today", seconds=20)
        assert Path(f"{db}-wal").exists(), "the app has the database open"
        os.close(master)  # the terminal window is closed
        try:
            app.wait(timeout=5)
        except subprocess.TimeoutExpired:
            raise AssertionError("the app kept running after its terminal went away") from None
        assert app.returncode == 0
        # The last connection to close removes the WAL: the store was closed, not abandoned.
        assert not Path(f"{db}-wal").exists()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
