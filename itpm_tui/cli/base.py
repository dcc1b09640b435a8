"""The click group, the per-invocation Session, and helpers every command module shares."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from itpm_tui.config import Settings, load_settings
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.numbers import MAX_ID as MAX_ID
from itpm_tui.domain.numbers import parse_amount
from itpm_tui.domain.numbers import parse_id as parse_id
from itpm_tui.domain.safe_text import visible
from itpm_tui.errors import ItpmError
from itpm_tui.models import Task

if TYPE_CHECKING:
    from textual.app import App

    from itpm_tui.clock import Clock
    from itpm_tui.store import Store


class SafeStream(io.TextIOBase):
    """A text stream that shows control characters as stand-ins before they reach a terminal.

    The one choke point for what a command prints: task titles, names, notes and logins come
    from other users of a shared file, and a title holding an OSC 52 sequence would set the
    reader's clipboard (see domain/safe_text). JSON output is ASCII with every control
    escaped, so it passes unchanged; files written with --output are not streams and stay
    exact.
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target

    def write(self, text: str) -> int:
        """Write ``text`` with tab and newline kept and every other control made visible."""
        self._target.write(visible(text, multiline=True))
        return len(text)

    def write_keeping(self, text: str, line_end: str) -> None:
        """Write ``text`` made visible like ``write``, but keep ``line_end`` as it is.

        For formats whose lines must end in CRLF (an iCalendar file on stdout), which
        ``write`` would show as ``␍``.
        """
        parts = text.split(line_end)
        self._target.write(line_end.join(visible(part, multiline=True) for part in parts))

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._target.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal (click strips colour when not)."""
        return self._target.isatty()

    def writable(self) -> bool:
        """Always: this stream only writes."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The encoding of the stream underneath."""
        return getattr(self._target, "encoding", None) or "utf-8"


def guard_output() -> None:
    """Route this process's stdout and stderr through ``SafeStream`` (commands, not the app)."""
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)


COMMAND_MODULES = ("admin", "changes", "health", "network", "ops", "people", "projects", "raid",
                   "stakeholders", "standup", "tasks")  # fmt: skip
"""The modules under ``itpm_tui.cli`` whose import adds the subcommands to ``cli``.

Imported on the first look-up of a subcommand (or the help): opening the app needs none of
them, and they were a tenth of its start-up.
"""


class ItpmGroup(click.Group):
    """A click group that turns user errors into one line on stderr and a non-zero exit."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The subcommand ``cmd_name``, its module imported first."""
        load_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand's name (for the help), all modules imported first."""
        load_commands()
        return super().list_commands(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse an argument that is not UTF-8 before any command sees it.

        Python hands undecodable bytes over as lone surrogates, which no file, terminal or
        SQLite can take; guessing the encoding could store the wrong letters, so refuse.
        """
        for index, arg in enumerate(args):
            if not _is_text(arg):
                option, _, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
                if not option and index and args[index - 1].startswith("-"):
                    option = args[index - 1]
                if option in _PATH_OPTIONS:
                    continue  # a file name may be any bytes; it is never stored as text
                shown = str(value.encode("utf-8", "surrogateescape"))[2:-1]
                raise click.ClickException(
                    f"{option + ': ' if option else ''}'{shown}' is not UTF-8 text. "
                    "Set your terminal to UTF-8 (e.g. LANG=C.UTF-8) and type it again."
                )
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; ``ItpmError`` becomes ``Error: <sentence>`` and exit code 1.

        Click's own usage errors (an unknown option, a value its types refuse) also become
        one line and exit code 1, like every other bad input.
        """
        try:
            return super().invoke(ctx)
        except ItpmError as err:
            raise click.ClickException(str(err)) from err
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else "itpm-tui"
            raise click.ClickException(f"{err.format_message()} (see `{where} --help`)") from err


def load_commands() -> None:
    """Import every module that adds subcommands (once: later calls cost a dict look-up)."""
    for name in COMMAND_MODULES:
        import_module(f"itpm_tui.cli.{name}")


_PATH_OPTIONS = frozenset({"--db", "--output", "-o", "--shared"})


def _is_text(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Session:
    """What every command needs: settings, and the store opened on first use."""

    settings: Settings
    may_create: bool = False
    """Set by commands that make a database (init, demo, import): a missing file is created.

    Otherwise only the personal default file is created on first use, so a mistyped
    ``--db`` path is an error instead of a new, empty database.
    """
    read_only: bool = False
    """``--read-only``: the store is opened read-only and every write is refused."""
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The open store (opened on first use)."""
        if self._store is None:
            from itpm_tui.store import Store

            self._store = Store(
                self.settings.database, user=self.settings.user, clock=self.settings.clock(),
                create=(self.may_create or self.settings.db_is_default) and not self.read_only,
                setup=self.may_create, read_only=self.read_only,
            )  # fmt: skip
        return self._store

    @property
    def today(self) -> date:
        """Today, as the settings' clock says."""
        return self.settings.clock().today()

    def close(self) -> None:
        """Close the store if it was opened; say which stored rows were skipped as unreadable."""
        if self._store is not None:
            for problem in self._store.unreadable:
                click.echo(f"Warning: {problem}; it was left out.", err=True)
            self._store.close()


pass_session = click.make_pass_decorator(Session)


@click.group(cls=ItpmGroup, invoke_without_command=True)
@click.option("--db", metavar="PATH", help="Database file (default: $ITPM_DB, config, data dir).")
@click.option("--user", metavar="LOGIN", help="Who you are (default: $ITPM_USER, login name).")
@click.option("--read-only", is_flag=True,
              help="Open the database read-only: look, change nothing (a meeting-room screen).")  # fmt: skip
@click.version_option(package_name="itpm-tui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None, read_only: bool) -> None:
    """itpm-tui: today's list, stand-up board, tasks and project health in your terminal.

    Run with no command to open the app.
    """
    try:
        session = Session(load_settings(db=db, user=user), read_only=read_only)
    except ItpmError as err:
        raise click.ClickException(str(err)) from err
    ctx.obj = session
    ctx.call_on_close(session.close)
    if ctx.invoked_subcommand is None:
        run_app(session)  # the app's own line filter guards the screen (app.py)
    else:
        guard_output()


def make_app(settings: Settings, store: Store, clock: Clock | None = None) -> App[None]:
    """The one factory that builds the app, for the CLI and for tests (which pass a clock)."""
    from itpm_tui.app import ItpmApp

    return ItpmApp(settings=settings, store=store, clock=clock or settings.clock())


FRAMES_PER_SECOND = "120"
"""Textual's frame cap (``TEXTUAL_FPS``, read once when Textual is imported; 60 unless set).

A key that moves a cursor paints in two frames: the row at once, then the detail that
follows the cursor's message; the second waited for the next frame, 17 to 33 ms at 60.
At 120 a cursor move on Today settled in 15 ms instead of 30 (pty harness, 10,000 tasks);
frames are only drawn when something changed, so an idle app costs nothing more."""


def run_app(session: Session) -> None:
    """Open the app on the configured database."""
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    store = session.store
    make_app(session.settings, store).run()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="itpm-tui")


# --- helpers shared by the commands -------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Stop with one clear line on stderr and exit code 1."""
    raise click.ClickException(message)


def echo_json(data: object) -> None:
    """Print JSON for machines: stable key order, dates and decimals as strings.

    A list is printed by ``echo_json_lines``; anything else indented, for people too.
    """
    if isinstance(data, list):
        echo_json_lines(data)
    else:
        click.echo(_ascii_json(data, indent=2))


def echo_json_lines(items: Iterable[object]) -> None:
    """Print a JSON array as the items come, one compact item per line.

    Any length in little memory (items may be a generator), greppable, and fast: without
    ``indent`` ``json`` uses its C encoder, about 8x quicker on 100k tasks.
    """
    chunk: list[str] = []
    opening = "["
    for item in items:
        chunk.append(opening + _ascii_json(item))
        opening = ","
        if len(chunk) == 1000:  # echo flushes: one write per thousand lines, not per line
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))
    click.echo("]" if opening == "," else "[]")


