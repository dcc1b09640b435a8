"""Numbers typed by people and shown to them: amounts of money and hours, one rule each.

The rule (documented in the README): a dot is the decimal point; a comma may only group
thousands, in groups of three digits before the point (``1,234.50``). Anything else with a
comma is refused, because ``1,5`` means one and a half to half of Europe and fifteen to the
old parser, which silently dropped commas. No sign, no exponent, no ``inf``/``nan``.

``parse_number`` is the one parser: money, hours, progress (through ``domain.task_fields``,
for the CLI and the app's task form alike), hours per day and RAG thresholds all use it,
each passing the words its messages use.
"""

from __future__ import annotations

import re
from decimal import Decimal

from itpm_tui.errors import InvalidInput

_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
MONEY_INTEGER_DIGITS = 16
"""Money has at most 18 digits (the model), two of them after the point."""
MAX_HOURS = 100_000
"""The most hours one task may carry (the model's limit)."""


def parse_decimal(text: str, what: str) -> Decimal:
    """A non-negative decimal number written as the module docstring says."""
    typed = text.strip()
    if _PLAIN.fullmatch(typed):
        return Decimal(typed)
    if _GROUPED.fullmatch(typed):
        return Decimal(typed.replace(",", ""))
    body = typed.removeprefix("-")
    if body != typed and (_PLAIN.fullmatch(body) or _GROUPED.fullmatch(body)):
        raise InvalidInput(f"{what} cannot be negative (got {typed})")
    if "," in typed:
        hint = f"{typed.replace(',', '.')} " if typed.count(",") == 1 else ""
        raise InvalidInput(
            f"{what} {typed!r}: use a dot for decimals ({hint or 'like '}not {typed}); a comma "
            "may only group thousands, as in 1,234.50"
        )
    raise InvalidInput(f"{what} {typed!r} is not a number (like 2.5 or 1,234.50)")


def parse_number(
    text: str,
    what: str,
    *,
    suffix: str = "",
    whole: str | None = None,
    places: int | None = None,
    maximum: int | None = None,
    unit: str = "",
) -> Decimal:
    """A non-negative number as the module docstring says; ``InvalidInput`` in one sentence.

    ``what`` names the value in messages ("estimate", "threshold cpi_green"); ``suffix`` may
    follow the number (``h``, ``%``); ``whole`` makes a decimal point an error and is the
    rule the message states ("a whole percent from 0 to 100"); ``places`` caps the decimals;
    ``maximum`` the value (said with ``unit``, or with ``whole`` when given).
    """
    typed = text.strip()
    body = typed.removesuffix(suffix).strip() if suffix else typed
    value = parse_decimal(body, what)
    if whole is not None and "." in body:
        raise InvalidInput(f"{what} is {whole} (got {typed})")
    exponent = value.as_tuple().exponent
    if places is not None and isinstance(exponent, int) and exponent < -places:
        raise InvalidInput(f"{what} has more than {places} decimals (got {typed})")
    if maximum is not None and value > maximum:
        limit = whole or f"at most {maximum:,}{' ' + unit if unit else ''}"
        raise InvalidInput(f"{what} is {limit} (got {typed})")
    return value


def parse_amount(text: str, what: str = "amount") -> Decimal:
    """A non-negative amount of money with at most two decimals."""
    value = parse_number(text, what, places=2)
    if value >= Decimal(10) ** MONEY_INTEGER_DIGITS:
        raise InvalidInput(f"{what} is too large (got {text.strip()})")
    return value


def parse_hour_count(text: str, what: str = "hours") -> float:
    """A non-negative number of hours (``4``, ``2.5``, ``8h``), at most ``MAX_HOURS``."""
    return float(parse_number(text, what, suffix="h", maximum=MAX_HOURS, unit="hours"))


_CLOCK_TIME = re.compile(r"([0-9]{1,2}):([0-5][0-9])")
MAX_MINUTES_A_DAY = 24 * 60
"""Time logged in one day: at most 24 hours."""


def parse_duration(text: str, what: str = "time") -> int:
    """Time spent, in whole minutes: ``1.5h`` or ``1.5`` (hours), ``90m``, ``1:30``.

    The number follows the module's rule (``parse_number``); at most 24 hours, and no finer
    than a minute (``0.01h`` is refused rather than rounded).
    """
    typed = text.strip()
    clock = _CLOCK_TIME.fullmatch(typed)
    if clock:
        minutes = int(clock.group(1)) * 60 + int(clock.group(2))
    elif typed.endswith("m"):
        minutes = int(parse_number(typed, what, suffix="m", whole="whole minutes like 90m"))
    else:
        hours = parse_number(typed, what, suffix="h")
        exact = hours * 60
        if exact != exact.to_integral_value():
            raise InvalidInput(f"{what} {typed!r} is not a whole number of minutes (like 1.25h)")
        minutes = int(exact)
    if minutes > MAX_MINUTES_A_DAY:
        raise InvalidInput(f"{what} is at most 24 hours in a day (got {typed})")
    return minutes


def number_text(value: float | Decimal) -> str:
    """A number as people type it back (``2``, ``2.5``, ``0.00001``): never an exponent.

    ``str(1e-05)`` is ``1e-05``, which ``parse_number`` refuses: a form showing it could not
    be saved unchanged.
    """
    if isinstance(value, float):
        if value == int(value):
            return str(int(value))
        value = Decimal(repr(value))
    return f"{value:f}"


def hours_text(value: float | None, *, unit: bool = True) -> str:
    """Hours for display, to one decimal: ``40h``, ``2.5h`` or ``—``; without ``unit``
    (``40``, ``2.5``) for a sentence that says ``h`` itself or a column headed in hours."""
    if value is None:
        return "—"
    rounded = round(value, 1)
    shown = str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
    return f"{shown}h" if unit else shown


CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}
"""Currencies written with a symbol before the amount; any other code follows it."""


def money_text(amount: Decimal, currency: str, *, cents: bool = False, signed: bool = False) -> str:
    """An amount with its currency, never without: ``€230,769`` or ``1,200 SEK``, rounded
    for sentences; ``€708.00`` with ``cents`` (one task's or entry's amount); ``+€500``
    with ``signed`` (a change, where a plus says it grows)."""
    shown = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    sign, digits = ("-", shown[1:]) if shown.startswith("-") else ("+" if signed else "", shown)
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


MAX_ID = 2**63 - 1
"""The largest id SQLite can store."""


def parse_id(text: str, what: str = "id") -> int:
    """A record id: ASCII digits (``#42`` or ``42``) within SQLite's integer range."""
    digits = text.strip().removeprefix("#")
    if not re.fullmatch(r"[0-9]{1,19}", digits) or not 1 <= int(digits) <= MAX_ID:
        raise InvalidInput(f"{what} must be an id number like 42 (got {text!r})")
    return int(digits)
