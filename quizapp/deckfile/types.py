"""Plain values produced by the deck parser; they cross every layer above it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

CardKind = Literal["basic", "cloze", "quiz"]
Severity = Literal["error", "warning"]

#: A parameter spec of a quiz block, normalized by the parser:
#: ``("fixed", value)``, ``("range", lo, hi)`` (inclusive; ints, or floats for a real
#: range) or ``("choices", v1, v2, ...)``.
ParamSpec = tuple[object, ...]


@dataclass(frozen=True)
class QuizSpec:
    """A validated ``quiz`` block: which model to run and how to draw its parameters."""

    model: str
    ask: str
    params: Mapping[str, ParamSpec]
    #: absolute tolerance for real answers; None = the model's default
    tolerance: float | None = None
    #: relative tolerance (``tolerance: 2%`` is 0.02); None = the model's default
    relative_tolerance: float | None = None


@dataclass(frozen=True)
class CardSpec:
    """One card as the deck file defines it (no scheduling state)."""

    id: str
    deck: str
    #: ancestor headings, outermost first (the deck-name H1 excluded)
    topic: tuple[str, ...]
    #: the question: heading inline text, markdown source, attrs removed
    front: str
    #: the answer: markdown source of the body
    back: str
    kind: CardKind
    #: path of the deck file, as given to the parser
    source: str
    #: 1-based line of the heading (or of the ``quiz`` fence for quiz cards)
    line: int
    #: cloze number N of ``{{cN::…}}`` for cloze cards
    cloze: int | None = None
    quiz: QuizSpec | None = None
    #: id of the card a quiz card belongs to
    parent: str | None = None
    #: whether the id came from ``{#id}`` / ``id:`` rather than the hash
    explicit_id: bool = False
    tags: tuple[str, ...] = ()
    #: a deletion of a ``C:`` block: its number is only its place in the block, so a
    #: sync matches it by what it hides and what surrounds it
    deletion: bool = False


@dataclass(frozen=True)
class TopicNote:
    """A heading that has sub-headings: not a card, its intro text is a note."""

    deck: str
    path: tuple[str, ...]
    text: str
    source: str
    line: int


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a deck file, reported as ``FILE:LINE: severity: message``."""

    source: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class ParsedDeck:
    """Everything one deck file yields."""

    source: str
    deck: str
    cards: tuple[CardSpec, ...] = ()
    topics: tuple[TopicNote, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """Diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity == "error")
