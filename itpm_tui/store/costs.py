"""Cost entries: money actually spent, the source of AC."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from itpm_tui.errors import InvalidInput, NotFound
from itpm_tui.models import CostEntry, CostRow
from itpm_tui.store.rows import append_audit, insert_row, validate

if TYPE_CHECKING:
    from itpm_tui.store import Store


class CostRepo:
    """Cost entry reads and writes (entries are never edited, only added)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, entry: CostEntry) -> CostEntry:
        """Record money spent."""
        now = self._store.now()
        with self._store.db.write() as conn:
            if not conn.execute("SELECT 1 FROM projects WHERE id = ?", (entry.project_id,)
                                ).fetchone():  # fmt: skip
                raise NotFound(f"no project with id {entry.project_id}")
            values = entry.model_dump(exclude={"id"}) | {"created_by": self._store.user}
            entry_id = insert_row(conn, "cost_entries", values)
            append_audit(
                conn, at=now, who=self._store.user, entity="cost", entity_id=entry_id,
                changes=[("amount", None, entry.amount)], version=None,
            )  # fmt: skip
        return entry.model_copy(update={"id": entry_id, "created_by": self._store.user})

    def find(self, project_id: int | None = None, until: date | None = None) -> list[CostEntry]:
        """Cost entries, oldest first, optionally for one project and up to a date."""
        clauses: list[str] = []
        params: list[object] = []
        if project_id is not None:
            clauses.append("project_id = ?")
            params.append(project_id)
        if until is not None:
            clauses.append("spent_on <= ?")
            params.append(until.isoformat())
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._store.db.query(
            f"SELECT * FROM cost_entries{where} ORDER BY spent_on, id", params
        )
        return [validate(CostEntry, r) for r in rows]

    def find_rows(self) -> list[CostRow]:
        """Every cost entry as a light ``CostRow``, oldest first (as ``find``)."""
        with self._store.db.read() as conn:
            cursor = conn.cursor()
            cursor.row_factory = None  # plain tuples
            cursor.execute("SELECT id, project_id, spent_on, amount FROM cost_entries"
                           " ORDER BY spent_on, id")  # fmt: skip
            rows = cursor.fetchall()
        try:
            return [CostRow(project_id, spent_on if type(spent_on) is date
                            else date.fromisoformat(spent_on),
                            Decimal(amount if isinstance(amount, str) else str(amount)))
                    for _id, project_id, spent_on, amount in rows]  # fmt: skip
        except (ValueError, TypeError, InvalidOperation) as err:
            raise InvalidInput(f"cannot read the cost entries: {err!r}") from err
