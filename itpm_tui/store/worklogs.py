"""Time logged on tasks, hourly rates, capacity and leave; each write with its audit rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.labour import (
    DayTotal,
    LabourCost,
    LoggedTime,
    hours_of,
    labour_cost,
    labour_from_totals,
    rate_periods,
)
from itpm_tui.errors import FieldConflict, InvalidInput, NotFound, StaleWrite, TaskNotFound
from itpm_tui.models import (
    MINUTES_PER_DAY,
    Leave,
    PersonCapacity,
    PersonRate,
    Status,
    Worklog,
)
from itpm_tui.store.rows import (
    append_audit,
    insert_row,
    refuse_control_text,
    validate,
    versioned_update,
)
from itpm_tui.store.tasks import _SELECT, _task

if TYPE_CHECKING:
    from itpm_tui.store import Store


@dataclass(frozen=True)
class Logged:
    """What ``WorklogRepo.log`` wrote, and what the user should be told about it."""

    worklog: Worklog
    warnings: tuple[str, ...] = ()
    remaining_hours: float | None = None
    """The task's remaining hours after the log reduced them (``None``: not reduced)."""


@dataclass(frozen=True)
class WorklogFilter:
    """Which worklogs to read; ``None`` means any."""

    task_id: int | None = None
    person: str | None = None
    first_day: date | None = None
    last_day: date | None = None

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        for clause, value in (
            ("task_id = ?", self.task_id),
            ("person = ?", self.person),
            ("day >= ?", self.first_day.isoformat() if self.first_day else None),
            ("day <= ?", self.last_day.isoformat() if self.last_day else None),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class WorklogRepo:
    """Worklog and rate reads and writes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def log(self, worklog: Worklog, *, reduce_remaining: bool = False) -> Logged:
        """Record time on a task, in one IMMEDIATE transaction with its audit row.

        Refused, writing nothing, for an unknown person or task, a day after today, or when
        the person's time on that day (already logged plus this) would pass 24 hours; the
        check runs inside the write lock, so two processes cannot both squeeze in. A done
        task is allowed, with a warning. ``reduce_remaining`` also takes the hours off the
        task's remaining hours (never below zero), version-guarded like any task change.
        """
        now = self._store.now()
        who = self._store.user
        if worklog.day > self._store.today():
            raise InvalidInput(
                f"{worklog.day} is in the future; time is logged for today or before"
            )
        if worklog.total_minutes == 0:
            raise InvalidInput("no time given: log more than 0 minutes")
        refuse_control_text("worklog", {"note": worklog.note})
        with self._store.db.write() as conn:
            worklog_id, warnings, remaining = insert_worklog(
                conn, worklog, who=who, now=now, reduce_remaining=reduce_remaining
            )
        stored = worklog.model_copy(update={"id": worklog_id, "author": who, "version": 1})
        return Logged(validate(Worklog, stored.model_dump() | {"created_at": now}),
                      tuple(warnings), remaining)  # fmt: skip

    def remove(self, worklog_id: int) -> Worklog:
        """Delete a worklog, with an audit row saying what it was (AC drops with it)."""
        now = self._store.now()
        with self._store.db.write() as conn:
            row = conn.execute("SELECT * FROM worklogs WHERE id = ?", (worklog_id,)).fetchone()
            if row is None:
                raise NotFound(f"no worklog {worklog_id}")
            current = validate(Worklog, dict(row))
            _delete_worklog(conn, current, who=self._store.user, now=now)
        return current

    def set_day(self, person: str, task_id: int, day: date, minutes: int, *,
                expected: int | None) -> tuple[str, ...]:  # fmt: skip
        """Make ``person``'s time on ``task_id`` on ``day`` come to ``minutes`` (a timesheet
        cell typed in), in one IMMEDIATE transaction with its audit rows; return warnings.

        ``minutes`` is the cell's total as the timesheet shows it: overtime logged there is
        kept, so the standard time becomes ``minutes`` minus it. More time goes onto the
        newest worklog of the cell (a new one when there is none); less is taken off the
        newest first, deleting a worklog left with no time. ``expected`` is the total the
        user saw: if the cell holds another total by now, ``StaleWrite`` and nothing is
        written. The checks of ``log``: no future day, 24 hours a day, a known person and
        task (a done task warns). Remaining hours never change here.
        """
        now = self._store.now()
        who = self._store.user
        if day > self._store.today():
            raise InvalidInput(f"{day} is in the future; time is logged for today or before")
        if not 0 <= minutes <= MINUTES_PER_DAY:
            raise InvalidInput(f"a day has 0 to 24 hours (got {hours_of(minutes)} h)")
        with self._store.db.write() as conn:
            _require_person(conn, person)
            row = conn.execute(f"{_SELECT} WHERE t.id = ?", (task_id,)).fetchone()
            if row is None:
                raise TaskNotFound(f"no task #{task_id}")
            done = _task(row).status is Status.DONE
            logs = _cell(conn, person, task_id, day)
            shown = sum(w.total_minutes for w in logs)
            if expected is not None and shown != expected:
                raise _cell_changed(logs, task_id, f"{person}'s time on {day}", shown, minutes)
            overtime = sum(w.overtime_minutes for w in logs)
            if minutes < overtime:
                raise InvalidInput(
                    f"{_clock_text(overtime)} of overtime is logged on {day}: type at least "
                    "that, or correct it with `itpm-tui worklog set`"
                )
            more = minutes - shown
            if more == 0:
                return ()
            if not logs:
                _, warnings, _ = insert_worklog(
                    conn, Worklog(person=person, task_id=task_id, day=day, minutes=more),
                    who=who, now=now, reduce_remaining=False,
                )  # fmt: skip
                return tuple(warnings)
            if more > 0:
                _check_day_total(conn, person, day, more)
                changes = [(logs[-1], logs[-1].minutes + more)]
            else:
                left, changes = -more, []
                for log in reversed(logs):
                    take = min(log.minutes, left)
                    if take:
                        changes.append((log, log.minutes - take))
                        left -= take
            for log, new_minutes in changes:
                if new_minutes == 0 and log.overtime_minutes == 0:
                    _delete_worklog(conn, log, who=who, now=now)
                else:
                    versioned_update(
                        conn, table="worklogs", entity="worklog", entity_id=log.id,
                        current=log, changes={"minutes": new_minutes},
                        expected_version=log.version, who=who, at=now,
                    )  # fmt: skip
        return (f"#{task_id} is done; the time was logged anyway",) if done and more > 0 else ()

    def set_overtime(self, person: str, task_id: int, day: date, overtime: int, *,
                     expected: tuple[int, int] | None) -> None:  # fmt: skip
        """Make ``overtime`` minutes of ``person``'s time on ``task_id`` on ``day`` count as
        overtime (a timesheet cell's "of which overtime"), in one IMMEDIATE transaction.

        The cell's total stays as it is: overtime is part of it, so it can be at most the
        total; the split is set newest worklog first. ``expected`` is the (total, overtime)
        the user saw: if the cell holds another by now, ``StaleWrite`` and nothing is written.
        """
        now = self._store.now()
        who = self._store.user
        if overtime < 0:
            raise InvalidInput("overtime is 0 or more")
        with self._store.db.write() as conn:
            _require_person(conn, person)
            logs = _cell(conn, person, task_id, day)
            total = sum(w.total_minutes for w in logs)
            shown = (total, sum(w.overtime_minutes for w in logs))
            if expected is not None and shown != expected:
                raise _cell_changed(logs, task_id, f"{person}'s overtime on {day}", shown[1],
                                    overtime)  # fmt: skip
            if overtime > total:
                on = short_date(day, self._store.today(), long=True)
                raise InvalidInput(
                    f"{person} has {_clock_text(total)} on #{task_id} on {on}; overtime is "
                    "part of that time, so type at most that (or the hours first)"
                )
            left = overtime
            for log in reversed(logs):
                extra = min(log.total_minutes, left)
                left -= extra
                if extra != log.overtime_minutes:
                    versioned_update(
                        conn, table="worklogs", entity="worklog", entity_id=log.id,
                        current=log, expected_version=log.version, who=who, at=now,
                        changes={"minutes": log.total_minutes - extra, "overtime_minutes": extra},
                    )  # fmt: skip

    def update(self, worklog_id: int, changes: dict[str, object], *,
               expected_version: int | None = None) -> Worklog:  # fmt: skip
        """Change a worklog's time or note; see ``versioned_update`` for the concurrency rules."""
        now = self._store.now()
        with self._store.db.write() as conn:
            row = conn.execute("SELECT * FROM worklogs WHERE id = ?", (worklog_id,)).fetchone()
            if row is None:
                raise NotFound(f"no worklog {worklog_id}")
            current = validate(Worklog, dict(row))
            updated, changed = versioned_update(
                conn, table="worklogs", entity="worklog", entity_id=worklog_id, current=current,
                changes=changes, expected_version=expected_version, who=self._store.user,
                at=now,
            )  # fmt: skip
            if changed:
                if updated.day > self._store.today():
                    raise InvalidInput(f"{updated.day} is in the future")
                _check_day_total(conn, updated.person, updated.day, 0)
        return updated

    def get(self, worklog_id: int) -> Worklog:
        """One worklog by id."""
        rows = self._store.db.query("SELECT * FROM worklogs WHERE id = ?", (worklog_id,))
        if not rows:
            raise NotFound(f"no worklog {worklog_id}")
        return validate(Worklog, rows[0])

    def find(self, where: WorklogFilter | None = None) -> list[Worklog]:
        """Worklogs matching ``where``, by day then id."""
        condition, params = (where or WorklogFilter()).where()
        rows = self._store.db.query(f"SELECT * FROM worklogs{condition} ORDER BY day, id", params)
        return [validate(Worklog, r) for r in rows]

    def logged_per_day(self, project_id: int, until: date | None = None) -> list[LoggedTime]:
        """Each person's time per day on the project's tasks (up to ``until``), as the
        ``worklog_days`` summary holds it: already summed, one primary-key range."""
        sql = "SELECT person, day, minutes, overtime_minutes FROM worklog_days WHERE project_id = ?"
        params: list[object] = [project_id]
        if until is not None:
            sql += " AND day <= ?"
            params.append(until.isoformat())
        sql += " ORDER BY person, day"
        with self._store.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        days: dict[str, date] = {}
        return [
            LoggedTime(r[0], days.get(r[1]) or days.setdefault(r[1], date.fromisoformat(r[1])),
                       r[2], r[3])
            for r in rows
        ]  # fmt: skip

    def labour_cost(self, project_id: int, until: date | None, rates: Iterable[PersonRate],
                    currency: str = "EUR", *, from_worklogs: bool = False) -> LabourCost:  # fmt: skip
        """The project's labour cost up to ``until``, priced and summed per day in SQL.

        The same numbers as ``labour_cost(self.logged_per_day(...), rates, currency)`` (a
        property test holds it to that): each person-day of the ``worklog_days`` summary
        is joined to the rate period in force that day (passed in, in cents) and priced
        there, then summed per day, so ~500 rows come back for 1M worklogs instead of ~100k
        (bench_time.py). Integer cent-minutes throughout, never floats. ``from_worklogs``
        sums the worklogs themselves instead of reading the summary (the path before schema
        9: ``bench_time.py`` compares the two, tests hold them equal).
        """
        periods = rate_periods(rates, currency)
        if len(periods) > _MAX_PERIODS:  # too many parameters for one statement
            return labour_cost(self.logged_per_day(project_id, until), rates, currency)
        values = ", ".join([_PERIOD_ROW] * max(len(periods), 1))
        params: list[object] = []
        for period in periods:
            params += [period.person, period.first.isoformat(),
                       period.until.isoformat() if period.until else _NEVER,
                       period.standard_cents, period.overtime_cents, int(period.priced)]  # fmt: skip
        if not periods:
            params += [None, _NEVER, _NEVER, 0, 0, 0]
        # An inner join (each rate period a range of the summary's primary key, or of the
        # person-days SQLite indexes for it; a LEFT JOIN would scan the periods for each of
        # them) gives the time at a rate; the UNION's NULL rows give all the time per day, so
        # what no rate covered is the difference.
        # The summary is joined as a table, not a CTE: SQLite would materialise a CTE used
        # twice and scan the periods for each of its rows (7x slower at 50k worklogs).
        day_filter = "" if until is None else " AND w.day <= ?"
        day_params: list[object] = [project_id] + ([] if until is None else [until.isoformat()])
        if from_worklogs:
            params += day_params
            sql = (
                "WITH p (person, first_day, next_day, standard, overtime, priced) AS"
                f" MATERIALIZED (VALUES {values}),"
                " g AS MATERIALIZED (SELECT w.person, w.day, sum(w.minutes) AS minutes,"
                " sum(w.overtime_minutes) AS overtime FROM worklogs w"
                " INDEXED BY worklogs_person_day"
                f" WHERE w.task_id IN (SELECT id FROM tasks WHERE project_id = ?){day_filter}"
                " GROUP BY w.person, w.day)"
                " SELECT g.day, p.priced, sum(g.minutes * p.standard + g.overtime * p.overtime),"
                " sum(g.minutes), sum(g.overtime), count(*) FROM p JOIN g ON g.person = p.person"
                " AND g.day >= p.first_day AND g.day < p.next_day GROUP BY g.day, p.priced"
                " UNION ALL SELECT g.day, NULL, 0, sum(g.minutes), sum(g.overtime), count(*)"
                " FROM g GROUP BY g.day"
            )
        else:
            params += day_params + day_params
            sql = (
                "WITH p (person, first_day, next_day, standard, overtime, priced) AS"
                f" MATERIALIZED (VALUES {values})"
                " SELECT w.day, p.priced,"
                " sum(w.minutes * p.standard + w.overtime_minutes * p.overtime),"
                " sum(w.minutes), sum(w.overtime_minutes), count(*) FROM p JOIN worklog_days w"
                " ON w.project_id = ? AND w.person = p.person AND w.day >= p.first_day"
                f" AND w.day < p.next_day{day_filter} GROUP BY w.day, p.priced"
                " UNION ALL SELECT w.day, NULL, 0, sum(w.minutes), sum(w.overtime_minutes),"
                f" count(*) FROM worklog_days w WHERE w.project_id = ?{day_filter} GROUP BY w.day"
            )
        with self._store.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        totals: list[DayTotal] = []
        rest: dict[str, list[int]] = {}
        for day_text, priced, cost, minutes, overtime, count in rows:
            if priced is None:
                left = rest.setdefault(day_text, [0, 0, 0])
                left[0] += int(minutes)
                left[1] += int(overtime)
                left[2] += int(count)
                continue
            left = rest.setdefault(day_text, [0, 0, 0])
            left[0] -= int(minutes)
            left[1] -= int(overtime)
            left[2] -= int(count)
            totals.append(DayTotal(date.fromisoformat(day_text),
                                   "priced" if int(priced) else "foreign",
                                   int(cost), int(minutes), int(overtime)))  # fmt: skip
        totals += [
            DayTotal(date.fromisoformat(day_text), "unpriced", 0, minutes, overtime)
            for day_text, (minutes, overtime, count) in rest.items()
            if count
        ]
        return labour_from_totals(totals)

    def labour_by_task(self, project_id: int, until: date | None, rates: Iterable[PersonRate],
                       currency: str = "EUR") -> dict[int, Decimal]:  # fmt: skip
        """Each of the project's tasks with time logged up to ``until``: its labour cost.

        A drill-down's read (one project's tasks, not the 1M-row hot path): time summed per
        task, person and day in SQL, priced by ``domain.labour.labour_cost``.
        """
        sql = (
            "SELECT w.task_id, w.person, w.day, sum(w.minutes), sum(w.overtime_minutes)"
            " FROM worklogs w WHERE w.task_id IN (SELECT id FROM tasks WHERE project_id = ?)"
        )
        params: list[object] = [project_id]
        if until is not None:
            sql += " AND w.day <= ?"
            params.append(until.isoformat())
        sql += " GROUP BY w.task_id, w.person, w.day"
        with self._store.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        logged: dict[int, list[LoggedTime]] = {}
        for task_id, person, day, minutes, overtime in rows:
            logged.setdefault(int(task_id), []).append(
                LoggedTime(person, date.fromisoformat(day), int(minutes), int(overtime))
            )
        rates = list(rates)
        return {
            task_id: labour_cost(times, rates, currency).total
            for task_id, times in sorted(logged.items())
        }

    # --- rates -------------------------------------------------------------------------------

    def set_rate(self, rate: PersonRate) -> PersonRate:
        """Set a person's rate from a date on (replacing a rate set for that same date)."""
        now = self._store.now()
        with self._store.db.write() as conn:
            _require_person(conn, rate.person)
            old = conn.execute(
                "SELECT * FROM person_rates WHERE person = ? AND effective_from = ?",
                (rate.person, rate.effective_from.isoformat()),
            ).fetchone()
            values = rate.model_dump(exclude={"id"})
            if old is not None:
                conn.execute(
                    "UPDATE person_rates SET rate = ?, overtime_rate = ?, currency = ? WHERE id = ?",
                    (str(rate.rate), None if rate.overtime_rate is None else str(rate.overtime_rate),
                     rate.currency, old["id"]),
                )  # fmt: skip
                rate_id = int(old["id"])
            else:
                rate_id = insert_row(conn, "person_rates", values)
            changes: list[tuple[str, object, object]] = [
                (f"{rate.person}.{f}", None if old is None else old[f], getattr(rate, f))
                for f in ("effective_from", "rate", "overtime_rate", "currency")
            ]
            append_audit(conn, at=now, who=self._store.user, entity="rate", entity_id=rate_id,
                         changes=changes, version=None)  # fmt: skip
        return rate.model_copy(update={"id": rate_id})

    def rates(self, person: str | None = None) -> list[PersonRate]:
        """Rates (of everyone or one person), by person then effective-from date."""
        if person is None:
            rows = self._store.db.query(
                "SELECT * FROM person_rates ORDER BY person, effective_from"
            )
        else:
            rows = self._store.db.query(
                "SELECT * FROM person_rates WHERE person = ? ORDER BY effective_from", (person,)
            )
        return [validate(PersonRate, r) for r in rows]

    # --- capacity and leave ----------------------------------------------------------------

    def set_capacity(self, capacity: PersonCapacity) -> PersonCapacity:
        """Set a person's hours per day and working weekdays (``None`` keeps what is set)."""
        now = self._store.now()
        with self._store.db.write() as conn:
            _require_person(conn, capacity.person)
            row = conn.execute("SELECT * FROM person_capacity WHERE person = ?",
                               (capacity.person,)).fetchone()  # fmt: skip
            old = capacity_from_row(dict(row)) if row else PersonCapacity(person=capacity.person)
            new = old.model_copy(update={
                k: v for k, v in (("hours_per_day", capacity.hours_per_day),
                                  ("workdays", capacity.workdays)) if v is not None
            })  # fmt: skip
            workdays = None if new.workdays is None else json.dumps(list(new.workdays))
            conn.execute(
                "INSERT INTO person_capacity (person, hours_per_day, workdays) VALUES (?, ?, ?)"
                " ON CONFLICT(person) DO UPDATE SET hours_per_day = excluded.hours_per_day,"
                " workdays = excluded.workdays",
                (new.person, new.hours_per_day, workdays),
            )
            changes: list[tuple[str, object, object]] = [
                (f"{new.person}.{f}", getattr(old, f), getattr(new, f))
                for f in ("hours_per_day", "workdays") if getattr(old, f) != getattr(new, f)
            ]  # fmt: skip
            if changes:
                append_audit(conn, at=now, who=self._store.user, entity="capacity", entity_id=0,
                             changes=changes, version=None)  # fmt: skip
        return new

    def capacities(self) -> list[PersonCapacity]:
        """Everyone's own capacity settings, by login."""
        rows = self._store.db.query("SELECT * FROM person_capacity ORDER BY person")
        return [capacity_from_row(r) for r in rows]

    def add_leave(self, leave: Leave) -> Leave:
        """Record days off for a person."""
        now = self._store.now()
        refuse_control_text("leave", {"note": leave.note})
        with self._store.db.write() as conn:
            _require_person(conn, leave.person)
            leave_id = insert_row(conn, "person_leave", leave.model_dump(exclude={"id"}))
            append_audit(conn, at=now, who=self._store.user, entity="leave", entity_id=leave_id,
                         changes=[(leave.person, None, f"{leave.first_day}..{leave.last_day}")],
                         version=None)  # fmt: skip
        return leave.model_copy(update={"id": leave_id})

    def add_team_leave(self, team: str, first_day: date, last_day: date,
                       note: str = "") -> list[Leave]:  # fmt: skip
        """The same days off for everyone in ``team`` (a team's public holiday), in one
        IMMEDIATE transaction with an audit row each; ``NotFound`` for a team of nobody."""
        now = self._store.now()
        refuse_control_text("leave", {"note": note})
        added: list[Leave] = []
        with self._store.db.write() as conn:
            logins = [r[0] for r in conn.execute(
                "SELECT login FROM people WHERE team = ? ORDER BY login", (team,)).fetchall()]  # fmt: skip
            if not logins:
                raise NotFound(f"no one is in team {team!r}; `itpm-tui person list` shows teams")
            for login in logins:
                leave = validate(Leave, {"person": login, "first_day": first_day,
                                         "last_day": last_day, "note": note})  # fmt: skip
                leave_id = insert_row(conn, "person_leave", leave.model_dump(exclude={"id"}))
                append_audit(conn, at=now, who=self._store.user, entity="leave",
                             entity_id=leave_id, version=None,
                             changes=[(login, None, f"{first_day}..{last_day}")])  # fmt: skip
                added.append(leave.model_copy(update={"id": leave_id}))
        return added

    def leave(self, person: str | None = None) -> list[Leave]:
        """Days off (everyone's or one person's), by person and first day."""
        if person is None:
            rows = self._store.db.query("SELECT * FROM person_leave ORDER BY person, first_day, id")
        else:
            rows = self._store.db.query(
                "SELECT * FROM person_leave WHERE person = ? ORDER BY first_day, id", (person,)
            )
        return [validate(Leave, r) for r in rows]


_MAX_PERIODS = 4000
"""Rate periods passed as parameters of one statement (6 each; SQLite allows 32,766)."""
_PERIOD_ROW = "(?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER))"
"""One rate period's parameters; typed, as PostgreSQL reads a bare VALUES parameter as text."""
_NEVER = "9999-12-31"
"""The end of a rate period that has no next rate."""


def capacity_from_row(row: dict[str, Any]) -> PersonCapacity:
    workdays = row.get("workdays")
    try:
        parsed = None if workdays is None else json.loads(workdays)
    except (TypeError, ValueError) as err:
        raise InvalidInput(f"cannot read the workdays of {row.get('person')!r}") from err
    return validate(PersonCapacity, {**row, "workdays": parsed})


def insert_worklog(
    conn: sqlite3.Connection, worklog: Worklog, *, who: str, now: str, reduce_remaining: bool,
) -> tuple[int, list[str], float | None]:  # fmt: skip
    """Write one worklog and its audit row inside the caller's write transaction.

    Refused, writing nothing, for an unknown person or task, or when the person's time that
    day would pass 24 hours. Returns the new id, warnings (a done task) and the remaining
    hours when ``reduce_remaining`` took the time off them.
    """
    warnings: list[str] = []
    remaining: float | None = None
    _require_person(conn, worklog.person)
    row = conn.execute(f"{_SELECT} WHERE t.id = ?", (worklog.task_id,)).fetchone()
    if row is None:
        raise TaskNotFound(f"no task #{worklog.task_id}")
    task = _task(row)
    if task.status is Status.DONE:
        warnings.append(f"#{task.id} is done; the time was logged anyway")
    foreign = _foreign_rate(conn, worklog, task.project_id)
    if foreign:
        warnings.append(foreign)
    _check_day_total(conn, worklog.person, worklog.day, worklog.total_minutes)
    values = worklog.model_dump(exclude={"id"}) | {
        "author": who, "created_at": now, "version": 1,
    }  # fmt: skip
    worklog_id = insert_row(conn, "worklogs", values)
    append_audit(
        conn, at=now, who=who, entity="worklog", entity_id=worklog_id,
        changes=[("minutes", None, worklog.minutes),
                 *([("overtime_minutes", None, worklog.overtime_minutes)]
                   if worklog.overtime_minutes else [])],
        version=1,
    )  # fmt: skip
    if reduce_remaining:
        left = max((task.remaining_hours or 0.0) - worklog.total_minutes / 60, 0.0)
        updated, _ = versioned_update(
            conn, table="tasks", entity="task", entity_id=task.id, current=task,
            changes={"remaining_hours": left}, expected_version=None, who=who, at=now,
            extra_columns={"updated_at": now, "updated_by": who},
        )  # fmt: skip
        remaining = updated.remaining_hours
    return worklog_id, warnings, remaining


def _delete_worklog(conn: sqlite3.Connection, current: Worklog, *, who: str, now: str) -> None:
    """Delete one worklog with an audit row saying what it was, in the caller's transaction."""
    conn.execute("DELETE FROM worklogs WHERE id = ?", (current.id,))
    append_audit(
        conn, at=now, who=who, entity="worklog", entity_id=current.id,
        changes=[("minutes", current.minutes, None),
                 *([("overtime_minutes", current.overtime_minutes, None)]
                   if current.overtime_minutes else [])],
        version=current.version + 1,
    )  # fmt: skip


def _cell(conn: sqlite3.Connection, person: str, task_id: int, day: date) -> list[Worklog]:
    """The worklogs of one timesheet cell (a person's time on a task on a day), oldest first."""
    rows = conn.execute(
        "SELECT * FROM worklogs WHERE person = ? AND task_id = ? AND day = ? ORDER BY id",
        (person, task_id, day.isoformat()),
    ).fetchall()
    return [validate(Worklog, dict(r)) for r in rows]


def _cell_changed(
    logs: list[Worklog], task_id: int, what: str, shown: int, typed: int
) -> StaleWrite:
    """The refusal of a cell typed over a value someone else changed since it was shown."""
    newest = max(logs, key=lambda w: w.id, default=None)
    return StaleWrite("task", task_id, (FieldConflict(
        what, newest.author if newest else "someone",
        newest.created_at.isoformat() if newest and newest.created_at else "",
        _clock_text(shown), _clock_text(typed)),))  # fmt: skip


def _clock_text(minutes: int) -> str:
    """``2:30`` (the timesheet's way of showing time), ``0:00`` for none."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _foreign_rate(conn: sqlite3.Connection, worklog: Worklog, project_id: int | None) -> str:
    """A warning when the rate in force that day is in another currency than the task's
    project counts in: the time is logged but adds nothing to that project's AC."""
    if project_id is None:
        return ""
    project = conn.execute("SELECT key, currency FROM projects WHERE id = ?",
                           (project_id,)).fetchone()  # fmt: skip
    rate = conn.execute(
        "SELECT currency FROM person_rates WHERE person = ? AND effective_from <= ?"
        " ORDER BY effective_from DESC LIMIT 1", (worklog.person, worklog.day.isoformat()),
    ).fetchone()  # fmt: skip
    if project is None or rate is None or rate[0] == project[1]:
        return ""
    return (
        f"{worklog.person}'s rate on {worklog.day} is in {rate[0]} but {project[0]} counts "
        f"in {project[1]}: this time adds no cost to {project[0]}"
    )


def _require_person(conn: sqlite3.Connection, login: str) -> None:
    if not conn.execute("SELECT 1 FROM people WHERE login = ?", (login,)).fetchone():
        raise NotFound(f"no person {login!r}; add them with `itpm-tui person add`")


def _check_day_total(conn: sqlite3.Connection, person: str, day: date, adding: int) -> None:
    """``InvalidInput`` if the person's time on ``day`` plus ``adding`` minutes passes 24 h."""
    logged = int(conn.execute(
        "SELECT coalesce(sum(minutes + overtime_minutes), 0) FROM worklogs"
        " WHERE person = ? AND day = ?", (person, day.isoformat()),
    ).fetchone()[0])  # fmt: skip
    if logged + adding > MINUTES_PER_DAY:
        raise InvalidInput(
            f"{person} would have {hours_of(logged + adding)} h on {day} "
            f"({hours_of(logged)} h already logged): at most 24 h in a day"
        )
