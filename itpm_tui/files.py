"""Writing a file a person asked for: whole or not at all, never half of it.

One rule for every command and screen that writes a file (export, calendar, minutes): the
text goes to a temporary file beside the target, then a rename replaces the target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from itpm_tui.errors import InvalidInput


def check_writable(target: Path) -> None:
    """Refuse, before any work, a target that cannot be written: one sentence naming it."""
    folder = (target.resolve() if target.is_symlink() else target).parent
    if target.is_dir():
        raise InvalidInput(f"{target} is a directory; give a file name")
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"cannot write {target}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"cannot write {target}: the folder {folder} is not writable")


@contextlib.contextmanager
def atomic_text_file(target: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """A text handle whose content replaces ``target`` only if the block ends without error.

    A symbolic link is followed, so the file it points to is replaced and the link stays.
    The new file keeps the old one's permissions, or gets the usual ones for a new file (0666
    less the umask), not the temporary file's 0600. A target that cannot be written raises
    ``InvalidInput`` with one sentence naming it.
    """
    check_writable(target)
    if target.is_symlink():
        target = target.resolve()
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as err:
        raise InvalidInput(f"cannot write {target}: {err.strerror}") from err
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            yield out
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise InvalidInput(f"cannot write {target}: {err.strerror}") from err
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_text(target: Path, text: str, *, newline: str | None = None) -> Path:
    """Write ``text`` to ``target`` whole (see :func:`atomic_text_file`); returns the path."""
    with atomic_text_file(target, newline=newline) as out:
        out.write(text)
    return target.resolve() if target.is_symlink() else target
