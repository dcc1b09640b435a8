"""The append-only audit log: who changed what, when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from itpm_tui.models import AuditEvent
from itpm_tui.store.rows import validate

if TYPE_CHECKING:
    from itpm_tui.store import Store


class AuditRepo:
    """Reading the audit log (rows are appended by the other repositories' writes)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def find(
        self,
        *,
        entity: str | None = None,
        entity_id: int | None = None,
        who: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[AuditEvent]:
        """Audit events matching every given filter (``since``: at or after that instant)."""
        clauses: list[str] = []
        params: list[object] = []
        for column, value in (("entity", entity), ("entity_id", entity_id), ("who", who)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            # ``at`` keeps its writer's UTC offset, so text order is not time order across
            # offsets (two zones, a DST change). Every instant at or after ``since`` has a
            # local date no earlier than the day before since's UTC date: that bound uses
            # the index, and the instants are compared exactly below.
            clauses.append("at >= ?")
            params.append((since.astimezone(UTC).date() - timedelta(days=1)).isoformat())
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"SELECT * FROM audit{where} ORDER BY id {'DESC' if newest_first else 'ASC'}"
        if limit is not None and since is None:
            sql += " LIMIT ?"
            params.append(limit)
        events = [validate(AuditEvent, r) for r in self._store.db.query(sql, params)]
        if since is not None:
            events = [e for e in events if e.at >= since][:limit]
        return events

    def task_histories_changed_after(self, project_id: int, day: date) -> list[AuditEvent]:
        """The whole history, oldest first, of every task of the project changed after ``day``.

        "After" is by the event's own local date, the date its ``at`` text starts with, so
        comparing that text with the next day's ISO date is exact whatever the UTC offsets.
        Tasks moved out of the project since (a ``project_id`` change whose old value is this
        project) are included, so the project's tasks on ``day`` can be rebuilt. One query;
        ``+entity`` makes the inner search use the ``at`` index (the events after ``day``),
        not the entity index (every task event ever: 38 ms a project at 100k tasks, not 1 ms).
        """
        sql = """
            SELECT * FROM audit WHERE entity = 'task' AND entity_id IN (
                SELECT entity_id FROM audit
                WHERE +entity = 'task' AND at >= ?
                  AND (entity_id IN (SELECT id FROM tasks WHERE project_id = ?)
                       OR (field = 'project_id' AND old = ?))
            ) ORDER BY id
        """
        after = (day + timedelta(days=1)).isoformat()
        rows = self._store.db.query(sql, (after, project_id, str(project_id)))
        return [validate(AuditEvent, r) for r in rows]

    def task_histories_by_project_changed_after(self, day: date) -> dict[int, list[AuditEvent]]:
        """``task_histories_changed_after`` of every project at once, by project id.

        One query instead of one a project (a portfolio replays all of them): the whole
        history of every task changed after ``day``, each task's events then given to the
        project it is in now and to every project it was moved out of after ``day``. The
        same events, in the same order, as the per-project query.
        """
        sql = """
            SELECT a.*, t.project_id AS now_in FROM audit a
            LEFT JOIN tasks t ON t.id = a.entity_id
            WHERE a.entity = 'task' AND a.entity_id IN (
                SELECT entity_id FROM audit WHERE +entity = 'task' AND at >= ?
            ) ORDER BY a.id
        """
        after = (day + timedelta(days=1)).isoformat()
        rows = self._store.db.query(sql, (after,))
        projects: dict[int, set[int]] = {}  # each changed task's projects
        for row in rows:
            task = projects.setdefault(row["entity_id"], set())
            if row["now_in"] is not None:
                task.add(row["now_in"])
            old = row["old"]
            if (row["field"] == "project_id" and row["at"] >= after and old
                    and old.isdigit() and str(int(old)) == old):  # fmt: skip
                task.add(int(old))
        found: dict[int, list[AuditEvent]] = {}
        for row in rows:
            row.pop("now_in")
            event = validate(AuditEvent, row)
            for project_id in projects[event.entity_id]:
                found.setdefault(project_id, []).append(event)
        return found
