"""Preparing a group-shared database file and checking a database's health (``doctor``).

A shared file on a jump host works for every user only if (see NOTES, "SQLite shared by
several processes"): the directory is setgid and owned by the team's group, the database
file is created by the app with mode 0660 *before* WAL is enabled (SQLite gives ``-wal`` and
``-shm`` the database file's mode), nothing is world-writable, and the filesystem is local.
"""

from __future__ import annotations

import grp
import os
import pwd
import sqlite3
import stat
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from itpm_tui.errors import DatabaseError
from itpm_tui.store.db import (
    SQLITE_HEADER,
    Backend,
    Database,
    _readonly_reason,
    expected_tables,
    filesystem_type,
    is_network_filesystem,
    schema_version_of,
)
from itpm_tui.store.replica import ReplicaStatus, replica_status
from itpm_tui.store.rows import append_audit
from itpm_tui.store.schema import SCHEMA_VERSION, worklog_days_problems
from itpm_tui.store.transfer import row_counts, unreadable_rows

SHARED_FILE_MODE = 0o660
"""Owner and group read-write; nothing for others."""
SHARED_DIR_MODE = 0o2770
"""setgid (new files take the directory's group), owner and group full access."""


@dataclass(frozen=True)
class FileInfo:
    """Who owns a file and who may use it."""

    path: str
    exists: bool
    mode: str = ""
    """Permission bits in octal, e.g. ``0660`` or ``2770`` for a setgid directory."""
    owner: str = ""
    group: str = ""
    size: int = 0

    @classmethod
    def of(cls, path: Path) -> FileInfo:
        """Read ``path``'s metadata (``exists=False`` if it is not there)."""
        try:
            info = path.stat()
        except OSError:
            return cls(str(path), False)
        return cls(
            str(path), True, f"{stat.S_IMODE(info.st_mode):04o}", _user_name(info.st_uid),
            _group_name(info.st_gid), info.st_size,
        )  # fmt: skip

    @property
    def world_writable(self) -> bool:
        """Anyone on the machine may write it."""
        return bool(self.mode) and bool(int(self.mode, 8) & stat.S_IWOTH)

    @property
    def setgid(self) -> bool:
        """The setgid bit is set (for a directory: new files inherit its group)."""
        return bool(self.mode) and bool(int(self.mode, 8) & stat.S_ISGID)


def companions(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files SQLite keeps beside the database in WAL mode."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


# --- init --shared -------------------------------------------------------------------------


@dataclass(frozen=True)
class InitReport:
    """What ``init --shared`` did and what the administrator should still fix."""

    path: str
    created: bool
    """False if the database already existed (its permissions were checked and tightened)."""
    schema_version: int
    files: tuple[FileInfo, ...]
    """The directory, the database and its -wal/-shm files (if present)."""
    warnings: tuple[str, ...] = ()


def init_shared(path: Path) -> InitReport:
    """Create (or tighten) a database several users of one group can share.

    The directory is created setgid (2770) if missing; the file is created 0660 before
    SQLite ever opens it, then switched to WAL and migrated. An existing database keeps its
    data; its files lose any world access and gain group read-write.
    """
    path = path.expanduser().absolute()
    directory = path.parent
    warnings: list[str] = []
    if not directory.exists():
        try:
            directory.mkdir(parents=True)
            os.chmod(directory, SHARED_DIR_MODE)
        except OSError as err:
            raise DatabaseError(f"cannot create {directory}: {err.strerror}.") from err
        warnings.append(
            f"created {directory} (setgid) with group {FileInfo.of(directory).group!r}; "
            f"if your team has its own group, run: chgrp TEAM {directory}"
        )
    elif not directory.is_dir():
        raise DatabaseError(f"{directory} is not a directory.")
    created = not path.exists()
    if created:
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SHARED_FILE_MODE)
        except OSError as err:
            raise DatabaseError(f"cannot create {path}: {err.strerror}.") from err
        try:
            os.fchmod(handle, SHARED_FILE_MODE)  # the umask may have removed group write
        finally:
            os.close(handle)
    db = Database(path)  # checks the header, enables WAL, migrates; -wal/-shm copy 0660
    try:
        version = db.schema_version()
    finally:
        db.close()
    for file in (path, *companions(path)):
        if file.exists():
            try:
                os.chmod(file, SHARED_FILE_MODE)
            except OSError as err:
                warnings.append(f"could not set {file} to 0660: {err.strerror}")
    warnings += _sharing_warnings(path)
    files = tuple(FileInfo.of(p) for p in (directory, path, *companions(path)) if p.exists())
    return InitReport(str(path), created, version, files, tuple(warnings))


