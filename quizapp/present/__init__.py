"""How cards and deck text are shown: terminal and HTML flavours, below every front-end."""
