"""Task links (the schedule network): each write one IMMEDIATE transaction with its audit row."""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import TYPE_CHECKING

from itpm_tui.domain.link_chain import LinkChain
from itpm_tui.domain.link_spec import LinkChanges
from itpm_tui.errors import InvalidInput, LinkRefused, NotFound, TaskNotFound
from itpm_tui.models import LinkType, TaskLink
from itpm_tui.store.rows import append_audit, validate

if TYPE_CHECKING:
    from itpm_tui.store import Store

LINK_FIELD = "predecessor"
"""The audit field, on the successor task, of a link added (``new``) or removed (``old``)."""


def describe(link: TaskLink) -> str:
    """A link as people and the audit log write it: ``#12 fs`` or ``#12 ss +2``."""
    lag = f" {link.lag:+d}" if link.lag else ""
    return f"#{link.pred_id} {link.kind.value}{lag}"


class LinkRepo:
    """Reading and writing the dependencies between tasks."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self, pred_id: int, succ_id: int, kind: LinkType = LinkType.FS, lag: int = 0
    ) -> TaskLink:
        """Make ``succ_id`` depend on ``pred_id``; refuses unknown tasks, self-links,
        duplicates and cycles (naming the cycle), all checked inside the transaction.

        The successor's version goes up, so someone editing it meanwhile is told.
        """
        link = new_link(pred_id, succ_id, kind, lag)
        with self._store.db.write() as conn:
            self.insert(conn, link)
        return link

    def remove(self, pred_id: int, succ_id: int) -> TaskLink:
        """Delete the link ``pred_id -> succ_id``; ``NotFound`` if there is none."""
        with self._store.db.write() as conn:
            _require_tasks(conn, pred_id, succ_id)
            link = _get(conn, pred_id, succ_id)
            if link is None:
                raise NotFound(f"#{succ_id} does not depend on #{pred_id}")
            self.delete(conn, link)
        return link

    def insert(self, conn: sqlite3.Connection, link: TaskLink) -> None:
        """Add ``link`` inside the caller's write, refusing what ``add`` refuses."""
        pred_id, succ_id = link.pred_id, link.succ_id
        _require_tasks(conn, pred_id, succ_id)
        existing = _get(conn, pred_id, succ_id)
        if existing is not None:
            raise InvalidInput(
                f"#{succ_id} already depends on {describe(existing)}; remove that link first"
            )
        path = _path(conn, succ_id, pred_id)
        if path is not None:
            loop = " -> ".join(f"#{i}" for i in (pred_id, *path))
            raise InvalidInput(f"that link would make a cycle: {loop}")
        conn.execute(
            "INSERT INTO task_links (pred_id, succ_id, kind, lag) VALUES (?, ?, ?, ?)",
            (pred_id, succ_id, link.kind.value, link.lag),
        )
        self._touch(conn, succ_id, old=None, new=describe(link))

    def delete(self, conn: sqlite3.Connection, link: TaskLink) -> None:
        """Remove ``link`` (which must be stored) inside the caller's write."""
        conn.execute(
            "DELETE FROM task_links WHERE pred_id = ? AND succ_id = ?",
            (link.pred_id, link.succ_id),
        )
        self._touch(conn, link.succ_id, old=describe(link), new=None)

    def change_in(self, conn: sqlite3.Connection, succ_id: int, changes: LinkChanges) -> None:
        """Apply the task form's link changes inside the caller's write (``link_changes``).

        Merged with what others did meanwhile, like fields: a link already gone is not
        removed again, and one already there as asked is not added twice. A link someone
        else gave another type or lag is left as they made it, and adding over one is refused.
        """
        try:
            for link in changes.removed:
                if _get(conn, link.pred_id, succ_id) == link:
                    self.delete(conn, link)
            for pred_id, kind, lag in changes.added:
                link = new_link(pred_id, succ_id, kind, lag)
                if _get(conn, pred_id, succ_id) != link:
                    self.insert(conn, link)
        except (InvalidInput, NotFound) as err:
            raise LinkRefused(str(err)) from err

    def _touch(
        self, conn: sqlite3.Connection, task_id: int, old: str | None, new: str | None
    ) -> None:
        now, who = self._store.now(), self._store.user
        conn.execute(
            "UPDATE tasks SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
            (now, who, task_id),
        )
        version = conn.execute("SELECT version FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
        append_audit(conn, at=now, who=who, entity="task", entity_id=task_id,
                     changes=[(LINK_FIELD, old, new)], version=version)  # fmt: skip

    def find(self, project_id: int | None = None) -> list[TaskLink]:
        """Every link (of a project: those with either end in it), by successor then predecessor."""
        sql = "SELECT pred_id, succ_id, kind, lag FROM task_links"
        params: tuple[object, ...] = ()
        if project_id is not None:
            sql += (
                " WHERE pred_id IN (SELECT id FROM tasks WHERE project_id = ?)"
                " OR succ_id IN (SELECT id FROM tasks WHERE project_id = ?)"
            )
            params = (project_id, project_id)
        sql += " ORDER BY succ_id, pred_id"
        with self._store.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_link(row) for row in rows]

    def of_task(self, task_id: int) -> tuple[list[TaskLink], list[TaskLink]]:
        """The task's predecessor links and successor links."""
        with self._store.db.read() as conn:
            preds = conn.execute(
                "SELECT pred_id, succ_id, kind, lag FROM task_links WHERE succ_id = ?"
                " ORDER BY pred_id", (task_id,),
            ).fetchall()  # fmt: skip
            succs = conn.execute(
                "SELECT pred_id, succ_id, kind, lag FROM task_links WHERE pred_id = ?"
                " ORDER BY succ_id", (task_id,),
            ).fetchall()  # fmt: skip
        return [_link(r) for r in preds], [_link(r) for r in succs]

    def chain(self, task_id: int, *, limit: int | None = None) -> LinkChain:
        """Every link upstream and downstream of the task, walked level by level.

        ``limit``: at most that many links each way (the details pane counts 200), so a
        task deep in a 100,000-task network reads a few levels, not the whole graph."""
        with self._store.db.read() as conn:
            up, up_complete = _walk(conn, task_id, limit, upstream=True)
            down, down_complete = _walk(conn, task_id, limit, upstream=False)
        return LinkChain(task_id, up, down, up_complete, down_complete)


