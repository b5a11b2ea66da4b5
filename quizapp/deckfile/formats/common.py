"""What a card layout hands to the deck parser, and helpers the layouts share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from quizapp.deckfile.attrs import split_heading_attrs
from quizapp.deckfile.types import Severity

if TYPE_CHECKING:
    from markdown_it.token import Token


@dataclass(frozen=True)
class BlockCard:
    """One card found by a layout; line indices are 0-based into the parser's lines."""

    #: where the question starts
    line: int
    #: the question, markdown, ``{#id .class}`` removed
    front: str
    back: str
    #: lines ``[start, end)`` of the answer: quiz fences and cloze markers there are the card's
    body: tuple[int, int]
    explicit_id: str | None = None
    classes: tuple[str, ...] = ()
    #: hashed for the default id instead of the front
    id_text: str | None = None
    #: appended to the id (``/reverse`` for the second card of a two-way pair)
    id_suffix: str = ""
    #: deletions already written as ``{{cN::…}}`` in ``back`` (``C:`` blocks)
    clozes: tuple[int, ...] = ()
    #: the deck the card's own tag puts it in (levels), instead of the file's
    deck: tuple[str, ...] | None = None

    @property
    def skipped(self) -> bool:
        return "skip" in self.classes


@dataclass(frozen=True)
class Finding:
    """A problem a layout found: 0-based line index, severity, message."""

    index: int
    severity: Severity
    message: str


@dataclass
class Layout:
    """Everything a layout read from one file."""

    cards: list[BlockCard] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: first lines of what markdown reads as headings but the layout does not (a
    #: ``Q:``/``A:`` block over a ``---`` separator): they give no topic
    not_headings: set[int] = field(default_factory=set)


class Lines(Protocol):
    """The parser's view of the file the layouts read."""

    @property
    def lines(self) -> list[str]: ...

    def body_text(self, start: int, end: int, *, first: str | None = None, indent: int = 0) -> str:
        """Lines ``start:end`` as an answer: quiz fences cut out, ``first`` in place of
        the first line, up to ``indent`` columns of indentation removed, trimmed."""
        ...


def question(raw: str) -> tuple[str, str | None, tuple[str, ...]]:
    """A question's text without a trailing ``{#id .class}``, its id and its classes."""
    text, attrs = split_heading_attrs(raw.strip())
    classes = tuple(attrs.get("class", "").split())
    return text.strip(), attrs.get("id") or None, classes


def joined(lines: Sequence[str]) -> str:
    """Question lines as one text: a paragraph's soft line breaks become spaces, other
    markdown (a list, a formula block) keeps its lines."""
    from quizapp.deckfile.markdown import structure_parser

    stripped = [line.strip() for line in lines if line.strip()]
    if len(stripped) <= 1:
        return "".join(stripped)
    tokens = structure_parser(front_matter=False).parse("\n".join(lines))
    if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        return " ".join(stripped)
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def code_lines(tokens: Sequence[Token]) -> set[int]:
    """Line indices inside code blocks, fences, math blocks and raw HTML, at any depth."""
    found: set[int] = set()
    for tok in tokens:
        if tok.map is not None and tok.type in (
            "fence",
            "code_block",
            "math_block",
            "math_block_label",
            "html_block",
        ):
            found.update(range(*tok.map))
    return found


def dedent(line: str, columns: int) -> str:
    """``line`` with up to ``columns`` columns of leading whitespace removed (a tab
    reaching the next multiple of 4, as CommonMark counts it)."""
    width = 0
    for index, char in enumerate(line):
        if width >= columns or char not in " \t":
            return line[index:] if width <= columns else " " * (width - columns) + line[index:]
        width = width + 1 if char == " " else width + 4 - width % 4
    return ""
