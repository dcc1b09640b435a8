"""Projects and their milestones (with every forecast kept for trend analysis)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from itpm_tui.errors import InvalidInput, NotFound
from itpm_tui.models import ForecastChange, Milestone, Project
from itpm_tui.store.rows import append_audit, insert_row, validate, versioned_update

if TYPE_CHECKING:
    from itpm_tui.store import Store

_JSON_COLUMNS = ("workdays", "holidays", "thresholds", "risk_settings")


class ProjectRepo:
    """Project reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self) -> list[Project]:
        """Every project, by key."""
        rows = self._store.db.query("SELECT * FROM projects ORDER BY key")
        return [project_from_row(row) for row in rows]

    def get(self, project_id: int) -> Project:
        """The project with this id."""
        rows = self._store.db.query("SELECT * FROM projects WHERE id = ?", (project_id,))
        if not rows:
            raise NotFound(f"no project with id {project_id}")
        return project_from_row(rows[0])

    def by_key(self, key: str) -> Project:
        """The project with this key (any case); the error lists the known keys."""
        rows = self._store.db.query("SELECT * FROM projects WHERE key = ?", (key.upper(),))
        if not rows:
            known = ", ".join(p.key for p in self.find()) or "none yet"
            raise NotFound(f"no project {key.upper()!r} (known: {known})")
        return project_from_row(rows[0])

    def add(self, project: Project) -> Project:
        """Insert a project; its key must be new."""
        now = self._store.now()
        with self._store.db.write() as conn:
            if conn.execute("SELECT 1 FROM projects WHERE key = ?", (project.key,)).fetchone():
                raise InvalidInput(f"project {project.key} already exists")
            values = project.model_dump(exclude={"id"}) | {"version": 1}
            project_id = insert_row(conn, "projects", values)
            append_audit(
                conn, at=now, who=self._store.user, entity="project", entity_id=project_id,
                changes=[("created", None, project.key)], version=1,
            )  # fmt: skip
            row = conn.execute("SELECT * FROM projects WHERE id = ?", (project_id,)).fetchone()
        return project_from_row(row)

    def update(
        self, key: str, changes: Mapping[str, object], *, expected_version: int | None = None
    ) -> Project:
        """Change fields of a project (not its key)."""
        if "key" in changes or "id" in changes:
            raise InvalidInput("a project's key and id cannot change")
        now = self._store.now()
        with self._store.db.write() as conn:
            row = conn.execute("SELECT * FROM projects WHERE key = ?", (key.upper(),)).fetchone()
            if row is None:
                raise NotFound(f"no project {key.upper()!r}")
            project, _ = versioned_update(
                conn, table="projects", entity="project", entity_id=row["id"],
                current=project_from_row(row), changes=changes, expected_version=expected_version,
                who=self._store.user, at=now,
            )  # fmt: skip
        return project


