"""Opening the database file safely and running short, IMMEDIATE write transactions."""

from __future__ import annotations

import marshal
import os
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from itpm_tui.errors import (
    DatabaseBusy,
    DatabaseError,
    NotADatabase,
    ReadOnlyDatabase,
    SchemaTooNew,
)
from itpm_tui.store.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
JOURNAL_SIZE_LIMIT = 8 * 2**20
"""Bytes of WAL kept after a checkpoint lets a writer start the WAL over.

The autocheckpoint (1000 pages of 4 KiB) keeps a busy WAL near 4 MiB, so twice that is
never cut in normal use; a WAL that grew behind a long read or a large import is given
back to the disk at the next restart instead of staying at its peak size for good.
"""
BEGIN_ATTEMPTS = 3
"""Tries at ``BEGIN IMMEDIATE``, each waiting up to the busy timeout, before giving up."""
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph", "glusterfs",
     "fuse.glusterfs", "lustre", "davfs", "fuse.rclone", "virtiofs"}
)  # fmt: skip


class Database:
    """One SQLite connection to the app's file, shared by threads under a lock.

    Writes go through :meth:`write`, which opens ``BEGIN IMMEDIATE`` so that concurrent
    processes queue on the write lock instead of failing on upgrade. Reads go through
    :meth:`read`, a deferred transaction so several queries see one snapshot.
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        self.readonly_reason = ""
        """Why writes are refused; empty when the file is writable."""
        self._lock = threading.RLock()
        self._own_commits = 0
        self._wrote = False
        _check_file(path, create=create)
        self.readonly_reason = _readonly_reason(path)
        self.conn = _connect(path, readonly=bool(self.readonly_reason))
        self.utils = sqlite_utils.Database(self.conn, execute_plugins=False)
        """sqlite-utils over the same connection, for bulk and introspection work."""
        try:
            self._prepare()
        except BaseException:
            self.conn.close()
            raise

    @property
    def readonly(self) -> bool:
        """True if writes are refused."""
        return bool(self.readonly_reason)

    def _prepare(self) -> None:
        with _translate_errors(self.path):
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{self.path} was written by a newer itpm-tui (schema {version}; this "
                    f"version reads up to {SCHEMA_VERSION}). Upgrade itpm-tui; nothing was changed."
                )
            if self.readonly:
                if version < SCHEMA_VERSION:
                    raise ReadOnlyDatabase(
                        f"{self.path} needs an upgrade to schema {SCHEMA_VERSION} but "
                        f"{self.readonly_reason}."
                    )
                return
            self._switch_to_wal()
            self.conn.execute("PRAGMA synchronous = NORMAL")
            if version < SCHEMA_VERSION:
                self._migrate()

    def _switch_to_wal(self) -> None:
        """Put the file in WAL mode (once per file; later opens find it already there).

        Changing the journal mode needs an exclusive lock and SQLite answers "database is
        locked" at once, without the busy timeout, when another process is connecting to a
        new file at the same moment: retry for as long as the busy timeout would wait.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        if mode != "wal":
            raise DatabaseError(f"{self.path}: could not switch to WAL (got {mode}).")

    def _migrate(self) -> None:
        with self.write() as conn:
            # Another process may have migrated while we waited for the lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        """The schema version recorded in the file (0 for a new file)."""
        with self._lock, _translate_errors(self.path):
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on error."""
        if self.readonly:
            raise ReadOnlyDatabase(f"Not saved: {self.readonly_reason}.")
        with self._lock, _translate_errors(self.path):
            self._begin_immediate()
            changes_before = self.conn.total_changes
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self._wrote = True
            # A save that changed no row (same values) must not make every screen reload.
            if self.conn.total_changes != changes_before:
                self._own_commits += 1

    def _begin_immediate(self) -> None:
        # Each try waits up to the busy timeout; a few retries ride out a long checkpoint.
        for attempt in range(BEGIN_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise DatabaseBusy(
            f"{self.path} is locked by another process (waited over "
            f"{BEGIN_ATTEMPTS * BUSY_TIMEOUT_MS / 1000:g} s). Nothing was saved; try again."
        )

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same snapshot."""
        with self._lock, _translate_errors(self.path):
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Run one read query and return every row as a dict (always fetched in full)."""
        with self.read() as conn:
            cursor = conn.execute(sql, params)
            rows = cursor.fetchall()
        # zip over the column names builds a dict about twice as fast as dict(sqlite3.Row).
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def stream(self, sql: str, params: Any = (), *, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Rows of one read query as dicts, from one snapshot, in bounded memory.

        The rows are first copied into an anonymous temporary file and the read transaction
        ends before the first row is yielded, so a slow consumer (``list --all | less``)
        never pins a snapshot, which would stop checkpoints and let the WAL grow.
        """
        with tempfile.TemporaryFile() as spool:
            with self.read() as conn:
                names = spool_rows(conn, spool, sql, params, batch=batch)
            for rows in unspool(spool):
                for row in rows:
                    yield dict(zip(names, row, strict=True))

    def change_token(self) -> int:
        """A number that changes whenever anyone, in any process, commits a change."""
        with self._lock, _translate_errors(self.path):
            other = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
            return other + self._own_commits

    def close(self) -> None:
        """Checkpoint what we can without waiting for anyone (when we wrote), and close.

        A closing command must never wait for readers: a TRUNCATE checkpoint under the busy
        timeout holds the write lock while it waits for every open snapshot, so one idle
        reader made each CLI write stall all writers 5 s. Here the busy timeout is 0 and the
        checkpoint is PASSIVE (it takes no write lock and skips frames a reader still needs).
        The WAL file itself is removed by SQLite when the last connection closes, and cut
        back to ``JOURNAL_SIZE_LIMIT`` the next time a writer restarts it.
        """
        with self._lock:
            try:
                # A PASSIVE checkpoint leaves other connections' data_version alone, so a
                # command does not make every open app reload (TRUNCATE did).
                if self._wrote:
                    self.conn.execute("PRAGMA busy_timeout = 0")
                    self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass  # another checkpoint is running: nothing to wait for
            self.conn.close()


