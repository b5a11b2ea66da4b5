"""How deck content is quoted inside diagnostic messages."""

from __future__ import annotations

#: longest quoted value; a message must fit on a terminal line or two
LIMIT = 60


def quoted(value: object) -> str:
    """``repr(value)``, cut to :data:`LIMIT` characters with an ellipsis."""
    text = repr(value)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"
