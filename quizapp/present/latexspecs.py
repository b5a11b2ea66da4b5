"""What the terminal math renderer knows of LaTeX beyond pylatexenc's own tables.

Two tables for each construct: how the parser reads its arguments (``MacroSpec``:
``\\dfrac`` takes two, ``\\operatorname*`` a star and one) and how it is written as text
(``MacroTextSpec``). Everything here keeps every symbol of its source: norms stay ``‖``,
accents become combining marks on their base (``\\overline{AB}`` → ``A̅B̅``), a binomial
reads ``(n choose k)``, a brace ``(…)⏟ₙ``, ``\\not`` a slash through what follows.

Environments with rows are written by :func:`rows_to_text`, which the renderer calls
with its mode: in display math each row is a line (matrix and ``cases`` columns padded
later, between :data:`CELL` marks), inline rows are separated by ``;``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pylatexenc import latexwalker
from pylatexenc.latex2text import EnvironmentTextSpec, MacroTextSpec
from pylatexenc.macrospec import EnvironmentSpec, MacroSpec

from quizapp.present.scripts import script

#: stands for ``&`` in an ``aligned`` row; the first one is the alignment point
ALIGN_MARK = "\x00"
#: separates the cells of a matrix or ``cases`` row in display math; padded after
CELL = "\x01"

#: Text writer of a node's argument: ``(node, converter) → text``
Writer = Callable[[Any, Any], str]

_COMBINING = {
    "overline": "\u0305",
    "bar": "\u0304",
    "underline": "\u0332",
    "widehat": "\u0302",
    "hat": "\u0302",
    "widetilde": "\u0303",
    "tilde": "\u0303",
    "vec": "\u20d7",
    "overrightarrow": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
    "check": "\u030c",
    "breve": "\u0306",
    "acute": "\u0301",
    "grave": "\u0300",
    "mathring": "\u030a",
}
_DOUBLE_STRUCK = dict(zip("RNZQCEP1", "ℝℕℤℚℂ𝔼ℙ𝟙", strict=True))
_SYMBOLS = {
    "|": "‖",
    "Vert": "‖",
    "lVert": "‖",
    "rVert": "‖",
    "Arrowvert": "‖",
    "vert": "|",
    "lvert": "|",
    "rvert": "|",
    "mid": "|",
    "neg": "¬",
    "lnot": "¬",
    "land": "∧",
    "lor": "∨",
    "Re": "ℜ",
    "Im": "ℑ",
    "nmid": "∤",
    "nsubseteq": "⊈",
    "nparallel": "∦",
    "parallel": "∥",
    "enspace": " ",
    "thinspace": " ",
    "medspace": " ",
    "thickspace": " ",
    "bmod": " mod ",
    "dagger": "†",
    "coloneqq": "≔",
    "triangleq": "≜",
    "iff": "⟺",
    "implies": "⟹",
}


def _last_arg(node: Any, l2tobj: Any) -> str:
    return str(l2tobj.node_arg_to_text(node, len(node.nodeargd.argnlist) - 1)).strip()


def _accent(mark: str) -> Writer:
    def write(node: Any, l2tobj: Any) -> str:
        base = _last_arg(node, l2tobj)
        if not base:
            return mark.strip() or ""
        return "".join(ch if ch.isspace() else ch + mark for ch in base)

    return write


def _double_struck(node: Any, l2tobj: Any) -> str:
    text = _last_arg(node, l2tobj)
    return "".join(_DOUBLE_STRUCK.get(ch, ch) for ch in text)


def _binom(node: Any, l2tobj: Any) -> str:
    top = l2tobj.node_arg_to_text(node, 0).strip()
    bottom = l2tobj.node_arg_to_text(node, 1).strip()
    return f"({top} choose {bottom})"


def _brace(mark: str) -> Writer:
    def write(node: Any, l2tobj: Any) -> str:
        return f"({_last_arg(node, l2tobj)}){mark}"

    return write


def _over(kind: str) -> Writer:
    """``\\overset{a}{b}``: ``b`` with ``a`` as its script (``^`` above, ``_`` below)."""

    def write(node: Any, l2tobj: Any) -> str:
        mark = l2tobj.node_arg_to_text(node, 0).strip()
        base = l2tobj.node_arg_to_text(node, 1).strip()
        return str(base) + script(kind, str(mark))

    return write


def _arrow(arrow: str) -> Writer:
    def write(node: Any, l2tobj: Any) -> str:
        return arrow + script("^", _last_arg(node, l2tobj))

    return write


def _pmod(node: Any, l2tobj: Any) -> str:
    return f" (mod {_last_arg(node, l2tobj)})"


def _tag(node: Any, l2tobj: Any) -> str:
    return f"   ({_last_arg(node, l2tobj)})"


def _substack(node: Any, l2tobj: Any) -> str:
    group = node.nodeargd.argnlist[-1]
    nodes = group.nodelist if group is not None else []
    return ", ".join(" ".join(cells) for cells in split_rows(nodes, l2tobj))


def _plain(node: Any, l2tobj: Any) -> str:
    return _last_arg(node, l2tobj)


def split_rows(nodes: Any, l2tobj: Any) -> list[list[str]]:
    """The rows of an environment's body, each a list of its cells' text."""
    rows: list[list[str]] = []
    cells: list[str] = []
    cell: list[Any] = []

    def end_cell() -> None:
        cells.append(str(l2tobj.nodelist_to_text(cell)).strip())
        cell.clear()

    for node in nodes or []:
        if node is None:
            continue
        if node.isNodeType(latexwalker.LatexMacroNode) and node.macroname == "\\":
            end_cell()
            rows.append(cells)
            cells = []
        elif node.isNodeType(latexwalker.LatexSpecialsNode) and node.specials_chars == "&":
            end_cell()
        else:
            cell.append(node)
    end_cell()
    if any(cells):
        rows.append(cells)
    return [row for row in rows if any(row)]


#: environment → (left delimiter, right delimiter) inline, and the kind of rows
_MATRICES = {
    "matrix": ("", ""),
    "smallmatrix": ("", ""),
    "array": ("", ""),
    "subarray": ("", ""),
    "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"),
    "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
}
#: display delimiters: (top, middle, bottom) on each side, one glyph for a single row;
#: a closing one follows the last cell without padding
_TALL = {
    "(": ("⎛", "⎜", "⎝", "("),
    ")": ("⎞", "⎟", "⎠", ")"),
    "[": ("⎡", "⎢", "⎣", "["),
    "]": ("⎤", "⎥", "⎦", "]"),
    "{": ("⎧", "⎨", "⎩", "{"),
    "}": ("⎫", "⎬", "⎭", "}"),
    "|": ("|", "|", "|", "|"),
    "‖": ("‖", "‖", "‖", "‖"),
}
_ALIGNED = ("aligned", "align", "align*", "alignat", "alignat*", "split", "eqnarray", "eqnarray*")
_GATHERED = ("gathered", "gather", "gather*", "multline", "multline*")


def _tall(glyph: str, index: int, count: int) -> str:
    if not glyph:
        return ""
    top, middle, bottom, single = _TALL[glyph]
    if count == 1:
        return single
    return top if index == 0 else bottom if index == count - 1 else middle


def rows_to_text(env: str, rows: list[list[str]], display: bool) -> str:
    """An environment's rows as text: lines in display math, ``;``-separated inline."""
    if env in {"cases", "dcases"}:
        if not display:
            return "{" + "; ".join(", ".join(c for c in row if c) for row in rows) + "}"
        lines = [_tall("{", i, len(rows)) + " " + CELL.join(row) for i, row in enumerate(rows)]
    elif env in _MATRICES:
        left, right = _MATRICES[env]
        if not display:
            return left + "; ".join(", ".join(row) for row in rows) + right
        lines = [
            _tall(left, i, len(rows)) + CELL.join([*row, _tall(right, i, len(rows))])
            for i, row in enumerate(rows)
        ]
    elif env in _ALIGNED:
        joined = [ALIGN_MARK.join(row) for row in rows]
        if not display:
            return "; ".join(" ".join(c for c in row if c) for row in rows)
        lines = joined
    else:
        lines = ["  ".join(row) for row in rows]
        if not display:
            return "; ".join(lines)
    return "\n" + "\n".join(lines) + "\n"


