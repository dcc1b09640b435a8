"""Tasks: reading, adding and versioned updates, each write with its audit rows."""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.link_spec import LinkChanges
from itpm_tui.domain.recurrence import next_due, parse_repeat
from itpm_tui.errors import InvalidInput, NotFound, TaskNotFound
from itpm_tui.heap import no_gc_pauses
from itpm_tui.models import AuditEvent, Person, Status, Task, TaskRow, progress_of
from itpm_tui.store.projects import project_from_row
from itpm_tui.store.rows import (
    append_audit,
    insert_row,
    validate,
    versioned_update,
)

if TYPE_CHECKING:
    from itpm_tui.store import Store

TASK_COLUMNS = tuple(name for name in Task.model_fields if name != "project_key")
_SELECT = (
    "SELECT t.*, p.key AS project_key FROM tasks t LEFT JOIN projects p ON p.id = t.project_id"
)
_SELECT_IDS = (
    "SELECT t.id, p.key AS project_key FROM tasks t LEFT JOIN projects p ON p.id = t.project_id"
)
"""Enough to sort by any column (``project_key`` included) and return only the ids."""
SORTABLE = frozenset({*TASK_COLUMNS, "project_key"})
_SELECT_ROWS = f"SELECT {', '.join(f't.{c}' for c in TaskRow._fields[:-2])} FROM tasks t"
"""``TaskRow``'s stored columns (all but ``is_open`` and ``progress``), in its field order.
No join: ``TaskFilter`` names only the tasks' own columns and ``find_rows`` orders by id,
and joining the projects to 100,000 rows was a fifth of the read."""


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks to read; every field narrows the result, ``None`` means any."""

    project_id: int | None = None
    personal: bool = False
    """Only tasks with no project (personal to-dos)."""
    in_project: bool = False
    """Only tasks that belong to a project (the team board leaves personal to-dos out)."""
    assignee: str | None = None
    unassigned: bool = False
    """Only tasks nobody owns."""
    statuses: tuple[Status, ...] | None = None
    open_only: bool = False
    open_or_done_since: date | None = None
    """Open tasks, and done ones finished on or after this day (the writer's local date)."""
    milestone_id: int | None = None
    ids: tuple[int, ...] | None = None
    text: str | None = None
    """Case-insensitive substring of the title or notes."""
    due_on_or_before: date | None = None
    snoozed_after: date | None = None
    """Only tasks snoozed until after this day (hidden from Today on it)."""
    waiting_mentions: tuple[str, ...] = ()
    """Only tasks blocked or waiting whose reason or ``waiting_on`` contains one of these
    (SQL LIKE: case-insensitive for ASCII letters only), for the digest's "waiting on me"."""

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        if self.project_id is not None:
            clauses.append("t.project_id = ?")
            params.append(self.project_id)
        if self.personal:
            clauses.append("t.project_id IS NULL")
        if self.in_project:
            clauses.append("t.project_id IS NOT NULL")
        if self.unassigned:
            clauses.append("t.assignee IS NULL")
        if self.assignee is not None:
            clauses.append("t.assignee = ?")
            params.append(self.assignee)
        if self.statuses is not None:
            clauses.append(f"t.status IN ({', '.join('?' * len(self.statuses))})")
            params.extend(s.value for s in self.statuses)
        if self.open_only:
            clauses.append("t.status != 'done'")
        if self.open_or_done_since is not None:
            clauses.append("(t.status != 'done' OR substr(t.done_at, 1, 10) >= ?)")
            params.append(self.open_or_done_since.isoformat())
        if self.milestone_id is not None:
            clauses.append("t.milestone_id = ?")
            params.append(self.milestone_id)
        if self.ids is not None:
            clauses.append(f"t.id IN ({', '.join('?' * len(self.ids))})")
            params.extend(self.ids)
        if self.text:
            clauses.append("(t.title LIKE ? ESCAPE '\\' OR t.notes LIKE ? ESCAPE '\\')")
            pattern = _like_pattern(self.text)
            params.extend([pattern, pattern])
        if self.due_on_or_before is not None:
            clauses.append("t.due <= ?")
            params.append(self.due_on_or_before.isoformat())
        if self.snoozed_after is not None:
            clauses.append("t.snoozed_until > ?")
            params.append(self.snoozed_after.isoformat())
        if self.waiting_mentions:
            likes = []
            for word in self.waiting_mentions:
                pattern = _like_pattern(word)
                likes.append("t.waiting_on LIKE ? ESCAPE '\\'")
                likes.append("(t.status = 'blocked' AND t.blocked_reason LIKE ? ESCAPE '\\')")
                params.extend([pattern, pattern])
            clauses.append(f"({' OR '.join(likes)})")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE ... ESCAPE '\\'``, with ``\\ % _`` in ``text`` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class UndoEntry:
    """One change made through this store: the fields it changed, old and new."""

    task_id: int
    changes: tuple[tuple[str, object, object], ...]
    version: int
    """The task's version right after the change."""


UNDO_DEPTH = 50
"""Changes kept for ``u``, newest last (this process's own changes only)."""


class TaskRepo:
    """All task reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._undo: deque[UndoEntry] = deque(maxlen=UNDO_DEPTH)
        self._undo_lock = threading.Lock()

    def get(self, task_id: int) -> Task:
        """The task with this id; ``TaskNotFound`` if there is none."""
        rows = self._store.db.query(f"{_SELECT} WHERE t.id = ?", (task_id,))
        if not rows:
            raise TaskNotFound(f"no task #{task_id}")
        return _task(rows[0])

    def find(
        self,
        where: TaskFilter | None = None,
        *,
        order_by: str = "id",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Task]:
        """Tasks matching ``where``, sorted in SQL (cheap on 100k rows).

        Rows become models as they are fetched, so the rows never all sit in memory beside
        the models (a quarter less peak memory at 100k tasks).
        """
        with no_gc_pauses():
            return list(self.iter_find(where, order_by=order_by, descending=descending,
                                       limit=limit, offset=offset))  # fmt: skip

    def iter_find(
        self,
        where: TaskFilter | None = None,
        *,
        order_by: str = "id",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Task]:
        """``find``, one task at a time: bounded memory for printing any number of tasks.

        The rows are copied to a temporary file in one short read before the first task
        comes, so a slow consumer pins no snapshot (the command line prints this way).
        """
        sql, params = _find_sql(_SELECT, where, order_by, descending, limit, offset)
        for row in self._store.db.stream(sql, params):
            yield _task(row)

    def find_rows(self, where: TaskFilter | None = None) -> list[TaskRow]:
        """Matching tasks as light ``TaskRow``s, by id: only the columns computations read.

        For health over a whole portfolio: a narrow read into plain tuples, each value
        converted to its ``Task`` type directly, under half the cost of building and
        validating the full models (``bench/bench_portfolio.py``).
        """
        sql, params = _find_sql(_SELECT_ROWS, where, "id", False, None, 0)
        with self._store.db.read() as conn:
            cursor = conn.cursor()
            cursor.row_factory = None  # plain tuples
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        with no_gc_pauses():
            return _task_rows(rows)

    def find_ids(
        self, where: TaskFilter | None = None, *, order_by: str = "id", descending: bool = False
    ) -> list[int]:
        """Only the ids of matching tasks, in ``find`` order: a cheap index for a virtual table."""
        sql, params = _find_sql(_SELECT_IDS, where, order_by, descending, None, 0)
        with self._store.db.read() as conn:
            return [row[0] for row in conn.execute(sql, params).fetchall()]

    def count(self, where: TaskFilter | None = None) -> int:
        """How many tasks match."""
        condition, params = (where or TaskFilter()).where()
        rows = self._store.db.query(f"SELECT count(*) AS n FROM tasks t{condition}", params)
        return int(rows[0]["n"])

    def add(self, task: Task, *, links: LinkChanges | None = None) -> Task:
        """Insert a new task (its id and timestamps are assigned here), and in the same
        transaction the predecessors ``links`` adds (the task form's "Waits for")."""
        now = self._store.now()
        who = self._store.user
        if task.repeat is not None:
            parse_repeat(task.repeat)
        with self._store.db.write() as conn:
            _check_references(conn, task, self._store)
            values = task.model_dump(exclude={"id", "project_key"})
            values |= {"created_at": now, "updated_at": now, "updated_by": who, "version": 1}
            if task.status is Status.DONE and task.done_at is None:
                values["done_at"] = now
            if task.status is Status.BLOCKED and task.blocked_since is None:
                values["blocked_since"] = now
            task_id = insert_row(conn, "tasks", values)
            append_audit(
                conn, at=now, who=who, entity="task", entity_id=task_id,
                changes=[("created", None, task.title)], version=1,
            )  # fmt: skip
            if links:
                self._store.links.change_in(conn, task_id, links)
            row = conn.execute(f"{_SELECT} WHERE t.id = ?", (task_id,)).fetchone()
        return _task(row)

    def update(
        self,
        task_id: int,
        changes: Mapping[str, object],
        *,
        expected_version: int | None = None,
        undoable: bool = True,
        links: LinkChanges | None = None,
    ) -> Task:
        """Change some fields of a task; see ``versioned_update`` for the concurrency rules.

        ``links``: its predecessors to add and remove in the same transaction (the task
        form's "Waits for"), merged with others' link changes as ``LinkRepo.change_in`` says;
        a refused link (``LinkRefused``) saves nothing. The field change is remembered
        (``undoable``) so ``undo_last`` can take it back; link changes are not.
        """
        now = self._store.now()
        with self._store.db.write() as conn:
            row = conn.execute(f"{_SELECT} WHERE t.id = ?", (task_id,)).fetchone()
            if row is None:
                raise TaskNotFound(f"no task #{task_id}")
            current = _task(row)
            proposed = {k: v for k, v in changes.items() if k != "project_key"}
            task, changed = versioned_update(
                conn, table="tasks", entity="task", entity_id=task_id, current=current,
                changes=proposed, expected_version=expected_version, who=self._store.user,
                at=now, extra_columns={"updated_at": now, "updated_by": self._store.user},
                derive=lambda old, new: _follow_change(old, new, now),
            )  # fmt: skip
            if changed:
                _check_references(conn, task, self._store)
                if task.repeat is not None and "repeat" in proposed:
                    parse_repeat(task.repeat)
                row = conn.execute(f"{_SELECT} WHERE t.id = ?", (task_id,)).fetchone()
                task = _task(row)
                if current.is_open and not task.is_open and task.repeat:
                    _add_next_occurrence(conn, task, self._store, now)
            if links:
                self._store.links.change_in(conn, task_id, links)
                task = _task(conn.execute(f"{_SELECT} WHERE t.id = ?", (task_id,)).fetchone())
        if changed and undoable:
            with self._undo_lock:
                self._undo.append(UndoEntry(task_id, tuple(changed), task.version))
        return task

    def undo_last(self) -> tuple[Task, tuple[str, ...]]:
        """Take back the last change made through this store; return the task and fields.

        A compensating write, version-guarded and in the audit log like any other. Refused,
        changing nothing, when someone changed one of those fields since ("bob changed
        status since"), or when there is nothing to undo.
        """
        with self._undo_lock:
            if not self._undo:
                raise InvalidInput("nothing to undo")
            entry = self._undo.pop()
        current = self.get(entry.task_id)
        moved = [field for field, _old, new in entry.changes if getattr(current, field) != new]
        if moved:
            events = self._store.audit.find(entity="task", entity_id=entry.task_id,
                                             newest_first=True)  # fmt: skip
            who = next((e.who for e in events if e.field in moved), "someone")
            raise InvalidInput(
                f"not undone: {who} changed {', '.join(f.replace('_', ' ') for f in moved)} "
                f"of #{entry.task_id} since"
            )
        restored = self.update(
            entry.task_id, {field: old for field, old, _new in entry.changes},
            expected_version=current.version, undoable=False,
        )  # fmt: skip
        return restored, tuple(field for field, _old, _new in entry.changes)

    def history(self, task_id: int) -> list[AuditEvent]:
        """Every recorded change of the task, oldest first."""
        self.get(task_id)
        return self._store.audit.find(entity="task", entity_id=task_id, newest_first=False)


def _find_sql(
    select: str, where: TaskFilter | None, order_by: str, descending: bool,
    limit: int | None, offset: int,
) -> tuple[str, list[object]]:  # fmt: skip
    """``select`` with the filter, the order (empty values last, then id) and the page."""
    if order_by not in SORTABLE:
        raise InvalidInput(f"cannot sort by {order_by!r}")
    condition, params = (where or TaskFilter()).where()
    sql = f"{select}{condition} ORDER BY {_order(order_by, descending)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return sql, params


def _order(order_by: str, descending: bool) -> str:
    """ORDER BY terms: empty values last, then by id."""
    direction = "DESC" if descending else "ASC"
    if order_by == "id":  # never NULL: SQLite walks the table in id order, no sort at all
        return f"t.id {direction}"
    # p.key, not the alias project_key: PostgreSQL allows an alias in ORDER BY only alone.
    column = "p.key" if order_by == "project_key" else f"t.{order_by}"
    return f"{column} IS NULL, {column} {direction}, t.id"


def _follow_change(old: Task, new: Task, now: str) -> dict[str, Any]:
    """Fields that follow from a change: remaining work after a new estimate, and status's."""
    return _follow_estimate(old, new) | _follow_status(old, new, now)


def _follow_estimate(old: Task, new: Task) -> dict[str, Any]:
    """A new estimate keeps the hours already done: remaining moves by the same amount.

    Progress is (estimate - remaining) / estimate, so raising 8 h to 10 h with 1 h left
    would jump from 88% to 90% done (and EV with it) with no work done; it becomes 3 h
    left, 70%. A remaining given in the same change wins.
    """
    if (
        old.estimate_hours is None
        or new.estimate_hours is None
        or old.remaining_hours is None
        or new.estimate_hours == old.estimate_hours
        or new.remaining_hours != old.remaining_hours
    ):
        return {}
    done = max(old.estimate_hours - old.remaining_hours, 0.0)
    return {"remaining_hours": max(new.estimate_hours - done, 0.0)}


def _follow_status(old: Task, new: Task, now: str) -> dict[str, Any]:
    """Fields that follow from a status change: done time, blocked since, remaining work."""
    derived: dict[str, Any] = {}
    if old.status is new.status:
        return derived
    if new.status is Status.DONE:
        derived["done_at"] = now
        if new.remaining_hours:
            derived["remaining_hours"] = 0.0
    elif old.status is Status.DONE:
        derived["done_at"] = None
    if new.status is Status.BLOCKED:
        derived["blocked_since"] = now
    elif old.status is Status.BLOCKED:
        derived["blocked_since"] = None
        derived["blocked_reason"] = ""
    return derived


def _check_references(conn: sqlite3.Connection, task: Task, store: Store) -> None:
    """Clear messages for unknown project, milestone or person (instead of FK errors)."""
    if (
        task.project_id is not None
        and not conn.execute("SELECT 1 FROM projects WHERE id = ?", (task.project_id,)).fetchone()
    ):
        raise NotFound(f"no project with id {task.project_id}")
    if task.milestone_id is not None:
        row = conn.execute(
            "SELECT project_id FROM milestones WHERE id = ?", (task.milestone_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no milestone with id {task.milestone_id}")
        if row["project_id"] != task.project_id:
            raise InvalidInput(f"milestone {task.milestone_id} belongs to another project")
    if task.assignee is not None:
        known = conn.execute("SELECT 1 FROM people WHERE login = ?", (task.assignee,)).fetchone()
        if not known:
            if task.assignee != store.user:
                raise NotFound(f"no person {task.assignee!r}; add them with `itpm-tui person add`")
            me = validate(Person, {"login": store.user})  # never store a login no read accepts
            conn.execute("INSERT INTO people (login) VALUES (?)", (me.login,))


_REPEATED = ("project_id", "milestone_id", "title", "notes", "assignee", "priority",
             "estimate_hours", "repeat")  # fmt: skip
"""What the next occurrence of a recurring task copies; its hours start again at the
estimate, and planned dates and cost stay with the finished one (PV counts it once)."""


def _add_next_occurrence(conn: sqlite3.Connection, done: Task, store: Store, now: str) -> None:
    """Add the task after ``done`` (its repeat rule's next date as due), with its audit row,
    in the caller's transaction; nothing when one was already added after it."""
    if conn.execute("SELECT 1 FROM tasks WHERE repeat_of = ?", (done.id,)).fetchone():
        return
    rule = parse_repeat(done.repeat or "")
    if rule is None:
        return
    project = None
    if done.project_id is not None:
        row = conn.execute("SELECT * FROM projects WHERE id = ?", (done.project_id,)).fetchone()
        project = project_from_row(dict(row)) if row else None
    due = next_due(rule, done.due, store.today(), WorkCalendar.for_project(project))
    who = store.user
    values: dict[str, Any] = {name: getattr(done, name) for name in _REPEATED}
    values |= {"due": due, "remaining_hours": done.estimate_hours, "repeat_of": done.id}
    task = validate(Task, values)
    stored = task.model_dump(exclude={"id", "project_key"})
    stored |= {"created_at": now, "updated_at": now, "updated_by": who, "version": 1}
    task_id = insert_row(conn, "tasks", stored)
    append_audit(
        conn, at=now, who=who, entity="task", entity_id=task_id,
        changes=[("created", None, done.title), ("repeat_of", None, done.id)], version=1,
    )  # fmt: skip


def _task(row: sqlite3.Row | dict[str, Any]) -> Task:
    data = row if isinstance(row, dict) else dict(row)
    try:
        return validate(Task, data)
    except InvalidInput as err:
        raise InvalidInput(f"cannot read task #{data.get('id')}: {err}") from err


_STATUSES = {s.value: s for s in Status}


def _day(value: Any) -> date | None:
    """A stored day as ``Task`` holds it (text in SQLite; a driver may give a ``date``)."""
    if value is None or type(value) is date:
        return value
    return date.fromisoformat(value)


def _task_rows(rows: list[tuple[Any, ...]]) -> list[TaskRow]:
    """``TaskRow``s from ``_SELECT_ROWS``'s tuples, each value as ``Task`` would hold it.

    One loop with every conversion inline (not one helper call per value): this runs once
    per task of the portfolio, and the calls were half its cost. Calendar days repeat (a
    few hundred distinct due and planned dates over 100,000 tasks), so each distinct text
    is parsed once; instants are nearly all distinct and are parsed each time.
    """
    days: dict[Any, date | None] = {None: None}
    missing = _MISSING
    statuses, done = _STATUSES, Status.DONE
    moment_type, parse_moment = datetime, datetime.fromisoformat
    found: list[TaskRow] = []
    append = found.append
    make = tuple.__new__  # the named tuple's own __new__ is a Python call with 21 arguments
    task_id: object = None
    try:
        for row in rows:
            (task_id, project_id, milestone_id, status, assignee, due, planned_start,
             planned_finish, estimate, remaining, percent, cost, blocked_reason,
             blocked_since, created_at, updated_at, done_at, title, waiting_on) = row  # fmt: skip
            state = statuses[status]
            if estimate is not None:
                estimate = float(estimate)
            if remaining is not None:
                remaining = float(remaining)
            if percent is not None:
                percent = int(percent)
            if cost is not None:
                cost = Decimal(cost if isinstance(cost, str) else str(cost))
            day = days.get(due, missing)
            if day is missing:
                day = days[due] = _day(due)
            start = days.get(planned_start, missing)
            if start is missing:
                start = days[planned_start] = _day(planned_start)
            finish = days.get(planned_finish, missing)
            if finish is missing:
                finish = days[planned_finish] = _day(planned_finish)
            append(make(TaskRow, (
                task_id, project_id, milestone_id, state, assignee, day, start, finish,
                estimate, remaining, percent, cost, blocked_reason or "",
                blocked_since if blocked_since is None or type(blocked_since) is moment_type
                else parse_moment(blocked_since),
                created_at if created_at is None or type(created_at) is moment_type
                else parse_moment(created_at),
                updated_at if updated_at is None or type(updated_at) is moment_type
                else parse_moment(updated_at),
                done_at if done_at is None or type(done_at) is moment_type
                else parse_moment(done_at),
                title, waiting_on or "", state is not done,
                100.0 if state is done else progress_of(state, percent, estimate, remaining),
            )))  # fmt: skip
    except (KeyError, ValueError, TypeError, InvalidOperation) as err:
        raise InvalidInput(f"cannot read task #{task_id}: {err!r}") from err
    return found


_MISSING = object()
"""Not yet in a cache (``None`` is a value there)."""
