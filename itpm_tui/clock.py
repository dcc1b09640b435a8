"""Clock / SystemClock / FixedClock: the only module that reads the time."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the app gets today's date and the current instant from."""

    def today(self) -> date:
        """The calendar date the app treats as today."""
        ...

    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, for timers; never goes backwards."""
        ...


class SystemClock:
    """The machine's clock."""

    def today(self) -> date:
        """Today's local date."""
        return datetime.now().astimezone().date()

    def now(self) -> datetime:
        """The local time now, timezone-aware."""
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()


class AsOfClock(SystemClock):
    """A real clock that pretends today is a given date (``ITPM_TODAY``).

    The time of day still runs, so timers and audit timestamps keep their order.
    """

    def __init__(self, day: date) -> None:
        self._day = day

    def today(self) -> date:
        """The fixed date."""
        return self._day

    def now(self) -> datetime:
        """The fixed date at the real time of day."""
        real = datetime.now().astimezone()
        return real.replace(year=self._day.year, month=self._day.month, day=self._day.day)


class FixedClock:
    """A clock that only moves when told to: for tests and demos."""

    def __init__(self, day: date, hour: int = 9) -> None:
        local_tz = datetime.now().astimezone().tzinfo
        self._now = datetime(day.year, day.month, day.day, hour, tzinfo=local_tz)
        self._mono = 0.0

    def today(self) -> date:
        """The fixed date."""
        return self._now.date()

    def now(self) -> datetime:
        """The fixed instant."""
        return self._now

    def monotonic(self) -> float:
        """Seconds advanced so far."""
        return self._mono

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
