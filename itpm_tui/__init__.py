"""itpm-tui: a keyboard-driven terminal app for IT project managers and their teams."""

__version__ = "0.1.0"
