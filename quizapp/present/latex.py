"""LaTeX math → readable Unicode text: the converter behind
:func:`quizapp.present.mathtext.latex_to_unicode`.

A terminal cannot typeset ``$\\frac{n+2p-f}{s}$``; it can show ``(n+2p-f)/s``. Greek
letters and operators become their symbols (pylatexenc's tables), ``\\frac`` gets
parentheses where precedence needs them, scripts become Unicode sub/superscripts when
every character has one (``n²``, ``xₜ``, ``h_(t-1)`` otherwise). Nothing of the source
is lost: norms, accents, binomials, roots with an index, braces, negations and
environments with rows keep their symbols (:mod:`quizapp.present.latexspecs`), and a
macro the renderer does not know is shown as its LaTeX source (``\argmax``,
``\norm{x}``), never dropped.

pylatexenc is imported with this module, which :mod:`~quizapp.present.mathtext` loads
only when a card has math to convert: a card without math is drawn without it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pylatexenc import latexwalker
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)

from quizapp.deckfile.mathlimits import math_problem
from quizapp.present.latexspecs import (
    ALIGN_MARK,
    CELL,
    text_environments,
    text_macros,
    walker_environments,
    walker_macros,
)
from quizapp.present.scripts import script

__all__ = ["ALIGN_MARK", "convert", "script"]

# Sizing and spacing commands that only affect typesetting.
_DISCARD = (
    "left",
    "right",
    "middle",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "Biggl",
    "Biggr",
    "displaystyle",
    "textstyle",
    "scriptstyle",
    "limits",
    "nolimits",
    "nonumber",
    "notag",
)
# Delimiters after which (opening) or before which (closing) a space is dropped.
_OPENING = {"left", "lVert", "lvert", "lfloor", "lceil", "langle"}
_CLOSING = {"right", "rVert", "rvert", "rfloor", "rceil", "rangle"}
# Characters that, at the top level of a fraction's part, mean it needs parentheses.
_LOOSE = set(" +-−±∓*/·×÷=<>≤≥≈≠≪≫,;:⊙∘|")
_PAIRS = {"(": ")", "[": "]", "{": "}", "⌊": "⌋", "⌈": "⌉", "⟨": "⟩"}


def _atomic(text: str) -> bool:
    """Whether ``text`` can stand next to ``/`` without parentheses."""
    text = text.strip()
    if not text:
        return True
    if text.count("‖") > 2 or text.count("|") > 2:
        return False  # a product of norms, ‖a‖‖b‖, is grouped
    depth = 0
    for ch in text:
        if ch in _PAIRS:
            depth += 1
        elif ch in _PAIRS.values():
            depth -= 1
        elif depth == 0 and ch in _LOOSE:
            return False
    return True


def _group(text: str) -> str:
    text = text.strip()
    return text if _atomic(text) else f"({text})"


def _frac(node: Any, l2tobj: LatexNodes2Text) -> str:
    num = l2tobj.node_arg_to_text(node, 0)
    den = l2tobj.node_arg_to_text(node, 1)
    return f"{_group(num)}/{_group(den)}"


def _sqrt(node: Any, l2tobj: LatexNodes2Text) -> str:
    index = l2tobj.node_arg_to_text(node, 0).strip()
    radicand = l2tobj.node_arg_to_text(node, 1).strip()
    root = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index)
    if root is None:
        root = script("^", index) + "√"
    return f"{root}({radicand})"


def _context() -> Any:
    db = get_default_latex_context_db()
    macros = [
        MacroTextSpec("frac", simplify_repl=_frac),
        MacroTextSpec("dfrac", simplify_repl=_frac),
        MacroTextSpec("tfrac", simplify_repl=_frac),
        MacroTextSpec("sqrt", simplify_repl=_sqrt),
        # Mathematical alphanumerics (𝐖, 𝒪) are missing from many terminal fonts, so
        # font macros show their argument as it is (latexspecs).
        *text_macros(_frac),
        MacroTextSpec("top", "⊤"),
        MacroTextSpec("intercal", "⊤"),
        MacroTextSpec("prime", "′"),
        MacroTextSpec("ast", "*"),
        MacroTextSpec("odot", "⊙"),
        MacroTextSpec("circ", "∘"),
        MacroTextSpec("cdot", "·"),
        MacroTextSpec("times", "×"),
        MacroTextSpec(",", " "),
        MacroTextSpec(";", " "),
        MacroTextSpec(":", " "),
        MacroTextSpec("!", ""),
        MacroTextSpec("quad", "  "),
        MacroTextSpec("qquad", "   "),
        *(MacroTextSpec(name, "") for name in _DISCARD),
    ]
    db.add_context_category(
        "quizapp-terminal",
        macros=macros,
        environments=text_environments(),
        specials=[SpecialsTextSpec("&", ALIGN_MARK)],
        prepend=True,
    )
    return db


@lru_cache(maxsize=1)
def _walker_context() -> Any:
    """How the parser reads the arguments of every macro the renderer knows."""
    db = latexwalker.get_default_latex_context_db()
    db.add_context_category(
        "quizapp-terminal",
        macros=walker_macros(),
        environments=walker_environments(),
        prepend=True,
    )
    return db


class _Converter(LatexNodes2Text):  # type: ignore[misc]
    """pylatexenc's converter, plus scripts, spacing, rows, and no unknown macro dropped."""

    def __init__(self, display: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: display math: environment rows on lines of their own
        self.display = display

    def macro_node_to_text(self, node: Any) -> str:
        if self.latex_context.get_macro_spec(node.macroname) is None:
            # A macro we don't know is shown as the author wrote it, never dropped.
            return "\\" + str(node.macroname) if node.macroname.isalpha() else ""
        return str(super().macro_node_to_text(node))

    def environment_node_to_text(self, node: Any) -> str:
        if self.latex_context.get_environment_spec(node.environmentname) is None:
            return str(node.latex_verbatim())
        return str(super().environment_node_to_text(node))

    def _unknown(self, node: Any) -> bool:
        return bool(
            node is not None
            and node.isNodeType(latexwalker.LatexMacroNode)
            and self.latex_context.get_macro_spec(node.macroname) is None
        )

    def nodelist_to_text(self, nodelist: Any) -> str:
        out: list[str] = []
        pending: str | None = None
        negate = False
        prev: Any = None
        for node in nodelist:
            if node is None:
                continue
            is_chars = node.isNodeType(latexwalker.LatexCharsNode)
            if node.isNodeType(latexwalker.LatexMacroNode) and node.macroname == "not":
                # a slash through what follows: \not\in is ∉
                args = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a]
                if not args:
                    negate = True
                    continue
                text = self.nodelist_to_text(args).strip()
                out.append(text[:1] + "\u0338" + text[1:] if text else "\u0338")
                if args[-1].isNodeType(latexwalker.LatexMacroNode) and args[-1].macro_post_space:
                    out.append(" ")  # \not\in S: the space after \in stays
                prev = node
                continue
            if negate:
                negate = False
                text = node.chars.lstrip() if is_chars else self.node_to_text(node).lstrip()
                if text:
                    out.append(text[0] + "\u0338" + text[1:])
                    prev = node
                    continue
            if self._unknown(prev) and node.isNodeType(latexwalker.LatexGroupNode):
                # ``\foo{x}`` of a macro we don't know: its argument as written too.
                out.append(str(node.latex_verbatim()))
                prev = node
                continue
            if pending is not None:
                if is_chars:
                    text = node.chars.lstrip()
                    if not text:
                        continue
                    out.append(script(pending, text[0]))
                    pending = None
                    rest, pending = self._chars(text[1:])
                    out.append(rest)
                else:
                    out.append(script(pending, self.node_to_text(node)))
                    pending = None
                prev = node
                continue
            if is_chars:
                if self._is_bare_macro_node(prev) and prev.macroname not in _OPENING:
                    out.append(prev.macro_post_space and " ")
                text, pending = self._chars(node.chars)
                out.append(text)
            else:
                if node.isNodeType(latexwalker.LatexMacroNode) and node.macroname in _CLOSING:
                    # ``\lVert g \rVert`` reads ``‖g‖``, not ``‖g ‖``.
                    while out and out[-1].endswith(" "):
                        out[-1] = out[-1].rstrip(" ")
                        if not out[-1]:
                            out.pop()
                closing = node.isNodeType(latexwalker.LatexMacroNode) and node.macroname in _CLOSING
                if (
                    not closing
                    and self._is_bare_macro_node(prev)
                    and prev.macro_post_space
                    and prev.macroname not in _OPENING
                ):
                    out.append(" ")
                out.append(self.node_to_text(node))
            prev = node
        if pending is not None:
            out.append(pending)
        return "".join(out)

    def _chars(self, text: str) -> tuple[str, str | None]:
        """Scripts of one character inside plain text; a trailing ``_``/``^`` is
        returned as pending (its argument is the next node)."""
        pending = None
        if text[-1:] in ("_", "^"):
            pending, text = text[-1], text[:-1]
        text = re.sub(r"([_^])\s*(\S)", lambda m: script(m.group(1), m.group(2)), text)
        return text, pending


