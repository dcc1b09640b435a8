"""App-wide messages only; widget messages stay nested in their widgets."""

from __future__ import annotations

from textual.message import Message


class JumpToTask(Message):
    """Show this task wherever it is: posted to the app, which knows its screens."""

    def __init__(self, task_id: int) -> None:
        super().__init__()
        self.task_id = task_id
