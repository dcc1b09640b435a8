"""One module per screen: today, tasks, board, health, standup, plus modals."""
