"""Opening the database safely and running short, IMMEDIATE write transactions.

``Database`` is the SQLite file; ``open_database`` picks it or, for a ``postgresql://`` URL,
``pg.PgDatabase`` (same methods: the ``Backend`` protocol). The helpers below that read the
schema (``stored_tables``, ``columns_of``, ``schema_version_of``...) take whichever
connection a transaction yields and answer for its backend.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

from itpm_tui.errors import (
    DatabaseBusy,
    DatabaseError,
    NotADatabase,
    ReadOnlyDatabase,
    SchemaTooNew,
)
from itpm_tui.store.schema import MIGRATIONS, SCHEMA_VERSION, is_postgresql

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
LOW_DISK_BYTES = 1 << 20
"""Below this much free space, an I/O error is reported as a full disk."""
JOURNAL_SIZE_LIMIT = 8 * 2**20
"""Bytes of WAL kept after a checkpoint lets a writer start the WAL over.

The autocheckpoint (1000 pages of 4 KiB) keeps a busy WAL near 4 MiB, so twice that is
never cut in normal use; a WAL that grew behind a long read or a large import is given
back to the disk at the next restart instead of staying at its peak size for good.
"""
BEGIN_ATTEMPTS = 3
"""Tries at ``BEGIN IMMEDIATE``, each waiting up to the busy timeout, before giving up."""
READ_ONLY_BY_REQUEST = "this view was opened read-only (--read-only): it cannot change anything"
"""The reason writes are refused when the file was opened read-only on purpose."""
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph", "glusterfs",
     "fuse.glusterfs", "lustre", "davfs", "fuse.rclone", "virtiofs"}
)  # fmt: skip


class Backend(Protocol):
    """What the store needs of a database, SQLite file or PostgreSQL (``Store.db``)."""

    path: Any
    """The file (a ``Path``), or the URL without its password: how messages name it."""
    readonly_reason: str
    poll_seconds: float
    """How often an open app asks ``change_token`` (what a poll costs decides it)."""

    @property
    def readonly(self) -> bool:
        """True if writes are refused."""

    def write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction holding the write lock."""

    def read(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One read transaction (one snapshot)."""

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Every row of one read query as a dict."""

    def stream(self, sql: str, params: Any = (), *, batch: int = 500) -> Iterator[dict[str, Any]]:
        """The rows of one read query as dicts, from one snapshot."""

    def schema_version(self) -> int:
        """The schema version recorded in the database."""

    def change_token(self) -> int:
        """A number that changes whenever anyone commits."""

    def prepare_writes(self) -> None:
        """Run now the checks a first write would run (the app calls it in a worker once
        the first screen is up, so the first save does not wait for them)."""

    def close(self) -> None:
        """Close the connection(s)."""


def open_database(
    target: Path | str, *, create: bool = True, setup: bool | None = None,
    read_only: bool = False,
) -> Backend:  # fmt: skip
    """The database ``target`` names: a ``postgresql://`` URL or an SQLite file path."""
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        try:
            from itpm_tui.store.pg import PgDatabase
        except ImportError as err:
            raise DatabaseError(
                "PostgreSQL needs psycopg: pip install 'itpm-tui[postgres]'."
            ) from err
        return PgDatabase(target, create=create, setup=setup, read_only=read_only)
    path = Path(target)
    if path.parts and path.parts[0].lower() in ("postgresql:", "postgres:"):
        # A URL that went through Path() lost its "//": as a file it would become a folder
        # named "postgresql:" in the working directory. Refuse instead of creating it.
        raise DatabaseError(
            f"{target} looks like a PostgreSQL URL that lost its '//'; give it as "
            "postgresql://user@host/dbname"
        )
    return Database(path, create=create, setup=setup, read_only=read_only)


class Database:
    """One SQLite connection to the app's file, shared by threads under a lock.

    Writes go through :meth:`write`, which opens ``BEGIN IMMEDIATE`` so that concurrent
    processes queue on the write lock instead of failing on upgrade. Reads go through
    :meth:`read`, a deferred transaction so several queries see one snapshot.
    """

    poll_seconds = 0.5
    """``PRAGMA data_version`` is a query under the connection's lock: twice a second."""

    def __init__(
        self, path: Path, *, create: bool = True, setup: bool | None = None,
        read_only: bool = False,
    ) -> None:  # fmt: skip
        """Open ``path``; ``create`` allows making a missing file, ``setup`` (default: as
        ``create``) allows giving an existing file without tables the itpm-tui schema;
        ``read_only`` opens it read-only even for a user who may write (a meeting-room view).

        A file this call created is always set up. Any other file must already be an
        itpm-tui database, so a mistyped path to another program's SQLite file (or an empty
        file) is refused instead of being converted to WAL and given our tables.
        """
        self.path = path
        self.readonly_reason = ""
        """Why writes are refused; empty when the file is writable."""
        self._lock = threading.RLock()
        self._own_commits = 0
        self._wrote = False
        self._checked_before_write = False
        self._wal_id: tuple[int, int] | None = None
        """Device and inode of the -wal file this connection writes into (once it exists)."""
        created = _check_file(path, create=create and not read_only)
        self._may_setup = created or (create if setup is None else setup)
        self.readonly_reason = READ_ONLY_BY_REQUEST if read_only else _readonly_reason(path)
        self.conn = _connect(path, readonly=bool(self.readonly_reason))
        try:
            if self.readonly:
                self._check_readable_readonly()
            self._prepare()
            self._wal_id = _file_id(path.with_name(path.name + "-wal"))
        except BaseException:
            self.conn.close()
            raise

    def _check_readable_readonly(self) -> None:
        """Read once, so a WAL file SQLite cannot open read-only gets its own sentence.

        Read-only, SQLite needs the ``-shm`` file: it exists while anyone has the file
        open, else it must be created beside the file. (``immutable=1`` would read it
        anyway, but such a connection never sees anyone's later changes.)
        """
        try:
            self.conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.OperationalError as err:
            name = getattr(err, "sqlite_errorname", "")
            if name not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY"):
                raise
            raise ReadOnlyDatabase(
                f"cannot read {self.path} read-only: nobody has it open right now, so SQLite "
                f"would have to create {self.path.name}-shm beside it, and the folder "
                f"{self.path.parent} is read-only for you. Ask for write access to {self.path.parent} (the team's group), or open it "
                "while a colleague has itpm-tui running on it."
            ) from err

    @property
    def readonly(self) -> bool:
        """True if writes are refused."""
        return bool(self.readonly_reason)

    def _prepare(self) -> None:
        with _translate_errors(self.path):
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            version, tables = self._version_and_tables()
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{self.path} was written by a newer itpm-tui (schema {version}; this "
                    f"version reads up to {SCHEMA_VERSION}). Upgrade itpm-tui; nothing was changed."
                )
            self._check_is_ours(version, tables)
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

    def _version_and_tables(self) -> tuple[int, set[str]]:
        """The schema version and the tables, read in one snapshot.

        Read apart, another process's first migration could commit in between: this one
        would see version 0 with tables, and take a new team file for another program's.
        """
        with self._lock:
            self.conn.execute("BEGIN")
            try:
                version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
                tables = set(stored_tables(self.conn))
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have ended it on an I/O error
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return version, tables

    def _check_is_ours(self, version: int, tables: set[str]) -> None:
        """Refuse a file that is not (and may not become) an itpm-tui database."""
        if version == 0:
            if tables:
                raise NotADatabase(
                    f"{self.path} is not an itpm-tui database: it has tables "
                    f"{', '.join(sorted(tables))}. Nothing was changed; check --db / ITPM_DB."
                )
            if not self._may_setup:
                size = self.path.stat().st_size
                what = "is empty (0 bytes)" if size == 0 else "has no tables"
                raise NotADatabase(
                    f"{self.path} {what}: it is not an itpm-tui database. Nothing was "
                    f"changed; to make it a new one run `itpm-tui --db {self.path} init`."
                )
            return
        missing = sorted(expected_tables(version) - tables)
        if missing:
            raise NotADatabase(
                f"{self.path} says it is itpm-tui schema {version} but lacks the tables "
                f"{', '.join(missing)}: it is damaged or another program's file. Nothing was "
                "changed; `itpm-tui doctor` tells more."
            )

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
            self._refuse_if_damaged()
            self._check_wal_is_ours()
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

    def prepare_writes(self) -> None:
        """The first write's damage check, ahead of it: 130-160 ms at 100k tasks, which the
        first status change on Today waited for (pty harness: 147 ms to its first change,
        13-34 ms for the next). Raises ``NotADatabase`` as that write would. It holds the
        connection's lock meanwhile: a read started then (a screen opened in that moment)
        waits for it."""
        if self.readonly:
            return
        with self._lock, _translate_errors(self.path):
            self._refuse_if_damaged()

    def _check_wal_is_ours(self) -> None:
        """Refuse to write once our ``-wal`` file was removed or replaced behind our back.

        SQLite would go on committing into the unlinked file, where no other process sees
        the changes, and they would be lost. While any connection is open SQLite never
        deletes the file itself (a checkpoint truncates it in place), so a different file
        (or none) means someone removed it.
        """
        current = _file_id(self.path.with_name(self.path.name + "-wal"))
        if self._wal_id is None:
            self._wal_id = current  # none yet: the first write creates it
        elif current != self._wal_id:
            raise DatabaseError(
                f"the file {self.path.name}-wal beside {self.path} was removed while itpm-tui "
                "had it open. Nothing was saved. Close every itpm-tui using the file (closing "
                "writes the changes it still holds), then run `itpm-tui doctor`."
            )

    def _refuse_if_damaged(self) -> None:
        """Run ``PRAGMA quick_check`` once, before this connection's first write.

        A damaged page that no query happens to touch goes unnoticed by reads, and every
        later write would build on it. The check reads the whole file (about 20 ms at 10k
        tasks, 130 ms at 100k, measured): too slow for every open, cheap once per writer.
        """
        if self._checked_before_write:
            return
        results = [str(row[0]) for row in self.conn.execute("PRAGMA quick_check(1)")]
        if results != ["ok"]:
            lines = [line for r in results for line in r.splitlines() if "***" not in line]
            raise NotADatabase(
                f"{self.path} is damaged ({(lines or ['quick_check failed'])[0][:120]}). Nothing was saved: writes are "
                "refused so the damage does not spread. `itpm-tui doctor` explains how to "
                "recover it."
            )
        self._checked_before_write = True

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


def stored_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables in the file, SQLite's and Litestream's own left out, sorted by name."""
    if is_postgresql(conn):
        from itpm_tui.store import pg

        return pg.stored_tables(conn)
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE '\\_litestream\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` in schema order."""
    if is_postgresql(conn):
        from itpm_tui.store import pg

        return pg.columns_of(conn, table)
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})").fetchall()]


