"""Operations commands: ``backup now``, ``backup setup`` (Litestream) and ``serve``."""

from __future__ import annotations

from pathlib import Path

import click

from itpm_tui.cli.base import Session, cli, echo_json, pass_session


@cli.group()
def backup() -> None:
    """Back the database up: a copy now, or continuously with Litestream."""


@backup.command("now")
@click.argument("file", metavar="FILE")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def backup_now(session: Session, /, file: str, force: bool, as_json: bool) -> None:
    """Copy the database to FILE while others keep working (SQLite's online backup).

    The copy is one consistent moment of the data, checked with integrity_check, and
    appears whole or not at all. FILE must not exist unless --force.
    """
    from itpm_tui.store.backup import online_backup

    result = online_backup(session.store.db, Path(file), overwrite=force)
    if as_json:
        echo_json({"source": str(result.source), "path": str(result.path),
                   "pages": result.pages, "bytes": result.bytes,
                   "seconds": round(result.seconds, 3), "integrity": result.integrity})  # fmt: skip
        return
    click.echo(
        f"backed up {result.source} to {result.path}: {result.bytes / 2**20:.1f} MiB "
        f"({result.pages} pages) in {result.seconds:.2f} s, integrity {result.integrity}"
    )
