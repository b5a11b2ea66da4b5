"""Card identity: stable default ids, and a hash of what a card says.

A card keeps its id while its question stays the same, so its review history survives
edits to the answer. The default id hashes the deck name, the topic path and the
question text normalized so that re-wrapping or full-width/half-width differences do not
count as an edit.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from quizapp.deckfile.types import CardSpec

#: separates the fields of a hashed key; it cannot appear in a heading
_SEP = "\x1f"
#: revision of the parsing rules. A file synced under another revision is parsed again
#: even if its bytes did not change, so a new rule (control characters removed, a quiz
#: block checked against the grader's limits, sizes with units such as `7B`, a question
#: that is only an HTML comment refused at its line) reaches the cards already in a
#: database.
PARSER_REVISION = 5


def file_digest(data: bytes) -> str:
    """The hash a sync keeps of a deck file: its bytes under this :data:`PARSER_REVISION`."""
    digest = hashlib.sha256(b"quizapp deck parser %d\n" % PARSER_REVISION)
    digest.update(data)
    return digest.hexdigest()


def normalize_question(text: str) -> str:
    """``text`` in NFKC with runs of whitespace collapsed to one space, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def card_id(deck: str, topic: Sequence[str], front: str) -> str:
    """The default id of a card: 16 hex digits of sha1(deck, topic…, normalized front)."""
    key = _SEP.join((deck, *topic, normalize_question(front)))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


#: the id suffix of the reversed card of a two-way card (Obsidian's ``Q:::A``, ``??``)
REVERSE_SUFFIX = "/reverse"


def sibling_note(card_id: str) -> str | None:
    """The note a card shares with its siblings — the id before ``/cN`` (a cloze or
    ``C:`` deletion) or before ``/reverse`` (the other direction of a two-way card) —
    or None for a card of its own. (The forward card of a two-way card has its own id
    as note; the sync, which sees both, sets it.)"""
    base, sep, tail = card_id.rpartition("/")
    if sep and ("/" + tail == REVERSE_SUFFIX or (tail[:1] == "c" and tail[1:].isdigit())):
        return base
    return None


def content_hash(card: CardSpec) -> str:
    """A hash of everything a card says, for telling whether a synced card changed.

    Covers the deck, topic, front, back, kind, cloze number, quiz spec, parent and tags.
    Where the card sits (``source``, ``line``) is left out: moving a card inside its
    file is not an edit. The id is left out because it is the key the hash is stored
    under.
    """
    quiz = ""
    if card.quiz is not None:
        q = card.quiz
        quiz = repr((q.model, q.ask, sorted(q.params.items()), q.tolerance))
        if q.relative_tolerance is not None:
            quiz += f"\x1f{q.relative_tolerance!r}"
    fields = (
        card.deck,
        "\x1e".join(card.topic),
        card.front,
        card.back,
        card.kind,
        "" if card.cloze is None else str(card.cloze),
        quiz,
        card.parent or "",
        "\x1e".join(card.tags),
    )
    data = _SEP.join(fields).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()
