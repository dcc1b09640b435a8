"""Stand-ups: saved meetings (attendance, speaking times, notes, parking lot) and posted notes.

An update posted ahead of the meeting (``itpm-tui standup note``) is a ``standup_entries`` row
with no ``standup_id``; a saved meeting has its own entries, so the note stays as posted.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.standup import StandupRecord
from itpm_tui.errors import InvalidInput, NotFound
from itpm_tui.models import ParkingItem, StandupEntry, StandupSession
from itpm_tui.store.rows import append_audit, insert_row, validate

if TYPE_CHECKING:
    from itpm_tui.store import Store

NOTE_FIELDS = ("yesterday", "today", "blockers")


class StandupRepo:
    """Reading and writing stand-ups and posted notes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- notes posted ahead --------------------------------------------------------------

    def post_note(
        self, person: str, held_on: date, *, yesterday: str, today: str, blockers: str
    ) -> StandupEntry:
        """Post (or replace) ``person``'s update for the stand-up on ``held_on``."""
        texts = {"yesterday": yesterday.strip(), "today": today.strip(),
                 "blockers": blockers.strip()}  # fmt: skip
        if not any(texts.values()):
            raise InvalidInput("a note needs at least one of --yesterday, --today, --blockers")
        note = validate(StandupEntry, {"held_on": held_on, "person": person, **texts})
        now = self._store.now()
        with self._store.db.write() as conn:
            if not conn.execute("SELECT 1 FROM people WHERE login = ?", (person,)).fetchone():
                raise NotFound(f"no person {person!r}; add them with `itpm-tui person add`")
            old = conn.execute(
                "SELECT * FROM standup_entries WHERE standup_id IS NULL AND held_on = ?"
                " AND person = ?",
                (held_on.isoformat(), person),
            ).fetchone()
            if old is None:
                note_id = insert_row(conn, "standup_entries", note.model_dump(exclude={"id"}))
                changes: list[tuple[str, object, object]] = [
                    (name, None, value) for name, value in texts.items() if value
                ]
            else:
                note_id = int(old["id"])
                conn.execute(
                    "UPDATE standup_entries SET yesterday = ?, today = ?, blockers = ?"
                    " WHERE id = ?",
                    (texts["yesterday"], texts["today"], texts["blockers"], note_id),
                )
                changes = [(n, old[n], texts[n]) for n in NOTE_FIELDS if old[n] != texts[n]]
            if changes:
                append_audit(conn, at=now, who=self._store.user, entity="standup_note",
                             entity_id=note_id, changes=changes, version=None)  # fmt: skip
        return note.model_copy(update={"id": note_id})

    def notes(self, held_on: date) -> list[StandupEntry]:
        """The updates posted for the stand-up on ``held_on``, by person."""
        rows = self._store.db.query(
            "SELECT * FROM standup_entries WHERE standup_id IS NULL AND held_on = ?"
            " ORDER BY person",
            (held_on.isoformat(),),
        )
        return [validate(StandupEntry, r) for r in rows]

    # --- meetings ------------------------------------------------------------------------

    def save(self, record: StandupRecord) -> StandupRecord:
        """Save a finished meeting with its entries and parking lot, in one transaction."""
        session = record.session
        now = self._store.now()
        with self._store.db.write() as conn:
            _check_people(conn, [e.person for e in record.entries])
            standup_id = insert_row(conn, "standups", session.model_dump(exclude={"id"}))
            for entry in record.entries:
                insert_row(
                    conn,
                    "standup_entries",
                    entry.model_dump(exclude={"id"}) | {"standup_id": standup_id},
                )
            for item in record.parking:
                insert_row(
                    conn,
                    "parking_lot",
                    item.model_dump(exclude={"id"}) | {"standup_id": standup_id},
                )
            present = sum(1 for e in record.entries if e.present)
            append_audit(
                conn, at=now, who=self._store.user, entity="standup", entity_id=standup_id,
                changes=[("held", None, f"{session.team or session.project_id}: {present} of "
                                        f"{len(record.entries)} present, "
                                        f"{len(record.parking)} parked")],
                version=None,
            )  # fmt: skip
            return _records(conn, [standup_id])[0]

    def get(self, standup_id: int) -> StandupRecord:
        """One saved stand-up; ``NotFound`` if there is none."""
        with self._store.db.read() as conn:
            records = _records(conn, [standup_id])
        if not records:
            raise NotFound(f"no stand-up #{standup_id}")
        return records[0]

    def find(
        self, *, held_on: date | None = None, facilitator: str | None = None,
        limit: int | None = None,
    ) -> list[StandupRecord]:  # fmt: skip
        """Saved stand-ups, newest first (optionally only one day's, or one facilitator's)."""
        sql = "SELECT id FROM standups WHERE TRUE"
        params: list[Any] = []
        if held_on is not None:
            sql += " AND held_on = ?"
            params.append(held_on.isoformat())
        if facilitator is not None:
            sql += " AND facilitator = ?"
            params.append(facilitator)
        sql += " ORDER BY held_on DESC, started_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._store.db.read() as conn:
            ids = [int(r["id"]) for r in conn.execute(sql, params).fetchall()]
            return _records(conn, ids)

    def last(self, *, team: str, project_id: int | None) -> StandupRecord | None:
        """The most recent stand-up of a team (``project_id`` None) or of a project."""
        with self._store.db.read() as conn:
            row = conn.execute(
                "SELECT id FROM standups WHERE team = ? AND project_id IS ?"
                " ORDER BY started_at DESC, id DESC LIMIT 1",
                (team, project_id),
            ).fetchone()
            return _records(conn, [int(row["id"])])[0] if row else None


def _check_people(conn: sqlite3.Connection, logins: list[str]) -> None:
    known = {r["login"] for r in conn.execute("SELECT login FROM people").fetchall()}
    unknown = sorted(set(logins) - known)
    if unknown:
        raise NotFound(f"unknown people: {', '.join(unknown)}")


def _records(conn: sqlite3.Connection, ids: list[int]) -> list[StandupRecord]:
    """Sessions with their entries and parking lots, in the order of ``ids``."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    sessions = {
        int(r["id"]): validate(StandupSession, dict(r))
        for r in conn.execute(f"SELECT * FROM standups WHERE id IN ({marks})", ids).fetchall()
    }
    entries: dict[int, list[StandupEntry]] = {i: [] for i in ids}
    for r in conn.execute(
        f"SELECT * FROM standup_entries WHERE standup_id IN ({marks}) ORDER BY position, id", ids
    ).fetchall():
        entries[int(r["standup_id"])].append(validate(StandupEntry, dict(r)))
    parking: dict[int, list[ParkingItem]] = {i: [] for i in ids}
    for r in conn.execute(
        f"SELECT * FROM parking_lot WHERE standup_id IN ({marks}) ORDER BY id", ids
    ).fetchall():
        parking[int(r["standup_id"])].append(validate(ParkingItem, dict(r)))
    return [
        StandupRecord(sessions[i], tuple(entries[i]), tuple(parking[i]))
        for i in ids
        if i in sessions
    ]
