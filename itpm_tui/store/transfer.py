"""Export the whole database to JSON and import it back, exactly (see "Export format" in README).

The file is one JSON object::

    {"format": "itpm-tui", "schema_version": 1,
     "tables": {"audit": {"columns": ["id", "at", ...], "rows": [[1, "2026-...", ...], ...]},
                ...}}

Every table of the schema is present (but the derived ``worklog_days``, which an import
rebuilds from the worklogs), tables sorted by name, columns in schema order, rows by
id (by primary key where a table has no id), and each value exactly as stored: text,
integer, real or null. Export, import into an empty database and export again gives the
same bytes, on either backend and across them (``copy_database``, ``migrate-to``).
"""

from __future__ import annotations

import io
import json
import math
import re
import sqlite3
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from pydantic import BaseModel, ValidationError

from itpm_tui.domain.network import find_cycle
from itpm_tui.errors import DatabaseError, InvalidInput, SchemaTooNew
from itpm_tui.models import (
    AuditEvent,
    Baseline,
    CostEntry,
    ForecastChange,
    Leave,
    Milestone,
    ParkingItem,
    Person,
    PersonRate,
    RaidItem,
    StandupEntry,
    StandupSession,
    Task,
    Timer,
    Worklog,
)
from itpm_tui.store.changes import baseline_task_row, change_from_row
from itpm_tui.store.db import (
    Backend,
    row_order,
    schema_version_of,
    spool_rows,
    stored_tables,
    unspool,
)
from itpm_tui.store.db import columns_of as columns_of
from itpm_tui.store.projects import project_from_row
from itpm_tui.store.rows import validation_message
from itpm_tui.store.schema import (
    DERIVED_TABLES,
    SCHEMA_VERSION,
    is_postgresql,
    rebuild_worklog_days,
)
from itpm_tui.store.worklogs import capacity_from_row

FORMAT = "itpm-tui"
"""The value of the ``format`` key: what kind of file this is."""
OLDEST_READABLE = 8
"""The oldest export schema an import takes: schema 9 only added ``worklog_days``, a derived
table exports leave out, so an export of schema 8 holds the very tables of schema 9."""