def _environment(env: str) -> Writer:
    def write(node: Any, l2tobj: Any) -> str:
        return rows_to_text(env, split_rows(node.nodelist, l2tobj), bool(l2tobj.display))

    return write


ROW_ENVIRONMENTS = (*_MATRICES, "cases", "dcases", *_ALIGNED, *_GATHERED)


def walker_macros() -> list[MacroSpec]:
    """How the parser reads the arguments of the macros below."""
    one = [
        *_COMBINING,
        "mathbb",
        "mathbf",
        "boldsymbol",
        "bm",
        "mathcal",
        "mathit",
        "mathsf",
        "mathtt",
        "mathrm",
        "mathfrak",
        "mathscr",
        "mathds",
        "underbrace",
        "overbrace",
        "pmod",
        "tag",
        "substack",
    ]
    return [
        *(MacroSpec(name, "{") for name in one),
        *(MacroSpec(name, "{{") for name in ("dfrac", "tfrac", "cfrac", "binom", "dbinom")),
        *(MacroSpec(name, "{{") for name in ("tbinom", "overset", "underset", "stackrel")),
        MacroSpec("operatorname", "*{"),
        MacroSpec("xrightarrow", "[{"),
        MacroSpec("xleftarrow", "[{"),
        MacroSpec("hspace", "*{"),
    ]


