"""Pure functions over models: working days, dates, health, slippage, today's list."""
