"""Run a command in a real pseudo-terminal and return every byte it wrote to it.

For the terminal-safety tests: what matters is the bytes a terminal would receive, not the
text after a terminal (or Rich) has interpreted them.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def run_in_pty(
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    size: tuple[int, int] = (80, 24),
    keys: Sequence[tuple[float, bytes]] = (),
    timeout: float = 20.0,
    cwd: Path | None = None,
) -> bytes:
    """Start ``args`` on a pty of ``size`` (columns, rows); after each (delay, bytes) in
    ``keys`` type those bytes; return all output once the process ends (or ``timeout``)."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        list(args), stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd,
        start_new_session=True, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    pending = list(keys)
    next_key_at = time.monotonic() + (pending[0][0] if pending else 0)
    try:
        while time.monotonic() < deadline:
            if pending and time.monotonic() >= next_key_at:
                os.write(master, pending.pop(0)[1])
                if pending:
                    next_key_at = time.monotonic() + pending[0][0]
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the other side closed
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None and not pending:
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        os.close(master)
    return bytes(output)


def itpm(*args: str) -> list[str]:
    """The command line that runs this checkout's itpm-tui."""
    return [sys.executable, "-m", "itpm_tui", *args]