def exported_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables an export holds: all stored ones but the derived, sorted by name."""
    return [table for table in stored_tables(conn) if table not in DERIVED_TABLES]


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: rows per table, and whether old data was replaced."""

    rows: Mapping[str, int]
    replaced: bool

    @property
    def total(self) -> int:
        """All rows written."""
        return sum(self.rows.values())


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many rows each table holds."""
    return {
        table: int(conn.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])
        for table in stored_tables(conn)
    }


def export_json(db: Backend, out: IO[str]) -> dict[str, int]:
    """Write the whole database to ``out`` from one consistent snapshot; return row counts.

    Every table is first copied into an anonymous temporary file inside one short read
    transaction; the JSON is written after it ended, so a slow ``out`` (a pipe, a full
    disk) never pins a snapshot of the shared file. Memory stays bounded for any size.
    """
    counts: dict[str, int] = {}
    tables: list[tuple[str, list[str]]] = []
    with tempfile.TemporaryFile() as spool:
        with db.read() as conn:
            version = schema_version_of(conn)
            for table in exported_tables(conn):
                tables.append((table, columns_of(conn, table)))
                counts[table] = int(conn.execute(f"SELECT count(*) FROM {_quote(table)}")
                                    .fetchone()[0])  # fmt: skip
                order = row_order(conn, table)
                spool_rows(conn, spool, f"SELECT * FROM {_quote(table)} ORDER BY {order}")
        batches = unspool(spool)
        out.write(f'{{\n  "format": {_dump(FORMAT)},\n  "schema_version": {version},\n')
        out.write('  "tables": {')
        for index, (table, columns) in enumerate(tables):
            out.write("," if index else "")
            out.write(f'\n    {_dump(table)}: {{\n      "columns": {_dump(columns)},\n')
            out.write('      "rows": [')
            number = 0
            while number < counts[table]:
                for row in next(batches):
                    out.write(("," if number else "") + "\n        ")
                    out.write(_dump([_exportable(table, columns[i], v) for i, v in enumerate(row)]))
                    number += 1
            out.write("\n      ]\n    }" if counts[table] else "]\n    }")
        out.write("\n  }\n}\n")
    return counts


def export_text(db: Backend) -> str:
    """The export as a string (for tests and small databases)."""
    buffer = io.StringIO()
    export_json(db, buffer)
    return buffer.getvalue()


def import_json(db: Backend, data: Mapping[str, Any], *, replace: bool = False) -> ImportResult:
    """Load a parsed export into ``db`` in one IMMEDIATE transaction: all of it or nothing.

    The database must be empty unless ``replace``, which deletes everything first (the
    audit log too) inside the same transaction. ``data`` comes from ``parse_export``. The
    derived ``worklog_days`` is rebuilt from the imported worklogs at the end.
    """
    tables: dict[str, Any] = data["tables"]
    with db.write() as conn:
        expected = exported_tables(conn)
        _check_tables(conn, tables, expected)
        counts = row_counts(conn)
        if any(counts.values()) and not replace:
            raise InvalidInput(
                f"the database is not empty ({sum(counts.values())} rows); use --replace to "
                "overwrite ALL of it"
            )
        # Checked at COMMIT, so tables load in any order and a dangling reference fails.
        _defer_foreign_keys(conn)
        if replace:
            wipe(conn)
        written: dict[str, int] = {}
        for table in expected:
            spec = tables[table]
            placeholders = ", ".join("?" * len(spec["columns"]))
            names = ", ".join(_quote(c) for c in spec["columns"])
            try:
                conn.executemany(
                    f"INSERT INTO {_quote(table)} ({names}) VALUES ({placeholders})",
                    spec["rows"],
                )
            except (sqlite3.IntegrityError, OverflowError, sqlite3.InterfaceError) as err:
                raise InvalidInput(
                    f"the file's table {table} breaks a database rule: {err}"
                ) from err
            written[table] = len(spec["rows"])
        broken = _dangling_references(conn)
        if broken:
            where = ", ".join(sorted({f"{table} -> {target}" for table, target in broken}))
            raise InvalidInput(f"the file refers to rows it does not contain ({where})")
        # Rules only the models know (dates, lengths, logins, calendars) must hold too, or
        # every later read, health check or export would fail on the row.
        for table in expected:
            _validate_rows(conn, table, tables[table])
        links = conn.execute("SELECT pred_id, succ_id FROM task_links").fetchall()
        cycle = find_cycle((int(p), int(s)) for p, s in links)
        if cycle:
            loop = " -> ".join(f"#{i}" for i in cycle)
            raise InvalidInput(f"the file's task_links make a cycle: {loop}")
        rebuild_worklog_days(conn)
    return ImportResult(rows=written, replaced=replace)


def copy_database(source: Backend, target: Backend) -> dict[str, int]:
    """Copy every row of ``source`` into the EMPTY ``target`` (either backend, either way).

    Verified by export equality: the target's export must be the source's, byte for byte,
    else ``DatabaseError`` (and the copy stays for a look). Returns the row counts.
    """
    before = export_text(source)
    counts = {table: len(spec["rows"]) for table, spec in parse_export(before)["tables"].items()}
    import_json(target, parse_export(before))
    if export_text(target) != before:
        raise DatabaseError(
            f"the copy in {target.path} differs from {source.path} (exports are not equal); "
            "do not use it, and report this"
        )
    return counts


def _defer_foreign_keys(conn: sqlite3.Connection) -> None:
    """Check foreign keys at COMMIT, so rows may arrive in any order (inside a write)."""
    conn.execute("SET CONSTRAINTS ALL DEFERRED" if is_postgresql(conn)
                 else "PRAGMA defer_foreign_keys = ON")  # fmt: skip


def _dangling_references(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, referenced table) for rows whose foreign key finds nothing."""
    if is_postgresql(conn):
        from itpm_tui.store import pg

        return pg.foreign_key_problems(conn)
    return [(row[0], row[2]) for row in conn.execute("PRAGMA foreign_key_check").fetchall()]


def _model_check(model: type[BaseModel], **fixed: object) -> Callable[[dict[str, Any]], object]:
    def check(row: dict[str, Any]) -> object:
        return model.model_validate({**row, **fixed})

    return check


