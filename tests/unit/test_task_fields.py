"""The task field table: every field reads back what it formats, bad input is one sentence,
and the CLI's options come from the table.

The rules are the README's ("Dates, money and hours" under the command line): a dot is the
decimal point, a comma only groups thousands, `none` clears, progress is a whole percent.
"""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal
from typing import Any

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.cli import cli
from itpm_tui.domain.numbers import MAX_ID, number_text
from itpm_tui.domain.task_fields import (
    FIELDS,
    TASK_FIELDS,
    Kind,
    format_field,
    parse_field,
    show_field,
)
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Status, Task
from tests.conftest import TODAY

_PLAIN = st.characters(blacklist_categories=("Cc", "Cs", "Cf"))
_LINES = st.characters(blacklist_categories=("Cc", "Cs", "Cf"), whitelist_characters="\n\t")
_LOGIN = st.text(string.ascii_letters + string.digits + ".-@_", min_size=1, max_size=20)


def _optional(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | values


VALUES: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.TEXT: st.text(_PLAIN, max_size=40).map(str.strip),
    Kind.NOTES: st.text(_LINES, max_size=60).map(str.rstrip),
    Kind.DATE: _optional(st.dates(date(1900, 1, 1), date(2999, 12, 31))),
    Kind.HOURS: _optional(st.floats(0, 100_000)),
    Kind.MONEY: _optional(st.decimals(0, Decimal("9999999999999999.99"), places=2)),
    Kind.PERCENT: _optional(st.integers(0, 100)),
    Kind.PRIORITY: st.integers(1, 4),
    Kind.STATUS: st.sampled_from(Status),
    Kind.PROJECT: _optional(st.integers(1, MAX_ID)),
    Kind.MILESTONE: _optional(st.integers(1, MAX_ID)),
    # "none" and "-" clear the field, so a person with such a login cannot be typed in.
    Kind.PERSON: _optional(_LOGIN.filter(lambda login: login.lower() not in ("none", "-"))),
    # Canonical rule texts (test_recurrence checks every rule's text reads back).
    Kind.REPEAT: _optional(
        st.sampled_from(
            [
                "daily",
                "every 3 days",
                "weekly on mon,thu",
                "every 2 weeks",
                "monthly on day 31",
                "every 5 working days",
            ]
        )
    ),
}


def test_every_kind_of_field_has_values_to_check() -> None:
    assert {field.kind for field in TASK_FIELDS} <= set(VALUES)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_field_reads_back_what_it_formats(data: st.DataObject) -> None:
    for field in TASK_FIELDS:
        value = data.draw(VALUES[field.kind], label=field.name)
        if field.name == "title" and not value:
            value = "x"
        Task.model_validate({"title": "t", field.name: value})  # a value the model takes
        text = format_field(field.name, value)
        parsed = parse_field(field.name, text, today=TODAY, find_project=int)
        assert parsed == value, (field.name, value, text)
        assert type(parsed) is type(value), field.name


