"""Counts in words: one rule for every screen (``1 task``, ``100,000 tasks``)."""

from __future__ import annotations

from itpm_tui.domain.wording import plural


def test_one_is_singular_and_large_counts_are_grouped() -> None:
    assert [plural(n, "task") for n in (0, 1, 2, -1, 100_000)] == [
        "0 tasks", "1 task", "2 tasks", "-1 task", "100,000 tasks"]  # fmt: skip
    assert plural(1, "more line", "more lines") == "1 more line"
    assert plural(3, "person", "people") == "3 people"
