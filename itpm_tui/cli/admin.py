"""Database commands: init, demo, export, import, doctor."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from itpm_tui.cli.base import Session, cli, echo_json, fail, pass_session
from itpm_tui.errors import InvalidInput
from itpm_tui.files import atomic_text_file

if TYPE_CHECKING:
    from itpm_tui.store.admin import DoctorReport

_SUMMARY_TABLES = (
    ("projects", "projects"), ("people", "people"), ("tasks", "tasks"),
    ("milestones", "milestones"), ("cost_entries", "cost entries"), ("standups", "stand-ups"),
    ("audit", "audit events"),
)  # fmt: skip


@cli.command()
@click.option("--shared", metavar="PATH",
              help="Prepare a database several users of one group share (e.g. on a jump host).")  # fmt: skip
@pass_session
def init(session: Session, /, shared: str | None) -> None:
    """Create the database (or check an existing one) and set it up."""
    if shared is None:
        session.may_create = True
        store = session.store
        click.echo(f"database ready: {store.path} (schema {store.db.schema_version()})")
        return
    from itpm_tui.store.admin import init_shared

    report = init_shared(Path(shared))
    verb = "created" if report.created else "checked existing"
    click.echo(f"{verb} shared database {report.path} (schema {report.schema_version})")
    for info in report.files:
        click.echo(f"  {info.mode}  {info.owner}:{info.group}  {info.path}")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(
        f"Next: every user puts `export ITPM_DB={report.path}` in ~/.profile and is in the "
        "directory's group; `itpm-tui doctor` checks the set-up."
    )


YES_OPTION = click.option(
    "--yes-replace-all-data", "yes_file", metavar="FILE",
    help="For scripts: confirm replacing ALL data of the shared database FILE (its name).",
)  # fmt: skip


def _confirm_shared_replace(session: Session, yes_file: str | None) -> None:
    """On a group-shared file, replacing all data needs its name typed back (or the flag)."""
    from itpm_tui.store.admin import is_shared

    path = session.settings.db_path
    if not is_shared(path):
        return
    if yes_file is not None:
        if yes_file != path.name and Path(yes_file).expanduser().resolve() != path.resolve():
            fail(f"--yes-replace-all-data names {yes_file}, not this database ({path}); "
                 "nothing changed")  # fmt: skip
        return
    if not sys.stdin.isatty():
        fail(f"{path} is shared with your group: confirm at a terminal, or pass "
             f"--yes-replace-all-data {path.name}; nothing changed")  # fmt: skip
    typed = click.prompt(
        f"{path} is shared with your group. Type its name ({path.name}) to replace ALL its "
        "data (a backup is made first)", default="", show_default=False,
    )  # fmt: skip
    if typed.strip() not in (path.name, str(path)):
        fail("the name did not match; nothing changed")


def _backup_shared(session: Session) -> Path | None:
    """Back a shared file up beside itself before its data is replaced."""
    from itpm_tui.store.admin import is_shared
    from itpm_tui.store.backup import backup_beside

    store = session.store
    if not is_shared(store.path):
        return None
    backup = backup_beside(store.db, store.clock.now())
    click.echo(f"backup of the previous data: {backup}", err=True)
    return backup


def _log_replaced(session: Session, what: str, backup: Path | None) -> None:
    from itpm_tui.store.admin import log_replacement

    if backup is not None:
        store = session.store
        log_replacement(store.db, at=store.now(), who=store.user, what=what, backup=backup)


@cli.command()
@click.option("--force", is_flag=True, help="Replace ALL data in the database with the demo.")
@YES_OPTION
@pass_session
def demo(session: Session, /, force: bool, yes_file: str | None) -> None:
    """Fill the database with a realistic demo: 3 projects, 9 people, ~160 tasks, history.

    The dataset depends only on today's date (ITPM_TODAY) and your login, who is its
    project manager. --force wipes the database inside the same transaction that writes the
    demo: the file, its permissions and other users' open connections stay valid, and if
    anything fails nothing changes.
    """
    from itpm_tui.demo import build_demo
    from itpm_tui.store.transfer import row_counts

    session.may_create = True
    store = session.store
    with store.db.read() as conn:
        before = sum(row_counts(conn).values())
    if before and not force:
        fail(
            f"{store.path} already holds data ({before} rows); `itpm-tui demo --force` "
            "replaces ALL of it with the demo"
        )
    backup = None
    if before:
        _confirm_shared_replace(session, yes_file)
        backup = _backup_shared(session)
    build_demo(store, session.today, replace=force)
    _log_replaced(session, "replaced.by-demo", backup)
    with store.db.read() as conn:
        counts = row_counts(conn)
    made = ", ".join(f"{counts[table]} {label}" for table, label in _SUMMARY_TABLES)
    click.echo(f"demo data as of {session.today} with {store.user} as project manager: {made}")
    if before:
        click.echo(f"(replaced {before} rows that were there before)")
    hint = f"itpm-tui --db {store.path} --user {store.user}"
    click.echo(f"Open it: {hint}   (`{hint} list --today` for your Today list)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON, the only format (the default).")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
@pass_session
def export(session: Session, /, as_json: bool, output: str | None) -> None:
    """Export the whole database as JSON (see "Export format" in the README)."""
    from itpm_tui.store.transfer import export_json

    del as_json  # JSON is the only format; the flag documents intent in scripts
    db = session.store.db
    if output is None:
        export_json(db, sys.stdout)
        return
    target = Path(output).expanduser()
    with atomic_text_file(target) as out:  # a failed export never leaves half a file
        counts = export_json(db, out)
    click.echo(f"exported {sum(counts.values())} rows of {len(counts)} tables to {target}",
               err=True)  # fmt: skip


@cli.command("import")
@click.argument("file", metavar="FILE")
@click.option("--replace", is_flag=True, help="Delete ALL existing data first (same transaction).")
@YES_OPTION
@pass_session
def import_(session: Session, /, file: str, replace: bool, yes_file: str | None) -> None:
    """Import an export into an empty database (all of it or nothing). FILE may be -."""
    from itpm_tui.store.transfer import import_json, parse_export

    try:
        if file == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            text = Path(file).expanduser().read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{file} is not an itpm-tui export (not UTF-8 text)") from err
    except OSError as err:
        raise InvalidInput(f"cannot read {file}: {err.strerror}") from err
    data = parse_export(text)  # before the database is opened (or created)
    session.may_create = True
    backup = None
    if replace and _holds_data(session):
        _confirm_shared_replace(session, yes_file)
        backup = _backup_shared(session)
    result = import_json(session.store.db, data, replace=replace)
    _log_replaced(session, "replaced.by-import", backup)
    note = " (its previous data was replaced)" if result.replaced else ""
    click.echo(
        f"imported {result.total} rows of {len(result.rows)} tables into {session.store.path}{note}"
    )


def _holds_data(session: Session) -> bool:
    from itpm_tui.store.transfer import row_counts

    with session.store.db.read() as conn:
        return any(row_counts(conn).values())


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def doctor(session: Session, /, as_json: bool) -> None:
    """Check the database: integrity, schema, journal, permissions, filesystem, sizes.

    Opens the file read-only and changes nothing; exits 1 if it is unusable.
    """
    from itpm_tui.clock import SystemClock
    from itpm_tui.store.admin import doctor as run_doctor

    # The wall clock even under ITPM_TODAY: the replica's age is about real files.
    report = run_doctor(session.settings.db_path, SystemClock().now())
    if as_json:
        echo_json(report.to_json())
    else:
        _print_doctor(report)
    if not report.ok:
        if not as_json:
            click.echo(f"Error: {report.problems[0]}", err=True)
        click.get_current_context().exit(1)


def _print_doctor(report: DoctorReport) -> None:
    rows: list[tuple[str, str]] = [("database", report.path)]
    if report.exists:
        rows += [
            ("integrity", report.integrity),
            ("schema", f"{report.schema_version} (this itpm-tui: {report.app_schema_version})"),
            ("journal mode", report.journal_mode or "-"),
        ]
    rows.append(("filesystem", f"{report.filesystem or 'unknown'} "
                 f"({'NETWORK: unsafe' if report.network_filesystem else 'local'})"))  # fmt: skip
    labels = ("file", "wal", "shm", "directory")
    for label, info in zip(labels, report.files, strict=True):
        if not info.exists:
            rows.append((label, "(none)"))
            continue
        extra = "  setgid" if label == "directory" and info.setgid else ""
        size = f"  {info.size} bytes" if label != "directory" else ""
        rows.append((label, f"{info.mode}  {info.owner}:{info.group}{size}{extra}"))
    if report.exists:
        rows.append(("writable", f"no: {report.readonly_reason}" if report.readonly_reason
                     else "yes"))  # fmt: skip
    if report.counts:
        rows.append(("rows", ", ".join(f"{t} {n}" for t, n in report.counts.items())))
    if report.replica is not None:
        rows.append(("replica", _replica_line(report)))
    rows.append(("problems", "none" if not report.problems else report.problems[0]))
    rows += [("", problem) for problem in report.problems[1:]]
    for label, value in rows:
        click.echo(f"{label:<13} {value}")


def _replica_line(report: DoctorReport) -> str:
    """The Litestream replica: where, and how old its newest change is."""
    replica = report.replica
    assert replica is not None
    if not replica.latest:
        return f"{replica.destination}: {replica.problem}"
    age = replica.age_seconds or 0.0
    ago = (
        f"{age:.0f} s"
        if age < 120
        else f"{age / 60:.0f} min"
        if age < 7200
        else f"{age / 3600:.1f} h"
    )
    state = "STALE" if replica.problem else "ok"
    return f"{replica.destination}: newest change {replica.latest} ({ago} ago), {state}"
