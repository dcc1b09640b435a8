"""How people type a dependency: a task id, a lag, and in the app a whole link.

The CLI takes ``link add 12 15 --type ss --lag 2``; the app asks one line, ``12 ss +2`` or
``site survey berlin ff -1wd``: the task (an id, or words of its title), then optionally the
link type and the lag. A lag must carry a sign or ``wd`` (``+2``, ``-1``, ``2wd``), or follow
a type (``12 ss 2``), so a title that ends in a number (``Plan sprint 6``) stays a title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from itpm_tui.errors import InvalidInput
from itpm_tui.models import LinkType, TaskLink

_LAG = re.compile(r"\s*([+-]?\d{1,4})\s*(?:wd|d)?\s*")
_SIGNED_LAG = re.compile(r"[+-]\d{1,4}(?:wd|d)?|\d{1,4}(?:wd|d)")
LINK_HINT = "12 · 12 ss +2 · words of a title ff -1 (fs ss ff sf; lag in working days)"
"""What the app's link prompt shows under the line."""


def task_id(text: str) -> int:
    """A task id as typed: ``12`` or ``#12``."""
    value = text.strip().lstrip("#")
    if not value.isdigit():
        raise InvalidInput(f"a task is an id number like 12 or #12 (got {text!r})")
    return int(value)


def parse_lag(text: str) -> int:
    """A lag in whole working days: ``2``, ``+2``, ``-1`` (a lead), ``2wd``."""
    match = _LAG.fullmatch(text)
    if not match:
        raise InvalidInput(
            f"lag {text!r} is not a whole number of working days (e.g. 2, +2 or -1 for a lead)"
        )
    return int(match.group(1))


@dataclass(frozen=True)
class LinkSpec:
    """A link as typed in the app: the other task, the type, the lag."""

    task: int | str
    """The other task's id, or words to find it by its title."""
    kind: LinkType = LinkType.FS
    lag: int = 0


def parse_link_spec(text: str) -> LinkSpec:
    """``12``, ``#12 ss +2``, ``site survey ff -1``: see the module's rules."""
    words = text.split()
    if not words:
        raise InvalidInput(f"type the other task: {LINK_HINT}")
    lag = 0
    kinds = {kind.value for kind in LinkType}
    typed_kind = len(words) > 2 and words[-2].lower() in kinds
    if len(words) > 1 and (_SIGNED_LAG.fullmatch(words[-1]) or typed_kind):
        lag = parse_lag(words.pop())
    kind = LinkType.FS
    if len(words) > 1 and words[-1].lower() in kinds:
        kind = LinkType(words.pop().lower())
    rest = " ".join(words)
    task: int | str = task_id(rest) if rest.lstrip("#").isdigit() else rest
    return LinkSpec(task, kind, lag)


WAITS_FOR_HINT = "#12, #15 ss +2, words of a title (comma between links)"
"""The placeholder of the task form's "Waits for" field."""


def parse_link_list(text: str) -> tuple[LinkSpec, ...]:
    """The task form's "Waits for": links as ``parse_link_spec`` reads them, comma between."""
    specs: list[LinkSpec] = []
    for number, item in enumerate(text.split(","), start=1):
        if not item.strip():
            continue
        try:
            specs.append(parse_link_spec(item))
        except InvalidInput as err:
            raise InvalidInput(f"link {number} ({item.strip()!r}): {err}") from err
    return tuple(specs)


def link_list_text(links: Sequence[TaskLink]) -> str:
    """A task's predecessor links as the form shows them: ``#12, #15 ss +2``.

    ``parse_link_list`` reads this text back to the same links.
    """
    parts = []
    for link in links:
        kind = "" if link.kind is LinkType.FS and not link.lag else f" {link.kind.value}"
        lag = f" {link.lag:+d}" if link.lag else ""
        parts.append(f"#{link.pred_id}{kind}{lag}")
    return ", ".join(parts)


Wanted = tuple[int, LinkType, int]
"""A predecessor as the form asks for it: ``(pred_id, kind, lag)``."""


@dataclass(frozen=True)
class LinkChanges:
    """The predecessors to add and the links to remove, as ``link_changes`` works them out."""

    added: tuple[Wanted, ...] = ()
    removed: tuple[TaskLink, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


def link_changes(seen: Sequence[TaskLink], wanted: Sequence[Wanted]) -> LinkChanges:
    """What to add and what to remove to go from the links ``seen`` to those ``wanted``.

    Only the difference is written, so links someone else added or removed meanwhile are
    left as they are (a link whose type or lag changed is one removal and one addition).
    A predecessor named twice is refused.
    """
    last: dict[int, Wanted] = {}
    for pred, kind, lag in wanted:
        if pred in last:
            raise InvalidInput(f"#{pred} is named twice: a task waits for another once")
        last[pred] = (pred, kind, lag)
    had = {(lk.pred_id, lk.kind, lk.lag) for lk in seen}
    added = tuple(w for w in last.values() if w not in had)
    removed = tuple(lk for lk in seen if last.get(lk.pred_id) != (lk.pred_id, lk.kind, lk.lag))
    return LinkChanges(added, removed)
