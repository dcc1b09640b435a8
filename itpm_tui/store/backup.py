"""Online backups: a consistent copy of the live database while others go on writing.

One function, :func:`online_backup`, serves ``itpm-tui backup now FILE`` and the copy made
beside a shared file before ``demo --force`` / ``import --replace`` replace its data.

How the copy stays consistent without stopping writers: SQLite's backup API copies the
file in steps of ``PAGES_PER_STEP`` pages, and all the steps run inside one read
transaction of the source connection. In WAL mode a reader never blocks a writer, so
writers go on committing (into the WAL) while the copy is made; and because the snapshot
is held, no commit by another process restarts the copy. (Without the held snapshot every
step after someone's commit starts the copy over: at 100k tasks with two writers it took
1,378 steps for a 41-step file, measured.) The copy is written to a temporary file beside
the target, checked with ``PRAGMA integrity_check``, synced, then renamed into place, so a
target is either the whole copy or untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from itpm_tui.errors import DatabaseError, InvalidInput
from itpm_tui.files import check_writable
from itpm_tui.store.db import Database

PAGES_PER_STEP = 1024
"""Pages copied per backup step (4 MiB at SQLite's default page size)."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote."""

    source: Path
    path: Path
    pages: int
    bytes: int
    seconds: float
    integrity: str
    """``ok``: the copy passed ``PRAGMA integrity_check`` (anything else is refused)."""


class _CopyFailed(Exception):
    """An SQLite error on the copy's side, kept apart from errors about the live file."""


def online_backup(db: Database, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the database behind ``db`` to ``target`` while other processes keep writing.

    The copy gets the database's permission bits and (when this user may) its group, so a
    team's backup is readable by the team and nobody else. It is in rollback-journal mode,
    one self-contained file (the app switches a restored copy back to WAL when it opens it).
    Refused with one sentence: the live database or its -wal/-shm as the target, an
    existing file unless ``overwrite``, a folder that is missing or not writable, a full
    disk. Nothing is left behind when it fails.
    """
    started = time.monotonic()
    source = db.path.absolute()
    target = target.expanduser().absolute()
    _refuse_live(source, target)
    check_writable(target)
    if target.is_symlink():
        target = target.resolve()
        _refuse_live(source, target)
    if target.exists() and not overwrite:
        raise InvalidInput(f"{target} already exists; pass --force to replace it")
    original = source.stat()
    mode = stat.S_IMODE(original.st_mode)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise InvalidInput(f"cannot write {target}: {err.strerror}") from err
    temp = Path(name)
    try:
        try:
            os.fchmod(fd, mode)
            with contextlib.suppress(PermissionError):  # not in the file's group: keep ours
                os.fchown(fd, -1, original.st_gid)
        finally:
            os.close(fd)
        pages, integrity = _copy(db, temp)
        if integrity != "ok":
            raise DatabaseError(
                f"the backup of {source} failed its integrity check ({integrity}); nothing "
                f"was written to {target}. Run `itpm-tui doctor` on the database."
            )
        _fsync(temp)
        if overwrite:
            os.replace(temp, target)
        else:
            _place_new(temp, target)
        _fsync(target.parent)
    except _CopyFailed as failed:
        _remove(temp)
        raise _copy_error(target, failed.__cause__) from failed.__cause__
    except FileExistsError as err:
        _remove(temp)
        raise InvalidInput(f"{target} already exists; pass --force to replace it") from err
    except OSError as err:
        _remove(temp)
        if err.errno == errno.ENOSPC:
            raise _disk_full(target) from err
        raise InvalidInput(f"cannot write {target}: {err.strerror}") from err
    except BaseException:
        _remove(temp)
        raise
    return BackupResult(source, target, pages, target.stat().st_size,
                        time.monotonic() - started, integrity)  # fmt: skip


def backup_beside(db: Database, stamp: datetime) -> Path:
    """Back the database up to ``FILE.bak-YYYYMMDD-HHMMSS`` beside it (``-2``... if taken)."""
    base = db.path.with_name(f"{db.path.name}.bak-{stamp:%Y%m%d-%H%M%S}")
    target, number = base, 1
    while target.exists():
        number += 1
        target = base.with_name(f"{base.name}-{number}")
    return online_backup(db, target).path


def _copy(db: Database, temp: Path) -> tuple[int, str]:
    """Copy every page into ``temp`` from one snapshot; return the pages and the check."""
    pages = 0
    try:
        copy = sqlite3.connect(temp, isolation_level=None)
    except sqlite3.Error as err:
        raise _CopyFailed from err
    try:
        with db.read() as conn:
            # The first read starts the snapshot every step then copies from.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()

            def progress(_status: int, remaining: int, total: int) -> None:
                nonlocal pages
                pages = total - remaining

            try:
                conn.backup(copy, pages=PAGES_PER_STEP, progress=progress)
            except sqlite3.Error as err:
                raise _CopyFailed from err
        try:
            copy.execute("PRAGMA journal_mode = DELETE").fetchone()
            results = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
        except sqlite3.Error as err:
            raise _CopyFailed from err
    finally:
        copy.close()
    lines = [line for r in results for line in r.splitlines() if "***" not in line]
    return pages, "ok" if results == ["ok"] else "; ".join(lines[:3])


def _place_new(temp: Path, target: Path) -> None:
    """Move ``temp`` to ``target``, failing with FileExistsError if someone made it meanwhile.

    A hard link cannot replace a file; where the filesystem has none (FAT, some FUSE
    mounts), the check and the rename are two steps.
    """
    try:
        os.link(temp, target)
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if target.exists():
            raise FileExistsError(target) from err
        os.replace(temp, target)
    else:
        temp.unlink()


def _refuse_live(source: Path, target: Path) -> None:
    live = (source, *(source.with_name(source.name + end) for end in ("-wal", "-shm", "-journal")))
    resolved = target.resolve()
    same = any(resolved == path.resolve() for path in live)
    with contextlib.suppress(OSError):
        same = same or os.path.samefile(target, source)
    if same:
        raise InvalidInput(
            f"{target} is the live database (or one of its files); back it up to another file"
        )


def _copy_error(target: Path, err: BaseException | None) -> DatabaseError:
    text = str(err)
    if "full" in text or _free_bytes(target.parent) < 1 << 20:
        return _disk_full(target)
    return DatabaseError(f"cannot write the backup {target}: {text}. Nothing was written.")


def _disk_full(target: Path) -> DatabaseError:
    return DatabaseError(
        f"the disk holding {target.parent} is full: the backup was not written. Free some "
        "space or back up to another disk."
    )


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 1 << 30


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(OSError):
            file.unlink()
