"""Converting between models and stored rows, and the shared versioned-update recipe."""

from __future__ import annotations

import functools
import json
import os
import pwd
import sqlite3
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from itpm_tui.domain.safe_text import refuse_unsafe
from itpm_tui.domain.task_fields import TASK_FIELDS
from itpm_tui.errors import FieldConflict, InvalidInput, NotFound, StaleWrite
from itpm_tui.store.schema import is_postgresql

M = TypeVar("M", bound=BaseModel)


def to_db(value: object) -> object:
    """A Python value as SQLite stores it (dates ISO, money as exact text, lists as JSON)."""
    if value is None or (isinstance(value, (int, float, str)) and not isinstance(value, Enum)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"), sort_keys=True)
    if isinstance(value, dict):
        return json.dumps({k: to_db(v) for k, v in value.items()}, sort_keys=True)
    if isinstance(value, (tuple, list)):
        return json.dumps([to_db(v) for v in value])
    raise TypeError(f"cannot store {type(value).__name__}")


@functools.cache
def os_account() -> str:
    """The OS account this process runs as (its uid's name, else the uid number).

    Recorded in every audit row beside the claimed ``--user`` login, which anyone can type.
    """
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid without a passwd entry (containers, LDAP down)
        return str(uid)


def audit_text(value: object) -> str | None:
    """A value as written in the audit log."""
    stored = to_db(value)
    return None if stored is None else str(stored)


def validation_message(err: ValidationError) -> str:
    """One readable sentence from a pydantic error: field name and what is wrong."""
    parts = []
    for problem in err.errors():
        where = ".".join(str(p) for p in problem["loc"]).replace("_", " ")
        message = problem["msg"].removeprefix("Value error, ")
        # A rule over several fields (no field named) already says which in its sentence.
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def validate(model: type[M], data: Mapping[str, Any]) -> M:
    """Build a model, turning validation errors into ``InvalidInput``."""
    try:
        return model.model_validate(data if isinstance(data, dict) else dict(data))
    except ValidationError as err:
        raise InvalidInput(validation_message(err)) from err


MULTI_LINE_FIELDS = frozenset({"yesterday", "today", "blockers", "note", "topic",
                               "description", "mitigation", "reason"}
                              | {f.name for f in TASK_FIELDS if f.multiline})  # fmt: skip
"""Text fields that may hold line breaks and tabs (a task's: the field table's); every other
text is one line."""


_ENTITY_NAMES = {"tasks": "task", "projects": "project", "milestones": "milestone",
                 "cost_entries": "cost entry", "standups": "stand-up",
                 "standup_entries": "stand-up note", "parking_lot": "parked topic",
                 "raid_items": "RAID item", "worklogs": "worklog",
                 "person_leave": "leave", "change_requests": "change request",
                 "baselines": "baseline"}  # fmt: skip


def refuse_control_text(entity: str, values: Mapping[str, object]) -> None:
    """``InvalidInput`` if a text value holds a control character a terminal would act on.

    Every write goes through here, so text that would drive another user's terminal is
    refused at input (it is also shown harmlessly wherever it is read: see safe_text).
    """
    for name, value in values.items():
        if isinstance(value, str):
            what = f"the {entity} {name.replace('_', ' ')}"
            refuse_unsafe(value, what, multiline=name in MULTI_LINE_FIELDS)


def insert_row(conn: sqlite3.Connection, table: str, values: Mapping[str, object]) -> int:
    """Insert one row (values converted with ``to_db``) and return its id."""
    refuse_control_text(_ENTITY_NAMES.get(table, table), values)
    columns = list(values)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    params = [to_db(values[c]) for c in columns]
    if is_postgresql(conn):  # no lastrowid there; RETURNING * also suits tables without id
        row = conn.execute(f"{sql} RETURNING *", params).fetchone()
        return int(row["id"]) if "id" in row.keys() else 0  # noqa: SIM118 - a row, not a dict
    return int(conn.execute(sql, params).lastrowid or 0)


def append_audit(
    conn: sqlite3.Connection,
    *,
    at: str,
    who: str,
    entity: str,
    entity_id: int,
    changes: list[tuple[str, object, object]],
    version: int | None,
) -> None:
    """Append one audit row per changed field, inside the caller's transaction."""
    me = os_account()
    conn.executemany(
        "INSERT INTO audit (at, who, entity, entity_id, field, old, new, version, os_user)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (at, who, entity, entity_id, field, audit_text(old), audit_text(new), version, me)
            for field, old, new in changes
        ],
    )


