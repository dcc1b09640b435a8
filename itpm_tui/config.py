"""Settings: database path, who I am, today's date, theme and key map.

Precedence, highest first: command-line options, ``ITPM_*`` environment variables,
the config file (``$XDG_CONFIG_HOME/itpm-tui/config.toml``), built-in defaults.
"""

from __future__ import annotations

import getpass
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs
from pydantic import ValidationError

from itpm_tui.clock import AsOfClock, Clock, SystemClock
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Person

APP_NAME = "itpm-tui"


def default_config_path(env: Mapping[str, str]) -> Path:
    """Where the config file lives (XDG-aware)."""
    if env.get("ITPM_CONFIG"):
        return Path(env["ITPM_CONFIG"]).expanduser()
    if env.get("XDG_CONFIG_HOME"):
        return Path(env["XDG_CONFIG_HOME"]) / APP_NAME / "config.toml"
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


DATABASE_URL_SCHEMES = ("postgresql://", "postgres://")
"""A database given with one of these is a PostgreSQL URL, not a file name."""


def default_db_path(env: Mapping[str, str]) -> Path:
    """The personal database file in the user's data directory (XDG-aware)."""
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]) / APP_NAME / "itpm.db"
    return Path(platformdirs.user_data_dir(APP_NAME)) / "itpm.db"


@dataclass(frozen=True)
class Settings:
    """Everything the app and the CLI need to know before opening the database."""

    db_path: Path
    """The SQLite file in use (unused when ``db_url`` names a PostgreSQL database)."""
    db_is_default: bool
    """True for the personal file in the data directory; False for one named explicitly."""
    user: str
    """Whose changes these are; recorded in the audit log."""
    today: date | None = None
    """Pretend today is this date (``ITPM_TODAY``); ``None`` uses the system clock."""
    theme: str = ""
    """Textual theme name; empty picks one that reads on this terminal (see ``pick_theme``)."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding id -> keys, to remap any key (``[keymap]`` table in the config file)."""
    timebox_seconds: int = 120
    """Default time per stand-up speaker."""
    meeting_seconds: int = 900
    """Default length of a stand-up."""
    db_url: str = ""
    """A ``postgresql://user@host/dbname`` URL given as the database; empty for SQLite."""

    @property
    def database(self) -> Path | str:
        """What the store opens: the PostgreSQL URL if one was given, else the file."""
        return self.db_url or self.db_path

    def clock(self) -> Clock:
        """The clock these settings ask for."""
        return AsOfClock(self.today) if self.today else SystemClock()

    @property
    def db_label(self) -> str:
        """How the header names the database.

        ``shared: NAME`` for a group-writable file (as ``init --shared`` makes it), else
        ``local`` for the default file and ``local: NAME`` for another one.
        """
        if self.db_url:
            try:
                url = urlsplit(self.db_url)
                return f"postgresql: {url.path.lstrip('/') or url.hostname or 'default'}"
            except ValueError:  # too broken to parse (opening it says why): never the URL
                return "postgresql"
        try:
            shared = bool(self.db_path.stat().st_mode & stat.S_IWGRP)
        except OSError:
            shared = False
        if shared:
            return f"shared: {self.db_path.name}"
        return "local" if self.db_is_default else f"local: {self.db_path.name}"


def load_settings(
    *,
    db: str | None = None,
    user: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read settings from options, environment and config file; raise ``InvalidInput``."""
    env = os.environ if env is None else env
    file = _read_config(default_config_path(env))
    db_text = db or env.get("ITPM_DB") or _str(file, "db")
    db_url = db_text if db_text and db_text.startswith(DATABASE_URL_SCHEMES) else ""
    db_path = Path(db_text).expanduser() if db_text else default_db_path(env)
    today_text = env.get("ITPM_TODAY") or _str(file, "today")
    try:
        today = date.fromisoformat(today_text) if today_text else None
    except ValueError as err:
        raise InvalidInput(f"ITPM_TODAY={today_text!r} is not a date like 2026-11-23") from err
    keymap = file.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise InvalidInput("[keymap] in the config file maps binding ids to key strings")
    return Settings(
        db_path=db_path,
        db_is_default=not db_text,
        db_url=db_url,
        user=_acting_login(user, env, file),
        today=today,
        theme=env.get("ITPM_THEME") or _str(file, "theme") or "",
        keymap=keymap,
        timebox_seconds=_int(file, "timebox_seconds", 120),
        meeting_seconds=_int(file, "meeting_seconds", 900),
    )


def _read_config(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InvalidInput(f"cannot read config file {path}: {err}") from err


def _str(config: Mapping[str, object], key: str) -> str | None:
    value = config.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"config: {key} must be a string")
    return value


def _int(config: Mapping[str, object], key: str, default: int) -> int:
    value = config.get(key, default)
    if not isinstance(value, int) or value <= 0:
        raise InvalidInput(f"config: {key} must be a positive whole number")
    return value


def _acting_login(option: str | None, env: Mapping[str, str], file: Mapping[str, object]) -> str:
    """Who is acting, checked once here: a login no Person can have would be stored beside
    every change (and, when they take a task, as a person row every screen then fails on)."""
    sources = (
        (option, "--user"),
        (env.get("ITPM_USER"), "ITPM_USER"),
        (_str(file, "user"), "user in the config file"),
    )
    login, source = next(((v, s) for v, s in sources if v), (_login_name(), "your OS login"))
    if not is_valid_login(login):
        raise InvalidInput(
            f"the login {login!r} (from {source}) cannot be used: a login is 1-64 letters, "
            "digits and . _ - @ (no spaces, quotes or backslashes). Say who you are with "
            "--user LOGIN or ITPM_USER=LOGIN"
        )
    return login


def is_valid_login(login: str) -> bool:
    """True if a ``Person`` may have this login (the model's rules, so they cannot drift)."""
    try:
        Person(login=login)
    except ValidationError:
        return False
    return True


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"
