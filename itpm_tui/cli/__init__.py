"""The command line: ``itpm-tui`` opens the app; subcommands print text or JSON for scripts.

Each module named in ``base.COMMAND_MODULES`` adds its commands to the one click group
defined in ``base``; the group imports them when a subcommand or the help is asked for, so
opening the app imports none of them.
"""

from __future__ import annotations

from itpm_tui.cli.base import cli, main, make_app

__all__ = ["cli", "main", "make_app"]
