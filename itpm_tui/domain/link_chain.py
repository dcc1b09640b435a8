"""A task's whole chain of dependencies: everything it waits for, and everything waiting on it.

The store walks the links level by level (``LinkRepo.chain``); this module lays them out as
a tree under the task, the way ``show`` lists them: each task once, at the first place the
walk meets it, its own links indented below it. A task met again (two
paths lead to it) is listed as a repeat without its links, so a diamond is not drawn twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from itpm_tui.models import TaskLink


@dataclass(frozen=True)
class LinkChain:
    """The links upstream and downstream of one task, as far as the walk went."""

    task_id: int
    up: tuple[TaskLink, ...] = ()
    """Every link into the task or into a task upstream of it."""
    down: tuple[TaskLink, ...] = ()
    """Every link out of the task or out of a task downstream of it."""
    up_complete: bool = True
    """False when the walk stopped at its limit: there is more upstream."""
    down_complete: bool = True


@dataclass(frozen=True)
class ChainRow:
    """One line of a chain: the link, how deep under the task, and the task at its far end."""

    depth: int
    """1 for the task's own links, 2 for theirs, and so on."""
    link: TaskLink
    other: int
    """The far end: the predecessor upstream, the successor downstream."""
    repeat: bool = False
    """The far end is listed already (another path leads to it): its links are not repeated."""

    def indent(self, levels: int) -> str:
        """Two spaces a level, at most ``levels`` deep; deeper rows say their depth instead
        (``  ... [12] ``), so a long chain does not run off the terminal."""
        if self.depth <= levels:
            return "  " * self.depth
        return "  " * levels + f"[{self.depth}] "


def chain_rows(task_id: int, links: Sequence[TaskLink], *, upstream: bool) -> list[ChainRow]:
    """The links as a tree under ``task_id``, depth first, lowest ids first at each level."""
    below: dict[int, list[TaskLink]] = {}
    for link in links:
        near = link.succ_id if upstream else link.pred_id
        below.setdefault(near, []).append(link)
    for children in below.values():
        children.sort(key=lambda lk: lk.pred_id if upstream else lk.succ_id)

    rows: list[ChainRow] = []
    listed = {task_id}
    stack = [(1, link) for link in reversed(below.get(task_id, []))]
    while stack:  # not recursive: a chain can be longer than Python's recursion limit
        depth, link = stack.pop()
        other = link.pred_id if upstream else link.succ_id
        repeat = other in listed
        rows.append(ChainRow(depth, link, other, repeat))
        if not repeat:
            listed.add(other)
            stack.extend((depth + 1, lk) for lk in reversed(below.get(other, [])))
    return rows