def _check_raid_link(row: dict[str, Any]) -> object:
    if (row.get("task_id") is None) == (row.get("milestone_id") is None):
        raise InvalidInput("a RAID link names a task or a milestone")
    return row


def _check_baseline_milestone(row: dict[str, Any]) -> object:
    return Baseline.model_validate({"project_id": 0, "number": 0, "name": "x",
                                    "made_on": row["baseline"], "bac": 0})  # fmt: skip


def _check_forecast(row: dict[str, Any]) -> object:
    return ForecastChange.model_validate({k: row[k] for k in ("recorded_on", "forecast")})


ROW_MODELS: Mapping[str, Callable[[dict[str, Any]], object]] = {
    "audit": _model_check(AuditEvent),
    "baseline_milestones": _check_baseline_milestone,
    "baseline_tasks": baseline_task_row,
    "baselines": _model_check(Baseline, milestones={}, tasks=()),
    "change_requests": change_from_row,
    "cost_entries": _model_check(CostEntry),
    "milestone_forecasts": _check_forecast,
    "milestones": _model_check(Milestone, history=()),
    "parking_lot": _model_check(ParkingItem),
    "people": _model_check(Person),
    "person_capacity": capacity_from_row,
    "person_leave": _model_check(Leave),
    "person_rates": _model_check(PersonRate),
    "projects": project_from_row,
    "raid_items": _model_check(RaidItem, project_key=None),
    "raid_links": _check_raid_link,
    "standup_entries": _model_check(StandupEntry),
    "standups": _model_check(StandupSession),
    "tasks": _model_check(Task, project_key=None),
    "timers": _model_check(Timer),
    "worklogs": _model_check(Worklog),
}
"""How the store turns a row of each table into a model: an import must pass the same."""


