"""App-wide messages only; widget messages stay nested in their widgets."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Someone (this process or another) committed a change to the database."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token
        """The store's change token after the change."""
