"""Money and hours as people read them: one formatter each, so an amount never shows
without its currency and hours round the same way on every screen and in the CLI."""

from __future__ import annotations

from decimal import Decimal

import pytest

from itpm_tui.domain.numbers import hours_text, money_text
from itpm_tui.domain.wording import plural


@pytest.mark.parametrize(
    ("amount", "currency", "options", "shown"),
    [("230769.23", "EUR", {}, "€230,769"), ("1200", "SEK", {}, "1,200 SEK"),
     ("708", "EUR", {"cents": True}, "€708.00"), ("1500.5", "GBP", {"cents": True}, "£1,500.50"),
     ("-1500.5", "EUR", {}, "-€1,500"), ("-1500.5", "EUR", {"cents": True}, "-€1,500.50"),
     ("-1200", "SEK", {"cents": True}, "-1,200.00 SEK"),
     ("10000", "EUR", {"cents": True, "signed": True}, "+€10,000.00"),
     ("-10000", "USD", {"cents": True, "signed": True}, "-$10,000.00"),
     ("250", "CHF", {"signed": True}, "+250 CHF"), ("0", "EUR", {"signed": True}, "+€0"),
     ("1234567.891", "JPY", {}, "¥1,234,568")],
)  # fmt: skip
def test_money_always_shows_its_currency(
    amount: str, currency: str, options: dict[str, bool], shown: str
) -> None:
    assert money_text(Decimal(amount), currency, **options) == shown


@pytest.mark.parametrize(
    ("value", "with_unit", "bare"),
    [(40, "40h", "40"), (2.5, "2.5h", "2.5"), (0, "0h", "0"), (7.96, "8h", "8"),
     (0.04, "0h", "0"), (Decimal("4.5"), "4.5h", "4.5"), (None, "—", "—")],
)  # fmt: skip
def test_hours_round_to_one_decimal_with_or_without_the_unit(
    value: float | None, with_unit: str, bare: str
) -> None:
    assert hours_text(value) == with_unit
    assert hours_text(value, unit=False) == bare


def test_counts_say_task_or_tasks() -> None:
    assert [plural(n, "task") for n in (0, 1, 3)] == ["0 tasks", "1 task", "3 tasks"]
    assert plural(1, "task plan") == "1 task plan"
    assert plural(2, "cost entry", "cost entries") == "2 cost entries"
