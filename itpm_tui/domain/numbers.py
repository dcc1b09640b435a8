"""Numbers typed by people: amounts of money and hours, with one rule for separators.

The rule (documented in the README): a dot is the decimal point; a comma may only group
thousands, in groups of three digits before the point (``1,234.50``). Anything else with a
comma is refused, because ``1,5`` means one and a half to half of Europe and fifteen to the
old parser, which silently dropped commas. The CLI and the app's task form both use this.
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


def parse_amount(text: str, what: str = "amount") -> Decimal:
    """A non-negative amount of money with at most two decimals."""
    value = parse_decimal(text, what)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInput(f"{what} has more than 2 decimals (got {text.strip()})")
    if value >= Decimal(10) ** MONEY_INTEGER_DIGITS:
        raise InvalidInput(f"{what} is too large (got {text.strip()})")
    return value


def parse_hour_count(text: str, what: str = "hours") -> float:
    """A non-negative number of hours (``4``, ``2.5``, ``8h``), at most ``MAX_HOURS``."""
    value = parse_decimal(text.strip().removesuffix("h").strip(), what)
    if value > MAX_HOURS:
        raise InvalidInput(f"{what} is at most {MAX_HOURS:,} hours (got {text.strip()})")
    return float(value)
