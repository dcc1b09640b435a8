"""Exceptions a user can cause; the CLI and UI turn each into one clear sentence."""

from __future__ import annotations

from dataclasses import dataclass


class ItpmError(Exception):
    """A problem the user can fix; ``str(err)`` is the sentence to show them."""


class InvalidInput(ItpmError):
    """A value typed by the user that cannot be accepted (bad date, negative money...)."""


class LinkRefused(InvalidInput):
    """A link typed in the task form cannot be made (unknown task, cycle...); nothing saved."""


class NotFound(ItpmError):
    """An id, key or login that does not exist."""


class TaskNotFound(NotFound):
    """No task with that id."""


class DatabaseError(ItpmError):
    """The database file cannot be used as asked."""


class NotADatabase(DatabaseError):
    """The file is not an SQLite database, or is corrupt."""


class SchemaTooNew(DatabaseError):
    """The file was written by a newer itpm-tui."""


class ReadOnlyDatabase(DatabaseError):
    """Writes are refused because the file or its directory is read-only."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock for too long."""


@dataclass(frozen=True)
class FieldConflict:
    """One field that someone else changed after we read it."""

    field: str
    changed_by: str
    changed_at: str
    theirs: str | None
    mine: str | None


class StaleWrite(ItpmError):
    """Someone else changed the same fields since we read the record; nothing was written."""

    def __init__(self, entity: str, entity_id: int, conflicts: tuple[FieldConflict, ...]) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.conflicts = conflicts
        parts = [
            f"{c.changed_by} changed {c.field} to {c.theirs!r} at {c.changed_at[11:16]}"
            for c in conflicts
        ]
        super().__init__(
            f"{entity} {entity_id} was changed meanwhile: "
            + "; ".join(parts)
            + ". Nothing was saved; reload and try again."
        )