def versioned_update(
    conn: sqlite3.Connection,
    *,
    table: str,
    entity: str,
    entity_id: int,
    current: M,
    changes: Mapping[str, object],
    expected_version: int | None,
    who: str,
    at: str,
    extra_columns: Mapping[str, object] | None = None,
    derive: Callable[[M, M], Mapping[str, object]] | None = None,
) -> tuple[M, list[tuple[str, object, object]]]:
    """Apply ``changes`` to ``current`` with optimistic concurrency; return (new, changed).

    ``expected_version`` is the version the user saw (``None``: apply to whatever is
    current, for one-shot commands). If others changed the record since, their edits to
    *other* fields are kept and ours merged on top; if they changed a field we change too,
    to a different value, nothing is written and ``StaleWrite`` says who changed what.
    ``derive(old, new)`` may add fields that follow from the change (done -> done_at).
    """
    unknown = set(changes) - set(type(current).model_fields)
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    version = getattr(current, "version")  # noqa: B009 - every versioned model has it
    proposed = validate(type(current), {**current.model_dump(), **changes})
    if expected_version is not None and expected_version != version:
        _raise_on_conflict(conn, entity, entity_id, current, proposed, changes, expected_version)
    if derive is not None:
        derived = derive(current, proposed)
        if derived:
            proposed = validate(type(current), {**proposed.model_dump(), **derived})
    changed = [
        (name, getattr(current, name), getattr(proposed, name))
        for name in type(current).model_fields
        if name not in ("version", "updated_at", "updated_by")
        and getattr(current, name) != getattr(proposed, name)
    ]
    if not changed:
        return current, []
    refuse_control_text(entity, {name: new for name, _, new in changed})
    columns = {name: to_db(new) for name, _, new in changed}
    columns.update(extra_columns or {})
    assignments = ", ".join(f"{name} = ?" for name in columns)
    cursor = conn.execute(
        f"UPDATE {table} SET {assignments}, version = version + 1 WHERE id = ? AND version = ?",
        [*columns.values(), entity_id, version],
    )
    if cursor.rowcount != 1:  # cannot happen inside IMMEDIATE, but never write blind
        raise NotFound(f"{entity} {entity_id} vanished while saving; nothing was written.")
    append_audit(
        conn, at=at, who=who, entity=entity, entity_id=entity_id, changes=changed,
        version=version + 1,
    )  # fmt: skip
    return proposed.model_copy(update={"version": version + 1}), changed


def _raise_on_conflict(
    conn: sqlite3.Connection,
    entity: str,
    entity_id: int,
    current: BaseModel,
    proposed: BaseModel,
    changes: Mapping[str, object],
    expected_version: int,
) -> None:
    rows = conn.execute(
        "SELECT field, who, at, new FROM audit WHERE entity = ? AND entity_id = ? AND version > ?"
        " ORDER BY id",
        (entity, entity_id, expected_version),
    ).fetchall()
    latest = {row["field"]: row for row in rows}
    conflicts = []
    for field in changes:
        # Compare validated values: 5 and 5.0 hours, or 1200.5 and 1200.50, are the same.
        mine = getattr(proposed, field)
        if field in latest and getattr(current, field) != mine:
            row = latest[field]
            conflicts.append(
                FieldConflict(field, row["who"], row["at"], row["new"], audit_text(mine))
            )
    if conflicts:
        raise StaleWrite(entity, entity_id, tuple(conflicts))
