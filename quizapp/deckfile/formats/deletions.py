"""Square-bracket deletions of a ``C:`` block → cloze markers.

``C: The [order] of a group is [its cardinality].`` has two deletions. A bracket pair
is not a deletion when it is a link (``[text](url)``, ``[text][ref]``, or ``[ref]``
with a reference definition in the file), an image, an Obsidian ``[[wiki link]]``, a
task box ``[ ]``, or when it sits in code. Inside ``$…$`` math brackets are deletions
too, as hashcards reads them: ``$(m \times [n])$`` hides the ``n`` inside the formula,
and the presenter shows the blank there. Each deletion becomes
``{{cN::…}}``, so the cards behave like any cloze card; a card's front is the text
with every deletion as ``[…]``, which presenters show as the text itself, not as a
context above it (:func:`quizapp.deckfile.cloze.cloze_context`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from quizapp.deckfile.cloze import mask_code_spans, replace_clozes
from quizapp.deckfile.quoting import quoted

#: cards one ``C:`` block may make; the deletions after that are shown as written
MAX_DELETIONS = 200
#: raw HTML and autolinks, whose brackets are not deletions
_HTML = re.compile(r"<[^<>\n]+>")


@dataclass
class Marked:
    #: the text with every deletion as ``{{cN::…}}``
    text: str
    #: the text with every deletion as ``[…]``: what the card asks, without its answers
    masked: str
    count: int = 0
    problems: list[str] = field(default_factory=list)


def _pairs(text: str) -> dict[int, int]:
    """Position of each ``[`` and ``(`` → position of the bracket that closes it (nesting
    and backslash escapes respected), found in one pass."""
    pairs: dict[int, int] = {}
    open_at: dict[str, list[int]] = {"]": [], ")": []}
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            open_at["]"].append(i)
        elif char == "(":
            open_at[")"].append(i)
        elif open_at.get(char):
            pairs[open_at[char].pop()] = i
        i += 1
    return pairs


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _spans(text: str, references: Collection[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each deletion's brackets in one paragraph's ``text``."""
    masked = _HTML.sub(lambda m: " " * len(m.group()), mask_code_spans(text))
    spans: list[tuple[int, int]] = []
    pairs = _pairs(masked)
    i, n = 0, len(masked)
    while i < n:
        char = masked[i]
        if char == "\\":
            i += 2
            continue
        if char != "[":
            i += 1
            continue
        close = pairs.get(i, -1)
        if close < 0:
            i += 1
            continue
        after = close + 1
        inner = text[i + 1 : close]
        image = i > 0 and masked[i - 1] == "!"
        if after < n and masked[after] == "(":
            end = pairs.get(after, -1)
            i = end + 1 if end > 0 else after
            continue
        if after < n and masked[after] == "[":
            end = pairs.get(after, -1)
            label = masked[after + 1 : end] if end > 0 else ""
            if end > 0 and _label(label or inner) in references:
                i = end + 1
                continue
        wiki = inner.startswith("[") and inner.endswith("]")
        if image or wiki or not inner.strip() or inner.startswith("^"):
            i = after
            continue
        if _label(inner) in references:
            i = after
            continue
        spans.append((i, after))
        i = after
    return spans


def _paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the text's paragraphs, headings and table rows."""
    from quizapp.deckfile.markdown import structure_parser

    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    seen: set[tuple[int, int]] = set()
    for tok in structure_parser(front_matter=False).parse(text):
        if tok.type == "inline" and tok.map is not None:
            seen.add((tok.map[0], tok.map[1]))
    return [(offsets[s], offsets[e] - 1) for s, e in sorted(seen)]


def mark_deletions(text: str, references: Collection[str]) -> Marked:
    """``text`` with its deletions as cloze markers, numbered in order from 1.

    ``references`` are the file's link reference labels, normalized (case-folded,
    whitespace collapsed): ``[label]`` with a definition is a link, not a deletion.
    """
    found: list[tuple[int, int]] = []
    for start, end in _paragraph_ranges(text):
        found.extend((start + s, start + e) for s, e in _spans(text[start:end], references))
    marked = Marked(text, text)
    pieces: list[str] = []
    pos = 0
    if len(found) > MAX_DELETIONS:
        marked.problems.append(
            f"a `C:` block makes at most {MAX_DELETIONS} cards; its {len(found) - MAX_DELETIONS} "
            "deletions after that are shown as written"
        )
        found = found[:MAX_DELETIONS]
    for start, end in found:
        inner = text[start + 1 : end - 1]
        if "::" in inner or "}}" in inner:
            marked.problems.append(
                f"deletion {quoted('[' + inner + ']')} holds `::` or `}}}}`, which a cloze "
                "cannot hide; it is shown as written"
            )
            continue
        marked.count += 1
        # A closing brace right before "}}" would end the marker early.
        hidden = inner + " " if inner.endswith("}") else inner
        pieces.append(text[pos:start] + f"{{{{c{marked.count}::{hidden}}}}}")
        pos = end
    marked.text = "".join(pieces) + text[pos:]
    # By the presenter's own rules, so that it can tell this is the text itself.
    marked.masked = replace_clozes(marked.text, lambda *_: "[…]")
    return marked
