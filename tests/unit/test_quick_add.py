"""Quick add: a title with a smart date at its end, and an optional !priority."""

from __future__ import annotations

from datetime import date

import pytest

from itpm_tui.domain.quick_add import QuickAdd, parse_quick_add
from itpm_tui.errors import InvalidInput
from tests.conftest import TODAY  # Monday 23 Nov 2026


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("call vendor fri", QuickAdd("call vendor", date(2026, 11, 27))),
        ("call vendor by Friday", QuickAdd("call vendor", date(2026, 11, 27))),
        ("book room +2d", QuickAdd("book room", date(2026, 11, 25))),
        ("send report tomorrow !1", QuickAdd("send report", date(2026, 11, 24), 1)),
        ("!2 plan sprint next monday", QuickAdd("plan sprint", date(2026, 11, 30), 2)),
        ("pay invoice on 3 dec", QuickAdd("pay invoice", date(2026, 12, 3))),
        ("pay invoice 1st dec 2026", QuickAdd("pay invoice", date(2026, 12, 1))),
        ("renew cert 2027-01-15", QuickAdd("renew cert", date(2027, 1, 15))),
        ("review plan +2wd", QuickAdd("review plan", date(2026, 11, 25))),
        ("upgrade to python 3", QuickAdd("upgrade to python 3")),
        ("meet on friday about budget", QuickAdd("meet on friday about budget")),
        ("friday", QuickAdd("friday")),
        ("due diligence", QuickAdd("due diligence")),
        ("[red]x[/red] fri", QuickAdd("[red]x[/red]", date(2026, 11, 27))),
        ("call vendor in 3 days", QuickAdd("call vendor", date(2026, 11, 26))),
        ("renew cert in 2 working days !2", QuickAdd("renew cert", date(2026, 11, 25), 2)),
        ("order licences by 20 nov", QuickAdd("order licences", date(2027, 11, 20))),
        ("meet in 3 rooms", QuickAdd("meet in 3 rooms")),
    ],
)
def test_quick_add_reads_title_date_and_priority(line: str, expected: QuickAdd) -> None:
    assert parse_quick_add(line, TODAY) == expected


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("fix the rack dec 32", "dec 32: December has no day 32"),
        ("pay invoice by 31 feb", "31 feb: February has no day 31"),
        ("renew cert 2027-13-01", "2027-13-01: can't read '2027-13-01' as a date"),
    ],
)
def test_a_date_at_the_end_that_is_not_one_is_refused_not_kept_in_the_title(
    line: str, said: str
) -> None:
    # "fix the rack dec 32" used to become a task titled so, with no due date and no word.
    with pytest.raises(InvalidInput) as refused:
        parse_quick_add(line, TODAY)
    assert str(refused.value).startswith(said)
    assert parse_quick_add(line, TODAY, read_date=False).title == line  # the date given apart


def test_quick_add_needs_a_title() -> None:
    with pytest.raises(InvalidInput, match="title"):
        parse_quick_add("  !1 ", TODAY)


def test_quick_add_keeps_the_date_words_when_the_due_is_given_apart() -> None:
    assert parse_quick_add("meet friday !2", TODAY, read_date=False) == QuickAdd(
        "meet friday", None, 2
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("check backups fri --repeat every monday",
         QuickAdd("check backups", date(2026, 11, 27), repeat="weekly on mon")),
        ('standup notes !2 --repeat "every 3 working days"',
         QuickAdd("standup notes", priority=2, repeat="every 3 working days")),
        ("pay rent --repeat=monthly on the 1st", QuickAdd("pay rent", repeat="monthly on day 1")),
        ("rotate keys --repeat none", QuickAdd("rotate keys")),
        ("read --repeat-ish notes", QuickAdd("read --repeat-ish notes")),
    ],
)  # fmt: skip
def test_quick_add_reads_a_repeat_rule_after_repeat(line: str, expected: QuickAdd) -> None:
    assert parse_quick_add(line, TODAY) == expected


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("check backups --repeat", "--repeat needs a rule"),
        ("check backups --repeat every blursday", "'blursday' is not a weekday"),
        ("check backups --repeat sometimes", "cannot read the repeat rule 'sometimes'"),
        ("check backups --repeat every 600 weeks", "never fires"),
        ("--repeat daily", "a task needs a title"),
    ],
)
def test_a_bad_repeat_in_quick_add_is_one_sentence(line: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said):
        parse_quick_add(line, TODAY)