@lru_cache(maxsize=2)
def _converter(display: bool) -> _Converter:
    return _Converter(
        display,
        latex_context=_context(),
        math_mode="text",
        strict_latex_spaces="based-on-source",
        keep_comments=False,
    )


def _tidy(line: str) -> str:
    line = re.sub(r"[ \t]+", " ", line)
    line = re.sub(r"([(\[{⌊⌈⟨]) ", r"\1", line)
    return re.sub(r" ([)\]}⌋⌉⟩])", r"\1", line).strip()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: the right delimiters of matrix rows
_CLOSING_GLYPHS = frozenset(")]}|‖⎞⎟⎠⎤⎥⎦⎫⎬⎭")


def _columns(lines: list[str]) -> list[str]:
    """Pad the cells of each run of matrix or ``cases`` rows to common widths."""
    out: list[str] = []
    run: list[list[str]] = []

    def flush() -> None:
        if not run:
            return
        count = max(len(cells) for cells in run)
        widths = [
            max((_width(cells[i]) for cells in run if i < len(cells) - 1), default=0)
            for i in range(count)
        ]
        for cells in run:
            padded = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(cells[:-1])]
            last = cells[-1]
            if last in _CLOSING_GLYPHS:  # a matrix's right delimiter hugs its column
                out.append("  ".join(padded) + last)
            else:
                out.append("  ".join([*padded, last]).rstrip())
        run.clear()

    for line in lines:
        if CELL in line:
            run.append(
                [cell.strip() if i else cell.rstrip() for i, cell in enumerate(line.split(CELL))]
            )
        else:
            flush()
            out.append(line)
    flush()
    return out


