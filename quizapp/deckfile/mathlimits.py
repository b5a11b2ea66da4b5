"""How much LaTeX a formula may hold before it is shown as its source.

Turning a formula into Unicode walks it recursively (pylatexenc), in time that grows
with its length: ``\\sqrt{`` nested 500 deep ends in a ``RecursionError``, 40,000
characters of math take half a second on every redraw. A formula nested deeper than
:data:`MAX_DEPTH` or longer than :data:`MAX_LENGTH` characters is therefore shown as
the LaTeX it is, by the terminal presenter and by the Anki export alike, and the parser
says so at its line.
"""

from __future__ import annotations

#: deepest nesting of ``{…}``, ``[…]`` and ``\begin…\end`` converted; real formulas
#: stay under ten
MAX_DEPTH = 40
#: longest formula converted, in characters; a long aligned derivation is 2,000
MAX_LENGTH = 10_000

_OPEN = {"{": 1, "[": 1, "}": -1, "]": -1}


def math_depth(latex: str) -> int:
    """The deepest nesting of groups, optional arguments and environments in ``latex``."""
    depth = deepest = 0
    i, n = 0, len(latex)
    while i < n:
        ch = latex[i]
        if ch == "\\":
            if latex.startswith("begin", i + 1):
                depth += 1
                deepest = max(deepest, depth)
            elif latex.startswith("end", i + 1):
                depth = max(0, depth - 1)
            i += 2  # ``\{`` and ``\[`` are characters, not groups
            continue
        step = _OPEN.get(ch)
        if step is not None:
            depth = max(0, depth + step)
            deepest = max(deepest, depth)
        i += 1
    return deepest


def math_problem(latex: str) -> str | None:
    """Why ``latex`` is shown as its source rather than converted, or None."""
    if len(latex) > MAX_LENGTH:
        return f"formula is {len(latex):,} characters long (over {MAX_LENGTH:,})"
    openings = latex.count("{") + latex.count("[") + latex.count("\\begin")
    if openings <= MAX_DEPTH:
        return None  # cannot nest deeper than it opens (the common case, counted in C)
    depth = math_depth(latex)
    if depth > MAX_DEPTH:
        return f"formula is nested {depth} deep (over {MAX_DEPTH})"
    return None
