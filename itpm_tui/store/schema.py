"""Tables and numbered migrations, for both backends.

The schema version lives in ``PRAGMA user_version`` (SQLite) or the ``itpm_schema`` table
(PostgreSQL). Each migration runs inside the write transaction that records its version.

Adding a migration (the recipe, for both backends):

1. Write a function ``_name(conn)`` that calls ``run_script(conn, SQL)`` with the
   DDL in SQLite's spelling, using only the types ``INTEGER``, ``REAL``, ``TEXT`` and
   ``INTEGER PRIMARY KEY`` (and ``REFERENCES t(id)``, ``CHECK``, ``UNIQUE``, indexes,
   partial indexes, ``ALTER TABLE ... ADD COLUMN``). ``run_script`` translates it for
   PostgreSQL (BIGINT, DOUBLE PRECISION, identity ids, deferrable foreign keys).
2. Anything spelled differently (a trigger, ``table.transform()``-style rebuilds) goes in
   ``if is_postgresql(conn): run_script(conn, PG_SQL) else: run_script(conn, SQLITE_SQL)``.
3. Append it to the END of ``MIGRATIONS``; carry the new tables in transfer.py's ROW_MODELS
   (a table computed from others goes in ``DERIVED_TABLES`` instead: not exported, rebuilt
   on import). New tables get their change-notify trigger on PostgreSQL automatically (the
   derived ones need none: they change only with the tables they are computed from).
4. Run the store tests on both: ``pytest tests/unit`` and ``./check`` (its PostgreSQL part).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from sqlite3 import Connection

Migration = Callable[[Connection], None]


def is_postgresql(conn: object) -> bool:
    """True if ``conn`` (what a store transaction yields) talks to PostgreSQL."""
    return not isinstance(conn, sqlite3.Connection)


def run_script(conn: Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, escaping our ``BEGIN IMMEDIATE``. On
    PostgreSQL the script is translated (``pg.translate_ddl``) and sent at once.
    """
    if is_postgresql(conn):
        conn.run_script(script)  # type: ignore[attr-defined]
        return
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


