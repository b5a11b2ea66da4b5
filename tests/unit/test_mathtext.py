"""LaTeX math → Unicode for the terminal: golden conversions, and the bundled deck shows
no raw command anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp import locations
from quizapp.deckfile.collection import load_decks
from quizapp.present.cardtext import card_markdown
from quizapp.present.mathtext import latex_to_unicode, math_plugin

COMMAND = re.compile(r"\\[a-zA-Z]+")


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        # \frac gets parentheses where precedence needs them (pylatexenc alone gives n+2p-f/s)
        (r"\frac{n+2p-f}{s}", "(n+2p-f)/s"),
        (r"\frac{1}{T^2}", "1/T²"),
        (r"\frac{\exp(z_i / T)}{\sum_j \exp(z_j / T)}", "exp(zᵢ / T)/(∑ⱼ exp(zⱼ / T))"),
        (r"\left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1", "⌊(n + 2p - f)/s⌋ + 1"),
        (r"\lfloor (n + 2p - f)/s \rfloor + 1", "⌊(n + 2p - f)/s⌋ + 1"),
        # the seed's LSTM notation: hats, Greek, <t> kept visible
        (
            r"\hat{c}^{<t>} = \tanh(W_c [a^{<t-1>}, x^{<t>}] + b_c)",
            "ĉ^<t> = tanh(W_c [a^<t-1>, x^<t>] + b_c)",
        ),
        (r"\Gamma_u = \sigma(W_u x + b_u)", "Γᵤ = σ(Wᵤ x + bᵤ)"),
        (r"h_t = o_t \odot \tanh(c_t)", "hₜ = oₜ ⊙ tanh(cₜ)"),
        (r"q^\top k / \sqrt{d_k}", "qᵀ k / √(dₖ)"),
        (r"h_{t-1}", "hₜ₋₁"),
        (r"d_{model} \cdot ff", "d_model · ff"),
        (r"W_{hn} h_{t-1} + b_{hn}", "W_hn hₜ₋₁ + b_hn"),
        (r"\sum_{i=1}^{d_k} q_i k_i", "∑ᵢ₌₁^dₖ qᵢ kᵢ"),
        (r"4 \times (512^2 + 512) = 1\,050\,624", "4 × (512² + 512) = 1 050 624"),
        (
            r"\text{句向量长度} = \text{窗口种类数} \times \text{num\_filters}",
            "句向量长度 = 窗口种类数 × num_filters",
        ),
        (r"\mathrm{diag}(p) - p p^\top \approx 0", "diag(p) - p pᵀ ≈ 0"),
        (r"\lVert g \rVert > \theta", "‖g‖ > θ"),
        (r"\mathbf{W} x", "W x"),
        # a macro the renderer does not know is shown as its source, never dropped
        (r"\foo{x} + \quux", r"\foo{x} + \quux"),
        # norms, accents, binomials, fractions of every kind, braces, negations
        (r"\|\mathbf{v}\| = \sqrt{\sum v_i^2}", "‖v‖ = √(∑ vᵢ²)"),
        (r"\frac{a \cdot b}{\|a\|\|b\|}", "(a · b)/(‖a‖‖b‖)"),
        (r"\|A\|_F", "‖A‖_F"),
        (r"\dfrac{1}{2} + \tfrac{1}{3}", "1/2 + 1/3"),
        (r"\binom{n}{k}", "(n choose k)"),
        (r"\overline{AB}", "A\u0305B\u0305"),
        (r"\sqrt[n]{x}", "ⁿ√(x)"),
        (r"\underbrace{a + b}_{n}", "(a + b)⏟ₙ"),
        (r"a \not\in S, \; a \neq b", "a ∉ S, a ≠ b"),
        (r"\mathbb{E}[x] \in \mathbb{R}", "𝔼[x] ∈ ℝ"),
        (
            r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
            "f(x) = {1, x > 0; 0, otherwise}",
        ),
        (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "(1, 2; 3, 4)"),
    ],
)
def test_golden_conversions(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text


def test_aligned_rows_line_up_on_the_equals_sign() -> None:
    latex = r"""\begin{aligned}
