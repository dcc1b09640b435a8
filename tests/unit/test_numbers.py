"""Money and hours typed by people: a dot is the decimal point, a comma only groups
thousands; '1,5' is refused (it used to become 15), in the CLI and in the task form alike."""

from __future__ import annotations

from decimal import Decimal

import pytest

from itpm_tui.domain.numbers import parse_amount, parse_hour_count
from itpm_tui.domain.task_fields import parse_field
from itpm_tui.errors import InvalidInput
from tests.conftest import TODAY, Cli


def form_money(text: str) -> object:
    """What the task form (and the CLI's task options) make of a typed planned cost."""
    return parse_field("planned_cost", text, today=TODAY)


def form_number(text: str) -> object:
    """What the task form (and the CLI's task options) make of a typed estimate."""
    return parse_field("estimate_hours", text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1234.50", "1234.50"), ("1,234.50", "1234.50"), ("1,234,567", "1234567"), ("0.5", "0.5"),
     (".5", "0.5"), (" 12 ", "12"), ("999", "999")],
)  # fmt: skip
def test_amounts_with_a_dot_and_thousands_commas(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)
    assert form_money(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [("1,5", "use a dot for decimals (1.5 not 1,5)"), ("1,50", "(1.50 not 1,50)"),
     ("12,34,567", "a comma may only group thousands"), ("1.234,50", "use a dot for decimals"),
     ("-1", "cannot be negative"), ("1e3", "is not a number"), ("NaN", "is not a number"),
     ("1.234", "more than 2 decimals"), ("1" * 17, "too large"), ("1 000", "is not a number")],
)  # fmt: skip
def test_ambiguous_or_wrong_amounts_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_amount(text)
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        form_money(text)


def test_hours_follow_the_same_rule() -> None:
    assert parse_hour_count("8h") == 8.0
    assert parse_hour_count("1,000") == 1000.0
    for text in ("1,5", "1e400", "inf", "nan", "-2", "100001"):
        with pytest.raises(InvalidInput):
            parse_hour_count(text)
    assert form_number("2.5h") == 2.5
    with pytest.raises(InvalidInput, match="use a dot for decimals"):
        form_number("1,5")  # the form made this 15 hours


def test_cli_cost_with_a_decimal_comma_is_refused_not_multiplied(run: Cli) -> None:
    run("project", "add", "NET", "Network")
    result = run("cost", "add", "NET", "1,5", ok=False)
    assert result.exit_code == 1
    assert "Error: amount '1,5': use a dot for decimals (1.5 not 1,5)" in result.stderr
    assert run("cost", "list").stdout == "no cost entries\n"
    run("cost", "add", "NET", "1,234.50")
    assert "1,234.50" in run("cost", "list").stdout
