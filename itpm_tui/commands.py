"""Command-palette providers: every key action of the visible screen, and jump to a task."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from itpm_tui.errors import ItpmError
from itpm_tui.messages import JumpToTask
from itpm_tui.models import Task
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.store import Store, TaskFilter

TASK_ID = re.compile(r"^\s*#?(\d{1,9})\s*$")
"""``42`` or ``#42``: a task id typed into the palette."""
_NOT_COMMANDS = frozenset(
    {
        "focus_next",
        "focus_previous",
        "command_palette",
        "close_palette",
        "copy_text",
        "screen.copy_text",
        "maximize",
        "minimize",
        "app.focus_next",
        "app.focus_previous",
    }
)
"""Bindings that make no sense as palette commands (moving focus, the palette itself)."""
TITLE_HITS = 12
"""At most this many tasks offered for a title search."""


def _action_rows(provider: Provider) -> list[tuple[str, str, Callable[[], Any]]]:
    """(name, help, callback) for each described binding of the screen under the palette."""
    rows: list[tuple[str, str, Callable[[], Any]]] = []
    seen: set[str] = set()
    screen = provider.screen
    title = str(getattr(screen, "TITLE", "") or "")
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if (
            not binding.description
            or binding.action in seen
            or binding.action in _NOT_COMMANDS
            or not active.enabled
            or active.node not in (screen, provider.app)
        ):
            continue
        seen.add(binding.action)
        if binding.action.startswith("switch_mode"):
            name = f"Go to {binding.description}"
        elif active.node is provider.app or not title:
            name = binding.description
        else:
            name = f"{title}: {binding.description}"
        keys = binding.key_display or provider.app.get_key_display(binding) or key
        rows.append(
            (name, f"key {keys}", partial(provider.app.run_action, binding.action, active.node))
        )
    return rows


class ItpmCommands(Provider):
    """Actions of the visible screen (with their keys), screen switches, and tasks by id or title."""

    @property
    def store(self) -> Store | None:
        """The store of the screen under the palette (``None`` over a dialog)."""
        screen = self.screen
        return screen.services.store if isinstance(screen, ItpmScreen) else None

    async def discover(self) -> Hits:
        """With nothing typed: every action of this screen."""
        for name, help_text, callback in _action_rows(self):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose name matches, then tasks by id (``#42``) or by title."""
        matcher = self.matcher(query)
        for name, help_text, callback in _action_rows(self):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
        for task, score in await self._find_tasks(query):
            label = f"Jump to {task.ref} {task.title}"
            where = f"{task.project_key or 'personal'} · {task.status.symbol} {task.status.label}"
            jump = partial(self.app.post_message, JumpToTask(task.id))
            yield Hit(score, Text(label), jump, text=label, help=where)

    async def _find_tasks(self, query: str) -> list[tuple[Task, float]]:
        store = self.store
        match = TASK_ID.match(query)
        if store is None:
            return []
        try:
            if match:
                task = await asyncio.to_thread(store.tasks.get, int(match.group(1)))
                return [(task, 1.0)]
            if len(query.strip()) < 2:
                return []
            found = await asyncio.to_thread(
                store.tasks.find,
                TaskFilter(text=query.strip()),
                order_by="updated_at",
                descending=True,
                limit=TITLE_HITS,
            )
        except ItpmError:
            return []
        matcher = self.matcher(query)
        return [(task, max(matcher.match(task.title), 0.3)) for task in found]
