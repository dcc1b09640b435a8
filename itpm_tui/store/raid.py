"""The RAID log: risks, issues, assumptions and decisions, each write with its audit rows.

Every write is one IMMEDIATE transaction: the rating is checked against the project's risk
scale, owners and links against their tables, and versioned updates merge or refuse
concurrent edits like tasks (``versioned_update``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.raid import check_rating
from itpm_tui.errors import InvalidInput, NotFound
from itpm_tui.models import AuditEvent, RaidItem, RaidKind, RaidStatus
from itpm_tui.store.projects import project_from_row
from itpm_tui.store.rows import append_audit, insert_row, validate, versioned_update

if TYPE_CHECKING:
    from itpm_tui.store import Store

ENTITY = "raid"
"""The ``entity`` of RAID items in the audit log."""
_LINK_FIELDS = ("task_ids", "milestone_ids")
_SELECT = (
    "SELECT r.*, p.key AS project_key FROM raid_items r JOIN projects p ON p.id = r.project_id"
)


@dataclass(frozen=True)
class RaidFilter:
    """Which items to read; ``None`` means any."""

    project_id: int | None = None
    kind: RaidKind | None = None
    status: RaidStatus | None = None
    owner: str | None = None
    open_only: bool = False

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        for column, value in (("r.project_id", self.project_id), ("r.owner", self.owner),
                              ("r.kind", self.kind), ("r.status", self.status)):  # fmt: skip
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(str(value) if not isinstance(value, int) else value)
        if self.open_only:
            clauses.append("r.status NOT IN ('closed', 'made')")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class RaidRepo:
    """All RAID item reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, item_id: int) -> RaidItem:
        """The item with this id; ``NotFound`` if there is none."""
        with self._store.db.read() as conn:
            return _load(conn, item_id)

    def find(self, where: RaidFilter | None = None) -> list[RaidItem]:
        """Items matching ``where``, by project key then id."""
        condition, params = (where or RaidFilter()).where()
        with self._store.db.read() as conn:
            rows = conn.execute(f"{_SELECT}{condition} ORDER BY p.key, r.id", params).fetchall()
            links = _links(conn, [row["id"] for row in rows])
        return [_item(row, links.get(row["id"], ((), ()))) for row in rows]

    def add(self, item: RaidItem) -> RaidItem:
        """Insert an item (raised by the store's user, today unless given); links too."""
        now = self._store.now()
        who = self._store.user
        with self._store.db.write() as conn:
            _check(conn, item)
            values = item.model_dump(exclude={"id", "project_key", *_LINK_FIELDS})
            values |= {"raised_by": item.raised_by or who, "created_at": now,
                       "updated_at": now, "version": 1}  # fmt: skip
            item_id = insert_row(conn, "raid_items", values)
            _write_links(conn, item_id, item.task_ids, item.milestone_ids)
            changes: list[tuple[str, object, object]] = [("created", None, item.title)]
            changes += [(name, None, getattr(item, name)) for name in _SCORED
                        if getattr(item, name) is not None]  # fmt: skip
            append_audit(conn, at=now, who=who, entity=ENTITY, entity_id=item_id,
                         changes=changes, version=1)  # fmt: skip
            return _load(conn, item_id)

    def update(
        self, item_id: int, changes: Mapping[str, object], *, expected_version: int | None = None
    ) -> RaidItem:
        """Change fields (links included); merged or refused like a task's (see tasks.py)."""
        if {"id", "project_id", "project_key", "raised_by", "created_at"} & set(changes):
            raise InvalidInput("a RAID item's id, project and who raised it cannot change")
        now = self._store.now()
        with self._store.db.write() as conn:
            current = _load(conn, item_id)
            item, changed = versioned_update(
                conn, table="raid_items", entity=ENTITY, entity_id=item_id,
                current=_WithoutLinks.strip(current),
                changes={k: v for k, v in changes.items() if k not in _LINK_FIELDS},
                expected_version=expected_version, who=self._store.user, at=now,
                extra_columns={"updated_at": now},
            )  # fmt: skip
            links = {k: _as_ids(v) for k, v in changes.items()
                     if k in _LINK_FIELDS and _as_ids(v) != getattr(current, k)}  # fmt: skip
            merged = item.model_copy(update={
                "task_ids": links.get("task_ids", current.task_ids),
                "milestone_ids": links.get("milestone_ids", current.milestone_ids),
            })  # fmt: skip
            if changed or links:
                _check(conn, merged)
            if links:
                version = item.version
                if not changed:
                    version += 1
                    conn.execute(
                        "UPDATE raid_items SET version = ?, updated_at = ? WHERE id = ?",
                        (version, now, item_id),
                    )
                conn.execute("DELETE FROM raid_links WHERE item_id = ?", (item_id,))
                _write_links(conn, item_id, merged.task_ids, merged.milestone_ids)
                append_audit(
                    conn, at=now, who=self._store.user, entity=ENTITY, entity_id=item_id,
                    changes=[(k, _ids(getattr(current, k)), _ids(v)) for k, v in links.items()],
                    version=version,
                )  # fmt: skip
            return _load(conn, item_id)

    def history(self, item_id: int) -> list[AuditEvent]:
        """Every recorded change of the item, oldest first."""
        self.get(item_id)
        return self._store.audit.find(entity=ENTITY, entity_id=item_id, newest_first=False)


