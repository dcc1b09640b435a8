"""The command line: ``itpm-tui`` opens the app; subcommands print text or JSON for scripts.

Each module here adds its commands to the one click group defined in ``base``.
"""

from __future__ import annotations

from itpm_tui.cli import admin as _admin  # noqa: F401 - registers commands
from itpm_tui.cli import changes as _changes  # noqa: F401 - registers commands
from itpm_tui.cli import health as _health  # noqa: F401 - registers commands
from itpm_tui.cli import network as _network  # noqa: F401 - registers commands
from itpm_tui.cli import ops as _ops  # noqa: F401 - registers commands
from itpm_tui.cli import people as _people  # noqa: F401 - registers commands
from itpm_tui.cli import projects as _projects  # noqa: F401 - registers commands
from itpm_tui.cli import raid as _raid  # noqa: F401 - registers commands
from itpm_tui.cli import stakeholders as _stakeholders  # noqa: F401 - registers commands
from itpm_tui.cli import standup as _standup  # noqa: F401 - registers commands
from itpm_tui.cli import tasks as _tasks  # noqa: F401 - registers commands
from itpm_tui.cli.base import cli, main, make_app

__all__ = ["cli", "main", "make_app"]
