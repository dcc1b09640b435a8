"""Services: what the app hands every screen it registers; screens never import the app.

A screen reads the store in workers, the date from the clock, and listens to two signals the
app publishes on the UI thread: ``data_changed`` (someone committed a change) and
``live_changed`` (the header's live / read-only / offline word).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual.signal import Signal

from itpm_tui.clock import Clock
from itpm_tui.config import Settings
from itpm_tui.store import Store


@dataclass(frozen=True)
class Services:
    """The store, clock and settings, and the app's change feed."""

    store: Store
    clock: Clock
    settings: Settings
    data_changed: Signal[int]
    """Published with the new change token whenever anyone commits a change."""
    live_changed: Signal[str]
    """Published with ``live``, ``read-only`` or ``offline`` when that changes."""
    live_state: Callable[[], str]
    """The current live state, for a header drawn before the next change."""
    check_for_changes: Callable[[], None]
    """Poll now instead of at the next tick (after this screen saved something)."""
    shown_problems: set[str] = field(default_factory=set)
    """Damaged-row notices already shown in this session (each is shown once)."""

    @property
    def user(self) -> str:
        """Who I am: the login my changes are recorded under."""
        return self.store.user
