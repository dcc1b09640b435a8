"""People: who owns tasks and speaks at stand-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itpm_tui.errors import InvalidInput, NotFound
from itpm_tui.models import Person
from itpm_tui.store.rows import append_audit, refuse_control_text, validate

if TYPE_CHECKING:
    from itpm_tui.store import Store


class PeopleRepo:
    """People reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, team: str | None = None) -> list[Person]:
        """Everyone (or one team), by login.

        A row the model refuses (a login stored by an older version, or written by another
        program) is skipped and reported through ``Store.unreadable``, so one bad row does
        not empty every list and screen that shows people.
        """
        if team is None:
            rows = self._store.db.query("SELECT * FROM people ORDER BY login")
        else:
            rows = self._store.db.query("SELECT * FROM people WHERE team = ? ORDER BY login",
                                        (team,))  # fmt: skip
        people = []
        for row in rows:
            try:
                people.append(_person(row))
            except InvalidInput as err:
                self._store.report_unreadable(str(err))
        return people

    def get(self, login: str) -> Person:
        """The person with this login."""
        rows = self._store.db.query("SELECT * FROM people WHERE login = ?", (login,))
        if not rows:
            raise NotFound(f"no person {login!r}")
        return _person(rows[0])

    def add(self, person: Person) -> Person:
        """Add a new person; ``InvalidInput`` if the login exists (checked in the same write
        transaction, so two people adding one login at once cannot both succeed)."""
        refuse_control_text("person", {"name": person.name, "team": person.team})
        with self._store.db.write() as conn:
            if conn.execute("SELECT 1 FROM people WHERE login = ?", (person.login,)).fetchone():
                raise InvalidInput(f"person {person.login!r} already exists; change them with "
                                   "`itpm-tui person set`")  # fmt: skip
            conn.execute("INSERT INTO people (login, name, team) VALUES (?, ?, ?)",
                         (person.login, person.name, person.team))  # fmt: skip
            append_audit(conn, at=self._store.now(), who=self._store.user, entity="person",
                         entity_id=0, changes=[(f"{person.login}.created", None, person.login)],
                         version=None)  # fmt: skip
        return person

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


def _person(row: dict[str, object]) -> Person:
    """A person from a row; ``InvalidInput`` naming the login if the row breaks a rule."""
    try:
        return validate(Person, row)
    except InvalidInput as err:
        raise InvalidInput(f"cannot read person {row.get('login')!r}: {err}") from err
