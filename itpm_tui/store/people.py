"""People: who owns tasks and speaks at stand-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itpm_tui.errors import NotFound
from itpm_tui.models import Person
from itpm_tui.store.rows import append_audit, refuse_control_text, validate

if TYPE_CHECKING:
    from itpm_tui.store import Store


class PeopleRepo:
    """People reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, team: str | None = None) -> list[Person]:
        """Everyone (or one team), by login."""
        if team is None:
            rows = self._store.db.query("SELECT * FROM people ORDER BY login")
        else:
            rows = self._store.db.query("SELECT * FROM people WHERE team = ? ORDER BY login",
                                        (team,))  # fmt: skip
        return [validate(Person, r) for r in rows]

    def get(self, login: str) -> Person:
        """The person with this login."""
        rows = self._store.db.query("SELECT * FROM people WHERE login = ?", (login,))
        if not rows:
            raise NotFound(f"no person {login!r}")
        return validate(Person, rows[0])

    def save(self, person: Person) -> Person:
        """Add a person, or update their name and team."""
        now = self._store.now()
        refuse_control_text("person", {"name": person.name, "team": person.team})
        with self._store.db.write() as conn:
            old = conn.execute("SELECT * FROM people WHERE login = ?", (person.login,)).fetchone()
            conn.execute(
                "INSERT INTO people (login, name, team) VALUES (?, ?, ?) ON CONFLICT(login)"
                " DO UPDATE SET name = excluded.name, team = excluded.team",
                (person.login, person.name, person.team),
            )
            changes: list[tuple[str, object, object]] = (
                [("created", None, person.login)]
                if old is None
                else [
                    (f, old[f], getattr(person, f))
                    for f in ("name", "team")
                    if old[f] != getattr(person, f)
                ]
            )
            if changes:
                append_audit(conn, at=now, who=self._store.user, entity="person", entity_id=0,
                             changes=[(f"{person.login}.{f}", o, n) for f, o, n in changes],
                             version=None)  # fmt: skip
        return person
