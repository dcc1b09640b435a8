"""Time and people commands: ``log-time``, ``worklog list``, rates and capacity for ``person set``."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from itpm_tui.cli.base import IdType, Session, cli, echo_json, fail, pass_session
from itpm_tui.domain.dates import parse_date
from itpm_tui.domain.labour import hours_of
from itpm_tui.domain.numbers import hours_text, parse_amount, parse_duration, parse_number
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.models import PersonCapacity, PersonRate, Worklog

if TYPE_CHECKING:
    from itpm_tui.domain.workload import Workload
    from itpm_tui.store.timers import Stopped

_ISO_WEEK = re.compile(r"([0-9]{4})-?w([0-9]{1,2})")


@cli.command("log-time")
@click.argument("task_id", metavar="ID", type=IdType())
@click.argument("hours", metavar="HOURS")
@click.option("--date", "day", metavar="DATE", help="The day worked (default: today).")
@click.option("--overtime", metavar="H", help="Overtime on top of HOURS, at the overtime rate.")
@click.option("--note", default="", help="What the time was spent on.")
@click.option("--person", metavar="LOGIN", help="Whose time (default: you).")
@click.option("--reduce-remaining", is_flag=True,
              help="Also take the time off the task's remaining hours (not done by default).")  # fmt: skip
@pass_session
def log_time(
    session: Session, /, task_id: int, hours: str, day: str | None, overtime: str | None,
    note: str, person: str | None, reduce_remaining: bool,
) -> None:  # fmt: skip
    """Log time spent on a task: HOURS as 1.5h, 1.5, 90m or 1:30.

    The time counts in the project's actual cost at the person's rate on that day. It does
    not change the task's remaining hours unless --reduce-remaining is given.
    """
    from itpm_tui.store.rows import validate

    minutes = parse_duration(hours, "hours")
    extra = parse_duration(overtime, "overtime") if overtime is not None else 0
    worked_on = parse_date(day, session.today, recent=True) if day else session.today
    worklog = validate(Worklog, {
        "person": person or session.settings.user, "task_id": task_id, "day": worked_on,
        "minutes": minutes, "overtime_minutes": extra, "note": note,
    })  # fmt: skip
    logged = session.store.worklogs.log(worklog, reduce_remaining=reduce_remaining)
    for warning in logged.warnings:
        click.echo(f"Warning: {warning}", err=True)
    text = f"logged {hours_of(minutes)} h"
    if extra:
        text += f" + {hours_of(extra)} h overtime"
    text += f" on #{task_id} for {worklog.person} on {worked_on}"
    if logged.remaining_hours is not None:
        text += f"; {number_h(logged.remaining_hours)} remaining"
    click.echo(text)


def number_h(hours: float) -> str:
    """Hours as ``8.5 h``."""
    return f"{hours:g} h"


@cli.group()
def worklog() -> None:
    """Time logged on tasks."""


def _week(text: str, today: date) -> tuple[date, date]:
    """Monday and Sunday of an ISO week given as ``2026-W48`` or as any day in it."""
    match = _ISO_WEEK.fullmatch(text.strip().lower())
    if match:
        try:
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError as err:
            raise InvalidInput(f"week {text!r} does not exist") from err
    else:
        day = parse_date(text, today, recent=True)
        monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@worklog.command("list")
@click.option("--task", "task_id", metavar="ID", type=IdType(), help="Only this task.")
@click.option("--person", metavar="LOGIN", help="Only this person's time.")
@click.option("--week", metavar="WEEK", help="Only one ISO week: 2026-W48, or a day in it.")
@click.option("--json", "as_json", is_flag=True, help="JSON output (minutes exact).")
@pass_session
def worklog_list(
    session: Session, /, task_id: int | None, person: str | None, week: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """List logged time by day, with the total."""
    from itpm_tui.store.worklogs import WorklogFilter

    store = session.store
    first, last = _week(week, session.today) if week else (None, None)
    if person is not None:
        store.people.get(person)
    if task_id is not None:
        store.tasks.get(task_id)
    entries = store.worklogs.find(WorklogFilter(task_id, person, first, last))
    if as_json:
        echo_json([e.model_dump(mode="json") for e in entries])
        return
    if not entries:
        click.echo("no time logged")
        return
    for e in entries:
        overtime = f" +{hours_of(e.overtime_minutes)} h OT" if e.overtime_minutes else ""
        click.echo(f"{e.id:>6}  {e.day}  #{e.task_id:<6} {e.person:<12} "
                   f"{hours_of(e.minutes):>6} h{overtime}  {e.note}".rstrip())  # fmt: skip
    total = sum(e.minutes for e in entries)
    overtime_total = sum(e.overtime_minutes for e in entries)
    click.echo(f"total: {hours_of(total)} h" +
               (f" + {hours_of(overtime_total)} h overtime" if overtime_total else ""))  # fmt: skip


def set_time_settings(
    session: Session, login: str, *, rate: str | None, rate_from: str | None,
    overtime_rate: str | None, currency: str | None, hours_per_day: str | None,
    workdays: str | None,
) -> list[str]:  # fmt: skip
    """Apply ``person set``'s rate and capacity options; return what changed, for the user.

    Everything is read and checked before the first write, so bad input changes nothing.
    """
    from itpm_tui.cli.projects import parse_workdays
    from itpm_tui.store.rows import validate

    store = session.store
    store.people.get(login)
    new_rate: PersonRate | None = None
    if rate is None and (rate_from is not None or overtime_rate is not None):
        fail("--rate-from and --overtime-rate go with --rate")
    if rate is not None:
        since = parse_date(rate_from, session.today) if rate_from else session.today
        earlier = store.worklogs.rates(login)
        code = currency or (earlier[-1].currency if earlier else "EUR")
        new_rate = validate(PersonRate, {
            "person": login, "effective_from": since, "rate": parse_amount(rate, "rate"),
            "overtime_rate": None if overtime_rate is None
            else parse_amount(overtime_rate, "overtime rate"),
            "currency": code.strip().upper(),
        })  # fmt: skip
        counted = sorted({p.currency for p in store.projects.find()})
        if counted and new_rate.currency not in counted:
            # Time at this rate would add to no project's AC (labour is priced in the
            # project's currency): almost always a typo, so say so before writing anything.
            fail(f"no project counts in {new_rate.currency} (projects use "
                 f"{', '.join(counted)}): time at this rate would cost nothing; "
                 "give --currency one of those")  # fmt: skip
    elif currency is not None:
        fail("--currency goes with --rate")
    capacity: PersonCapacity | None = None
    if hours_per_day is not None or workdays is not None:
        per_day = None
        if hours_per_day is not None:
            per_day = float(parse_number(hours_per_day, "hours per day", suffix="h"))
            if not Decimal(0) < Decimal(str(per_day)) <= 24:
                fail(f"hours per day is more than 0 and at most 24 (got {hours_per_day})")
        capacity = validate(PersonCapacity, {
            "person": login, "hours_per_day": per_day,
            "workdays": parse_workdays(workdays) if workdays is not None else None,
        })  # fmt: skip
    done: list[str] = []
    if new_rate is not None:
        store.worklogs.set_rate(new_rate)
        overtime = (f", overtime {new_rate.overtime_rate:,}" if new_rate.overtime_rate is not None
                    else "")  # fmt: skip
        done.append(f"rate {new_rate.rate:,} {new_rate.currency}/h{overtime} "
                    f"from {new_rate.effective_from}")  # fmt: skip
    if capacity is not None:
        saved = store.worklogs.set_capacity(capacity)
        days = ",".join(str(d) for d in saved.workdays) if saved.workdays else "project calendar"
        per_day_text = f"{saved.hours_per_day:g} h/day" if saved.hours_per_day else "project h/day"
        done.append(f"capacity {per_day_text} on weekdays {days}")
    return done


def _leave_days(session: Session, first: str, last: str | None) -> tuple[date, date]:
    """FROM and TO as typed (one day without TO); refuses a leave that ends before it starts."""
    first_day = parse_date(first, session.today)
    last_day = parse_date(last, session.today) if last else first_day
    if last_day < first_day:
        fail(f"the leave ends ({last_day}) before it starts ({first_day})")
    return first_day, last_day


@cli.group()
def leave() -> None:
    """Days off: leave and personal public holidays (capacity drops on them)."""


@leave.command("add")
@click.argument("login")
@click.argument("first", metavar="FROM")
@click.argument("last", metavar="[TO]", required=False)
@click.option("--note", default="", help="Why (holiday, training...).")
@pass_session
def leave_add(session: Session, /, login: str, first: str, last: str | None, note: str) -> None:
    """Record days off for LOGIN from FROM to TO (both included; one day without TO)."""
    from itpm_tui.models import Leave
    from itpm_tui.store.rows import validate

    first_day, last_day = _leave_days(session, first, last)
    wanted = {"person": login, "first_day": first_day, "last_day": last_day, "note": note}
    added = session.store.worklogs.add_leave(validate(Leave, wanted))
    days = (added.last_day - added.first_day).days + 1
    click.echo(f"added leave {added.id}: {login} {added.first_day}..{added.last_day} "
               f"({plural(days, 'day')})")  # fmt: skip


@leave.command("team")
@click.argument("team")
@click.argument("first", metavar="FROM")
@click.argument("last", metavar="[TO]", required=False)
@click.option("--note", default="", help="Why (public holiday, office closed...).")
@pass_session
def leave_team(session: Session, /, team: str, first: str, last: str | None, note: str) -> None:
    """The same days off for everyone in TEAM (a team's public holiday), FROM to TO."""
    first_day, last_day = _leave_days(session, first, last)
    added = session.store.worklogs.add_team_leave(team, first_day, last_day, note)
    days = (last_day - first_day).days + 1
    click.echo(f"added leave for {len(added)} in team {team}: "
               f"{', '.join(a.person for a in added)} {first_day}..{last_day} "
               f"({plural(days, 'day')})")  # fmt: skip


@cli.command("workload")
@click.option("--team", help="Only this team.")
@click.option("--weeks", default=4, show_default=True, type=click.IntRange(1, 104),
              help="ISO weeks to show, the current one first.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON output (hours exact to 2 decimals).")
@pass_session
def workload_command(session: Session, /, team: str | None, weeks: int, as_json: bool) -> None:
    """Each person's load per ISO week across all projects, as % of their capacity.

    Remaining hours are spread evenly over the working days from max(planned start, today)
    to the due date (or planned finish); tasks without either are "unscheduled".
    """
    from itpm_tui.domain.workload import load_sentence, week_cell
    from itpm_tui.reports import workload_of

    load = workload_of(session.store, session.today, weeks, team)
    if as_json:
        echo_json(_workload_json(load))
        return
    if not load.people:
        click.echo("no people" + (f" in team {team}" if team else ""))
        return
    header = f"{'person':<14}" + "".join(f"{w.week[5:]:>11}" for w in load.people[0].weeks)
    click.echo(header + f"{'later':>9}{'unsched':>9}")
    for person in load.people:
        cells = "".join(f"{week_cell(w):>11}" for w in person.weeks)
        click.echo(f"{person.login:<14}{cells}{hours_text(person.later):>9}"
                   f"{hours_text(person.unscheduled):>9}")  # fmt: skip
    notes = [load_sentence(p.login, w) for p in load.people for w in p.weeks if w.over]
    notes += [
        f"{p.login} has a peak on {', '.join(str(d) for d in w.peak_days)} in {w.week}"
        for p in load.people for w in p.weeks if w.peak_days
    ]  # fmt: skip
    if load.unassigned and team is None:
        notes.append(f"{hours_text(load.unassigned, unit=False)} h of open work is unassigned "
                     f"({plural(len(load.unassigned_task_ids), 'task')})")  # fmt: skip
    for note in notes:
        click.echo(note)


def _hours2(value: float) -> str:
    """Hours to two decimals, as JSON text."""
    return f"{value + 0.0:.2f}" if abs(value) >= 0.005 else "0.00"


def _workload_json(load: Workload) -> dict[str, object]:
    return {
        "today": load.today.isoformat(),
        "people": [
            {
                "login": p.login,
                "hours_per_day": p.hours_per_day,
                "weeks": [
                    {"week": w.week, "monday": w.monday.isoformat(), "load_hours": _hours2(w.load),
                     "capacity_hours": _hours2(w.capacity),
                     "percent": None if w.percent is None else f"{w.percent:.1f}",
                     "over": w.over, "peak_days": [d.isoformat() for d in w.peak_days]}
                    for w in p.weeks
                ],
                "later_hours": _hours2(p.later),
                "unscheduled_hours": _hours2(p.unscheduled),
                "unscheduled_task_ids": list(p.unscheduled_task_ids),
            }
            for p in load.people
        ],
        "unassigned_hours": _hours2(load.unassigned),
        "unassigned_task_ids": list(load.unassigned_task_ids),
    }  # fmt: skip


@cli.command("who-can-take")
@click.argument("task_id", metavar="ID", type=IdType())
@click.option("--json", "as_json", is_flag=True, help="JSON output (hours to 2 decimals).")
@pass_session
def who_can_take_command(session: Session, /, task_id: int, as_json: bool) -> None:
    """Who has free hours from today to task ID's due date, most first (its owner left out).

    Free hours are, per working day, the hours per day minus the load of everyone's open
    work spread by the workload rule, never below 0; the task's own hours are left out.
    """
    from itpm_tui.domain.workload import candidate_text, needed_text
    from itpm_tui.reports import who_can_take_of

    options = who_can_take_of(session.store, task_id, session.today)
    task = options.task
    if as_json:
        echo_json({
            "task_id": task.id, "hours": _hours2(options.hours),
            "from": options.first.isoformat(), "to": options.last.isoformat(),
            "candidates": [
                {"login": c.login, "free_hours": _hours2(c.free),
                 "capacity_hours": _hours2(c.capacity), "load_hours": _hours2(c.load),
                 "free_percent": None if c.free_percent is None else f"{c.free_percent:.1f}",
                 "fits": c.fits}
                for c in options.candidates
            ],
        })  # fmt: skip
        return
    click.echo(f"{task.ref} {task.title}: {needed_text(options)}; free hours "
               f"{options.first} to {options.last}")  # fmt: skip
    if not options.candidates:
        click.echo("nobody else to take it")
    for candidate in options.candidates:
        click.echo("  " + candidate_text(candidate))


@worklog.command("set")
@click.argument("worklog_id", metavar="ID", type=IdType())
@click.option("--hours", metavar="H", help="Standard time: 1.5h, 90m or 1:30.")
@click.option("--overtime", metavar="H", help="Overtime on top (0 clears it).")
@click.option("--date", "day", metavar="DATE", help="The day worked.")
@click.option("--note", help="What the time was spent on.")
@pass_session
def worklog_set(
    session: Session, /, worklog_id: int, hours: str | None, overtime: str | None,
    day: str | None, note: str | None,
) -> None:  # fmt: skip
    """Correct a worklog (ids from `worklog list`); logged, and AC follows."""
    changes: dict[str, object] = {}
    if hours is not None:
        changes["minutes"] = parse_duration(hours, "hours")
    if overtime is not None:
        changes["overtime_minutes"] = parse_duration(overtime, "overtime")
    if day is not None:
        changes["day"] = parse_date(day, session.today, recent=True)
    if note is not None:
        changes["note"] = note
    if not changes:
        fail("nothing to change: give --hours, --overtime, --date or --note")
    store = session.store
    current = store.worklogs.get(worklog_id)
    after = current.model_copy(update=changes)
    if after.total_minutes == 0:
        fail(f"worklog {worklog_id} would have no time; remove it with `itpm-tui worklog rm`")
    saved = store.worklogs.update(worklog_id, changes)
    overtime_text = (
        f" + {hours_of(saved.overtime_minutes)} h overtime" if saved.overtime_minutes else ""
    )
    click.echo(f"worklog {saved.id}: {hours_of(saved.minutes)} h{overtime_text} on "
               f"#{saved.task_id} for {saved.person} on {saved.day}")  # fmt: skip


@worklog.command("rm")
@click.argument("worklog_id", metavar="ID", type=IdType())
@pass_session
def worklog_rm(session: Session, /, worklog_id: int) -> None:
    """Delete a worklog (the audit log keeps what it was)."""
    gone = session.store.worklogs.remove(worklog_id)
    click.echo(f"removed worklog {gone.id}: {hours_of(gone.total_minutes)} h on "
               f"#{gone.task_id} for {gone.person} on {gone.day}")  # fmt: skip


@cli.command("timesheet")
@click.option(
    "--week", metavar="WEEK", help="An ISO week (2026-W48) or a day in it (default: this week)."
)
@click.option("--person", metavar="LOGIN", help="Whose time (default: you).")
@click.option("--json", "as_json", is_flag=True, help="JSON output (minutes exact).")
@pass_session
def timesheet_command(session: Session, /, week: str | None, person: str | None,
                      as_json: bool) -> None:  # fmt: skip
    """One person's week: logged time per task and day, totals, and working days missing."""
    from itpm_tui.domain.timesheet import timesheet_lines
    from itpm_tui.reports import timesheet_of

    monday, _ = _week(week, session.today) if week else _week(session.today.isoformat(),
                                                              session.today)  # fmt: skip
    sheet = timesheet_of(session.store, person or session.settings.user, monday, session.today)
    if as_json:
        echo_json({
            "person": sheet.person, "week": sheet.week, "monday": sheet.monday.isoformat(),
            "days": [d.isoformat() for d in sheet.days],
            "tasks": [{"task_id": r.task_id, "title": r.title, "minutes": list(r.minutes),
                       "overtime_minutes": r.overtime, "day_overtime_minutes":
                       list(r.overtime_minutes), "total_minutes": r.total}
                      for r in sheet.rows],
            "day_totals": list(sheet.day_totals), "total_minutes": sheet.total,
            "missing_days": [d.isoformat() for d in sheet.missing],
        })  # fmt: skip
        return
    for line in timesheet_lines(sheet):
        click.echo(line)


@cli.group()
def timer() -> None:
    """A running timer on a task (one per person, kept in the database); stop logs the time."""


@timer.command("start")
@click.argument("task_id", metavar="ID", type=IdType())
@click.option("--person", metavar="LOGIN", help="Whose timer (default: you).")
@click.option("--switch", is_flag=True, help="Stop (and log) a timer already running first.")
@pass_session
def timer_start(session: Session, /, task_id: int, person: str | None, switch: bool) -> None:
    """Start a timer on task ID."""
    started, stopped = session.store.timers.start(task_id, person, switch=switch)
    if stopped is not None:
        click.echo(_stopped_text(stopped))
    click.echo(f"timer started on #{started.task_id} for {started.person} at "
               f"{started.started_at:%H:%M}")  # fmt: skip


@timer.command("stop")
@click.option("--person", metavar="LOGIN", help="Whose timer (default: you).")
@click.option("--note", default="", help="What the time was spent on.")
@pass_session
def timer_stop(session: Session, /, person: str | None, note: str) -> None:
    """Stop the running timer and log its whole minutes today."""
    stopped = session.store.timers.stop(person, note=note)
    if stopped.logged is not None:
        for warning in stopped.logged.warnings:
            click.echo(f"Warning: {warning}", err=True)
    click.echo(_stopped_text(stopped))


@timer.command("cancel")
@click.option("--person", metavar="LOGIN", help="Whose timer (default: you).")
@pass_session
def timer_cancel(session: Session, /, person: str | None) -> None:
    """Throw the running timer away, logging nothing."""
    gone = session.store.timers.cancel(person)
    click.echo(f"timer on #{gone.task_id} cancelled; nothing logged")


@timer.command("status")
@click.option("--person", metavar="LOGIN", help="Whose timer (default: you).")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def timer_status(session: Session, /, person: str | None, as_json: bool) -> None:
    """Say whether a timer is running, on what, and for how long."""
    login = person or session.settings.user
    running = session.store.timers.running(login)
    now = session.store.clock.now()
    if as_json:
        echo_json(None if running is None else {
            "person": running.person, "task_id": running.task_id,
            "started_at": running.started_at.isoformat(), "minutes": running.minutes_at(now),
        })  # fmt: skip
        return
    if running is None:
        click.echo(f"no timer running for {login}")
        return
    click.echo(f"timer on #{running.task_id} for {running.person} since "
               f"{running.started_at:%Y-%m-%d %H:%M} ({hours_of(running.minutes_at(now))} h)")  # fmt: skip


def _stopped_text(stopped: Stopped) -> str:
    timer = stopped.timer
    if stopped.logged is None:
        return f"timer on #{timer.task_id} stopped after under a minute; nothing logged"
    log = stopped.logged.worklog
    return (f"timer on #{timer.task_id} stopped: logged {hours_of(stopped.minutes)} h for "
            f"{timer.person} on {log.day} (worklog {log.id})")  # fmt: skip