def _v1(conn: Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE people (
            login TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            team TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            bac TEXT NOT NULL DEFAULT '0',
            currency TEXT NOT NULL DEFAULT 'EUR',
            start TEXT,
            baseline_finish TEXT,
            workdays TEXT NOT NULL DEFAULT '[1,2,3,4,5]',
            holidays TEXT NOT NULL DEFAULT '[]',
            hours_per_day REAL NOT NULL DEFAULT 8,
            thresholds TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE milestones (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            name TEXT NOT NULL,
            baseline TEXT NOT NULL,
            forecast TEXT NOT NULL,
            actual TEXT,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX milestones_project ON milestones(project_id);
        CREATE TABLE milestone_forecasts (
            id INTEGER PRIMARY KEY,
            milestone_id INTEGER NOT NULL REFERENCES milestones(id),
            recorded_on TEXT NOT NULL,
            forecast TEXT NOT NULL
        );
        CREATE INDEX milestone_forecasts_milestone ON milestone_forecasts(milestone_id);
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            project_id INTEGER REFERENCES projects(id),
            milestone_id INTEGER REFERENCES milestones(id),
            title TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'todo'
                CHECK (status IN ('todo', 'doing', 'blocked', 'review', 'done')),
            assignee TEXT REFERENCES people(login),
            priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
            due TEXT,
            planned_start TEXT,
            planned_finish TEXT,
            estimate_hours REAL CHECK (estimate_hours >= 0),
            remaining_hours REAL CHECK (remaining_hours >= 0),
            percent_complete INTEGER CHECK (percent_complete BETWEEN 0 AND 100),
            planned_cost TEXT,
            blocked_reason TEXT NOT NULL DEFAULT '',
            blocked_since TEXT,
            waiting_on TEXT NOT NULL DEFAULT '',
            snoozed_until TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            done_at TEXT,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX tasks_project ON tasks(project_id);
        CREATE INDEX tasks_assignee_status ON tasks(assignee, status);
        CREATE INDEX tasks_status ON tasks(status);
        CREATE INDEX tasks_milestone ON tasks(milestone_id);
        CREATE TABLE cost_entries (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            spent_on TEXT NOT NULL,
            amount TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX cost_entries_project ON cost_entries(project_id, spent_on);
        CREATE TABLE standups (
            id INTEGER PRIMARY KEY,
            held_on TEXT NOT NULL,
            project_id INTEGER REFERENCES projects(id),
            team TEXT NOT NULL DEFAULT '',
            facilitator TEXT NOT NULL DEFAULT '',
            order_mode TEXT NOT NULL DEFAULT 'fixed',
            timebox_seconds INTEGER NOT NULL DEFAULT 120,
            meeting_seconds INTEGER NOT NULL DEFAULT 900,
            started_at TEXT,
            ended_at TEXT
        );
        CREATE TABLE standup_entries (
            id INTEGER PRIMARY KEY,
            standup_id INTEGER REFERENCES standups(id),
            held_on TEXT NOT NULL,
            person TEXT NOT NULL,
            yesterday TEXT NOT NULL DEFAULT '',
            today TEXT NOT NULL DEFAULT '',
            blockers TEXT NOT NULL DEFAULT '',
            present INTEGER NOT NULL DEFAULT 1,
            seconds_spoken INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX standup_entries_day ON standup_entries(held_on, person);
        CREATE TABLE parking_lot (
            id INTEGER PRIMARY KEY,
            standup_id INTEGER NOT NULL REFERENCES standups(id),
            topic TEXT NOT NULL,
            raised_by TEXT NOT NULL DEFAULT '',
            wanted_by TEXT NOT NULL DEFAULT '',
            resolved INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            version INTEGER
        );
        CREATE INDEX audit_entity ON audit(entity, entity_id, id);
        CREATE INDEX audit_at ON audit(at);
        """,
    )
    if is_postgresql(conn):
        from itpm_tui.store.pg import AUDIT_GUARD

        run_script(conn, AUDIT_GUARD)
        return
    run_script(
        conn,
        """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
    )


def _task_links(conn: Connection) -> None:
    """Dependencies between tasks (the schedule network): one row per predecessor link."""
    run_script(
        conn,
        """
        CREATE TABLE task_links (
            id INTEGER PRIMARY KEY,
            pred_id INTEGER NOT NULL REFERENCES tasks(id),
            succ_id INTEGER NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL DEFAULT 'fs' CHECK (kind IN ('fs', 'ss', 'ff', 'sf')),
            lag INTEGER NOT NULL DEFAULT 0 CHECK (lag BETWEEN -1000 AND 1000),
            CHECK (pred_id != succ_id),
            UNIQUE (pred_id, succ_id)
        );
        CREATE INDEX task_links_succ ON task_links(succ_id);
        """,
    )


def _audit_os_user(conn: Connection) -> None:
    """The OS account of the process that wrote each audit row, beside the claimed login.

    ``--user`` is only a name someone claims; the uid is what the system vouches for. Rows
    written before this migration get ``''``: unknown. ADD COLUMN leaves the append-only
    triggers in place (they fire on UPDATE and DELETE only).
    """
    conn.execute("ALTER TABLE audit ADD COLUMN os_user TEXT NOT NULL DEFAULT ''")


def _raid_log(conn: Connection) -> None:
    """The RAID log: risks, issues, assumptions and decisions, their links, each project's
    risk scale and bands (JSON like ``thresholds``; ``'{}'`` is the 1-5 default)."""
    run_script(
        conn,
        """
        ALTER TABLE projects ADD COLUMN risk_settings TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE raid_items (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            kind TEXT NOT NULL CHECK (kind IN ('risk', 'issue', 'assumption', 'decision')),
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            owner TEXT REFERENCES people(login),
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'monitoring', 'closed', 'proposed', 'made')),
            raised_by TEXT NOT NULL DEFAULT '',
            raised_on TEXT NOT NULL,
            review_on TEXT,
            probability TEXT,
            impact TEXT,
            cost_impact TEXT,
            schedule_impact INTEGER CHECK (schedule_impact >= 0),
            response TEXT CHECK (response IN ('avoid', 'mitigate', 'transfer', 'accept')),
            mitigation TEXT NOT NULL DEFAULT '',
            mitigation_due TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX raid_items_project ON raid_items(project_id, kind, status);
        CREATE TABLE raid_links (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES raid_items(id),
            task_id INTEGER REFERENCES tasks(id),
            milestone_id INTEGER REFERENCES milestones(id),
            CHECK ((task_id IS NULL) != (milestone_id IS NULL))
        );
        CREATE UNIQUE INDEX raid_links_task ON raid_links(item_id, task_id)
            WHERE task_id IS NOT NULL;
        CREATE UNIQUE INDEX raid_links_milestone ON raid_links(item_id, milestone_id)
            WHERE milestone_id IS NOT NULL;
        """,
    )


def _worklogs(conn: Connection) -> None:
    """Time logged on tasks, hourly rates with an effective-from date, capacity and leave.

    Time is stored in whole minutes (``1.5h``, ``90m`` and ``1:30`` are all 90), so SQL sums
    are exact integers and labour cost is exact: minutes x rate (in cents) / 60. Overtime
    minutes are on top of the standard minutes, at the overtime rate. ``worklogs_person_day``
    covers the per-person-per-day sum behind AC, so it walks one index in order with no
    table lookups and no sort (1M worklogs: ~3.4 s without, ~0.4 s with).
    """
    run_script(
        conn,
        """
        CREATE TABLE worklogs (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES people(login),
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            day TEXT NOT NULL,
            minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
            overtime_minutes INTEGER NOT NULL DEFAULT 0
                CHECK (overtime_minutes BETWEEN 0 AND 1440),
            note TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX worklogs_task_day ON worklogs(task_id, day);
        CREATE INDEX worklogs_person_day
            ON worklogs(person, day, task_id, minutes, overtime_minutes);
        CREATE TABLE person_rates (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES people(login),
            effective_from TEXT NOT NULL,
            rate TEXT NOT NULL,
            overtime_rate TEXT,
            currency TEXT NOT NULL DEFAULT 'EUR',
            UNIQUE (person, effective_from)
        );
        CREATE TABLE person_capacity (
            person TEXT PRIMARY KEY REFERENCES people(login),
            hours_per_day REAL CHECK (hours_per_day > 0 AND hours_per_day <= 24),
            workdays TEXT
        );
        CREATE TABLE person_leave (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES people(login),
            first_day TEXT NOT NULL,
            last_day TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            CHECK (last_day >= first_day)
        );
        CREATE INDEX person_leave_person ON person_leave(person, first_day);
        """,
    )


def _timers(conn: Connection) -> None:
    """Running timers: one per person at most (the primary key says so), kept in the file so
    a timer survives an app restart and shows in every process; stopping one deletes its
    row and writes a worklog in the same transaction."""
    run_script(
        conn,
        """
        CREATE TABLE timers (
            person TEXT PRIMARY KEY REFERENCES people(login),
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            started_at TEXT NOT NULL
        );
        """,
    )


def _task_repeat(conn: Connection) -> None:
    """Recurring tasks: the repeat rule's text, and which finished occurrence a task was
    created after. The unique index keeps two processes finishing one occurrence at once
    from both adding the next (in SQLite and PostgreSQL alike several NULLs are allowed)."""
    run_script(
        conn,
        """
        ALTER TABLE tasks ADD COLUMN repeat TEXT;
        ALTER TABLE tasks ADD COLUMN repeat_of INTEGER REFERENCES tasks(id);
        CREATE UNIQUE INDEX tasks_repeat_of ON tasks(repeat_of);
        """,
    )


def _change_requests(conn: Connection) -> None:
    """Change requests and the baselines they write.

    A change's schedule deltas (milestone id -> working days) and its scope (task ids added
    and removed) are JSON text like ``thresholds``. Each applied change writes a numbered
    baseline of its project (number 0 is the original, kept), with every milestone's baseline
    date and every task's planned dates and cost at that moment. Plain SQL only (no SQLite
    functions), so another backend reads the same tables.
    """
    run_script(
        conn,
        """
        CREATE TABLE change_requests (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            title TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            requested_by TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'approved', 'rejected', 'applied')),
            cost_delta TEXT NOT NULL DEFAULT '0',
            milestone_deltas TEXT NOT NULL DEFAULT '{}',
            tasks_added TEXT NOT NULL DEFAULT '[]',
            tasks_removed TEXT NOT NULL DEFAULT '[]',
            decided_by TEXT NOT NULL DEFAULT '',
            decided_on TEXT,
            applied_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX change_requests_project ON change_requests(project_id, status);
        CREATE TABLE baselines (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            number INTEGER NOT NULL CHECK (number >= 0),
            name TEXT NOT NULL,
            change_id INTEGER REFERENCES change_requests(id),
            made_on TEXT NOT NULL,
            made_by TEXT NOT NULL DEFAULT '',
            bac TEXT NOT NULL,
            UNIQUE (project_id, number)
        );
        CREATE TABLE baseline_milestones (
            id INTEGER PRIMARY KEY,
            baseline_id INTEGER NOT NULL REFERENCES baselines(id),
            milestone_id INTEGER NOT NULL REFERENCES milestones(id),
            baseline TEXT NOT NULL,
            UNIQUE (baseline_id, milestone_id)
        );
        CREATE TABLE baseline_tasks (
            id INTEGER PRIMARY KEY,
            baseline_id INTEGER NOT NULL REFERENCES baselines(id),
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            planned_start TEXT,
            planned_finish TEXT,
            planned_cost TEXT,
            UNIQUE (baseline_id, task_id)
        );
        """,
    )


def _worklog_days(conn: Connection) -> None:
    """A per-day summary of worklogs for AC: time per project, person and day, kept exact by
    triggers in every worklog write's own transaction (so AC reads ~100k summed rows for 1M
    worklogs instead of scanning them all).

    Keyed by the task's project, not the task: one project's person-days are one range of
    the primary key, already summed. A task moved to another project carries its time
    along (the tasks trigger). ``worklogs`` counts the worklogs behind a row, so a row
    exists exactly when a worklog does (a 0-minute worklog still makes a priced 0-cost day,
    as the ``GROUP BY`` it replaces did); a row whose count falls to 0 is deleted. Derived
    data: not exported, rebuilt by an import (``rebuild_worklog_days``).
    """
    if is_postgresql(conn):
        from itpm_tui.store.pg import WORKLOG_DAYS_SQL

        run_script(conn, WORKLOG_DAYS_SQL)
    else:
        run_script(conn, _WORKLOG_DAYS_SQLITE)
    rebuild_worklog_days(conn)


WORKLOG_DAYS_ADD = """
        INSERT INTO worklog_days
            (project_id, person, day, minutes, overtime_minutes, worklogs)
        SELECT t.project_id, {w}.person, {w}.day, {w}.minutes, {w}.overtime_minutes, 1
            FROM tasks t WHERE t.id = {w}.task_id AND t.project_id IS NOT NULL
        ON CONFLICT (project_id, person, day) DO UPDATE SET
            minutes = worklog_days.minutes + excluded.minutes,
            overtime_minutes = worklog_days.overtime_minutes + excluded.overtime_minutes,
            worklogs = worklog_days.worklogs + 1;"""
"""Add one worklog (``{w}``: ``new``) to its project-person-day row (SQL of both backends)."""

WORKLOG_DAYS_TAKE = """
        UPDATE worklog_days SET minutes = minutes - {w}.minutes,
            overtime_minutes = overtime_minutes - {w}.overtime_minutes, worklogs = worklogs - 1
            WHERE project_id = (SELECT project_id FROM tasks WHERE id = {w}.task_id)
            AND person = {w}.person AND day = {w}.day;
        DELETE FROM worklog_days
            WHERE project_id = (SELECT project_id FROM tasks WHERE id = {w}.task_id)
            AND person = {w}.person AND day = {w}.day AND worklogs = 0;"""
"""Take one worklog (``{w}``: ``old``) off its row, deleting the row left with none."""

TASK_MOVED = """
        INSERT INTO worklog_days
            (project_id, person, day, minutes, overtime_minutes, worklogs)
        SELECT new.project_id, w.person, w.day, sum(w.minutes), sum(w.overtime_minutes),
            count(*) FROM worklogs w WHERE w.task_id = new.id AND new.project_id IS NOT NULL
            GROUP BY w.person, w.day
        ON CONFLICT (project_id, person, day) DO UPDATE SET
            minutes = worklog_days.minutes + excluded.minutes,
            overtime_minutes = worklog_days.overtime_minutes + excluded.overtime_minutes,
            worklogs = worklog_days.worklogs + excluded.worklogs;
        UPDATE worklog_days SET minutes = worklog_days.minutes - s.minutes,
            overtime_minutes = worklog_days.overtime_minutes - s.overtime_minutes,
            worklogs = worklog_days.worklogs - s.worklogs
            FROM (SELECT w.person, w.day, sum(w.minutes) AS minutes,
                  sum(w.overtime_minutes) AS overtime_minutes, count(*) AS worklogs
                  FROM worklogs w WHERE w.task_id = old.id GROUP BY w.person, w.day) s
            WHERE worklog_days.project_id = old.project_id
            AND worklog_days.person = s.person AND worklog_days.day = s.day;
        DELETE FROM worklog_days WHERE project_id = old.project_id AND worklogs = 0
            AND (person, day) IN (SELECT person, day FROM worklogs WHERE task_id = old.id);"""
"""Move a task's time from its old project's rows to its new project's."""

_WORKLOG_DAYS_SQLITE = f"""
        CREATE TABLE worklog_days (
            project_id INTEGER NOT NULL,
            person TEXT NOT NULL,
            day TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            overtime_minutes INTEGER NOT NULL,
            worklogs INTEGER NOT NULL,
            PRIMARY KEY (project_id, person, day)
        ) WITHOUT ROWID;
        CREATE TRIGGER worklog_days_insert AFTER INSERT ON worklogs BEGIN
            {WORKLOG_DAYS_ADD.format(w="new")}
        END;
        CREATE TRIGGER worklog_days_delete AFTER DELETE ON worklogs BEGIN
            {WORKLOG_DAYS_TAKE.format(w="old")}
        END;
        CREATE TRIGGER worklog_days_update
            AFTER UPDATE OF person, task_id, day, minutes, overtime_minutes ON worklogs BEGIN
            {WORKLOG_DAYS_ADD.format(w="new")}
            {WORKLOG_DAYS_TAKE.format(w="old")}
        END;
        CREATE TRIGGER worklog_days_task_moved AFTER UPDATE OF project_id ON tasks
            WHEN old.project_id IS NOT new.project_id BEGIN
            {TASK_MOVED}
        END;
"""
"""The summary table and its triggers in SQLite (PostgreSQL's: ``pg.WORKLOG_DAYS_SQL``)."""

WORKLOG_DAYS_TRIGGERS = {
    "sqlite": ("worklog_days_delete", "worklog_days_insert", "worklog_days_task_moved",
               "worklog_days_update"),
    "postgresql": ("worklog_days_task_moved", "worklog_days_sync"),
}  # fmt: skip
"""The triggers that keep ``worklog_days`` exact, per backend (``doctor`` checks them)."""

DERIVED_TABLES = frozenset({"worklog_days"})
"""Tables computed from others: not exported, rebuilt on import."""


_FRESH_DAYS = (
    "SELECT t.project_id, w.person, w.day, sum(w.minutes), sum(w.overtime_minutes), count(*)"
    " FROM worklogs w JOIN tasks t ON t.id = w.task_id WHERE t.project_id IS NOT NULL"
    " GROUP BY t.project_id, w.person, w.day"
)
"""What ``worklog_days`` holds when it is exact: the worklogs summed afresh."""
_STORED_DAYS = (
    "SELECT project_id, person, day, minutes, overtime_minutes, worklogs FROM worklog_days"
)


def rebuild_worklog_days(conn: Connection) -> None:
    """Recompute ``worklog_days`` from ``worklogs`` inside the caller's write transaction."""
    conn.execute("DELETE FROM worklog_days")
    conn.execute(
        "INSERT INTO worklog_days (project_id, person, day, minutes, overtime_minutes, worklogs)"
        f" {_FRESH_DAYS}"
    )


_REPAIR = (
    "To repair: `itpm-tui export -o FILE.json`, import FILE.json into a new database "
    "(`itpm-tui --db NEW import FILE.json` rebuilds the summary and its triggers), use that"
)


def worklog_days_problems(conn: Connection, triggers: set[str]) -> list[str]:
    """Why the ``worklog_days`` summary (and so AC) may be wrong, for ``doctor``: a missing
    or disabled trigger among ``triggers`` (the enabled ones), or rows that differ from the
    worklogs summed afresh. Empty when it is exact."""
    backend = "postgresql" if is_postgresql(conn) else "sqlite"
    found: list[str] = []
    missing = [name for name in WORKLOG_DAYS_TRIGGERS[backend] if name not in triggers]
    if missing:
        found.append(f"the worklog_days summary behind AC is not kept up to date (triggers "
                     f"{', '.join(missing)} missing or disabled)")  # fmt: skip
    # The worklogs summed once (the costly part: ~2 s at 1M worklogs), compared both ways.
    differ = int(conn.execute(
        f"WITH f (a, b, c, d, e, g) AS MATERIALIZED ({_FRESH_DAYS})"
        f" SELECT (SELECT count(*) FROM ({_STORED_DAYS} EXCEPT SELECT * FROM f) x)"
        f" + (SELECT count(*) FROM (SELECT * FROM f EXCEPT {_STORED_DAYS}) y)"
    ).fetchone()[0])  # fmt: skip
    if differ:
        found.append(f"the worklog_days summary behind AC differs from the worklogs in {differ} "
                     "rows, so AC is wrong")  # fmt: skip
    return [f"{problem}. {_REPAIR}" for problem in found]


MIGRATIONS: tuple[Migration, ...] = (
    _v1, _task_links, _audit_os_user, _raid_log, _worklogs, _timers, _task_repeat,
    _change_requests, _worklog_days,
)  # fmt: skip
"""Migration ``n`` (1-based) takes the schema from version ``n - 1`` to ``n``."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this build of the app reads and writes."""