i_t &= \sigma(W_i x_t) \\
\text{候选} &= \tanh(W_g x_t)
\end{aligned}"""
    assert latex_to_unicode(latex, display=True).splitlines() == [
        "iₜ   = σ(Wᵢ xₜ)",
        "候选 = tanh(W_g xₜ)",
    ]


def test_broken_latex_is_shown_as_written() -> None:
    for broken in (r"\frac{a", "}", r"x^", r"\begin{aligned} a &= 1"):
        assert latex_to_unicode(broken) == broken


def test_rows_of_cases_and_matrices_are_lines_of_their_own_in_display_math() -> None:
    cases = r"|x| = \begin{cases} x & x \geq 0 \\ -x & x < 0 \end{cases}"
    assert latex_to_unicode(cases, display=True).splitlines() == [
        "|x| =",
        "⎧ x   x ≥ 0",
        "⎩ -x  x < 0",
    ]
    matrix = r"\begin{bmatrix} 1 & 0 \\ 0 & 10 \end{bmatrix}"
    assert latex_to_unicode(matrix, display=True).splitlines() == ["⎡1  0 ⎤", "⎣0  10⎦"]


def _converted_math(markdown: str) -> list[str]:
    md = card_markdown().use(math_plugin)
    out: list[str] = []
    for token in md.parse(markdown):
        if token.meta.get("math"):
            out.append(token.content)
        for child in token.children or []:
            if child.meta.get("math"):
                out.append(child.content)
    return out


def test_math_plugin_turns_math_tokens_into_text_and_plain_fences() -> None:
    md = card_markdown().use(math_plugin)
    tokens = md.parse(
        "Loss $\\frac{1}{n}$ here.\n\n$$\na &= 1 \\\\\nbb &= 2\n$$\n\n`$x$` stays code\n"
    )
    inline = tokens[1].children
    assert inline is not None
    assert [(t.type, t.content) for t in inline] == [
        ("text", "Loss "),
        ("text", "1/n"),
        ("text", " here."),
    ]
    fence = tokens[3]
    assert (fence.type, fence.info, fence.content) == ("fence", "", "a  = 1\nbb = 2\n")
    code = tokens[5].children
    assert code is not None and code[0].type == "code_inline" and code[0].content == "$x$"


def test_every_card_of_the_bundled_deck_shows_no_latex_command() -> None:
    decks = load_decks([locations.bundled_deck()])
    cards = [card for deck in decks for card in deck.cards]
    assert len(cards) > 20
    shown = 0
    for card in cards:
        texts = [card.front, card.back]
        if card.quiz is not None:
            texts.append(card.quiz.ask)
        for text in texts:
            for math in _converted_math(text):
                shown += 1
                assert not COMMAND.search(math), f"{card.source}:{card.line}: {math!r}"
                assert "\\" not in math, f"{card.source}:{card.line}: {math!r}"
    assert shown > 50


def test_the_seed_notation_keeps_its_time_steps(tmp_path: Path) -> None:
    deck = tmp_path / "lstm.md"
    deck.write_text(
        "# LSTM\n\n## Gates\n\n### LSTM 网络结构？\n\n$$\n"
        "\\hat{c}^{<t>} = \\tanh (W_c [a^{<t-1}>, x^{<t>}] + b_c) \\\\\n"
        "\\Gamma_u = \\sigma(W_u [a^{<t-1}>, x^{<t>}] + b_u)\n$$\n",
        encoding="utf-8",
    )
    (parsed,) = load_decks([deck])
    (card,) = parsed.cards
    (math,) = _converted_math(card.back)
    assert math.splitlines() == [
        "ĉ^<t> = tanh (W_c [a^<t-1>, x^<t>] + b_c)",
        "Γᵤ = σ(Wᵤ [a^<t-1>, x^<t>] + bᵤ)",
    ]
