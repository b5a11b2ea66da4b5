"""Whether math shown as text is faithful to its LaTeX: the oracle of the math corpus test.

It knows LaTeX, not the renderer: for a formula it counts what the source holds and
checks that the text shown holds at least as much of each:

- every letter and digit outside macro names (arguments, scripts, environment cells);
- every delimiter: ``( ) [ ] \\{ \\}``, ``|`` and ``‖`` (``\\|``, ``\\Vert``, ``\\lVert``…),
  angle brackets, floors and ceilings;
- every symbol macro's glyph (``\\sum`` → ``∑``, ``\\neq`` → ``≠``), and a function
  macro's name (``\\log`` → ``log``);
- every accent (``\\hat``, ``\\bar``, ``\\overline``, ``\\vec``…) as a mark on its base or
  an accepted stand-in, every fraction as a ``/``, binomial, root, brace and negation;
- rows of ``cases``, ``aligned``, matrices and arrays kept apart: one line each in
  display math, ``;``-separated inline;
- a macro LaTeX itself does not have (``\\argmax`` from someone's preamble) shown as its
  source, backslash included.

:func:`problems` returns what is missing; an empty list means faithful.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: symbol macros → the glyphs that show them (any of)
GLYPHS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("|", "Vert", "lVert", "rVert", "Arrowvert"), ("‖",)),
    **dict.fromkeys(("vert", "lvert", "rvert", "mid"), ("|", "∣")),
    "langle": ("⟨", "〈"),
    "rangle": ("⟩", "〉"),
    "lfloor": ("⌊",),
    "rfloor": ("⌋",),
    "lceil": ("⌈",),
    "rceil": ("⌉",),
    "{": ("{",),
    "}": ("}",),
    "#": ("#",),
    "%": ("%",),
    "&": ("&",),
    "_": ("_",),
    "sum": ("∑", "Σ"),
    "prod": ("∏", "Π"),
    "int": ("∫",),
    "iint": ("∬", "∫∫"),
    "oint": ("∮",),
    "partial": ("∂",),
    "nabla": ("∇",),
    "infty": ("∞",),
    "cdot": ("·", "⋅"),
    "times": ("×",),
    "div": ("÷",),
    "pm": ("±",),
    "mp": ("∓",),
    "odot": ("⊙",),
    "otimes": ("⊗",),
    "oplus": ("⊕",),
    "circ": ("∘",),
    "ast": ("*", "∗"),
    "star": ("⋆",),
    "cdots": ("⋯", "…"),
    "ldots": ("…",),
    "dots": ("…", "⋯"),
    "vdots": ("⋮",),
    "ddots": ("⋱",),
    "leq": ("≤",),
    "le": ("≤",),
    "geq": ("≥",),
    "ge": ("≥",),
    "neq": ("≠",),
    "ne": ("≠",),
    "approx": ("≈",),
    "simeq": ("≃",),
    "cong": ("≅",),
    "equiv": ("≡",),
    "sim": ("∼", "~"),
    "propto": ("∝",),
    "ll": ("≪",),
    "gg": ("≫",),
    "in": ("∈",),
    "notin": ("∉",),
    "subset": ("⊂",),
    "subseteq": ("⊆",),
    "supset": ("⊃",),
    "cap": ("∩",),
    "cup": ("∪",),
    "setminus": ("∖", "\\"),
    "emptyset": ("∅",),
    "varnothing": ("∅",),
    "forall": ("∀",),
    "exists": ("∃",),
    "neg": ("¬",),
    "land": ("∧",),
    "lor": ("∨",),
    "perp": ("⊥",),
    "nleq": ("≰",),
    "ngeq": ("≱",),
    "nmid": ("∤",),
    "nsubseteq": ("⊈",),
    "to": ("→",),
    "rightarrow": ("→",),
    "leftarrow": ("←",),
    "Rightarrow": ("⇒",),
    "Leftrightarrow": ("⇔",),
    "mapsto": ("↦",),
    "xrightarrow": ("→", "⟶"),
    "top": ("⊤", "ᵀ"),
    "intercal": ("⊤", "ᵀ"),
    "prime": ("′", "'"),
    "aleph": ("ℵ",),
    "hbar": ("ℏ",),
    "ell": ("ℓ",),
    "Re": ("ℜ",),
    "Im": ("ℑ",),
    "bmod": ("mod",),
    "pmod": ("mod",),
    "overbrace": ("⏞", "︷"),
    "underbrace": ("⏟", "︸"),
    **{
        name: (glyph,)
        for name, glyph in zip(
            [
                "alpha",
                "beta",
                "gamma",
                "delta",
                "epsilon",
                "varepsilon",
                "zeta",
                "eta",
                "theta",
                "vartheta",
                "iota",
                "kappa",
                "lambda",
                "mu",
                "nu",
                "xi",
                "pi",
                "rho",
                "sigma",
                "tau",
                "upsilon",
                "phi",
                "varphi",
                "chi",
                "psi",
                "omega",
                "Gamma",
                "Delta",
                "Theta",
                "Lambda",
                "Xi",
                "Pi",
                "Sigma",
                "Phi",
                "Psi",
                "Omega",
            ],
            "αβγδϵεζηθϑικλμνξπρστυϕφχψωΓΔΘΛΞΠΣΦΨΩ",
            strict=True,
        )
    },
    **{
        name: (name,)
        for name in [
            "sin",
            "cos",
            "tan",
            "exp",
            "log",
            "ln",
            "max",
            "min",
            "arg",
            "det",
            "lim",
            "sup",
            "inf",
            "tanh",
            "Pr",
        ]
    },
}
#: a fraction shows a ``/``; a binomial ``choose`` (or ``C(…)``); a root ``√``
STRUCTURE: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("frac", "dfrac", "tfrac", "cfrac"), ("/", "⁄")),
    **dict.fromkeys(("binom", "dbinom", "tbinom"), ("choose", "C(")),
    "sqrt": ("√", "∛", "∜"),
    "not": ("\u0338",),
}
#: accents → the marks (on the decomposed text) or stand-ins that show them
ACCENTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("hat", "widehat"), ("\u0302",)),
    **dict.fromkeys(("bar", "overline"), ("\u0304", "\u0305", "¯", "‾")),
    "underline": ("\u0332",),
    **dict.fromkeys(("tilde", "widetilde"), ("\u0303",)),
    **dict.fromkeys(("vec", "overrightarrow"), ("\u20d7", "→")),
    "dot": ("\u0307",),
    "ddot": ("\u0308",),
}
#: macros that only shape, space or select a font: their arguments are checked instead
SHAPE = {
    "left",
    "right",
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
    "middle",
    "displaystyle",
    "textstyle",
    "begin",
    "end",
    "text",
    "textrm",
    "textbf",
    "textit",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "mathtt",
    "mathcal",
    "mathbb",
    "mathfrak",
    "mathscr",
    "boldsymbol",
    "bm",
    "operatorname",
    "substack",
    "overset",
    "underset",
    "stackrel",
    "limits",
    "nolimits",
    "quad",
    "qquad",
    "enspace",
    "thinspace",
    ",",
    ";",
    ":",
    "!",
    "mbox",
}
ROW_ENVIRONMENTS = [
    "cases",
    "aligned",
    "align",
    "align*",
    "gathered",
    "split",
    "matrix",
    "pmatrix",
    "bmatrix",
    "Bmatrix",
    "vmatrix",
    "Vmatrix",
    "array",
]
_MACRO = re.compile(r"\\([A-Za-z]+\*?|.)")
_ENVIRONMENT = re.compile(r"\\(begin|end)\{([^}]*)\}(?:\{[^}]*\})?")


def _letters(text: str) -> Counter[str]:
    return Counter(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _rows(latex: str) -> list[int]:
    """Rows of each row environment, outermost first (``\\\\`` at its own depth)."""
    found: list[int] = []
    stack: list[tuple[str, int]] = []
    pos = 0
    for match in re.finditer(r"\\begin\{([^}]*)\}|\\end\{([^}]*)\}|\\\\", latex):
        if match.group(1):
            stack.append((match.group(1), len(found)))
            found.append(1)
        elif match.group(2):
            if stack:
                stack.pop()
        elif stack and stack[-1][0].rstrip("*") in {e.rstrip("*") for e in ROW_ENVIRONMENTS}:
            found[stack[-1][1]] += 1
        pos = match.end()
    del pos
    return found


def problems(latex: str, shown: str, display: bool) -> list[str]:
    """What ``shown`` (the text of ``latex``) lost; empty when it is faithful."""
    lost: list[str] = []
    # compatibility forms count as what they stand for: ⁽ is (, ᵞ is γ, ℏ is ħ
    nfkd = unicodedata.normalize("NFKD", shown)
    # symbols are counted without the accents on them (ᾱ is α with a bar)
    # (and a negated sign as the sign and its slash: ⊄ holds a ⊂)
    nfc = "".join(ch for ch in nfkd if ch == "\u0338" or not unicodedata.combining(ch))
    # A root's index is its mark when there is one (∛x); its brackets are not delimiters.
    roots = {"3": "∛", "4": "∜"}
    latex_roots = re.sub(
        r"\\sqrt\[([^\]]*)\]",
        lambda m: (
            "\\sqrt" if roots.get(m.group(1).strip(), "") in shown else f"\\sqrt {m.group(1)}"
        ),
        latex,
    )
    latex = latex_roots
    # letters and digits outside macro names and environment names
    bare = _ENVIRONMENT.sub(" ", latex)
    bare = re.sub(r"\\\\", " ", bare)
    bare = _MACRO.sub(" ", bare)
    need = _letters(unicodedata.normalize("NFKD", bare))
    have = _letters(nfkd)
    missing = need - have
    if missing:
        lost.append("letters/digits " + "".join(sorted(missing.elements())))
    # delimiters written as characters
    plain = re.sub(r"\\[A-Za-z]+\*?|\\.", " ", _ENVIRONMENT.sub(" ", latex))
    expected: Counter[tuple[str, ...]] = Counter()
    for char, alternatives in (
        ("(", ("(",)),
        (")", (")",)),
        ("[", ("[",)),
        ("]", ("]",)),
        ("|", ("|", "∣")),
        ("/", ("/", "⁄")),
    ):
        if plain.count(char):
            expected[alternatives] += plain.count(char)
    unknown: list[str] = []
    for match in _MACRO.finditer(latex):
        name = match.group(1)
        if name == "\\":
            continue
        base = name.rstrip("*")
        if base in GLYPHS:
            expected[GLYPHS[base]] += 1
        elif base in STRUCTURE:
            expected[STRUCTURE[base]] += 1
        elif base in ACCENTS:
            if not any(mark in nfkd for mark in ACCENTS[base]):
                lost.append(f"accent \\{base}")
        elif base in SHAPE or not base.isalpha():
            continue
        else:
            unknown.append(base)
    for alternatives, count in expected.items():
        shown_count = sum(nfc.count(unicodedata.normalize("NFKD", a)) for a in alternatives)
        if alternatives == ("\u0338",):
            shown_count = sum(nfkd.count(a) for a in alternatives)
        if shown_count < count:
            lost.append(f"{alternatives[0]} ×{count - shown_count}")
    for name in unknown:
        if "\\" + name not in shown:
            lost.append(f"unknown \\{name} not shown as source")
    rows = [r for r in _rows(latex) if r > 1]
    if rows:
        if display:
            if len([line for line in shown.split("\n") if line.strip()]) < max(rows):
                lost.append(f"{max(rows)} rows not on lines of their own")
        elif nfc.count(";") < latex.count(";") - latex.count("\\;") + sum(r - 1 for r in rows):
            lost.append("rows not separated by ;")
    return lost


def corpus_entries(text: str) -> list[str]:
    """The formulas of a corpus file: entries between lines holding only ``%%``,
    comment lines (``% …``) left out."""
    entries = []
    for chunk in re.split(r"^%%$", text, flags=re.M):
        lines = [line for line in chunk.split("\n") if not line.startswith("% ")]
        formula = "\n".join(lines).strip()
        if formula:
            entries.append(formula)
    return entries
