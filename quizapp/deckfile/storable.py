"""What a database can store of a deck, the same on every backend.

PostgreSQL refuses a card id or a deck name over 255 characters (``varchar(255)``) and
an indexed value over about 2,700 bytes (a B-tree entry fills at most a third of a
page); SQLite would store them. So the parser holds every deck to PostgreSQL's limits,
with ``FILE:LINE``, and a sync on either backend stores the same cards; ``db copy``
names a row of an older collection that is over them.
"""

from __future__ import annotations

#: the longest card id (with its ``/c1`` or ``/quiz-1`` suffix), in characters
MAX_ID_CHARS = 255
#: the longest deck name (with its sub-folder prefix), in characters
MAX_DECK_CHARS = 255
#: the longest deck file path, in UTF-8 bytes: it is indexed on both backends
MAX_PATH_BYTES = 2000


def path_problem(path: str) -> str | None:
    """Why a deck file at ``path`` cannot be stored, or None."""
    size = len(path.encode("utf-8", "surrogateescape"))
    if size <= MAX_PATH_BYTES:
        return None
    return (
        f"the file's path is {size:,} bytes long, over the {MAX_PATH_BYTES:,} a database can "
        "index; not read (move the deck to a shorter path)"
    )


def deck_problem(deck: str) -> str | None:
    """Why cards of the deck named ``deck`` cannot be stored, or None."""
    if len(deck) <= MAX_DECK_CHARS:
        return None
    return (
        f"deck name is {len(deck):,} characters long, over the {MAX_DECK_CHARS} a deck name "
        "may have; its cards are not loaded (shorten `deck:`, the title or the folders)"
    )


def id_problem(card_id: str) -> str | None:
    """Why a card with id ``card_id`` cannot be stored, or None."""
    if len(card_id) <= MAX_ID_CHARS:
        return None
    return (
        f"card id is {len(card_id):,} characters long (suffix included), over the "
        f"{MAX_ID_CHARS} a card id may have; this card is not loaded (use a shorter {{#id}})"
    )
