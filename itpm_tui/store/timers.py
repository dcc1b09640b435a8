"""Running timers on tasks: one per person, kept in the file; stopping one logs the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from itpm_tui.errors import InvalidInput, NotFound, TaskNotFound
from itpm_tui.models import Timer, Worklog
from itpm_tui.store.rows import append_audit, validate
from itpm_tui.store.worklogs import Logged, _require_person, insert_worklog

if TYPE_CHECKING:
    import sqlite3

    from itpm_tui.store import Store


@dataclass(frozen=True)
class Stopped:
    """What stopping a timer did: the timer, and the worklog written (``None``: under a
    minute, nothing logged)."""

    timer: Timer
    minutes: int
    logged: Logged | None


class TimerRepo:
    """Start, stop and read timers; every write in one IMMEDIATE transaction with its audit."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def running(self, person: str | None = None) -> Timer | None:
        """``person``'s running timer (default: the store's user), if any."""
        rows = self._store.db.query("SELECT * FROM timers WHERE person = ?",
                                    (person or self._store.user,))  # fmt: skip
        return validate(Timer, rows[0]) if rows else None

    def start(self, task_id: int, person: str | None = None, *,
              switch: bool = False) -> tuple[Timer, Stopped | None]:  # fmt: skip
        """Start ``person``'s timer on a task. A timer already running is refused unless
        ``switch``: then it is stopped (its time logged) in the same transaction."""
        login = person or self._store.user
        now = self._store.now()
        with self._store.db.write() as conn:
            _require_person(conn, login)
            if not conn.execute("SELECT 1 FROM tasks WHERE id = ?", (task_id,)).fetchone():
                raise TaskNotFound(f"no task #{task_id}")
            stopped = None
            old = _running(conn, login)
            if old is not None:
                if old.task_id == task_id:
                    raise InvalidInput(f"{login}'s timer is already running on #{task_id} "
                                       f"since {old.started_at:%H:%M}")  # fmt: skip
                if not switch:
                    raise InvalidInput(
                        f"{login} has a timer running on #{old.task_id} since "
                        f"{old.started_at:%H:%M}; stop it first (`itpm-tui timer stop`)"
                    )
                stopped = self._stop_in(conn, old, now, note="")
            timer = Timer(person=login, task_id=task_id, started_at=datetime.fromisoformat(now))
            conn.execute("INSERT INTO timers (person, task_id, started_at) VALUES (?, ?, ?)",
                         (login, task_id, now))  # fmt: skip
            append_audit(conn, at=now, who=self._store.user, entity="timer", entity_id=task_id,
                         changes=[(f"{login}.started", None, now)], version=None)  # fmt: skip
        return timer, stopped

    def stop(self, person: str | None = None, *, note: str = "") -> Stopped:
        """Stop ``person``'s timer and log its whole minutes on today for its task."""
        login = person or self._store.user
        now = self._store.now()
        with self._store.db.write() as conn:
            timer = _running(conn, login)
            if timer is None:
                raise NotFound(f"{login} has no timer running")
            return self._stop_in(conn, timer, now, note=note)

    def cancel(self, person: str | None = None) -> Timer:
        """Throw ``person``'s running timer away, logging nothing."""
        login = person or self._store.user
        now = self._store.now()
        with self._store.db.write() as conn:
            timer = _running(conn, login)
            if timer is None:
                raise NotFound(f"{login} has no timer running")
            conn.execute("DELETE FROM timers WHERE person = ?", (login,))
            append_audit(conn, at=now, who=self._store.user, entity="timer",
                         entity_id=timer.task_id,
                         changes=[(f"{login}.cancelled", timer.started_at.isoformat(), None)],
                         version=None)  # fmt: skip
        return timer

    def _stop_in(self, conn: sqlite3.Connection, timer: Timer, now: str, note: str) -> Stopped:
        minutes = timer.minutes_at(datetime.fromisoformat(now))
        conn.execute("DELETE FROM timers WHERE person = ?", (timer.person,))
        who = self._store.user
        append_audit(conn, at=now, who=who, entity="timer", entity_id=timer.task_id,
                     changes=[(f"{timer.person}.stopped", timer.started_at.isoformat(), now)],
                     version=None)  # fmt: skip
        if minutes == 0:
            return Stopped(timer, 0, None)
        if minutes > 24 * 60:
            raise InvalidInput(
                f"the timer on #{timer.task_id} ran {minutes // 60} h since "
                f"{timer.started_at:%Y-%m-%d %H:%M}: more than a day; log the time with "
                "`itpm-tui log-time` and `itpm-tui timer cancel` it"
            )
        worklog = validate(Worklog, {"person": timer.person, "task_id": timer.task_id,
                                     "day": self._store.today(), "minutes": minutes,
                                     "note": note})  # fmt: skip
        worklog_id, warnings, _ = insert_worklog(conn, worklog, who=who, now=now,
                                                 reduce_remaining=False)  # fmt: skip
        stored = worklog.model_copy(update={"id": worklog_id, "author": who})
        return Stopped(timer, minutes, Logged(stored, tuple(warnings)))


def _running(conn: sqlite3.Connection, login: str) -> Timer | None:
    row = conn.execute("SELECT * FROM timers WHERE person = ?", (login,)).fetchone()
    return validate(Timer, dict(row)) if row else None