class MilestoneRepo:
    """Milestone reads and writes; every forecast change is kept with its date."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, project_id: int | None = None) -> list[Milestone]:
        """Milestones (of one project, or all), by forecast date, with their history."""
        db = self._store.db
        with db.read() as conn:
            if project_id is None:
                rows = conn.execute("SELECT * FROM milestones ORDER BY forecast, id").fetchall()
                history = conn.execute(
                    "SELECT * FROM milestone_forecasts ORDER BY recorded_on, id"
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT * FROM milestones WHERE project_id = ? ORDER BY forecast, id",
                    (project_id,),
                ).fetchall()
                history = conn.execute(
                    "SELECT f.* FROM milestone_forecasts f JOIN milestones m"
                    " ON m.id = f.milestone_id WHERE m.project_id = ? ORDER BY recorded_on, f.id",
                    (project_id,),
                ).fetchall()
        by_milestone: dict[int, list[dict[str, Any]]] = {}
        for h in history:
            by_milestone.setdefault(h["milestone_id"], []).append(
                {"recorded_on": h["recorded_on"], "forecast": h["forecast"]}
            )
        return [_milestone(r, by_milestone.get(r["id"], [])) for r in rows]

    def get(self, milestone_id: int) -> Milestone:
        """The milestone with this id."""
        with self._store.db.read() as conn:
            return _load_milestone(conn, milestone_id)

    def add(self, milestone: Milestone) -> Milestone:
        """Insert a milestone; its first forecast is recorded as history."""
        now = self._store.now()
        with self._store.db.write() as conn:
            if not conn.execute(
                "SELECT 1 FROM projects WHERE id = ?", (milestone.project_id,)
            ).fetchone():
                raise NotFound(f"no project with id {milestone.project_id}")
            values = milestone.model_dump(exclude={"id", "history"}) | {"version": 1}
            milestone_id = insert_row(conn, "milestones", values)
            history = milestone.history or (
                ForecastChange(recorded_on=self._store.today(), forecast=milestone.forecast),
            )
            conn.executemany(
                "INSERT INTO milestone_forecasts (milestone_id, recorded_on, forecast)"
                " VALUES (?, ?, ?)",
                [
                    (milestone_id, h.recorded_on.isoformat(), h.forecast.isoformat())
                    for h in history
                ],
            )
            append_audit(
                conn, at=now, who=self._store.user, entity="milestone", entity_id=milestone_id,
                changes=[("created", None, milestone.name)], version=1,
            )  # fmt: skip
            return _load_milestone(conn, milestone_id)

    def update(
        self,
        milestone_id: int,
        changes: Mapping[str, object],
        *,
        expected_version: int | None = None,
    ) -> Milestone:
        """Change a milestone; a new forecast is appended to its history (one per day)."""
        if "history" in changes or "project_id" in changes:
            raise InvalidInput("a milestone's project and history cannot be edited")
        now = self._store.now()
        today = self._store.today().isoformat()
        with self._store.db.write() as conn:
            current = _load_milestone(conn, milestone_id)
            milestone, changed = versioned_update(
                conn, table="milestones", entity="milestone", entity_id=milestone_id,
                current=current.model_copy(update={"history": ()}), changes=changes,
                expected_version=expected_version, who=self._store.user, at=now,
            )  # fmt: skip
            if any(field == "forecast" for field, _, _ in changed):
                # Several moves on one day keep only that day's last forecast.
                conn.execute(
                    "DELETE FROM milestone_forecasts WHERE milestone_id = ? AND recorded_on = ?"
                    " AND id != (SELECT min(id) FROM milestone_forecasts WHERE milestone_id = ?)",
                    (milestone_id, today, milestone_id),
                )
                conn.execute(
                    "INSERT INTO milestone_forecasts (milestone_id, recorded_on, forecast)"
                    " VALUES (?, ?, ?)",
                    (milestone_id, today, milestone.forecast.isoformat()),
                )
            return _load_milestone(conn, milestone_id)


def _load_milestone(conn: sqlite3.Connection, milestone_id: int) -> Milestone:
    row = conn.execute("SELECT * FROM milestones WHERE id = ?", (milestone_id,)).fetchone()
    if row is None:
        raise NotFound(f"no milestone with id {milestone_id}")
    history = conn.execute(
        "SELECT recorded_on, forecast FROM milestone_forecasts WHERE milestone_id = ?"
        " ORDER BY recorded_on, id",
        (milestone_id,),
    ).fetchall()
    return _milestone(row, [dict(h) for h in history])


def _milestone(row: sqlite3.Row | dict[str, Any], history: list[dict[str, Any]]) -> Milestone:
    return validate(Milestone, {**dict(row), "history": history})


def project_from_row(row: sqlite3.Row | dict[str, Any]) -> Project:
    """A ``projects`` row as a model; ``InvalidInput`` if it breaks a model rule."""
    data = dict(row)
    for column in _JSON_COLUMNS:
        try:
            data[column] = json.loads(data[column])
        except (TypeError, ValueError) as err:
            raise InvalidInput(f"project {data.get('key')}: {column} is not JSON") from err
    return validate(Project, data)