def walker_environments() -> list[EnvironmentSpec]:
    """Environments whose first argument is a column spec, not content."""
    return [EnvironmentSpec("array", "{"), EnvironmentSpec("subarray", "{")]


def text_macros(frac: Writer) -> list[MacroTextSpec]:
    """How the macros above, and symbols pylatexenc lacks, are written as text."""
    fonts = (
        *("mathbf", "boldsymbol", "bm", "mathcal", "mathit", "mathsf", "mathtt", "mathrm"),
        *("mathfrak", "mathscr", "operatorname", "textrm", "textbf", "textit"),
    )
    return [
        *(MacroTextSpec(name, simplify_repl=_accent(mark)) for name, mark in _COMBINING.items()),
        *(MacroTextSpec(name, simplify_repl=_plain) for name in fonts),
        MacroTextSpec("mathbb", simplify_repl=_double_struck),
        MacroTextSpec("mathds", simplify_repl=_double_struck),
        *(MacroTextSpec(name, simplify_repl=frac) for name in ("dfrac", "tfrac", "cfrac")),
        *(MacroTextSpec(name, simplify_repl=_binom) for name in ("binom", "dbinom", "tbinom")),
        MacroTextSpec("underbrace", simplify_repl=_brace("⏟")),
        MacroTextSpec("overbrace", simplify_repl=_brace("⏞")),
        MacroTextSpec("overset", simplify_repl=_over("^")),
        MacroTextSpec("stackrel", simplify_repl=_over("^")),
        MacroTextSpec("underset", simplify_repl=_over("_")),
        MacroTextSpec("xrightarrow", simplify_repl=_arrow("→")),
        MacroTextSpec("xleftarrow", simplify_repl=_arrow("←")),
        MacroTextSpec("pmod", simplify_repl=_pmod),
        MacroTextSpec("tag", simplify_repl=_tag),
        MacroTextSpec("substack", simplify_repl=_substack),
        MacroTextSpec("hspace", " "),
        *(MacroTextSpec(name, glyph) for name, glyph in _SYMBOLS.items()),
    ]


def text_environments() -> list[EnvironmentTextSpec]:
    return [EnvironmentTextSpec(env, simplify_repl=_environment(env)) for env in ROW_ENVIRONMENTS]