def schema_version_of(conn: sqlite3.Connection) -> int:
    """The schema version, read inside the caller's transaction (its snapshot)."""
    if is_postgresql(conn):
        from itpm_tui.store import pg

        return pg.schema_version_of(conn)
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def row_order(conn: sqlite3.Connection, table: str) -> str:
    """The ORDER BY that lists a table the same way on both backends: by id, else by key.

    The tables without an ``id`` (``people``, ``person_capacity``) are ordered by their
    first column, their primary key; PostgreSQL has no rowid to keep insertion order by.
    """
    columns = columns_of(conn, table)
    return "id" if "id" in columns else columns[0]


@functools.cache
def expected_tables(version: int) -> frozenset[str]:
    """The tables an itpm-tui database of schema ``version`` has (its migrations, in memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for number in range(1, min(version, SCHEMA_VERSION) + 1):
            MIGRATIONS[number - 1](conn)
        return frozenset(stored_tables(conn))
    finally:
        conn.close()


def _check_file(path: Path, *, create: bool) -> bool:
    """Check that ``path`` can be opened (creating it if allowed); True if it was created."""
    try:
        path.stat()
    except PermissionError as err:  # exists() would say False: "does not exist" misleads
        raise DatabaseError(
            f"cannot reach {path}: a folder on the way is not open to you (permissions)."
        ) from err
    except OSError:
        pass
    if path.exists():
        if not path.is_file():
            raise DatabaseError(f"{path} is not a file.")
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except PermissionError as err:
            raise DatabaseError(f"{path} is not readable by you (permissions).") from err
        except OSError as err:
            raise DatabaseError(f"cannot read {path}: {err.strerror}.") from err
        if header and header != SQLITE_HEADER:
            raise NotADatabase(f"{path} is not an itpm-tui database (not an SQLite file).")
        return False
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
    return True


def _free_bytes(path: Path) -> int:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return LOW_DISK_BYTES  # unknown: do not claim the disk is full


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _readonly_reason(path: Path) -> str:
    if not os.access(path, os.W_OK):
        return f"{path} is read-only for you"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and not wal.exists():
        return f"the folder {path.parent} is read-only for you (SQLite needs to write beside it)"
    return ""


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    # Never immutable=1: such a connection never sees another process's change (a read-only
    # user's app saw 0 of 600). Read-only, SQLite may still be unable to read a WAL file;
    # Database._check_readable_readonly says so.
    mode = "ro" if readonly else "rwc"
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
        if "full" in text or ("I/O error" in text and _free_bytes(path) < LOW_DISK_BYTES):
            # A full disk often surfaces as an I/O error (writing -shm or -wal failed).
            raise DatabaseError(
                f"the disk holding {path} is full ({text}). Nothing was saved; free some space "
                "and try again."
            ) from err
        if "I/O error" in text:
            raise DatabaseError(
                f"disk I/O error on {path} ({text}). Nothing was saved. If its -wal or -shm "
                "file was removed while itpm-tui had it open, close every itpm-tui using it "
                "and run `itpm-tui doctor`."
            ) from err
        if isinstance(err, sqlite3.OperationalError):
            raise DatabaseError(f"{path}: {text}. Nothing was saved.") from err
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
