"""Entry point for ``python -m itpm_tui``."""

from itpm_tui.cli import main

main()