def unreadable_rows(conn: sqlite3.Connection, limit: int = 5) -> list[str]:
    """Rows the app cannot read back (at most ``limit``), each named: for ``doctor``."""
    found: list[str] = []
    for table in stored_tables(conn):
        check = ROW_MODELS.get(table)
        if check is None:
            continue
        cursor = conn.execute(f"SELECT * FROM {_quote(table)} ORDER BY {row_order(conn, table)}")
        names = [c[0] for c in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            try:
                check(row)
            except (ValidationError, InvalidInput) as err:
                text = validation_message(err) if isinstance(err, ValidationError) else str(err)
                key = f"login {row['login']!r}" if table == "people" else f"id {row.get('id')}"
                found.append(f"table {table}, {key}: {text}")
                if len(found) >= limit:
                    return found
    return found


def _validate_rows(conn: sqlite3.Connection, table: str, spec: Mapping[str, Any]) -> None:
    """Read every imported row of ``table`` back as the app will; name table, row and column."""
    check = ROW_MODELS.get(table)
    if check is None:
        return
    columns = spec["columns"]
    # Rows are read back by rowid (what SQLite stored, after type affinity); an id column is
    # the rowid, otherwise rows were numbered in file order into the emptied table.
    position = (
        {row[columns.index("id")]: n for n, row in enumerate(spec["rows"], start=1)}
        if "id" in columns
        else None
    )
    # PostgreSQL has no rowid: there rows are read by id (or key) and counted in that order.
    rowid = "id" if is_postgresql(conn) and "id" in columns else "rowid"
    if is_postgresql(conn) and rowid == "rowid":
        rowid = f"row_number() OVER (ORDER BY {row_order(conn, table)})"
    cursor = conn.execute(f"SELECT {rowid} AS _rowid, * FROM {_quote(table)} ORDER BY _rowid")
    names = [c[0] for c in cursor.description]
    for number, values in enumerate(cursor, start=1):
        row = dict(zip(names, values, strict=True))
        rowid = row.pop("_rowid")
        where = f"table {table}, row {position.get(rowid, number) if position else number}"
        where += f" (id {rowid})" if position else ""
        try:
            check(row)
        except ValidationError as err:
            raise InvalidInput(f"the file's {where}: {validation_message(err)}") from err
        except InvalidInput as err:
            raise InvalidInput(f"the file's {where}: {err}") from err


def wipe(conn: sqlite3.Connection) -> None:
    """Delete every row of every table, inside the caller's write transaction.

    The audit log's append-only triggers are dropped and re-created from their own SQL in
    the same transaction, so no other connection ever sees the log unprotected, and a
    failure rolls everything back. Used by ``import --replace`` and ``demo --force``.
    """
    if not conn.in_transaction:
        raise DatabaseError("wipe() needs an open write transaction")
    if is_postgresql(conn):
        from itpm_tui.store import pg

        pg.wipe_all(conn, stored_tables(conn))
        return
    conn.execute("PRAGMA defer_foreign_keys = ON")
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {_quote(name)}")
    for table in stored_tables(conn):
        conn.execute(f"DELETE FROM {_quote(table)}")
    for _, sql in triggers:
        conn.execute(sql)


def parse_export(text: str) -> dict[str, Any]:
    """Decode an export and check its kind and schema version (before any database is opened)."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError) as err:
        raise InvalidInput(f"not an itpm-tui export: invalid JSON ({err})") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f'not an itpm-tui export: no "format": "{FORMAT}" at the top')
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput("not an itpm-tui export: schema_version is not a positive number")
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the file was exported by a newer itpm-tui (schema {version}; this version reads "
            f"up to {SCHEMA_VERSION}). Upgrade itpm-tui; nothing was changed."
        )
    if version < OLDEST_READABLE:
        raise InvalidInput(
            f"the file has schema {version} but this itpm-tui writes schema {SCHEMA_VERSION}; "
            "import it with the itpm-tui version that exported it, then export again"
        )
    if not isinstance(data.get("tables"), dict):
        raise InvalidInput('not an itpm-tui export: "tables" is missing or not an object')
    return data


def _check_tables(conn: sqlite3.Connection, tables: dict[str, Any], expected: list[str]) -> None:
    """Every table present with the database's columns, and rows of plain values."""
    missing = sorted(set(expected) - set(tables))
    unknown = sorted(set(tables) - set(expected))
    if missing or unknown:
        detail = "; ".join(
            part for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
            ) if part
        )  # fmt: skip
        raise InvalidInput(f"the file's tables do not match schema {SCHEMA_VERSION}: {detail}")
    for table in expected:
        spec = tables[table]
        if not isinstance(spec, dict) or set(spec) != {"columns", "rows"}:
            raise InvalidInput(f'table {table}: expected an object with "columns" and "rows"')
        columns = columns_of(conn, table)
        if spec["columns"] != columns:
            raise InvalidInput(
                f"table {table}: columns {spec['columns']!r} do not match {columns!r}"
            )
        rows = spec["rows"]
        if not isinstance(rows, list):
            raise InvalidInput(f'table {table}: "rows" is not a list')
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise InvalidInput(
                    f"table {table}, row {number}: expected a list of {len(columns)} values"
                )
            for column, value in zip(columns, row, strict=True):
                if value is not None and (
                    isinstance(value, bool) or not isinstance(value, (str, int, float))
                ):
                    raise InvalidInput(
                        f"table {table}, row {number}: {value!r} is not text, a number or null"
                    )
                if isinstance(value, float) and not math.isfinite(value):
                    # JSON reads 1e400 as infinity, which no export could write back.
                    raise InvalidInput(
                        f"table {table}, row {number}, column {column}: the number is too "
                        "large (not finite)"
                    )


def _exportable(table: str, column: str, value: object) -> object:
    if isinstance(value, bytes):
        raise DatabaseError(f"cannot export binary data in {table}.{column}")
    if isinstance(value, float) and not math.isfinite(value):
        raise DatabaseError(f"cannot export {value} in {table}.{column} (JSON has no such number)")
    return value


_TERMINAL_CONTROLS = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What ``json`` leaves raw with ``ensure_ascii=False`` that a terminal would act on."""


def _dump(value: object) -> str:
    """Compact JSON in UTF-8, with DEL, C1 and bidi controls escaped as ``\\uXXXX``.

    The same values either way, but an export printed to a terminal (or paged) cannot
    drive it; C0 controls ``json`` escapes itself.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _TERMINAL_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
