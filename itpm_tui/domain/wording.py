"""Counts in words: ``1 task``, ``3 tasks``, ``1 working day``; one rule for every screen."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and the noun, plural unless the count is one (``many`` for irregular ones).

    >>> plural(1, "task"), plural(0, "task"), plural(2, "person", "people")
    ('1 task', '0 tasks', '2 people')
    """
    return f"{count:,} {noun if abs(count) == 1 else (many or noun + 's')}"