def test_hours_never_format_with_an_exponent() -> None:
    # str(1e-05) is "1e-05", which the number rule refuses: the form could not be saved.
    assert number_text(0.00001) == "0.00001"
    assert number_text(100_000.0) == "100000"
    assert number_text(Decimal("1E+2")) == "100"
    assert parse_field("estimate_hours", format_field("estimate_hours", 1e-05), today=TODAY) == (
        1e-05
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("due", "someday", "can't read 'someday' as a date: use YYYY-MM-DD, today, tomorrow, "
         "fri, next monday, 3 dec, +3d or in 3 days (calendar days), +2wd (working days), +2w "
         "or +1m"),
        ("planned_start", "31 feb", "February has no day 31"),
        ("planned_cost", "1,5", "planned cost '1,5': use a dot for decimals (1.5 not 1,5); a "
         "comma may only group thousands, as in 1,234.50"),
        ("planned_cost", "1.234", "planned cost has more than 2 decimals (got 1.234)"),
        ("planned_cost", "-5", "planned cost cannot be negative (got -5)"),
        ("planned_cost", "1" * 17, f"planned cost is too large (got {'1' * 17})"),
        ("planned_cost", "NaN", "planned cost 'NaN' is not a number (like 2.5 or 1,234.50)"),
        ("estimate_hours", "-3", "estimate cannot be negative (got -3)"),
        ("estimate_hours", "5%", "estimate '5%' is not a number (like 2.5 or 1,234.50)"),
        ("estimate_hours", "1e3", "estimate '1e3' is not a number (like 2.5 or 1,234.50)"),
        ("remaining_hours", "100001", "remaining hours is at most 100,000 hours (got 100001)"),
        ("percent_complete", "150", "progress is a whole percent from 0 to 100 (got 150)"),
        ("percent_complete", "50.5", "progress is a whole percent from 0 to 100 (got 50.5)"),
        ("percent_complete", "40h", "progress '40h' is not a number (like 2.5 or 1,234.50)"),
        ("priority", "5", "priority is 1 (most urgent) to 4 (got 5)"),
        ("priority", "urgent", "priority is 1 (most urgent) to 4 (got urgent)"),
        ("status", "someday", "status is one of todo, doing, blocked, review, done (got someday)"),
        ("milestone_id", "abc", "milestone must be an id number like 42 (got 'abc')"),
        ("title", "   ", "a task needs a title"),
        ("title", "a\nb", "the task title cannot contain a line break or tab (U+000A at "
         "position 2); type plain text"),
        ("waiting_on", "IT\x1b]52;c;eA==\x07", "the task waiting on cannot contain a control "
         "character (U+001B at position 3); type plain text"),
        ("notes", "fine\nbut \x9b2J", "the task notes cannot contain a control character "
         "(U+009B at position 10); type plain text"),
        ("estimate_hours", "4\x1b", "the task estimate cannot contain a control character "
         "(U+001B at position 2); type plain text"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_one_sentence(name: str, text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_field(name, text, today=TODAY)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("estimate_hours", "8h", 8.0), ("estimate_hours", " 1,000 ", 1000.0),
        ("estimate_hours", "none", None), ("remaining_hours", "", None),
        ("planned_cost", "1,234.50", Decimal("1234.50")), ("planned_cost", "-", None),
        ("percent_complete", "40%", 40), ("percent_complete", "auto", None),
        ("priority", "P2", 2), ("priority", "1", 1), ("status", "Doing", Status.DOING),
        ("due", "tomorrow", date(2026, 11, 24)), ("due", "none", None),
        ("assignee", "none", None), ("assignee", " bob ", "bob"), ("milestone_id", "#7", 7),
        ("notes", "  indented\n\tstep\n\n", "  indented\n\tstep"),
        ("blocked_reason", "CAB\non Thursday", "CAB\non Thursday"),
        ("waiting_on", "  Procurement ", "Procurement"),
    ],
)  # fmt: skip
def test_what_people_type_becomes_the_models_value(name: str, text: str, value: object) -> None:
    assert parse_field(name, text, today=TODAY) == value


def test_a_project_key_is_resolved_by_the_caller() -> None:
    assert parse_field("project_id", " NET ", today=TODAY, find_project={"NET": 4}.__getitem__) == 4
    assert parse_field("project_id", "none", today=TODAY) is None


def test_show_field_is_what_people_read() -> None:
    shown = {name: show_field(name, value, TODAY) for name, value in [
        ("estimate_hours", 40.0), ("remaining_hours", 2.5), ("planned_cost", Decimal("1200.5")),
        ("snoozed_until", date(2026, 12, 4)), ("due", date(2027, 1, 5)), ("priority", 1),
        ("status", Status.BLOCKED), ("percent_complete", 60), ("waiting_on", "")]}  # fmt: skip
    assert shown == {
        "estimate_hours": "40h", "remaining_hours": "2.5h", "planned_cost": "1,200.50",
        "snoozed_until": "Fri 04 Dec", "due": "Tue 05 Jan 27", "priority": "P1",
        "status": "⊘ Blocked", "percent_complete": "60%", "waiting_on": "—",
    }  # fmt: skip


def _options(command: str) -> dict[str, click.Option]:
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    return {p.name: p for p in found.params if isinstance(p, click.Option) and p.name}


def test_the_cli_offers_every_field_of_the_table_and_no_other() -> None:
    add, set_ = _options("add"), _options("set")
    for field in TASK_FIELDS:
        assert field.cli.flag in set_[field.name].opts, field.name
        if field.cli.on_add:
            assert field.cli.flag in add[field.name].opts, field.name
        else:
            assert field.name not in add, field.name
    assert set(set_) - set(FIELDS) == {"as_json"}  # no field option added by hand
    assert set(add) - set(FIELDS) == {"as_json"}
    found = cli.get_command(click.Context(cli), "add")
    assert found is not None
    arguments = [p.name for p in found.params if isinstance(p, click.Argument)]
    assert arguments == ["title"]  # add takes the title as its argument


def test_set_parses_each_option_with_the_field_table(run: Any) -> None:
    run("add", "Order switches")
    run("set", "1", "--estimate", "8h", "--progress", "40%", "--planned-cost", "1,200.50",
        "--waiting-on", "  Procurement ", "--priority", "2")  # fmt: skip
    shown = run("show", "1", "--json").stdout
    for fragment in ('"estimate_hours": 8.0', '"percent_complete": 40',
                     '"planned_cost": "1200.50"', '"waiting_on": "Procurement"',
                     '"priority": 2'):  # fmt: skip
        assert fragment in shown
    result = run("set", "1", "--progress", "50.5", ok=False)
    assert result.stderr == "Error: progress is a whole percent from 0 to 100 (got 50.5)\n"
