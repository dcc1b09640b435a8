"""Labour cost: time logged on tasks times the hourly rate in force on each day, exactly.

The rule (README, "Time and workload"): each person's time on a day costs their standard
minutes x the standard rate in force that day plus their overtime minutes x the overtime
rate in force that day (the standard rate when no overtime rate is set). The rate in force
on a day is the person's rate with the latest ``effective_from`` on or before that day, so a
rate change mid-week splits the week's cost at its date. Time with no rate in force, or at a
rate in another currency than the project's, costs nothing here and is counted in
``unpriced_minutes`` / ``foreign_minutes`` so it can be shown rather than silently lost.

Arithmetic is on integers: a rate has at most two decimals (cents) and time is whole
minutes, so cost is ``minutes x cents / 6000`` units of currency, summed exactly and rounded
to cents (half to even) only when a Decimal is asked for. Nothing here reads the clock.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import NamedTuple

from itpm_tui.models import PersonRate

_UNITS_PER_CURRENCY = 6000
"""Cost is counted in cent-minutes: 100 cents x 60 minutes make one unit of currency."""
_CENT = Decimal("0.01")


class LoggedTime(NamedTuple):
    """All the time one person logged on one day (on the tasks asked about).

    A named tuple: AC reads one per person per day (100k for 1M worklogs), so it is cheap.
    """

    person: str
    day: date
    minutes: int
    overtime_minutes: int = 0


def _cents(rate: Decimal) -> int:
    """A rate with at most two decimals as whole cents (exact)."""
    value = rate * 100
    if value != value.to_integral_value():
        raise ValueError(f"a rate has at most two decimals (got {rate})")
    return int(value)


def rate_in_force(rates: Sequence[PersonRate], day: date) -> PersonRate | None:
    """The rate among one person's ``rates`` (sorted by ``effective_from``) in force on ``day``."""
    index = bisect_right([r.effective_from for r in rates], day)
    return rates[index - 1] if index else None


@dataclass(frozen=True)
class LabourCost:
    """Exact labour cost per day, cumulative, so any as-of day or window is one lookup."""

    days: tuple[date, ...]
    """Days with priced time, ascending."""
    cumulative: tuple[int, ...]
    """Cent-minutes spent up to and including each of ``days``."""
    minutes: int
    """Standard minutes counted (priced or not)."""
    overtime_minutes: int
    """Overtime minutes counted (priced or not)."""
    unpriced: tuple[tuple[date, int], ...]
    """(day, minutes) logged with no rate in force that day, by day."""
    foreign: tuple[tuple[date, int], ...]
    """(day, minutes) whose rate in force is in another currency, by day."""

    def up_to(self, day: date) -> Fraction:
        """Labour cost up to and including ``day``, exact."""
        index = bisect_right(self.days, day)
        return Fraction(self.cumulative[index - 1] if index else 0, _UNITS_PER_CURRENCY)

    def between(self, first: date, last: date) -> Fraction:
        """Labour cost from ``first`` to ``last`` (both included), exact."""
        if last < first:
            return Fraction(0)
        return self.up_to(last) - self.up_to(first.fromordinal(first.toordinal() - 1))

    def unpriced_up_to(self, day: date) -> int:
        """Minutes up to ``day`` that cost nothing for want of a rate."""
        return sum(m for d, m in self.unpriced if d <= day)

    def foreign_up_to(self, day: date) -> int:
        """Minutes up to ``day`` priced in another currency (left out of the cost)."""
        return sum(m for d, m in self.foreign if d <= day)

    def money_up_to(self, day: date) -> Decimal:
        """``up_to`` rounded to cents (half to even)."""
        return to_money(self.up_to(day))

    @property
    def total(self) -> Decimal:
        """All the labour cost, rounded to cents."""
        return to_money(Fraction(self.cumulative[-1] if self.cumulative else 0,
                                 _UNITS_PER_CURRENCY))  # fmt: skip


NO_LABOUR = LabourCost((), (), 0, 0, (), ())
"""No time logged: AC is the cost entries alone."""