_SCORED = ("probability", "impact", "cost_impact")
"""Recorded on creation too, so the score history starts at the first rating."""


class _WithoutLinks:
    """Links live in their own table: the versioned update sees the item without them."""

    @staticmethod
    def strip(item: RaidItem) -> RaidItem:
        return item.model_copy(update={"task_ids": (), "milestone_ids": (), "project_key": None})


def _as_ids(value: object) -> tuple[int, ...]:
    if not isinstance(value, (tuple, list)) or not all(isinstance(i, int) for i in value):
        raise InvalidInput("links are lists of ids")
    return tuple(dict.fromkeys(value))


def _ids(ids: object) -> str:
    return ", ".join(f"#{i}" for i in ids) if isinstance(ids, tuple) else ""


def _check(conn: sqlite3.Connection, item: RaidItem) -> None:
    """Clear messages for an unknown project, owner, task or milestone, or an off-scale rating."""
    row = conn.execute("SELECT * FROM projects WHERE id = ?", (item.project_id,)).fetchone()
    if row is None:
        raise NotFound(f"no project with id {item.project_id}")
    project = project_from_row(row)
    if item.probability is not None or item.impact is not None:
        check_rating(project.risk_settings, item.probability, item.impact)
    if (
        item.owner is not None
        and not conn.execute("SELECT 1 FROM people WHERE login = ?", (item.owner,)).fetchone()
    ):
        raise NotFound(f"no person {item.owner!r}; add them with `itpm-tui person add`")
    for task_id in item.task_ids:
        task = conn.execute("SELECT project_id FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if task is None:
            raise NotFound(f"no task #{task_id}")
    for milestone_id in item.milestone_ids:
        found = conn.execute(
            "SELECT project_id FROM milestones WHERE id = ?", (milestone_id,)
        ).fetchone()
        if found is None:
            raise NotFound(f"no milestone with id {milestone_id}")
        if found["project_id"] != item.project_id:
            raise InvalidInput(f"milestone {milestone_id} belongs to another project")


def _write_links(
    conn: sqlite3.Connection, item_id: int, task_ids: tuple[int, ...],
    milestone_ids: tuple[int, ...],
) -> None:  # fmt: skip
    conn.executemany("INSERT INTO raid_links (item_id, task_id) VALUES (?, ?)",
                     [(item_id, t) for t in dict.fromkeys(task_ids)])  # fmt: skip
    conn.executemany("INSERT INTO raid_links (item_id, milestone_id) VALUES (?, ?)",
                     [(item_id, m) for m in dict.fromkeys(milestone_ids)])  # fmt: skip


def _links(
    conn: sqlite3.Connection, item_ids: list[int]
) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]]:
    """Each item's linked task ids and milestone ids, in the order they were linked."""
    if not item_ids:
        return {}
    tasks: dict[int, list[int]] = {}
    milestones: dict[int, list[int]] = {}
    sql = "SELECT item_id, task_id, milestone_id FROM raid_links"
    params: list[int] = []
    if len(item_ids) <= 500:  # SQLite's parameter limit is far above; a scan beats it beyond
        sql += f" WHERE item_id IN ({', '.join('?' * len(item_ids))})"
        params = item_ids
    for item_id, task_id, milestone_id in conn.execute(f"{sql} ORDER BY id", params).fetchall():
        if task_id is not None:
            tasks.setdefault(item_id, []).append(task_id)
        else:
            milestones.setdefault(item_id, []).append(milestone_id)
    return {i: (tuple(tasks.get(i, ())), tuple(milestones.get(i, ()))) for i in item_ids}


def _load(conn: sqlite3.Connection, item_id: int) -> RaidItem:
    row = conn.execute(f"{_SELECT} WHERE r.id = ?", (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"no RAID item #{item_id}")
    return _item(row, _links(conn, [item_id])[item_id])


def _item(
    row: sqlite3.Row | dict[str, Any], links: tuple[tuple[int, ...], tuple[int, ...]]
) -> RaidItem:
    data = dict(row)
    try:
        return validate(RaidItem, {**data, "task_ids": links[0], "milestone_ids": links[1]})
    except InvalidInput as err:
        raise InvalidInput(f"cannot read RAID item #{data.get('id')}: {err}") from err