_WALK_BATCH = 500
"""Tasks per ``IN (...)`` of a walk's level (SQLite allows 32,766 parameters; keep it small)."""


def _walk(
    conn: sqlite3.Connection, start: int, limit: int | None, *, upstream: bool
) -> tuple[tuple[TaskLink, ...], bool]:
    """The links reached from ``start`` against (``upstream``) or along their direction,
    breadth first; and whether the walk reached the end before ``limit``."""
    near, far = ("succ_id", "pred_id") if upstream else ("pred_id", "succ_id")
    found: list[TaskLink] = []
    seen = {start}
    level = [start]
    while level:
        following: list[int] = []
        for at in range(0, len(level), _WALK_BATCH):
            batch = level[at : at + _WALK_BATCH]
            rows = conn.execute(
                f"SELECT pred_id, succ_id, kind, lag FROM task_links"
                f" WHERE {near} IN ({', '.join('?' * len(batch))}) ORDER BY {near}, {far}",
                batch,
            ).fetchall()
            for row in rows:
                if limit is not None and len(found) == limit:
                    return tuple(found), False  # one more than the limit exists
                link = _link(row)
                found.append(link)
                other = link.pred_id if upstream else link.succ_id
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        level = following
    return tuple(found), True


def new_link(pred_id: int, succ_id: int, kind: LinkType, lag: int) -> TaskLink:
    """A link to store, its values checked (a self-link or a lag out of range refused)."""
    if pred_id == succ_id:
        raise InvalidInput(f"a task cannot depend on itself (#{pred_id})")
    return validate(TaskLink, {"pred_id": pred_id, "succ_id": succ_id, "kind": kind, "lag": lag})


def _link(row: sqlite3.Row | tuple[object, ...]) -> TaskLink:
    pred_id, succ_id, kind, lag = tuple(row)
    return TaskLink.model_validate({"pred_id": pred_id, "succ_id": succ_id, "kind": kind,
                                    "lag": lag})  # fmt: skip


def _require_tasks(conn: sqlite3.Connection, *task_ids: int) -> None:
    for task_id in task_ids:
        if not conn.execute("SELECT 1 FROM tasks WHERE id = ?", (task_id,)).fetchone():
            raise TaskNotFound(f"no task #{task_id}")


def _get(conn: sqlite3.Connection, pred_id: int, succ_id: int) -> TaskLink | None:
    row = conn.execute(
        "SELECT pred_id, succ_id, kind, lag FROM task_links WHERE pred_id = ? AND succ_id = ?",
        (pred_id, succ_id),
    ).fetchone()
    return None if row is None else _link(row)


def _path(conn: sqlite3.Connection, start: int, goal: int) -> tuple[int, ...] | None:
    """The shortest chain of links ``start -> ... -> goal``, if there is one (breadth first)."""
    parent: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            chain = [node]
            while (up := parent[chain[-1]]) is not None:
                chain.append(up)
            return tuple(reversed(chain))
        for (succ,) in conn.execute(
            "SELECT succ_id FROM task_links WHERE pred_id = ? ORDER BY succ_id", (node,)
        ).fetchall():
            if succ not in parent:
                parent[succ] = node
                queue.append(succ)
    return None