def _sharing_warnings(path: Path) -> list[str]:
    """What could stop other users from using ``path`` safely."""
    warnings = []
    directory = FileInfo.of(path.parent)
    fs = filesystem_type(path.parent)
    if is_network_filesystem(path.parent):
        warnings.append(
            f"{path.parent} is on a network filesystem ({fs}): SQLite's locking is unsafe "
            "there and WAL needs every process on one host. Put the database on a local disk "
            "of the jump host."
        )
    if not directory.setgid:
        warnings.append(
            f"{path.parent} lacks the setgid bit: -wal/-shm files another user creates get "
            f"their own group and may lock others out. Run: chgrp TEAM {path.parent} && "
            f"chmod 2770 {path.parent}"
        )
    if directory.world_writable and not int(directory.mode, 8) & stat.S_ISVTX:
        warnings.append(f"{path.parent} is writable by everyone: anyone could replace the file")
    database = FileInfo.of(path)
    if database.group and database.group == database.owner:
        warnings.append(
            f"{path} belongs to the personal group {database.group!r}; give it the team's "
            f"group: chgrp TEAM {path}"
        )
    return warnings


# --- doctor --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoctorReport:
    """Everything worth knowing when a database misbehaves, with the problems found."""

    path: str
    exists: bool
    is_sqlite: bool = False
    integrity: str = ""
    """``ok``, or what ``PRAGMA integrity_check`` (or opening the file) reported."""
    schema_version: int | None = None
    app_schema_version: int = SCHEMA_VERSION
    journal_mode: str = ""
    files: tuple[FileInfo, ...] = ()
    """The database, its -wal and -shm files, and its directory."""
    directory_setgid: bool = False
    filesystem: str = ""
    network_filesystem: bool = False
    wal_bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    readonly_reason: str = ""
    """Why this user cannot write (empty if they can)."""
    unreadable: tuple[str, ...] = ()
    """Rows the app cannot read (a login with a space, a date like 31/12/2026), at most 5."""
    missing_tables: tuple[str, ...] = ()
    """Tables the schema version promises that the file lacks (or, at version 0, every
    table of another program's file: itpm-tui will not use it)."""
    problems: tuple[str, ...] = ()
    backend: str = "sqlite"
    """``sqlite`` or ``postgresql`` (then ``path`` is the URL and there are no files)."""
    replica: ReplicaStatus | None = None
    """The Litestream replica named by the config beside the file (None: no config)."""

    @property
    def integrity_ok(self) -> bool:
        """The database (an SQLite file, or PostgreSQL) passed its integrity check."""
        return (self.is_sqlite or self.backend == "postgresql") and self.integrity == "ok"

    @property
    def ok(self) -> bool:
        """The file can be used by this version of the app."""
        return (
            self.integrity_ok
            and self.schema_version is not None
            and self.schema_version <= SCHEMA_VERSION
            and not self.missing_tables
        )

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``doctor --json``."""
        return asdict(self) | {"integrity_ok": self.integrity_ok, "ok": self.ok}


def doctor(path: Path | str, now: datetime | None = None) -> DoctorReport:
    """Inspect a database without changing it (opened read-only; nothing is created).

    With ``now`` (the wall clock), a Litestream config beside the file has its replica's
    age checked too (``store/replica.py``); a stale replica is one of the problems. A
    PostgreSQL URL gets PostgreSQL's checks (no files, no replica).
    """
    if isinstance(path, str):
        return _doctor_postgresql(path)
    path = path.expanduser().absolute()
    report = _doctor(path)
    status = replica_status(path, now) if now is not None and report.exists else None
    if status is None:
        return report
    problems = report.problems + ((status.problem,) if status.problem else ())
    return replace(report, replica=status, problems=problems)


def _doctor(path: Path) -> DoctorReport:
    wal, shm = companions(path)
    files = tuple(FileInfo.of(p) for p in (path, wal, shm, path.parent))
    fs = filesystem_type(path.parent) if path.parent.exists() else ""
    base: dict[str, Any] = {
        "path": str(path), "files": files, "directory_setgid": files[3].setgid,
        "filesystem": fs, "network_filesystem": is_network_filesystem(path.parent)
        if path.parent.exists() else False,
        "wal_bytes": files[1].size,
    }  # fmt: skip
    try:
        is_file = path.is_file()
    except PermissionError:
        return DoctorReport(exists=False, problems=(
            f"cannot reach {path}: a folder on the way is not open to you (permissions)",
        ), **base)  # fmt: skip
    if not is_file:
        return DoctorReport(exists=False, problems=(f"{path} does not exist",), **base)
    problems: list[str] = []
    readonly = _readonly_reason(path)
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError as err:
        return DoctorReport(exists=True, problems=(f"cannot read {path}: {err.strerror}",),
                            readonly_reason=readonly, **base)  # fmt: skip
    if header and header[:16] != SQLITE_HEADER:
        return DoctorReport(
            exists=True, integrity="not an SQLite file", readonly_reason=readonly,
            problems=(f"{path} is not an SQLite file",), **base,
        )  # fmt: skip
    report: dict[str, Any] = {"exists": True, "is_sqlite": True, "readonly_reason": readonly}
    # With no -wal/-shm beside it the file holds everything: read it as immutable, so the
    # doctor creates no -wal/-shm of its own (which would carry this user's group).
    quiet = not wal.exists() and not shm.exists()
    try:
        conn = sqlite3.connect(
            f"{path.as_uri()}?{'immutable=1' if quiet else 'mode=ro'}", uri=True,
            isolation_level=None,
        )  # fmt: skip
    except sqlite3.Error as err:
        return DoctorReport(**base, **report, integrity=f"cannot open: {err}",
                            problems=(f"cannot open {path}: {err}",))  # fmt: skip
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        report["schema_version"] = int(conn.execute("PRAGMA user_version").fetchone()[0])
        report["journal_mode"] = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
        if quiet and len(header) == 20 and header[18] == 2:
            report["journal_mode"] = "wal"  # immutable reads report "delete"; the header knows
        results = [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
        lines = [line for r in results for line in r.splitlines() if "***" not in line]
        report["integrity"] = "ok" if results == ["ok"] else "; ".join(lines[:10])
        report["counts"] = row_counts(conn)
        if report["integrity"] == "ok" and report["schema_version"] == SCHEMA_VERSION:
            report["unreadable"] = tuple(unreadable_rows(conn))
            if "worklog_days" in report["counts"]:
                triggers = {str(r[0]) for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}  # fmt: skip
                problems += worklog_days_problems(conn, triggers)
    except sqlite3.Error as err:
        report["integrity"] = report.get("integrity") or f"error: {err}"
    finally:
        conn.close()
    if report.get("integrity") != "ok":
        problems.append(f"integrity check failed: {report['integrity']}")
        problems.append(
            "to recover: stop every itpm-tui using the file, keep a copy of it, then run "
            f"`sqlite3 {path} .recover | sqlite3 {path}.recovered`, check the copy with "
            f"`itpm-tui --db {path}.recovered doctor` and move it in place of {path.name} "
            "(or import your latest export into a new file)"
        )
    version = report.get("schema_version")
    if version is not None and version > SCHEMA_VERSION:
        problems.append(
            f"schema {version} is newer than this itpm-tui reads ({SCHEMA_VERSION}); upgrade"
        )
    tables = set(report.get("counts", {}))
    if version == 0 and tables:
        report["missing_tables"] = tuple(sorted(expected_tables(SCHEMA_VERSION)))
        problems.append(
            f"not an itpm-tui database: it has tables {', '.join(sorted(tables))} and no "
            "itpm-tui schema version; point --db / ITPM_DB at the right file"
        )
    elif version == 0:
        problems.append("the database is empty and not set up yet (`itpm-tui init` sets it up)")
    elif version is not None and version <= SCHEMA_VERSION and report.get("integrity") == "ok":
        missing = tuple(sorted(expected_tables(version) - tables))
        report["missing_tables"] = missing
        if missing:
            problems.append(f"schema {version} but the tables {', '.join(missing)} are missing")
    problems += [_UNREADABLE.format(row=row) for row in report.get("unreadable", ())]
    if report.get("journal_mode") not in (None, "wal"):
        problems.append(f"journal mode is {report['journal_mode']}, not wal")
    if base["network_filesystem"]:
        problems.append(f"on a network filesystem ({fs}): SQLite locking is unsafe there")
    problems += [f"{f.path} is writable by everyone" for f in files[:3] if f.world_writable]
    if readonly:
        problems.append(f"writes are refused: {readonly}")
    return DoctorReport(**base, **report, problems=tuple(problems))


_UNREADABLE = (
    "the app cannot read {row} (it is left out). Fix it: `itpm-tui export -o FILE.json`, "
    "correct that row in FILE.json, then `itpm-tui import --replace FILE.json` (the import "
    "checks every row)"
)


def _doctor_postgresql(url: str) -> DoctorReport:
    """PostgreSQL's doctor: schema version, tables, audit triggers, counts, orphans, rows."""
    from itpm_tui.store.pg import PgDatabase, integrity_problems
    from itpm_tui.store.urls import safe_url

    try:
        db = PgDatabase(url, inspect=True)
    except DatabaseError as err:
        return DoctorReport(path=safe_url(url), exists=False, backend="postgresql",
                            problems=(str(err),))  # fmt: skip
    try:
        with db.read() as conn:
            version = schema_version_of(conn)
            counts = row_counts(conn)
            found = integrity_problems(conn) if version else []
            missing = tuple(sorted(expected_tables(min(version, SCHEMA_VERSION)) - set(counts)))
            unreadable = tuple(unreadable_rows(conn)) if not found and not missing else ()
    finally:
        db.close()
    problems = [f"integrity check failed: {p}" for p in found]
    if version == 0:
        problems.append("the database is empty and not set up yet (`itpm-tui init` sets it up)")
    if version > SCHEMA_VERSION:
        problems.append(
            f"schema {version} is newer than this itpm-tui reads ({SCHEMA_VERSION}); upgrade"
        )
    if missing:
        problems.append(f"schema {version} but the tables {', '.join(missing)} are missing")
    problems += [_UNREADABLE.format(row=row) for row in unreadable]
    return DoctorReport(
        path=db.path, exists=True, integrity="ok" if not found else "; ".join(found),
        schema_version=version, journal_mode="postgresql", counts=counts,
        unreadable=unreadable, missing_tables=missing, problems=tuple(problems),
        backend="postgresql",
    )  # fmt: skip


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


# --- replacing all data of a shared file -----------------------------------------------------


def is_shared(path: Path | str) -> bool:
    """The file is group-writable: other people's data lives in it (as ``init --shared`` makes).

    A PostgreSQL URL is not a file: its replacements are not backed up beside it.
    """
    if isinstance(path, str):
        return False
    try:
        return bool(path.stat().st_mode & stat.S_IWGRP)
    except OSError:
        return False


def log_replacement(db: Backend, *, at: str, who: str, what: str, backup: Path) -> None:
    """Say in the (new) audit log who replaced all data, and where the old data went."""
    with db.write() as conn:
        append_audit(conn, at=at, who=who, entity="database", entity_id=0,
                     changes=[(what, None, backup.name)], version=None)  # fmt: skip