def _ascii_json(data: object, indent: int | None = None) -> str:
    """JSON with every non-ASCII and control character escaped, DEL included.

    ``json`` escapes C0 and (with ``ensure_ascii``) C1 and bidi controls as ``\\uXXXX``,
    but not DEL: escaping it too keeps the value exact and the output inert on a terminal.
    """
    text = json.dumps(data, indent=indent, sort_keys=True, default=str, ensure_ascii=True)
    return text.replace("\x7f", "\\u007f")


class IdType(click.ParamType[int]):
    """A click parameter type for record ids (see ``parse_id``)."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The id as an int, or one clear error naming the parameter."""
        if isinstance(value, int):
            return value
        what = param.human_readable_name if param else "id"
        return parse_id(str(value), what.lower().replace("_", " "))


ID = IdType()
"""Use as ``type=ID`` for id arguments."""
LIMIT = click.IntRange(1, MAX_ID)
"""Use as ``type=LIMIT`` for ``--limit`` (a huge number is fine, beyond SQLite's range not)."""


def parse_money(text: str | None, what: str = "amount") -> Decimal | None:
    """A non-negative amount with at most 2 decimals (see ``domain.numbers``); "none" clears."""
    if text is None or text.strip().lower() in ("", "none", "-"):
        return None
    return parse_amount(text, what)


def task_row(task: Task) -> str:
    """One line per task for people: id, priority, status, due, owner, project, title."""
    due = task.due.isoformat() if task.due else "-"
    return (
        f"{task.ref:>6}  P{task.priority}  {task.status.symbol} {task.status.value:<7}  "
        f"{due:<10}  {(task.assignee or '-'):<10.10}  {(task.project_key or '-'):<6}  {task.title}"
    )


def task_json(task: Task) -> dict[str, Any]:
    """A task for ``--json`` output, with its derived progress."""
    return task.model_dump(mode="json") | {"progress": round(task.progress, 2)}


def print_tasks(tasks: Iterable[Task], as_json: bool) -> None:
    """Print tasks as a table or a JSON list, as they come."""
    if as_json:
        echo_json_lines(task_json(t) for t in tasks)
        return
    empty = True
    for task in tasks:
        click.echo(task_row(task))
        empty = False
    if empty:
        click.echo("no tasks")


def calendar_for(store: Store, project_id: int | None) -> WorkCalendar:
    """The working-day calendar of a project (Monday-Friday for none)."""
    return WorkCalendar.for_project(store.projects.get(project_id) if project_id else None)
