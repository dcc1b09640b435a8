"""Change requests and the baselines they write, each write with its audit rows.

Every write is one IMMEDIATE transaction. A status move (approve, reject, apply) is checked
inside it against the change as stored, so of two people approving at once one wins and
the other is told who did (``domain.change.check_move``); a version the user saw that is no
longer current is refused like any versioned edit. Applying writes the new BAC, milestone
baselines and task plans (each an audited, versioned update of its record), the numbered
baseline (the original, number 0, first if the project has none) and the change's own
audit rows, all in that one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.change import check_editable, check_move, plan_of, rebaseline
from itpm_tui.errors import FieldConflict, InvalidInput, NotFound, StaleWrite
from itpm_tui.models import (
    Baseline,
    BaselineTask,
    ChangeRequest,
    ChangeStatus,
    Milestone,
    Task,
)
from itpm_tui.store.projects import project_from_row
from itpm_tui.store.rows import append_audit, insert_row, validate, versioned_update

if TYPE_CHECKING:
    from datetime import date

    from itpm_tui.store import Store

ENTITY = "change"
"""The ``entity`` of change requests in the audit log."""
_JSON_COLUMNS = ("milestone_deltas", "tasks_added", "tasks_removed")
_SELECT = (
    "SELECT c.*, p.key AS project_key FROM change_requests c JOIN projects p ON p.id = c.project_id"
)
_EDITABLE = frozenset({"title", "reason", "requested_by", "cost_delta", "milestone_deltas",
                       "tasks_added", "tasks_removed"})  # fmt: skip


class ChangeRepo:
    """All change request and baseline reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, change_id: int) -> ChangeRequest:
        """The change with this id; ``NotFound`` if there is none."""
        with self._store.db.read() as conn:
            return load_change(conn, change_id)

    def find(
        self, project_id: int | None = None, status: ChangeStatus | None = None
    ) -> list[ChangeRequest]:
        """Changes (of one project, in one status), by id."""
        clauses: list[str] = []
        params: list[object] = []
        if project_id is not None:
            clauses.append("c.project_id = ?")
            params.append(project_id)
        if status is not None:
            clauses.append("c.status = ?")
            params.append(status.value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._store.db.read() as conn:
            rows = conn.execute(f"{_SELECT}{where} ORDER BY c.id", params).fetchall()
        return [change_from_row(r) for r in rows]

    def add(self, change: ChangeRequest) -> ChangeRequest:
        """Insert a proposed change (requested by the store's user unless given)."""
        now = self._store.now()
        with self._store.db.write() as conn:
            return add_change(conn, change, who=self._store.user, at=now)

    def update(
        self, change_id: int, changes: Mapping[str, object], *, expected_version: int | None = None
    ) -> ChangeRequest:
        """Edit a proposed change's title, reason, requester or impact (version-checked)."""
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise InvalidInput(f"a change request's {', '.join(sorted(unknown))} cannot be set")
        now = self._store.now()
        with self._store.db.write() as conn:
            current = load_change(conn, change_id)
            check_editable(current)
            proposed, changed = versioned_update(
                conn, table="change_requests", entity=ENTITY, entity_id=change_id,
                current=current.model_copy(update={"project_key": None}), changes=changes,
                expected_version=expected_version, who=self._store.user, at=now,
                extra_columns={"updated_at": now},
            )  # fmt: skip
            if changed:
                _check_impact(conn, proposed)
            return load_change(conn, change_id)

    def decide(
        self, change_id: int, to: ChangeStatus, *, expected_version: int | None = None
    ) -> ChangeRequest:
        """Approve or reject a proposed change."""
        if to not in (ChangeStatus.APPROVED, ChangeStatus.REJECTED):
            raise InvalidInput("a change is decided by approving or rejecting it")
        now = self._store.now()
        with self._store.db.write() as conn:
            current = load_change(conn, change_id)
            check_move(current, to, self._store.today())
            _check_version(conn, current, expected_version)
            _move(conn, current, {"status": to, "decided_by": self._store.user,
                                  "decided_on": self._store.today()},
                  who=self._store.user, at=now)  # fmt: skip
            return load_change(conn, change_id)

    def apply(
        self, change_id: int, *, name: str | None = None, expected_version: int | None = None
    ) -> tuple[ChangeRequest, Baseline]:
        """Apply an approved change: write its new baseline and mark it applied."""
        now = self._store.now()
        with self._store.db.write() as conn:
            return apply_change(conn, change_id, who=self._store.user, at=now,
                                today=self._store.today(), name=name,
                                expected_version=expected_version)  # fmt: skip

    def baselines(self, project_id: int) -> list[Baseline]:
        """The project's kept baselines, oldest (the original) first."""
        with self._store.db.read() as conn:
            return load_baselines(conn, project_id)


def _check_version(
    conn: sqlite3.Connection, current: ChangeRequest, expected_version: int | None
) -> None:
    """A status move on a change someone edited since the user looked is refused, naming
    who changed what last."""
    if expected_version is None or expected_version == current.version:
        return
    rows = conn.execute(
        "SELECT field, who, at, new FROM audit WHERE entity = ? AND entity_id = ? AND version > ?"
        " ORDER BY id",
        (ENTITY, current.id, expected_version),
    ).fetchall()
    row = next((r for r in rows if r["field"] == "status"), rows[-1] if rows else None)
    conflict = (FieldConflict(row["field"], row["who"], row["at"], row["new"], None) if row
                else FieldConflict("version", "someone", "", str(current.version), None))  # fmt: skip
    raise StaleWrite("change request", current.id, (conflict,))


def _move(
    conn: sqlite3.Connection, current: ChangeRequest, changes: Mapping[str, object], *,
    who: str, at: str,
) -> ChangeRequest:  # fmt: skip
    moved, _ = versioned_update(
        conn, table="change_requests", entity=ENTITY, entity_id=current.id,
        current=current.model_copy(update={"project_key": None}), changes=changes,
        expected_version=None, who=who, at=at, extra_columns={"updated_at": at},
    )  # fmt: skip
    return moved


def add_change(
    conn: sqlite3.Connection, change: ChangeRequest, *, who: str, at: str
) -> ChangeRequest:
    """Insert ``change`` as proposed inside the caller's write transaction (also the demo's)."""
    change = change.model_copy(update={"status": ChangeStatus.PROPOSED, "decided_by": "",
                                       "decided_on": None, "applied_on": None})  # fmt: skip
    _check_impact(conn, change)
    values = change.model_dump(exclude={"id", "project_key"})
    values |= {"requested_by": change.requested_by or who, "created_at": at,
               "updated_at": at, "version": 1}  # fmt: skip
    change_id = insert_row(conn, "change_requests", values)
    append_audit(conn, at=at, who=who, entity=ENTITY, entity_id=change_id,
                 changes=[("created", None, change.title)], version=1)  # fmt: skip
    return load_change(conn, change_id)


def decide_change(
    conn: sqlite3.Connection, change_id: int, to: ChangeStatus, *, who: str, at: str, today: date
) -> ChangeRequest:
    """Approve or reject inside the caller's transaction (the demo's history)."""
    current = load_change(conn, change_id)
    check_move(current, to, today)
    _move(conn, current, {"status": to, "decided_by": who, "decided_on": today}, who=who, at=at)
    return load_change(conn, change_id)


def apply_change(
    conn: sqlite3.Connection, change_id: int, *, who: str, at: str, today: date,
    name: str | None = None, expected_version: int | None = None,
) -> tuple[ChangeRequest, Baseline]:  # fmt: skip
    """Apply an approved change inside the caller's write transaction (see the module)."""
    change = load_change(conn, change_id)
    check_move(change, ChangeStatus.APPLIED, today)
    _check_version(conn, change, expected_version)
    project_row = conn.execute(
        "SELECT * FROM projects WHERE id = ?", (change.project_id,)
    ).fetchone()
    project = project_from_row(project_row)
    milestones = _milestones(conn, project.id)
    tasks = _tasks(conn, project.id)
    _check_impact(conn, change)  # a milestone may have been reached since it was proposed
    plan = rebaseline(project, milestones, tasks, change)
    baselines = load_baselines(conn, project.id)
    if not baselines:
        original = Baseline(
            project_id=project.id, number=0, name="original",
            made_on=min(project.start or today, today), made_by=who, bac=project.bac,
            milestones={m.id: m.baseline for m in milestones}, tasks=plan_of(tasks),
        )  # fmt: skip
        _insert_baseline(conn, original)
        baselines = [original]
    if plan.bac != project.bac:
        versioned_update(conn, table="projects", entity="project", entity_id=project.id,
                         current=project, changes={"bac": plan.bac}, expected_version=None,
                         who=who, at=at)  # fmt: skip
    by_id = {m.id: m for m in milestones}
    for milestone_id, day in plan.milestones.items():
        versioned_update(conn, table="milestones", entity="milestone", entity_id=milestone_id,
                         current=by_id[milestone_id], changes={"baseline": day},
                         expected_version=None, who=who, at=at)  # fmt: skip
    tasks_by_id = {t.id: t for t in tasks}
    for task_id, fields in plan.task_changes.items():
        versioned_update(conn, table="tasks", entity="task", entity_id=task_id,
                         current=tasks_by_id[task_id].model_copy(update={"project_key": None}),
                         changes=fields, expected_version=None, who=who, at=at,
                         extra_columns={"updated_at": at, "updated_by": who})  # fmt: skip
    number = max(b.number for b in baselines) + 1
    milestone_dates = {m.id: plan.milestones.get(m.id, m.baseline) for m in milestones}
    baseline = Baseline(
        project_id=project.id, number=number, name=name or f"{change.ref} {change.title}"[:200],
        change_id=change.id, made_on=today, made_by=who, bac=plan.bac,
        milestones=milestone_dates, tasks=plan.snapshot,
    )  # fmt: skip
    baseline = _insert_baseline(conn, baseline)
    moved = _move(conn, change, {"status": ChangeStatus.APPLIED, "applied_on": today},
                  who=who, at=at)  # fmt: skip
    append_audit(conn, at=at, who=who, entity=ENTITY, entity_id=change.id,
                 changes=[("baseline", None, f"{number} {baseline.name}")],
                 version=moved.version)  # fmt: skip
    return load_change(conn, change_id), baseline


def _check_impact(conn: sqlite3.Connection, change: ChangeRequest) -> None:
    """The project, milestones and tasks a change names exist and belong to its project."""
    if not conn.execute("SELECT 1 FROM projects WHERE id = ?", (change.project_id,)).fetchone():
        raise NotFound(f"no project with id {change.project_id}")
    for milestone_id in change.milestone_deltas:
        row = conn.execute(
            "SELECT project_id, actual FROM milestones WHERE id = ?", (milestone_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no milestone with id {milestone_id}")
        if row["project_id"] != change.project_id:
            raise InvalidInput(f"milestone {milestone_id} belongs to another project")
        if row["actual"] is not None and change.status is not ChangeStatus.APPLIED:
            raise InvalidInput(
                f"milestone {milestone_id} was reached on {row['actual']}: a "
                "change cannot move its baseline"
            )
    for task_id in (*change.tasks_added, *change.tasks_removed):
        row = conn.execute("SELECT project_id FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            raise NotFound(f"no task #{task_id}")
        if row["project_id"] != change.project_id:
            raise InvalidInput(f"task #{task_id} belongs to another project")


def _milestones(conn: sqlite3.Connection, project_id: int) -> list[Milestone]:
    rows = conn.execute(
        "SELECT * FROM milestones WHERE project_id = ? ORDER BY id", (project_id,)
    ).fetchall()
    return [validate(Milestone, {**dict(r), "history": ()}) for r in rows]


def _tasks(conn: sqlite3.Connection, project_id: int) -> list[Task]:
    rows = conn.execute(
        "SELECT t.*, p.key AS project_key FROM tasks t JOIN projects p ON p.id = t.project_id"
        " WHERE t.project_id = ? ORDER BY t.id",
        (project_id,),
    ).fetchall()
    return [validate(Task, dict(r)) for r in rows]


def _insert_baseline(conn: sqlite3.Connection, baseline: Baseline) -> Baseline:
    baseline_id = insert_row(conn, "baselines", baseline.model_dump(
        exclude={"id", "milestones", "tasks"}))  # fmt: skip
    conn.executemany(
        "INSERT INTO baseline_milestones (baseline_id, milestone_id, baseline) VALUES (?, ?, ?)",
        [(baseline_id, m, d.isoformat()) for m, d in sorted(baseline.milestones.items())],
    )
    conn.executemany(
        "INSERT INTO baseline_tasks (baseline_id, task_id, planned_start, planned_finish,"
        " planned_cost) VALUES (?, ?, ?, ?, ?)",
        [(baseline_id, t.task_id, _iso(t.planned_start), _iso(t.planned_finish),
          None if t.planned_cost is None else str(t.planned_cost)) for t in baseline.tasks],
    )  # fmt: skip
    return baseline.model_copy(update={"id": baseline_id})


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def load_baselines(conn: sqlite3.Connection, project_id: int) -> list[Baseline]:
    """Every baseline of a project with its milestones and tasks, by number."""
    rows = conn.execute(
        "SELECT * FROM baselines WHERE project_id = ? ORDER BY number", (project_id,)
    ).fetchall()
    result = []
    for row in rows:
        milestones = conn.execute(
            "SELECT milestone_id, baseline FROM baseline_milestones WHERE baseline_id = ?"
            " ORDER BY milestone_id",
            (row["id"],),
        ).fetchall()
        tasks = conn.execute(
            "SELECT task_id, planned_start, planned_finish, planned_cost FROM baseline_tasks"
            " WHERE baseline_id = ? ORDER BY task_id",
            (row["id"],),
        ).fetchall()
        result.append(validate(Baseline, {
            **dict(row), "milestones": {m["milestone_id"]: m["baseline"] for m in milestones},
            "tasks": [dict(t) for t in tasks],
        }))  # fmt: skip
    return result


def load_change(conn: sqlite3.Connection, change_id: int) -> ChangeRequest:
    """The change with this id, read inside the caller's transaction."""
    row = conn.execute(f"{_SELECT} WHERE c.id = ?", (change_id,)).fetchone()
    if row is None:
        raise NotFound(f"no change request CR-{change_id}")
    return change_from_row(row)


def change_from_row(row: sqlite3.Row | dict[str, Any]) -> ChangeRequest:
    """A ``change_requests`` row as a model; ``InvalidInput`` if it breaks a model rule."""
    data = dict(row)
    for column in _JSON_COLUMNS:
        try:
            data[column] = json.loads(data[column])
        except (TypeError, ValueError) as err:
            raise InvalidInput(f"change CR-{data.get('id')}: {column} is not JSON") from err
    try:
        return validate(ChangeRequest, data)
    except InvalidInput as err:
        raise InvalidInput(f"cannot read change request CR-{data.get('id')}: {err}") from err


def baseline_task_row(row: dict[str, Any]) -> object:
    """Check one ``baseline_tasks`` row as the app reads it (for import and doctor)."""
    return BaselineTask.model_validate({k: row[k] for k in
                                        ("task_id", "planned_start", "planned_finish",
                                         "planned_cost")})  # fmt: skip
