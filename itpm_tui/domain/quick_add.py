"""Reading a one-line quick add: "call vendor fri !1" -> title, due Friday, priority 1;
"check backups fri --repeat every monday" also makes it recurring (domain/recurrence.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import MONTHS, WEEKDAYS, parse_date
from itpm_tui.domain.recurrence import parse_repeat
from itpm_tui.errors import InvalidInput

_SINGLE_WORDS = {"today", "tomorrow", "tmr", "tmrw", "eow", *WEEKDAYS}
_IN_UNITS = {"day", "days", "week", "weeks", "month", "months", "wd"}
_RELATIVE = re.compile(r"^\+\d{1,4}(d|w|m|wd|bd)$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY = re.compile(r"^\d{1,2}(st|nd|rd|th)?$")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_YEAR = re.compile(r"^\d{4}$")
_PRIORITY = re.compile(r"^!([1-4])$")
_REPEAT = re.compile(r"(?:^|\s)--repeat(?:=|\s+|$)(?P<rule>.*)$")
"""``--repeat RULE`` at the end of the line: everything after it is the rule."""
_LEAD_WORDS = ("by", "on", "due")
"""Words that may introduce the date ("call vendor by fri") and go with it."""


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add line asks for."""

    title: str
    due: date | None = None
    priority: int | None = None
    """P1..P4 from a ``!1``..``!4`` word, else ``None`` (the default priority)."""
    repeat: str | None = None
    """The canonical repeat rule from ``--repeat RULE`` (``None``: it does not repeat)."""


def _is_date_phrase(words: list[str]) -> bool:
    """True for the few shapes we read as a date at the end of a title.

    Deliberately narrow: a trailing "3" ("upgrade to python 3") is not a date.
    """
    if len(words) == 1:
        word = words[0]
        return word in _SINGLE_WORDS or bool(_RELATIVE.match(word) or _ISO.match(word))
    if len(words) == 2:
        first, second = words
        if first in ("next", "this") and (second in WEEKDAYS or second == "week"):
            return True
        return (bool(_DAY.match(first)) and second in MONTHS) or (
            first in MONTHS and bool(_DAY.match(second))
        )
    if len(words) == 3:
        if words == ["end", "of", "week"]:
            return True
        if words[0] == "in" and words[1].isdigit() and words[2] in _IN_UNITS:
            return True
        return _is_date_phrase(words[:2]) and bool(_YEAR.match(words[2]))
    if len(words) == 4:
        return (
            words[0] == "in"
            and words[1].isdigit()
            and words[2] in ("working", "business")
            and words[3] in ("day", "days")
        )
    return False


def parse_quick_add(
    text: str, today: date, calendar: WorkCalendar | None = None, *, read_date: bool = True
) -> QuickAdd:
    """Split a typed line into title, due date and priority; ``InvalidInput`` if no title,
    or if the line ends in what can only be meant as a date but is not one ("dec 32").

    The date is taken only from the end of the line ("call vendor fri", "pay invoice by
    3 dec", "book room +2d", "renew cert in 3 weeks"), so dates inside a title stay in it. A line that is only a
    date keeps it as the title. With ``read_date=False`` (the date was given separately)
    only the priority is taken out. ``--repeat RULE`` ends the line: the rest is the rule
    (quotes around it are fine), read by ``parse_repeat``.
    """
    repeat = None
    found = _REPEAT.search(text)
    if found:
        rule_text = found.group("rule").strip().strip("\"'").strip()
        if not rule_text:
            raise InvalidInput("--repeat needs a rule, like every monday")
        rule = parse_repeat(rule_text)
        repeat = None if rule is None else rule.text
        text = text[: found.start()]
    words = text.split()
    priority = None
    kept = []
    for word in words:
        match = _PRIORITY.match(word)
        if match and priority is None:
            priority = int(match.group(1))
        else:
            kept.append(word)
    due = None
    refused: InvalidInput | None = None
    """A tail shaped like a date that is not one ("dec 32"): said, not left in the title."""
    for size in (4, 3, 2, 1) if read_date else ():
        if len(kept) <= size:
            continue
        tail = [w.lower().rstrip(",.") for w in kept[-size:]]
        if not _is_date_phrase(tail):
            continue
        phrase = " ".join(_ORDINAL.sub(r"\1", w) for w in tail)
        try:
            due = parse_date(phrase, today, calendar)
        except InvalidInput as err:
            refused = refused or InvalidInput(f"{phrase}: {err}")
            continue
        kept = kept[:-size]
        if len(kept) > 1 and kept[-1].lower() in _LEAD_WORDS:
            kept = kept[:-1]
        break
    if due is None and refused is not None:
        raise refused
    title = " ".join(kept).strip()
    if not title:
        raise InvalidInput("a task needs a title")
    return QuickAdd(title=title, due=due, priority=priority, repeat=repeat)