def _align(lines: list[str]) -> list[str]:
    """Pad the part before the first ``&`` of every line to a common width."""
    if not any(ALIGN_MARK in line for line in lines):
        return lines
    heads = [
        line.split(ALIGN_MARK, 1)[0].rstrip() if ALIGN_MARK in line else None for line in lines
    ]
    width = max((_width(h) for h in heads if h is not None), default=0)
    out = []
    for line, head in zip(lines, heads, strict=True):
        if head is None:
            out.append(line)
            continue
        tail = line.split(ALIGN_MARK, 1)[1].replace(ALIGN_MARK, "  ").strip()
        out.append(head + " " * (width - _width(head)) + " " + tail)
    return out


def _source(latex: str, display: bool) -> str:
    """A formula too deep or too long to convert, shown as the LaTeX it is."""
    if display:
        return "\n".join(line.rstrip() for line in latex.strip().split("\n"))
    return " ".join(latex.split())


def convert(latex: str, display: bool = False) -> str:
    """Convert LaTeX math (without its ``$`` delimiters) to readable Unicode.

    Inline math comes back on one line; display math keeps one line per ``\\\\`` row,
    with ``aligned`` columns padded so the ``=`` signs line up. A formula past the
    limits of :mod:`quizapp.deckfile.mathlimits` comes back as its source.
    """
    if math_problem(latex) is not None:
        return _source(latex, display)
    try:
        text = _converter(display).latex_to_text(
            latex, tolerant_parsing=False, latex_context=_walker_context()
        )
    except latexwalker.LatexWalkerError:
        # Unbalanced braces, an unclosed environment: guessing would drop or move
        # symbols, so the formula is shown as written.
        return _source(latex, display)
    except RecursionError:
        # nesting the depth count does not see (macro arguments without braces)
        return _source(latex, display)
    # \not composes with what follows where Unicode has the sign (≠, ∉, ⊄)
    text = unicodedata.normalize("NFC", text)
    lines = [_tidy(line) for line in text.split("\n")]
    lines = _columns(_align([line for line in lines if line.strip(ALIGN_MARK + CELL + " ")]))
    lines = [line.replace(ALIGN_MARK, "") for line in lines]
    if not display:
        return " ".join(lines)
    return "\n".join(lines)
