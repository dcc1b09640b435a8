"""The append-only audit log: who changed what, when."""

from __future__ import annotations

from datetime import datetime
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
        """Audit events matching every given filter."""
        clauses: list[str] = []
        params: list[object] = []
        for column, value in (("entity", entity), ("entity_id", entity_id), ("who", who)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            clauses.append("at >= ?")
            params.append(since.isoformat())
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"SELECT * FROM audit{where} ORDER BY id {'DESC' if newest_first else 'ASC'}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [validate(AuditEvent, r) for r in self._store.db.query(sql, params)]