def to_money(value: Fraction) -> Decimal:
    """An exact amount rounded to cents, half to even."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        _CENT, rounding=ROUND_HALF_EVEN
    )


def labour_cost(
    logged: Iterable[LoggedTime], rates: Iterable[PersonRate], currency: str = "EUR"
) -> LabourCost:
    """The cost of ``logged`` time at each person's rate in force on each day (module rule)."""
    by_person: dict[str, list[PersonRate]] = defaultdict(list)
    for rate in rates:
        by_person[rate.person].append(rate)
    # Per person: the start dates, and per rate (same currency?, standard and overtime cents).
    starts: dict[str, list[date]] = {}
    prices: dict[str, list[tuple[bool, int, int]]] = {}
    for person, own in by_person.items():
        own.sort(key=lambda r: r.effective_from)
        starts[person] = [r.effective_from for r in own]
        prices[person] = [
            (r.currency == currency, _cents(r.rate),
             _cents(r.rate if r.overtime_rate is None else r.overtime_rate))
            for r in own
        ]  # fmt: skip
    per_day: dict[date, int] = defaultdict(int)
    unpriced: dict[date, int] = defaultdict(int)
    foreign: dict[date, int] = defaultdict(int)
    minutes = overtime = 0
    for entry in logged:
        minutes += entry.minutes
        overtime += entry.overtime_minutes
        index = bisect_right(starts[entry.person], entry.day) if entry.person in starts else 0
        if not index:
            unpriced[entry.day] += entry.minutes + entry.overtime_minutes
            continue
        same_currency, standard, extra = prices[entry.person][index - 1]
        if not same_currency:
            foreign[entry.day] += entry.minutes + entry.overtime_minutes
            continue
        per_day[entry.day] += entry.minutes * standard + entry.overtime_minutes * extra
    days = tuple(sorted(per_day))
    running = 0
    cumulative = []
    for day in days:
        running += per_day[day]
        cumulative.append(running)
    return LabourCost(days, tuple(cumulative), minutes, overtime,
                      tuple(sorted(unpriced.items())), tuple(sorted(foreign.items())))  # fmt: skip


class RatePeriod(NamedTuple):
    """One person's rate in force from ``first`` up to (not including) ``until``.

    What the store's grouped AC query joins each person-day to (``WorklogRepo.labour_cost``).
    """

    person: str
    first: date
    until: date | None
    """The next rate's start (``None``: in force from ``first`` on)."""
    standard_cents: int
    overtime_cents: int
    priced: bool
    """In the project's currency (else the time counts as foreign)."""


def rate_periods(rates: Iterable[PersonRate], currency: str = "EUR") -> list[RatePeriod]:
    """Each person's rates as periods of time, in cents, for pricing in ``currency``."""
    by_person: dict[str, list[PersonRate]] = defaultdict(list)
    for rate in rates:
        by_person[rate.person].append(rate)
    periods = []
    for person in sorted(by_person):
        own = sorted(by_person[person], key=lambda r: r.effective_from)
        for index, rate in enumerate(own):
            until = own[index + 1].effective_from if index + 1 < len(own) else None
            overtime = rate.rate if rate.overtime_rate is None else rate.overtime_rate
            periods.append(RatePeriod(person, rate.effective_from, until, _cents(rate.rate),
                                      _cents(overtime), rate.currency == currency))  # fmt: skip
    return periods


class DayTotal(NamedTuple):
    """Everyone's time on one day in one pricing state, summed (by the store, in SQL)."""

    day: date
    state: str
    """``priced``, ``foreign`` (a rate in another currency) or ``unpriced`` (no rate)."""
    cost: int
    """Cent-minutes of the priced time (0 otherwise)."""
    minutes: int
    overtime_minutes: int


def labour_from_totals(totals: Iterable[DayTotal]) -> LabourCost:
    """The :class:`LabourCost` of per-day totals; equal to :func:`labour_cost` of the time
    behind them (a property test holds the store's grouped query to that definition)."""
    per_day: dict[date, int] = defaultdict(int)
    unpriced: dict[date, int] = defaultdict(int)
    foreign: dict[date, int] = defaultdict(int)
    minutes = overtime = 0
    for total in totals:
        minutes += total.minutes
        overtime += total.overtime_minutes
        if total.state == "priced":
            per_day[total.day] += total.cost
        elif total.state == "foreign":
            foreign[total.day] += total.minutes + total.overtime_minutes
        else:
            unpriced[total.day] += total.minutes + total.overtime_minutes
    days = tuple(sorted(per_day))
    running = 0
    cumulative = []
    for day in days:
        running += per_day[day]
        cumulative.append(running)
    return LabourCost(days, tuple(cumulative), minutes, overtime,
                      tuple(sorted(unpriced.items())), tuple(sorted(foreign.items())))  # fmt: skip


def hours_of(minutes: int) -> str:
    """Minutes as hours for people, to two decimals at most (90 -> ``1.5``, 20 -> ``0.33``)."""
    text = format((Decimal(minutes) / 60).quantize(_CENT), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
