"""What a card shows of markup that Obsidian and hashcards never show as written.

- HTML comments (``<!-- Bite 2 -->``) are never shown, as in Obsidian and hashcards:
  they are taken out of a card's text when the deck is read, so no front-end and no
  export carries them. A comment inside code is code and stays; an unclosed ``<!--``
  stays too, so that no text silently disappears.
- An Obsidian callout (``> [!question]- Write the Jacobian``) is a titled block: its
  first line becomes the kind as a label and the title in bold, without the ``[!…]``
  marker and the fold sign (``> *Question* · **Write the Jacobian**``), and the
  callout's body follows as a paragraph of its own in the same quote.

Both rewrite markdown source, so every presenter (the app, line mode, the export)
shows the same thing. Each is one pass over the text: linear in its size.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from quizapp.deckfile.cloze import mask_code_spans

if TYPE_CHECKING:
    from markdown_it.token import Token

_OPEN, _CLOSE = "<!--", "-->"
#: block tokens whose text is code: a comment there is content
_CODE = ("fence", "code_block", "math_block", "math_block_label")
#: the first line of a callout: quote markers, ``[!kind]``, fold sign, title
_CALLOUT = re.compile(r"^( {0,3}>(?:[ \t]*>)*[ \t]?)[ \t]*\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")
#: a line of a block quote (not indented code)
_QUOTE = re.compile(r" {0,3}>")


def _tokens(text: str) -> list[Token]:
    from quizapp.deckfile.markdown import structure_parser

    return structure_parser(front_matter=False).parse(text)


def _without_comments(text: str, code: list[bool]) -> str:
    """``text`` without its closed HTML comments outside code (``code[i]``: line ``i``
    is code)."""
    lines = text.split("\n")
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        chunk = "\n".join(run)
        masked = mask_code_spans(chunk)
        pieces: list[str] = []
        at = pos = 0
        while True:
            start = masked.find(_OPEN, pos)
            if start < 0:
                break
            end = masked.find(_CLOSE, start + len(_OPEN))
            if end < 0:
                break
            pieces.append(chunk[at:start])
            at = pos = end + len(_CLOSE)
        pieces.append(chunk[at:])
        kept = "".join(pieces).split("\n")
        if len(pieces) > 1:
            # A line that held only a comment stays a blank line: the blocks around it
            # stay apart, as they were.
            kept = [line if line.strip() else "" for line in kept]
        out.extend(kept)
        run.clear()

    for line, is_code in zip(lines, code, strict=True):
        if is_code:
            flush()
            out.append(line)
        else:
            run.append(line)
    flush()
    return "\n".join(out)


def _titled_callouts(text: str, code: list[bool]) -> str:
    """Callout first lines rewritten: a ``> [!kind]`` line that starts a quote (after a
    line that is not part of one), outside code."""
    lines = text.split("\n")
    out: list[str] = []
    quoted = False
    for index, line in enumerate(lines):
        starts_quote = not quoted
        quoted = not code[index] and _QUOTE.match(line) is not None
        found = _CALLOUT.match(line) if quoted and starts_quote else None
        if found is None:
            out.append(line)
            continue
        quote, kind, _fold, title = found.groups()
        label = kind.replace("-", " ").replace("_", " ").strip().capitalize()
        out.append(
            quote + (f"*{label}* · **{title.strip()}**" if title.strip() else f"**{label}**")
        )
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following.strip().lstrip(">").strip():
            # The callout's body is a paragraph of its own under the title.
            out.append(quote.rstrip())
    return "\n".join(out)


def _code_lines(text: str, tokens: list[Token] | None) -> list[bool]:
    """Whether each line is code: from the tokens when the text was parsed, else by
    its fences (a line starting with three backticks or tildes opens or closes one)."""
    code = [False] * (text.count("\n") + 1)
    if tokens is not None:
        for tok in tokens:
            if tok.type in _CODE and tok.map is not None:
                for index in range(*tok.map):
                    code[index] = True
        return code
    fence = ""
    for index, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" >")
        marker = stripped[:3]
        if fence:
            code[index] = True
            if stripped.startswith(fence) and not stripped[len(fence) :].strip(fence[0] + " "):
                fence = ""
        elif marker in ("```", "~~~"):
            code[index] = True
            fence = marker
    return code


def shown_markdown(text: str) -> str:
    """``text`` (a card's markdown) as it is shown: comments out, callouts titled."""
    comments = _OPEN in text
    callouts = "[!" in text and ">" in text
    if not comments and not callouts:
        return text
    if comments:
        text = _without_comments(text, _code_lines(text, _tokens(text)))
    if callouts:
        text = _titled_callouts(text, _code_lines(text, None))
    return text.strip("\n")
