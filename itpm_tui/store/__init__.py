"""The data layer: the only package that talks SQL. ``Store`` is its front door."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import TypeVar, cast

from itpm_tui.clock import Clock
from itpm_tui.models import Person
from itpm_tui.store.audit import AuditRepo
from itpm_tui.store.changes import ChangeRepo
from itpm_tui.store.costs import CostRepo
from itpm_tui.store.db import Backend, open_database
from itpm_tui.store.links import LinkRepo
from itpm_tui.store.people import PeopleRepo
from itpm_tui.store.projects import MilestoneRepo, ProjectRepo
from itpm_tui.store.raid import RaidRepo
from itpm_tui.store.rows import validate
from itpm_tui.store.standups import StandupRepo
from itpm_tui.store.tasks import TaskFilter, TaskRepo
from itpm_tui.store.timers import TimerRepo
from itpm_tui.store.worklogs import WorklogRepo

__all__ = ["Store", "TaskFilter"]

T = TypeVar("T")


class Store:
    """One open database plus who is acting and the clock their changes are stamped with."""

    def __init__(
        self, path: Path | str, *, user: str, clock: Clock, create: bool = True,
        setup: bool | None = None, read_only: bool = False,
    ) -> None:  # fmt: skip
        """``path``: an SQLite file, or a ``postgresql://`` URL (see ``open_database``)."""
        self.user = validate(Person, {"login": user}).login
        """The login recorded on every change made through this store (a valid person login)."""
        self.clock = clock
        self._unreadable: dict[str, None] = {}
        self._unreadable_lock = threading.Lock()
        self._remembered: dict[Hashable, tuple[int, object]] = {}
        self._remembered_lock = threading.Lock()
        self.db: Backend = open_database(path, create=create, setup=setup, read_only=read_only)
        """``create``: a missing file may be made; ``setup``: an empty one may get our tables;
        ``read_only``: nothing may be written, whatever the file's permissions."""
        self.path = self.db.path
        """The file, or the URL without its password."""
        self.tasks = TaskRepo(self)
        self.projects = ProjectRepo(self)
        self.milestones = MilestoneRepo(self)
        self.costs = CostRepo(self)
        self.people = PeopleRepo(self)
        self.audit = AuditRepo(self)
        self.standups = StandupRepo(self)
        self.links = LinkRepo(self)
        self.raid = RaidRepo(self)
        self.worklogs = WorklogRepo(self)
        self.timers = TimerRepo(self)
        self.changes = ChangeRepo(self)

    def now(self) -> str:
        """The current instant as stored: ISO 8601 with offset, to the second."""
        return self.clock.now().isoformat(timespec="seconds")

    def today(self) -> date:
        """Today's date from the clock."""
        return self.clock.today()

    def report_unreadable(self, problem: str) -> None:
        """Remember a stored row that was skipped because it breaks the model's rules."""
        with self._unreadable_lock:
            self._unreadable[problem] = None

    @property
    def unreadable(self) -> tuple[str, ...]:
        """Every skipped-row problem seen so far, in the order first seen (to show the user)."""
        with self._unreadable_lock:
            return tuple(self._unreadable)

    def change_token(self) -> int:
        """Changes whenever anyone commits; poll it to know when to reload."""
        return self.db.change_token()

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what it returned for ``key`` before if nobody (in any process)
        has committed since: an unchanged database is not read and computed again.

        The token is read before computing, so a commit made meanwhile makes the next call
        compute again. ``key`` must hold every other input (the day, today's date); the
        result must be immutable, as every caller shares it. Only the latest token's results
        are kept.
        """
        token = self.change_token()
        with self._remembered_lock:
            hit = self._remembered.get(key)
        if hit is not None and hit[0] == token:
            return cast(T, hit[1])
        value = compute()
        with self._remembered_lock:
            self._remembered = {k: v for k, v in self._remembered.items() if v[0] == token}
            self._remembered[key] = (token, value)
        return value

    def close(self) -> None:
        """Close the database."""
        self.db.close()