def _check_file(path: Path, *, create: bool) -> None:
    if path.exists():
        if not path.is_file():
            raise DatabaseError(f"{path} is not a file.")
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"{path} is not readable by you (permissions).")
        with path.open("rb") as handle:
            header = handle.read(16)
        if header and header != SQLITE_HEADER:
            raise NotADatabase(f"{path} is not an itpm-tui database (not an SQLite file).")
        return
    if not create:
        raise DatabaseError(
            f"{path} does not exist; create it with `itpm-tui --db {path} init` "
            "(or `demo` for sample data)."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = 0o600 if not path.parent.stat().st_mode & stat.S_ISGID else 0o660
        path.touch(mode=mode)
        os.chmod(path, mode)  # touch() applies the umask; a shared file needs group write
    except OSError as err:
        raise DatabaseError(f"cannot create {path}: {err.strerror}.") from err


def _readonly_reason(path: Path) -> str:
    if not os.access(path, os.W_OK):
        return f"{path} is read-only for you"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and not wal.exists():
        return f"the folder {path.parent} is read-only for you (SQLite needs to write beside it)"
    return ""


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    mode = "rwc"
    if readonly:
        # SQLite cannot read a WAL file where it may not create -shm unless it is opened as
        # immutable; with neither -wal nor -shm beside it, no writer is connected right now.
        wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
        mode = "ro" if wal.exists() or shm.exists() else "ro&immutable=1"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
        check_same_thread=False,
    )  # fmt: skip
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    return conn


@contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's exceptions into sentences a user can act on."""
    try:
        yield
    except sqlite3.DatabaseError as err:
        text = str(err)
        if isinstance(err, sqlite3.IntegrityError):
            raise
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            raise NotADatabase(
                f"{path} is damaged or not a database ({text}). Restore it from a backup or "
                "an export; `itpm-tui doctor` tells more."
            ) from err
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyDatabase(f"Not saved: {path} is read-only ({text}).") from err
        if "locked" in text or "busy" in text:
            raise DatabaseBusy(
                f"{path} is locked by another process. Nothing was saved; try again."
            ) from err
        if "unable to open" in text:
            raise DatabaseError(f"cannot open {path}: {text}.") from err
        raise


def filesystem_type(path: Path) -> str:
    """The filesystem type holding ``path``, read from /proc/self/mountinfo ("" if unknown)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return ""
    target = str(path.resolve())
    best, best_type = "", ""
    for line in lines:
        left, _, right = line.partition(" - ")
        fields = left.split()
        if len(fields) < 5 or not right:
            continue
        mount_point = fields[4].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, right.split()[0]
    return best_type


def is_network_filesystem(path: Path) -> bool:
    """True if ``path`` lies on a filesystem where SQLite's locking is unsafe."""
    return filesystem_type(path) in NETWORK_FILESYSTEMS


def spool_rows(
    conn: sqlite3.Connection, spool: IO[bytes], sql: str, params: Any = (), *, batch: int = 500
) -> list[str]:
    """Append a query's rows to ``spool`` (inside the caller's read); return the column names.

    ``unspool(spool)`` reads them back ``batch`` rows at a time, after the read has ended.
    """
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: no sqlite3.Row to build and convert back
    cursor.execute(sql, params)
    names = [column[0] for column in cursor.description or ()]
    while rows := cursor.fetchmany(batch):
        # marshal.load() on a file reads value by value; one loads() per batch is ~10x faster.
        data = marshal.dumps(rows)
        spool.write(len(data).to_bytes(8, "little") + data)
    return names


def unspool(spool: IO[bytes]) -> Iterator[list[tuple[Any, ...]]]:
    """The batches of rows ``spool_rows`` wrote, from the start of ``spool``."""
    spool.seek(0)
    while size := spool.read(8):
        yield marshal.loads(spool.read(int.from_bytes(size, "little")))
