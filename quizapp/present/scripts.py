"""Sub- and superscripts as terminal text: ``n²``, ``xₜ``, ``h_(t-1)`` where a character
has no Unicode script form, ``d_model`` for a word, ``^<t>`` as the RNN literature
writes time steps."""

from __future__ import annotations

import re

_SUPERSCRIPT = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW⊤βγδθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵀᵝᵞᵟᶿᶥᵠᵡ",
        strict=True,
    )
)
_SUBSCRIPT = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
# Superscripts written as a symbol rather than raised: x^* and x' read best as is.
_PLAIN_SUPERSCRIPT = {"*": "*", "∗": "*", "'": "′", "′": "′", "″": "″", "†": "†"}

_WORD_RUN = re.compile(r"[^\W\d_]{2,}")


def script(kind: str, arg: str) -> str:
    """``arg`` written as a sub- (``_``) or superscript (``^``) after its base."""
    arg = arg.strip()
    if not arg:
        return ""
    if kind == "^" and arg in _PLAIN_SUPERSCRIPT:
        return _PLAIN_SUPERSCRIPT[arg]
    table = _SUPERSCRIPT if kind == "^" else _SUBSCRIPT
    # A word (``model``, ``out``) reads better spelled out than as tiny letters.
    if not _WORD_RUN.search(arg) and all(ch in table for ch in arg):
        return "".join(table[ch] for ch in arg)
    if len(arg) == 1 or re.fullmatch(r"\w+", arg) or arg.startswith("<"):
        # ``^<t>``: the time-step notation of the RNN literature stays as written.
        return kind + arg
    return f"{kind}({arg})"
