"""Reusable widgets: they take data by attribute and talk up with messages; no store access."""
